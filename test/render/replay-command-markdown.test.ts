// Replay's messages that name a setting or the partner's command, in Markdown (issue 14 part 3):
// where replay ran (the Action's job summary and check run, `devcenter replay --format markdown`)
// `global`, `hosts` and the command are code spans — the command's own text inert inside one — and
// the program's output stays escaped; text and JSON keep the plain message, as before. Real replay:
// the examples with a start command that crashes, a plugin `global` the script does not define,
// and `hosts` that leave out the plugin's collector (in headless Chromium).
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { type ProcessStartError, startProcess } from "../../src/replay/process.js";
import type { ReplayCase } from "../../src/replay/types.js";
import type { Report } from "../../src/report.js";
import { captureIO } from "../helpers/cli.js";
import { copyExample, removeExampleCopies } from "../helpers/example-copy.js";
import { actionOutputs } from "./action-outputs.js";
import { reviewWithReplay } from "./replayed-review.js";

const md = new MarkdownIt({ html: true });
// The partner's command and what it prints: both untrusted, neither may link or mention anyone.
const COMMAND = "node crash.js '[x](javascript:1)' @org/team";
const CRASH = "console.log('[y](javascript:2) @org/devs'); process.exit(3);\n";

/** An example with its start command replaced by COMMAND (or another edit), and crash.js beside it. */
async function example(name: string, edit: (yml: string) => string): Promise<string> {
  const dir = await copyExample(name, edit);
  await writeFile(join(dir, "crash.js"), CRASH);
  return dir;
}

// PATH, so plugin replay finds the browser as the CLI does.
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

function caseNamed(report: Report, name: string): ReplayCase {
  const c = report.replay!.cases.find((x) => x.name === name);
  if (!c) throw new Error(`no case "${name}": ${report.replay!.cases.map((x) => x.name).join(", ")}`);
  return c;
}

/** The Action's two outputs rendered to HTML: `expected` in each, and nothing the partner wrote made a link or a mention. */
function expectActionHtml(report: Report, expected: string[]): void {
  for (const [name, out] of Object.entries(actionOutputs(report, report.replay!))) {
    const html = md.render(out);
    for (const e of expected) expect(html, name).toContain(e);
    expect(html, name).not.toMatch(/href="javascript/i);
    expect(out, name).not.toMatch(/@org\/(team|devs)/);
  }
}

afterAll(removeExampleCopies);

describe("a webhook endpoint whose start command exits before it is ready", () => {
  let dir: string;
  let report: Report;
  beforeAll(async () => {
    dir = await example("webhook", (yml) => yml.replace("start: node server.js", `start: "${COMMAND}"`));
    report = await reviewWithReplay(dir, env);
  });

  it("replay said so, its text as before", () => {
    const c = caseNamed(report, "Start the webhook endpoint");
    expect(c.message).toMatch(
      /^`node crash\.js '\[x\]\(javascript:1\)' @org\/team` exited with code 3 before it was ready \(http:\/\/127\.0\.0\.1:8787\/health\); last lines of its output:\n {2}\[y\]\(javascript:2\) @org\/devs\nEvery case needs a running endpoint, so none was sent\.$/,
    );
    expect(c.markdown).toBeDefined();
  });

  it("the Action's job summary and check run: the command is code, its output is escaped", () => {
    expectActionHtml(report, [
      "<code>node crash.js '[x](javascript:1)' @‍org/team</code> exited with code 3 before it was ready",
      "Every case needs a running endpoint, so none was sent.",
    ]);
  });

  it("`devcenter replay --format markdown` shows the command as code; JSON keeps the plain message", async () => {
    const io = captureIO(dir);
    await main(["replay", dir, "--no-volume", "--format", "markdown"], io);
    expect(md.render(io.out)).toContain("<code>node crash.js '[x](javascript:1)' @‍org/team</code> exited with code 3");
    const json = captureIO(dir);
    await main(["replay", dir, "--no-volume", "--format", "json"], json);
    expect(json.out).toContain("`node crash.js '[x](javascript:1)' @org/team` exited with code 3 before it was ready");
    expect(json.out).not.toContain('"markdown"');
  });
});

describe("a start command that is never ready (the process runner)", () => {
  it("the command is a code span in the Markdown form, the text unchanged", async () => {
    const err = (await startProcess({
      command: `echo "[z](javascript:3)"; sleep 30`,
      cwd: tmpdir(),
      baseEnv: process.env,
      ready: { url: "http://127.0.0.1:9/health", timeoutMs: 300 },
      graceMs: 300,
    }).catch((e: unknown) => e)) as ProcessStartError;
    expect(err.message).toMatch(/^`echo "\[z\]\(javascript:3\)"; sleep 30` was not ready within 300 ms: /);
    expect(err.said.text).toBe(err.message);
    const html = md.render(err.said.markdown);
    expect(html).toContain("<code>echo &quot;[z](javascript:3)&quot;; sleep 30</code> was not ready within 300 ms");
    expect(html).not.toMatch(/href="javascript/i);
  });
});

describe("a stream program that exits with an error", () => {
  let report: Report;
  beforeAll(async () => {
    const dir = await example("stream", (yml) => yml.replace("start: node stream.js", `start: "${COMMAND}"`));
    report = await reviewWithReplay(dir, env);
  });

  it("its case names the command as before in text, as code in the Action's Markdown", () => {
    expect(caseNamed(report, "stream program exits").message).toMatch(
      /^`node crash\.js '\[x\]\(javascript:1\)' @org\/team` exited with code 3; 0 messages received; last lines of its output:\n {2}\[y\]\(javascript:2\) @org\/devs$/,
    );
    expectActionHtml(report, [
      "<code>node crash.js '[x](javascript:1)' @‍org/team</code> exited with code 3; 0 messages received",
    ]);
  });
});

describe("plugin replay (headless Chromium)", () => {
  it("a `global` the script does not define: `global` is code where replay ran", async () => {
    const dir = await example("plugin", (yml) => yml.replace("global: PulsePlugins", "global: PulseMissing"));
    const report = await reviewWithReplay(dir, env);
    expect(caseNamed(report, "Load — factory and load()").message).toBe(
      "plugin.js ran but did not define window.PulseMissing. Set `global` in integration.yml to the name the script assigns its factory to (window.PulseMissing = (settings) => plugin).\nNo event was sent.",
    );
    expectActionHtml(report, ["Set <code>global</code> in integration.yml to the name"]);
  });

  it("a host left out of `hosts`: `hosts` is code, also behind a fixture's expectation", async () => {
    const dir = await example("plugin", (yml) =>
      yml.replace("hosts: [api.pulse.example]", "hosts: [api.elsewhere.example]"),
    );
    const report = await reviewWithReplay(dir, env);
    const fixture = report.replay!.cases.find((c) => c.file?.endsWith("signup-viewed.json"))!;
    expect(fixture.message).toBe(
      "The fixture expects pass, but got fail: The plugin sent 1 request to api.pulse.example, not in `hosts` (replay refused it): POST https://api.pulse.example/v1/collect. Declare every host the plugin contacts, or stop sending there.",
    );
    expect(md.render(fixture.markdown!)).toContain(
      "The fixture expects pass, but got fail: The plugin sent 1 request to api.pulse.example, not in <code>hosts</code>",
    );
    expectActionHtml(report, ["not in <code>hosts</code> (replay refused it)"]);
    const json = captureIO(dir, env);
    await main(["replay", dir, "--no-volume", "--format", "json"], json);
    expect(json.out).toContain("not in `hosts` (replay refused it)");
    expect(json.out).not.toContain('"markdown"');
  });
});
