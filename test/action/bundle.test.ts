// The built Action, run as the runner runs it: `node index.js` in a folder holding nothing but the
// bundle, against the examples and the broken fixtures, with the GitHub API on 127.0.0.1.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeReplayData } from "../../src/replay/report-codec.js";
import { STAGES } from "../../src/core/vocabulary.js";
import {
  buildBundle,
  cleanUpRuns,
  copyBundle,
  FakeApi,
  HEAD_SHA,
  MERGE_SHA,
  REPO,
  runAction,
  TOKEN,
  type ActionRun,
  type ApiRequest,
} from "./harness.js";

const tmp = mkdtempSync(join(tmpdir(), "devcenter-action-test-"));
const built = join(tmp, "build");
const bundleDir = join(tmp, "action");
const api = new FakeApi();

beforeAll(async () => {
  await buildBundle(built);
  copyBundle(built, bundleDir);
  await api.start();
}, 120_000);
afterAll(async () => {
  await api.stop();
  cleanUpRuns();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  api.requests = [];
  api.answer = { status: 201, body: { id: 1, html_url: "https://github.com/acme/integrations/runs/1" } };
});

const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === "error");
const notices = (run: ActionRun) => run.annotations.filter((a) => a.level === "notice");

function expectNoToken(run: ActionRun): void {
  const report = run.outputs.report ? readFileSync(run.outputs.report, "utf8") : "";
  for (const text of [run.stdout, run.stderr, run.summary, report, JSON.stringify(run.outputs)])
    expect(text).not.toContain(TOKEN);
}

describe("the bundle", () => {
  it("is what the build makes from the sources (action/dist is up to date)", () => {
    const committed = join(REPO, "action/dist");
    const files = readdirSync(built).sort();
    expect(
      existsSync(committed) ? readdirSync(committed).sort() : [],
      "action/dist is missing files: run `npm run build:action` and commit action/dist",
    ).toEqual(files);
    for (const f of files) {
      const same = readFileSync(join(committed, f)).equals(readFileSync(join(built, f)));
      expect(
        same,
        `action/dist/${f} differs from a fresh build: run \`npm run build:action\` and commit action/dist`,
      ).toBe(true);
    }
  });

  it("runs from a folder with nothing else in it, no node_modules anywhere above", () => {
    expect(readdirSync(bundleDir).sort()).toEqual(["browsers.json", "index.js", "licenses.txt", "package.json"]);
    for (let dir = bundleDir; dir !== dirname(dir); dir = dirname(dir))
      expect(existsSync(join(dir, "node_modules")), dir).toBe(false);
  });
});

describe.each(["webhook", "function", "stream", "plugin"])("examples/%s", (name) => {
  let run: ActionRun;
  let requests: ApiRequest[];
  beforeAll(async () => {
    api.requests = [];
    run = await runAction({ bundleDir, integration: `examples/${name}`, api });
    requests = api.requests;
  }, 120_000);

  it("passes, with outputs and a JSON report under RUNNER_TEMP", () => {
    const problems = [...errors(run).map((a) => a.message), run.stderr].filter(Boolean).join("\n");
    expect(run.code, `examples/${name} should pass the whole review, replay included:\n${problems}`).toBe(0);
    expect(run.outputs.result).toBe("pass");
    expect(STAGES).toContain(run.outputs["ready-for"]);
    expect(relative(run.runnerTemp, run.outputs.report!).startsWith("..")).toBe(false);
    const json = JSON.parse(readFileSync(run.outputs.report!, "utf8"));
    expect(json.tool.name).toBe("devcenter");
    expect(json.readyFor).toBe(run.outputs["ready-for"]);
    expect(json.replay.summary.fail).toBe(0);
    expect(errors(run)).toEqual([]);
    // The examples commit their golden files: nothing was recorded on the runner.
    expect(run.annotations.filter((a) => a.properties.title === "devcenter: replay golden files")).toEqual([]);
    expectNoToken(run);
  });

  it("reaches the verdict `devcenter review` reaches on the same folder (the volume check runs in both when the manifest sets a bar)", () => {
    const cli = spawnSync(
      process.execPath,
      [join(REPO, "bin/devcenter.js"), "review", run.integrationDir, "--format", "json"],
      {
        encoding: "utf8",
        env: { ...process.env, PORT: String(run.port) },
        timeout: 120_000,
      },
    );
    expect(cli.status, cli.stderr).toBe(0);
    const fromCli = JSON.parse(cli.stdout);
    const fromAction = JSON.parse(readFileSync(run.outputs.report!, "utf8"));
    expect(run.outputs["ready-for"]).toBe(fromCli.readyFor);
    expect(fromAction.replay.volume === undefined).toBe(fromCli.replay.volume === undefined);
    const status = (r: { checklist: { id: string; status: string }[] }) =>
      Object.fromEntries(r.checklist.map((i) => [i.id, i.status]));
    expect(status(fromAction)).toEqual(status(fromCli));
  }, 120_000);

  it("writes the job summary with the replay table and the checklist", () => {
    expect(run.summary).toMatch(/^### devcenter review: /);
    expect(run.summary).toContain("#### Replay: 🟢");
    expect(run.summary).toContain("#### Checklist");
  });

  it("creates the devcenter replay check run on the pull request's head, carrying the report for the App", () => {
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req!.method).toBe("POST");
    expect(req!.url).toBe("/repos/acme/integrations/check-runs");
    expect(req!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req!.body).toMatchObject({ name: "devcenter replay", head_sha: HEAD_SHA, status: "completed" });
    expect(req!.body.conclusion, req!.body.output.summary).toBe("success");
    expect(req!.body.head_sha).not.toBe(MERGE_SHA);
    const json = JSON.parse(readFileSync(run.outputs.report!, "utf8"));
    const [data] = decodeReplayData(req!.body.output.text);
    expect(data!.root).toBe(`integrations/${name}`);
    expect(data!.report.summary).toEqual(json.replay.summary);
    expect(run.stdout).toContain("Created the devcenter replay check run on 4f1c2a9d8e7b");
  });
});

describe("broken integrations", () => {
  it("bad-manifest: errors annotated on the manifest's lines, step fails", async () => {
    const run = await runAction({ bundleDir, integration: "bad-manifest", api });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe("fail");
    const manifestLines = readFileSync(join(REPO, "test/fixtures/action/bad-manifest/integration.yml"), "utf8").split(
      "\n",
    );
    const line = (text: string) => String(manifestLines.findIndex((l) => l.includes(text)) + 1);
    const annotated = errors(run);
    expect(annotated.length).toBeGreaterThanOrEqual(2);
    for (const a of annotated) expect(a.properties.file).toBe("integrations/bad-manifest/integration.yml");
    const lines = annotated.map((a) => a.properties.line);
    expect(lines).toContain(line("supportEmail: support at acme"));
    expect(lines).toContain(line("purchase]"));
    for (const a of annotated) expect(a.properties.title).toMatch(/^devcenter: manifest\//);
    expect(run.summary).toContain("❌");
    expect(run.summary).toContain(
      "`integrations/bad-manifest/integration.yml:" + line("supportEmail: support at acme"),
    );
    expect(api.requests).toHaveLength(0);
    expect(run.stdout).toContain("Replay did not run: the manifest has errors");
    expectNoToken(run);
  });

  it("bad-events: errors annotated on the event files", async () => {
    const run = await runAction({ bundleDir, integration: "bad-events", api, inputs: { replay: "false" } });
    expect(run.code).toBe(1);
    const files = errors(run).map((a) => a.properties.file);
    expect(files).toContain("integrations/bad-events/test/events/broken-json.json");
    expect(files).toContain("integrations/bad-events/test/events/no-event-name.json");
    const broken = errors(run).find((a) => a.properties.file?.endsWith("broken-json.json"))!;
    expect(Number(broken.properties.line)).toBeGreaterThan(1);
  });

  it("red-replay: red cases fail the step and the check run; the partner's server saw no credential", async () => {
    const run = await runAction({ bundleDir, integration: "red-replay", api });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe("fail");
    expect(run.summary).toContain("🔴");
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.body.conclusion).toBe("failure");
    expect(api.requests[0]!.body.output.summary).toContain("track pipeline is down");
    expect(run.stdout).toMatch(/devcenter: failed \(.*\d+ red replay cases/);
    // A red case of one of the partner's fixtures is annotated on that file, at its event's line.
    const fixture = errors(run).find((a) => a.message.includes("— order-completed: "))!;
    expect(fixture.properties).toMatchObject({
      title: "devcenter: replay",
      file: "integrations/red-replay/test/events/order-completed.json",
      line: "1",
    });
    const seen = JSON.parse(readFileSync(join(run.integrationDir, "env-seen.json"), "utf8"));
    expect(seen).toEqual({
      INPUT_TOKEN: false,
      ACTIONS_RUNTIME_TOKEN: false,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: false,
      ACTIONS_ID_TOKEN_REQUEST_URL: false,
    });
    expectNoToken(run);
  });

  it("more than 10 errors: 10 annotations, the rest in the summary; awkward file names survive escaping", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 14; i++) files[`test/events/broken-${String(i).padStart(2, "0")}.json`] = "{ nope }\n";
    files["test/events/odd,name%25:x.json"] = "{ nope }\n";
    const run = await runAction({
      bundleDir,
      integration: "examples/webhook",
      api,
      inputs: { replay: "false" },
      files,
    });
    expect(run.code).toBe(1);
    expect(errors(run)).toHaveLength(10);
    const json = JSON.parse(readFileSync(run.outputs.report!, "utf8"));
    const total = json.diagnostics.filter((d: { severity: string }) => d.severity === "error").length;
    expect(total).toBeGreaterThan(10);
    expect(run.summary).toContain(`${total - 10} more errors are listed only in the table below`);
    for (let i = 0; i < 14; i++) expect(run.summary).toContain(`broken\\-${String(i).padStart(2, "0")}`);
    const odd = json.diagnostics.find((d: { file?: string }) => d.file?.includes("odd,name"));
    expect(odd).toBeDefined();
  });

  it("`baseline`: the change check against the approved version; an unusable folder is a warning and the review still runs", async () => {
    const example = readFileSync(join(REPO, "examples/webhook/integration.yml"), "utf8").replace(
      "stage: developer-preview",
      "stage: public-beta\nversion: 1.0.0",
    );
    const head = example
      .replace("version: 1.0.0", "version: 1.1.0")
      .replace(/ {6}- label: Region\n(?: {8}.*\n)+/, "")
      .replace(/\n {6}region: eu.*\n/, "\n");
    const files = { "integration.yml": head, "approved/integration.yml": example };
    const run = await runAction({
      bundleDir,
      integration: "examples/webhook",
      api,
      inputs: { replay: "false", baseline: "integrations/webhook/approved" },
      files,
    });
    expect(run.code, run.stderr).toBe(1);
    const removed = errors(run).find((a) => a.message.includes('setting `region` ("Region") was removed'));
    expect(removed?.properties).toMatchObject({ file: "integrations/webhook/integration.yml" });
    expect(JSON.parse(readFileSync(run.outputs.report!, "utf8")).change).toMatchObject({
      from: "1.0.0",
      to: "1.1.0",
      breaking: 1,
      declared: false,
    });

    const missing = await runAction({
      bundleDir,
      integration: "examples/webhook",
      api,
      inputs: { replay: "false", baseline: "nowhere" },
      files: { "integration.yml": example },
    });
    expect(missing.code, missing.stderr).toBe(0);
    expect(
      missing.annotations.some(
        (a) =>
          a.level === "warning" &&
          a.message.includes("The baseline nowhere does not exist; the change check did not run."),
      ),
    ).toBe(true);
  });

  it("warnings fail the step only with fail-on: warning", async () => {
    const lenient = await runAction({ bundleDir, integration: "warnings-only", api, inputs: { replay: "false" } });
    expect(lenient.code).toBe(0);
    expect(lenient.outputs.result).toBe("pass");
    const warning = lenient.annotations.find(
      (a) => a.level === "warning" && a.properties.file?.endsWith("test/events/empty.json"),
    );
    expect(warning).toBeDefined();
    const strict = await runAction({
      bundleDir,
      integration: "warnings-only",
      api,
      inputs: { replay: "false", "fail-on": "warning" },
    });
    expect(strict.code).toBe(1);
    expect(strict.outputs.result).toBe("fail");
  });
});

describe("golden files", () => {
  it("a function integration without committed golden files: one warning naming them (and in the summary), the step still passes", async () => {
    const run = await runAction({ bundleDir, integration: "examples/function", api, remove: /\.golden\.json$/ });
    expect(run.code, run.stderr).toBe(0);
    const golden = run.annotations.filter((a) => a.properties.title === "devcenter: replay golden files");
    expect(golden).toHaveLength(1);
    expect(golden[0]!.level).toBe("warning");
    for (const f of ["trial-started", "identify-contact", "rejected-key", "devcenter.test-suite", "devcenter.spec"]) {
      expect(golden[0]!.message).toContain(`\`integrations/function/test/events/${f}.golden.json\``);
    }
    expect(golden[0]!.message).toContain("Run `npx devcenter replay` locally and commit them.");
    expect(run.summary).toMatch(
      /^> \[!WARNING\]\n> Replay recorded what your handlers sent, or what your webhook was sent and answered, in 5 golden files that are not in the repository: `integrations\/function\/test\/events\//,
    );
  }, 120_000);
});

describe("tokens and forks", () => {
  it("a read-only token (403 on a fork) degrades to annotations and summary without failing", async () => {
    api.answer = { status: 403, body: { message: "Resource not accessible by integration" } };
    const run = await runAction({ bundleDir, integration: "examples/webhook", api });
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe("pass");
    expect(api.requests).toHaveLength(1);
    expect(
      notices(run)
        .map((n) => n.message)
        .join("\n"),
    ).toMatch(/HTTP 403; a pull request from a fork gets a read-only token/);
    expect(run.summary).toContain("#### Replay: 🟢");
    expectNoToken(run);
  });

  it("another API failure is a warning, not a failure", async () => {
    api.answer = { status: 502, body: { message: "Bad gateway" } };
    const run = await runAction({ bundleDir, integration: "examples/webhook", api });
    expect(run.code).toBe(0);
    expect(run.annotations.find((a) => a.level === "warning")?.message).toMatch(
      /could not be created \(HTTP 502: Bad gateway\).*does not fail the step/,
    );
  });

  it("without a token there is no API call, and a notice says why", async () => {
    const run = await runAction({ bundleDir, integration: "examples/stream", api, inputs: { token: "" } });
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(0);
    expect(
      notices(run)
        .map((n) => n.message)
        .join("\n"),
    ).toContain("No token was given");
  });

  it("on a push, the check run goes on GITHUB_SHA", async () => {
    const run = await runAction({
      bundleDir,
      integration: "examples/stream",
      api,
      event: { after: MERGE_SHA },
      eventName: "push",
    });
    expect(run.code).toBe(0);
    expect(api.requests[0]!.body.head_sha).toBe(MERGE_SHA);
  });
});

describe("inputs", () => {
  it("replay: false reviews the files only, and creates no check run", async () => {
    const run = await runAction({ bundleDir, integration: "examples/webhook", api, inputs: { replay: "false" } });
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(0);
    expect(run.stdout).toContain("Replay is off");
    expect(JSON.parse(readFileSync(run.outputs.report!, "utf8")).replay).toBeUndefined();
  });

  it("volume and concurrency run the volume replay under the `policy` input: in the report, the summary and the check run", async () => {
    // A small policy (a 300-event floor) keeps the run short; the App grades against its own.
    const run = await runAction({
      bundleDir,
      integration: "examples/webhook",
      api,
      files: { "ci-policy.yml": "volume:\n  events: 300\n" },
      inputs: { volume: "300", concurrency: "4", policy: "integrations/webhook/ci-policy.yml" },
    });
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(readFileSync(run.outputs.report!, "utf8"));
    expect(json.replay.volume).toMatchObject({ events: 300, concurrency: 4, errorRate: 0, passed: true });
    expect(json.policy.volume.events).toBe(300);
    expect(run.summary).toMatch(/volume/i);
    expect(api.requests[0]!.body.output.summary).toMatch(/^Volume: 300 events at \d+ events\/s/m);
    // The check run carries what the App needs to judge the run: the policy, the timeout, the Test Suite version.
    const [data] = decodeReplayData(api.requests[0]!.body.output.text);
    expect(data!.report).toMatchObject({
      policy: { volume: { events: 300 } },
      timeoutMs: 5000,
      testSuiteVersion: "1",
      volume: { events: 300, concurrency: 4 },
    });
  });

  it("a `policy` input that cannot be used fails the step, naming the input and the problem at its line", async () => {
    const run = await runAction({
      bundleDir,
      integration: "examples/webhook",
      api,
      files: { "ci-policy.yml": "volume:\n  evnts: 300\n" },
      inputs: { policy: "integrations/webhook/ci-policy.yml" },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::The input `policy` is "integrations\/webhook\/ci-policy\.yml": that file cannot be used:%0A {2}integrations\/webhook\/ci-policy\.yml:2:3 .*Did you mean `events`\?/,
    );
  });

  it("a bad input fails the step with an error that names it", async () => {
    const run = await runAction({ bundleDir, integration: "examples/webhook", api, inputs: { replay: "maybe" } });
    expect(run.code).toBe(1);
    expect(errors(run).map((a) => a.message)).toEqual(['The input `replay` must be true or false, not "maybe".']);
    // Escaped as a whole: the message quotes the input's value, which is not ours.
    expect(run.summary).toBe(
      '### devcenter review did not run\n\n❌ The input \\`replay\\` must be true or false, not "maybe"\\.\n',
    );
    expect(run.outputs.result).toBe("fail");
  });

  it("volume: 0 turns the volume check off even when the manifest sets a bar", async () => {
    const run = await runAction({ bundleDir, integration: "examples/webhook", api, inputs: { volume: "0" } });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(run.outputs.report!, "utf8")).replay.volume).toBeUndefined();
  });

  it.each([
    ["`..`", { path: "integrations/webhook/../../.." }],
    ["an absolute path", { path: join(REPO, "examples/webhook") }],
    ["a symlink", { path: "outside" }],
  ])("a path leading outside the workspace through %s fails the step before anything runs", async (_how, inputs) => {
    const run = await runAction({
      bundleDir,
      integration: "examples/webhook",
      api,
      inputs,
      links: { outside: join(REPO, "examples/webhook") },
    });
    expect(run.code).toBe(1);
    expect(errors(run).map((a) => a.message)).toEqual([
      expect.stringMatching(
        /^The input `path` is ".*", which leads outside the workspace \(.*\); give the integration's folder relative to the repository root\.$/,
      ),
    ]);
    expect(run.stdout).not.toContain("Replay");
    expect(api.requests).toHaveLength(0);
  });

  it("a manifest input leading out of the integration's folder fails the step", async () => {
    const run = await runAction({
      bundleDir,
      integration: "examples/webhook",
      api,
      inputs: { manifest: "../../../etc/passwd" },
    });
    expect(run.code).toBe(1);
    expect(errors(run)[0]!.message).toBe(
      'The input `manifest` is "../../../etc/passwd"; it must be a file name inside `path` (no `..`, not absolute).',
    );
  });

  it("a path that is not a folder fails the step", async () => {
    const run = await runAction({
      bundleDir,
      integration: "examples/webhook",
      api,
      inputs: { path: "integrations/nothing-here" },
    });
    expect(run.code).toBe(1);
    expect(errors(run)[0]!.message).toMatch(/The input `path` is "integrations\/nothing-here", which is not a folder/);
  });
});
