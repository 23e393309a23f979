import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { decodeReplayData, encodeReplayData } from "../../src/replay/report-codec.js";
import type { ReplayReport } from "../../src/replay/types.js";
import type { Report } from "../../src/report.js";
import { captureIO } from "../helpers/cli.js";
import { actionOutputs } from "./action-outputs.js";
import { copyExample, removeExampleCopies } from "../helpers/example-copy.js";
import { reviewWithReplay } from "./replayed-review.js";
import { appComment } from "./app-comment.js";

// The entry is the partner's: a value, escaped, in the template's words around `entry`.
const ENTRY = "src/[a](javascript:1) @org/team.js";
const md = new MarkdownIt({ html: true });

let dir: string;
let report: Report;
let replay: ReplayReport;

beforeAll(async () => {
  dir = await copyExample("function", (yml) => yml.replace("entry: src/handlers.js", `entry: "${ENTRY}"`));
  report = await reviewWithReplay(dir);
  replay = report.replay!;
});
afterAll(removeExampleCopies);

const missing = () => replay.cases.find((c) => c.name === "Handler module")!;

describe("replay messages in Markdown", () => {
  it("replay said the entry is missing, in both forms", () => {
    expect(missing().message).toBe(
      `The entry ${ENTRY} does not exist; point \`entry\` at the module that defines onTrack, onIdentify, ….`,
    );
    expect(missing().markdown).toContain("`entry`");
  });

  it("the Action's job summary and check run: `entry` is code, the entry path is inert", () => {
    const outputs = actionOutputs(report, replay);
    for (const [name, out] of Object.entries(outputs)) {
      const html = md.render(out);
      expect(html, name).toContain("point <code>entry</code> at the module");
      expect(html, name).not.toMatch(/href="javascript/i);
      expect(out, name).not.toContain("@org/team");
    }
  });

  it("the App: the check run's data carries no Markdown form, one that arrives is dropped, messages are escaped whole", () => {
    const encoded = encodeReplayData(replay);
    expect(Buffer.from(encoded.split(" ")[2]!, "base64").toString("utf8")).not.toContain('"markdown"');
    // A partner's CI that plants a Markdown form of its own in the data.
    const b64 = encoded.split(" ")[2]!;
    const data = JSON.parse(Buffer.from(b64, "base64").toString("utf8"));
    data.cases = data.cases.map((c: object) => ({ ...c, markdown: "<img src=x onerror=1> [click](javascript:1)" }));
    const planted = encoded.replace(b64, Buffer.from(JSON.stringify(data)).toString("base64"));
    const decoded = decodeReplayData(planted)[0]!.report;
    expect(decoded.cases.every((c) => c.markdown === undefined)).toBe(true);
    // Even a report handed to the App's renderer with a Markdown form is escaped whole.
    const out = appComment({
      readyFor: report.readyFor,
      replay: {
        report: { ...decoded, cases: replay.cases.map((c) => ({ ...c, markdown: "<img src=x onerror=1>" })) },
        untrusted: false,
        workflowFiles: [],
      },
    });
    const html = md.render(out);
    expect(html).not.toContain("<img");
    expect(out).toContain("point \\`entry\\` at the module");
  });

  it("text and JSON output carry the plain message only", async () => {
    const io = captureIO(dir);
    await main(["replay", dir, "--no-volume", "--format", "json"], io);
    expect(io.out).toContain("point `entry` at the module");
    expect(io.out).not.toContain('"markdown"');
  });
});

describe("a plugin's missing script in `devcenter replay --format markdown`", () => {
  let plugin: string;
  beforeAll(async () => {
    plugin = await copyExample("plugin", (yml) => yml.replace("entry: plugin.js", `entry: "${ENTRY}"`));
  });

  it("`entry` is code, the entry path inert; the JSON keeps the plain message", async () => {
    const io = captureIO(plugin);
    await main(["replay", plugin, "--no-volume", "--format", "markdown"], io);
    const html = md.render(io.out);
    expect(html).toContain("point <code>entry</code> at the plugin");
    expect(html).not.toMatch(/href="javascript/i);
    expect(io.out).not.toContain("@org/team");
    const json = captureIO(plugin);
    await main(["replay", plugin, "--no-volume", "--format", "json"], json);
    expect(json.out).toContain(
      `The entry ${ENTRY} does not exist; point \`entry\` at the plugin's built browser script`,
    );
    expect(json.out).not.toContain('"markdown"');
  });
});
