// The one-cause "Webhook URL" case in Markdown (issue 14 part 3): where replay ran (the Action's job
// summary and check run, `devcenter replay --format markdown`) the settings it names, `webhook.start`
// and `webhook.url`, are code spans; the App escapes the message whole; text and JSON are unchanged.
// Real replay: the webhook example pointed at a port on 127.0.0.1 where nothing listens.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { decodeReplayData, encodeReplayData } from "../../src/replay/report-codec.js";
import { runReplay } from "../../src/replay/run.js";
import { LocalSource } from "../../src/replay/source-local.js";
import type { ReplayReport } from "../../src/replay/types.js";
import type { Report } from "../../src/report.js";
import { review } from "../../src/review.js";
import { captureIO } from "../helpers/cli.js";
import { replaySummaryMarkdown } from "../../action/check-run.js";
import { actionOutputs } from "./action-outputs.js";
import { copyExample, removeExampleCopies } from "../helpers/example-copy.js";
import { freePort } from "../replay/helpers.js";
import { reviewWithReplay } from "./replayed-review.js";
import { appComment } from "./app-comment.js";

const md = new MarkdownIt({ html: true });

let dir: string;
let url: string;
let report: Report;
let replay: ReplayReport;

beforeAll(async () => {
  url = `http://127.0.0.1:${await freePort()}/segment`;
  dir = await copyExample("webhook", (yml) =>
    yml
      .replace("url: http://127.0.0.1:8787/segment", `url: ${url}`)
      .replace(/\n\s+start: node server\.js\n\s+ready: \S+/, ""),
  );
  report = await reviewWithReplay(dir);
  replay = report.replay!;
});
afterAll(removeExampleCopies);

const urlCase = () => replay.cases.find((c) => c.name === "Webhook URL")!;

describe("nothing listening at webhook.url, in Markdown", () => {
  it("replay said so once, its text as before", () => {
    expect(urlCase().message).toMatch(
      /^Nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)\. None of the \d+ cases nor the probes could be sent: each needs the endpoint\. Start it \(or set webhook\.start so replay starts it\) and check webhook\.url\.$/,
    );
    expect(urlCase().markdown).toContain("`webhook.url`");
  });

  it("the Action's job summary and check run: `webhook.start` and `webhook.url` are code", () => {
    const outputs = actionOutputs(report, replay);
    for (const [name, out] of Object.entries(outputs)) {
      const html = md.render(out);
      expect(html, name).toContain("and check <code>webhook.url</code>.");
      expect(html, name).toContain("set <code>webhook.start</code> so replay starts it");
    }
  });

  it("`devcenter replay --format markdown` renders it as code; JSON and text keep the plain message", async () => {
    const io = captureIO(dir);
    await main(["replay", dir, "--no-volume", "--format", "markdown"], io);
    expect(md.render(io.out)).toContain("and check <code>webhook.url</code>.");
    const json = captureIO(dir);
    await main(["replay", dir, "--no-volume", "--format", "json"], json);
    expect(json.out).toContain("and check webhook.url.");
    expect(json.out).not.toContain('"markdown"');
    const text = captureIO(dir);
    await main(["replay", dir, "--no-volume"], text);
    expect(text.out).toContain("webhook.url");
    expect(text.out).not.toContain("`webhook.url`");
  });

  it("the App escapes the message whole: no code span, the check run's data holds no Markdown form", () => {
    const encoded = encodeReplayData(replay);
    expect(Buffer.from(encoded.split(" ")[2]!, "base64").toString("utf8")).not.toContain('"markdown"');
    const decoded = decodeReplayData(encoded)[0]!.report;
    const out = appComment({
      readyFor: report.readyFor,
      replay: { report: decoded, untrusted: false, workflowFiles: [] },
    });
    // The App's cell is shorter: the message is cut after `webhook.start`, escaped like the rest.
    expect(out).toContain("\\(or set webhook\\.start so replay starts it\\)");
    expect(md.render(out)).not.toContain("<code>webhook.");
  });
});

describe("the endpoint's program died during replay, in Markdown", () => {
  let crash: string;
  let died: ReplayReport;
  beforeAll(async () => {
    const port = await freePort();
    crash = await copyExample("webhook", (yml) =>
      yml.replaceAll("8787", String(port)).replace("start: node server.js", "start: node crash.cjs"),
    );
    // It prints a hostile line, then dies on the first delivery: its output is a value, escaped.
    await writeFile(
      join(crash, "crash.cjs"),
      `require("node:http").createServer((req, res) => {
  if (req.url === "/health") return res.end("ok");
  console.error("acme: [x](javascript:1) @org/team <img src=x>");
  process.exit(3);
}).listen(${port}, "127.0.0.1");
`,
    );
    died = await runReplay((await review(new LocalSource(crash))).manifest!, new LocalSource(crash), { env: {} });
  });

  it("the red case names the program as code, its output inert; the text is as before", () => {
    const first = died.cases[0]!;
    expect(first.message).toContain("The endpoint's program (`node crash.cjs`) exited with code 3 during replay");
    const html = md.render(replaySummaryMarkdown(died));
    expect(first.message).toContain("acme: [x](javascript:1) @org/team <img src=x>");
    expect(html).toContain("The endpoint's program (<code>node crash.cjs</code>) exited with code 3");
    expect(html).not.toMatch(/href="javascript/i);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("@org/team");
    expect(died.cases.find((c) => c.name === "Webhook URL")!.message).toContain(
      "its last output is with the first red case above",
    );
  });
});
