// Replay's own words in Markdown (issue 14 part 3): where the replay ran in the same process — the
// Action's job summary and check run, `devcenter replay --format markdown` — a message built with
// `msg` keeps its code spans while the partner's values in it stay escaped. The App reads replay
// results from the partner's CI (the check run), so it never renders a Markdown form from there:
// the check run's data leaves it out, the decoder drops one that arrives, and the App's table
// escapes replay messages whole. Real replay (the function example with its entry missing).
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderComment } from "../../src/app/text.js";
import { main } from "../../src/cli/main.js";
import { runReplay } from "../../src/replay/run.js";
import { decodeReplayData, encodeReplayData } from "../../src/replay/report-codec.js";
import { LocalSource } from "../../src/replay/source-local.js";
import type { ReplayReport } from "../../src/replay/types.js";
import type { Report } from "../../src/report.js";
import { review } from "../../src/review.js";
import { captureIO } from "../helpers/cli.js";
import { actionOutputs } from "./action-outputs.js";

// The entry is the partner's: a value, escaped, in the template's words around `entry`.
const ENTRY = "src/[a](javascript:1) @org/team.js";
const md = new MarkdownIt({ html: true });

let dir: string;
let report: Report;
let replay: ReplayReport;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "devcenter-replay-md-"));
  await cp(resolve("examples/function"), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  const file = join(dir, "integration.yml");
  await writeFile(file, (await readFile(file, "utf8")).replace("entry: src/handlers.js", `entry: "${ENTRY}"`));
  report = await review(new LocalSource(dir), {
    replay: (manifest) => runReplay(manifest, new LocalSource(dir), { env: {} }),
  });
  replay = report.replay!;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

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
    const out = renderComment({
      integrations: [
        {
          root: "",
          name: "Acme",
          slug: "acme",
          readyFor: report.readyFor,
          next: "public-beta",
          errors: 0,
          warnings: 0,
          blocking: [],
          checklist: [],
          replay: {
            report: { ...decoded, cases: replay.cases.map((c) => ({ ...c, markdown: "<img src=x onerror=1>" })) },
            untrusted: false,
            workflowFiles: [],
          },
        },
      ],
      outOfScope: [],
      submitted: false,
      draft: false,
      reviewers: "the reviewers",
      stateMarker: "<!-- state -->",
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
    plugin = await mkdtemp(join(tmpdir(), "devcenter-replay-md-plugin-"));
    await cp(resolve("examples/plugin"), plugin, { recursive: true, filter: (src) => !src.includes("node_modules") });
    const file = join(plugin, "integration.yml");
    await writeFile(file, (await readFile(file, "utf8")).replace("entry: plugin.js", `entry: "${ENTRY}"`));
  });
  afterAll(() => rm(plugin, { recursive: true, force: true }));

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
