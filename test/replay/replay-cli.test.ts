// `devcenter replay` through main() with a captured CliIO, against real local servers and a real
// partner server process (the webhook example's server.js, started from the manifest).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { freePort, goodEndpoint, json, startServer, type TestServer } from "./helpers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const servers: TestServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function cli(args: string[], cwd = root, env: NodeJS.ProcessEnv = process.env) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env, isTTY: false };
  const code = await main(["replay", ...args], io);
  return { code, stdout, stderr };
}

function copyExample(name: string, edit: (yml: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), `devcenter-replay-${name}-`));
  dirs.push(dir);
  cpSync(join(root, "examples", name), dir, { recursive: true });
  const file = join(dir, "integration.yml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return dir;
}

/** A policy.yml with a small volume floor, so a volume run here takes a moment, not 10,000 events. */
function smallPolicy(events: number): string {
  const dir = mkdtempSync(join(tmpdir(), "devcenter-replay-policy-"));
  dirs.push(dir);
  writeFileSync(join(dir, "policy.yml"), `volume:\n  events: ${events}\n`);
  return join(dir, "policy.yml");
}

function expectContract(out: string) {
  const report = JSON.parse(out);
  expect(Object.keys(report.summary).sort()).toEqual(["fail", "pass", "unsupported"]);
  for (const c of report.cases) {
    expect(typeof c.name).toBe("string");
    expect(typeof c.type).toBe("string");
    expect(["pass", "unsupported", "fail"]).toContain(c.status);
    expect(typeof c.durationMs).toBe("number");
    expect(typeof c.message).toBe("string");
    expect(c).toHaveProperty("httpStatus");
    expect(c.httpStatus === null || typeof c.httpStatus === "number").toBe(true);
  }
  return report;
}

describe("devcenter replay --url", () => {
  it("JSON contract, probes as cases, exit 0 on a good endpoint", async () => {
    const s = await startServer(goodEndpoint);
    servers.push(s);
    const r = await cli(["--url", s.url, "--api-key", "segment", "--settings", '{"region":"eu"}', "--format", "json"]);
    expect(r.code).toBe(0);
    const report = expectContract(r.stdout);
    expect(report.volume).toBeUndefined();
    expect(report.cases.filter((c: { type: string }) => c.type === "probe")).toHaveLength(4);
    expect(report.summary.fail).toBe(0);
    const settings = JSON.parse(Buffer.from(String(s.received[0]!.headers["x-segment-settings"]), "base64").toString());
    expect(settings).toEqual({ region: "eu" });
  });

  it("with --volume: a volume object; exit 1 when a case fails", async () => {
    const s = await startServer(goodEndpoint);
    servers.push(s);
    const ok = await cli([
      "--url",
      s.url,
      "--api-key",
      "segment",
      "--volume",
      "200",
      "--concurrency",
      "5",
      "--format",
      "json",
      "--policy",
      smallPolicy(200),
    ]);
    const report = expectContract(ok.stdout);
    expect(Object.keys(report.volume)).toEqual(
      expect.arrayContaining(["events", "eventsPerSecond", "p50Ms", "p95Ms", "p99Ms", "errorRate"]),
    );
    expect(report.volume).toMatchObject({ events: 200, concurrency: 5 });
    // The run says which policy it was made under, and what it used.
    expect(report.policy.volume.events).toBe(200);
    expect(report).toMatchObject({ timeoutMs: 5000, testSuiteVersion: "1" });
    // Fewer events than the platform's floor are not run: the floor is, and a warning says so.
    const fewer = await cli([
      "--url",
      s.url,
      "--api-key",
      "segment",
      "--volume",
      "10",
      "--format",
      "json",
      "--policy",
      smallPolicy(30),
    ]);
    expect(JSON.parse(fewer.stdout).volume.events).toBe(30);
    expect(fewer.stderr).toContain(
      "warning: --volume 10 is below the platform's volume floor, so replay sends 30 events (the platform's value)",
    );
    const bad = await startServer((_req, res) => json(res, 500, { message: "broken" }));
    servers.push(bad);
    const r = await cli(["--url", bad.url, "--api-key", "segment", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).cases[0].message).toContain("broken");
  });

  it("text and markdown formats", async () => {
    const s = await startServer(goodEndpoint);
    servers.push(s);
    const text = await cli(["--url", s.url, "--api-key", "segment"]);
    expect(text.stdout).toContain("✓ pass");
    expect(text.stdout).toContain("~ unsupported");
    expect(text.stdout).not.toContain("\x1b["); // no colour off a terminal
    expect(text.stdout).toMatch(/Replay passed: \d+ green, \d+ yellow/);
    const md = await cli(["--url", s.url, "--api-key", "segment", "--format", "markdown"]);
    expect(md.stdout).toContain("| | Case | Type | HTTP | Time | Message |");
  });

  it("usage errors exit 2", async () => {
    expect((await cli(["--url", "http://127.0.0.1:1/"])).code).toBe(2);
    expect((await cli(["--api-key", "k"])).code).toBe(2);
    expect((await cli(["--url", "http://127.0.0.1:1/", "--api-key", "k", "--settings", "[1]"])).code).toBe(2);
    expect((await cli(["--url", "http://127.0.0.1:1/", "--api-key", "k", "--concurrency", "3"])).code).toBe(2);
    expect((await cli(["--url", "http://127.0.0.1:1/", "--api-key", "k", "--volume", "zero"])).code).toBe(2);
    expect((await cli(["--url", "mailto:x", "--api-key", "k"])).code).toBe(2);
    expect((await cli(["--format", "xml"])).code).toBe(2);
    const none = await cli([mkdtempSync(join(tmpdir(), "devcenter-empty-"))]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("integration.yml");
  });
});

describe("devcenter replay [dir]", () => {
  it("starts the partner's server from the manifest, replays, stops it; exit 0", async () => {
    const port = await freePort();
    const dir = copyExample("webhook", (y) => y.replaceAll("8787", String(port)));
    const r = await cli([dir, "--format", "json"], root, { ...process.env, PORT: String(port) });
    expect(r.stderr).toBe("");
    const report = expectContract(r.stdout);
    expect(r.code).toBe(0);
    expect(report.summary.fail).toBe(0);
    // A fixture's case names its file (relative to the integration's folder) and its event's line.
    expect(report.cases.find((c: { name: string }) => c.name === "order-completed")).toMatchObject({
      file: "test/events/order-completed.json",
      line: 1,
    });
    // the server was stopped: nothing listens any more
    const again = await fetch(`http://127.0.0.1:${port}/health`).then(
      () => "up",
      () => "down",
    );
    expect(again).toBe("down");
  });

  it("a server that never starts is one red case and exit 1", async () => {
    const port = await freePort();
    const dir = copyExample("webhook", (y) =>
      y
        .replaceAll("8787", String(port))
        .replace("start: node server.js", `start: node -e "console.error('cannot bind'); process.exit(4)"`),
    );
    const r = await cli([dir, "--format", "json"]);
    expect(r.code).toBe(1);
    const report = expectContract(r.stdout);
    expect(report.cases).toHaveLength(1);
    expect(report.cases[0].message).toContain("exited with code 4");
    expect(report.cases[0].message).toContain("cannot bind");
  });

  it("a server that crashes at start: the message keeps the error line above the stack frames", async () => {
    const port = await freePort();
    const dir = copyExample("webhook", (y) =>
      y.replaceAll("8787", String(port)).replace("start: node server.js", "start: node crashes.mjs"),
    );
    writeFileSync(
      join(dir, "crashes.mjs"),
      `import express from "devcenter-no-such-package";\nexpress().listen(${port});\n`,
    );
    const r = await cli([dir, "--format", "json"]);
    expect(r.code).toBe(1);
    const [c] = expectContract(r.stdout).cases;
    expect(c.message).toContain("exited with code 1 before it was ready");
    expect(c.message).toContain("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'devcenter-no-such-package'");
  });

  it("with --volume, a server that never starts still reports the volume object, not met", async () => {
    const port = await freePort();
    const dir = copyExample("webhook", (y) =>
      y.replaceAll("8787", String(port)).replace("start: node server.js", `start: node -e "process.exit(4)"`),
    );
    const r = await cli([dir, "--format", "json", "--volume", "100"]);
    expect(r.code).toBe(1);
    const report = expectContract(r.stdout);
    expect(report.volume).toMatchObject({ events: 0, eventsPerSecond: 0, passed: false });
    expect(report.cases[0].httpStatus).toBeNull();
  });

  it("a volume bar the endpoint cannot meet: no red delivery, still exit 1", async () => {
    const port = await freePort();
    const dir = copyExample("webhook", (y) =>
      y
        .replaceAll("8787", String(port))
        .replace(/volume: \{\}[^\n]*\n/, "volume:\n      minEventsPerSecond: 100000000\n"),
    );
    const r = await cli(
      [dir, "--format", "json", "--volume", "50", "--concurrency", "5", "--policy", smallPolicy(50)],
      root,
      { ...process.env, PORT: String(port) },
    );
    const report = expectContract(r.stdout);
    expect(
      report.cases.filter((c: { status: string; group: string }) => c.status === "fail" && c.group !== "volume"),
    ).toEqual([]);
    expect(report.volume).toMatchObject({ events: 50, errorRate: 0, minEventsPerSecond: 100000000, passed: false });
    expect(r.code).toBe(1);
  });

  it("a started server that dies mid-run: the cases after it are one red case with the count, with its last output (issue 14)", async () => {
    const port = await freePort();
    const dir = copyExample("webhook", (y) =>
      y.replaceAll("8787", String(port)).replace("start: node server.js", "start: node dies.cjs"),
    );
    writeFileSync(
      join(dir, "dies.cjs"),
      `const http = require("node:http");
let n = 0;
http.createServer((req, res) => {
  if (req.url === "/health") return res.end("ok");
  n++;
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end("{}");
  if (n === 3) { console.error("acme: lost the database connection"); process.exit(9); }
}).listen(${port}, "127.0.0.1");
`,
    );
    const r = await cli([dir, "--format", "json", "--timeout", "1000"]);
    expect(r.code).toBe(1);
    const report = expectContract(r.stdout);
    const cases = report.cases as {
      name: string;
      status: string;
      message: string;
      group: string;
      file?: string;
      line?: number;
    }[];
    expect(cases.slice(0, 3).every((c) => c.status === "pass")).toBe(true);
    // Before issue 14 every later case was red with the same words; now one case says it, with the
    // count. (The fourth delivery may meet the dying program — a closed connection, red on its own —
    // or nothing listening already.)
    const rest = cases.slice(3).filter((c) => c.group !== "volume");
    expect(rest.length === 1 || rest.length === 2).toBe(true);
    const stopped = rest.at(-1)!;
    expect(stopped).toMatchObject({ name: "Webhook URL", status: "fail", file: "integration.yml" });
    expect(stopped.message).toMatch(
      /The endpoint stopped answering after [34] of (\d+) cases: from ".*" on, none of the \d+ remaining cases nor the probes could be sent/,
    );
    const words = rest.map((c) => c.message).join("\n");
    expect(words).toContain("exited with code 9");
    expect(words.match(/lost the database connection/g)).toHaveLength(1);
  });

  it("nothing listening at webhook.url: said once, with the count, at webhook.url's line (issue 14)", async () => {
    const port = await freePort();
    const dir = copyExample("webhook", (y) =>
      y
        .replaceAll("8787", String(port))
        .replace(/^ +start: node server\.js\n/m, "")
        .replace(/^ +ready: .*\n/m, ""),
    );
    const r = await cli([dir]);
    expect(r.code).toBe(1);
    const line =
      readFileSync(join(dir, "integration.yml"), "utf8")
        .split("\n")
        .findIndex((l) => l.includes(`url: http://127.0.0.1:${port}/segment`)) + 1;
    expect(r.stdout.match(/connection refused/g)).toHaveLength(1);
    expect(r.stdout).toContain(`Webhook URL`);
    expect(r.stdout).toContain(`integration.yml:${line}`);
    expect(r.stdout).toMatch(/None of the \d+ cases nor the probes could be sent/);
  });

  it("a server that crashes while handling a request: its last output is with the red case (issue 14)", async () => {
    const port = await freePort();
    const dir = copyExample("webhook", (y) =>
      y.replaceAll("8787", String(port)).replace("start: node server.js", "start: node crash.cjs"),
    );
    writeFileSync(
      join(dir, "crash.cjs"),
      `require("node:http").createServer((req, res) => {
  if (req.url === "/health") return res.end("ok");
  console.error("acme: TypeError: cannot read properties of undefined (reading 'email')");
  process.exit(3);
}).listen(${port}, "127.0.0.1");
`,
    );
    const report = JSON.parse((await cli([dir, "--format", "json", "--only", "identify"])).stdout);
    const first = report.cases[0];
    expect(first.status).toBe("fail");
    expect(first.message).toContain("exited with code 3");
    expect(first.message).toContain("reading 'email'");
    // The whole run: the red case with the program's last output, then the rest as one cause with
    // the count (connection refused: it died), the output not repeated.
    const all = JSON.parse((await cli([dir, "--format", "json", "--no-volume"])).stdout);
    const text = JSON.stringify(all.cases.map((c: { message: string }) => c.message));
    expect(text.match(/reading 'email'/g)).toHaveLength(1);
    expect(all.cases).toHaveLength(2);
    expect(all.cases[0]).toMatchObject({ status: "fail", httpStatus: null });
    expect(all.cases[0].message).toContain(
      "The connection was closed without an answer (connection reset). The endpoint's program (`node crash.cjs`) exited with code 3 during replay",
    );
    expect(all.cases[1]).toMatchObject({ name: "Webhook URL", status: "fail" });
    expect(all.cases[1].message).toMatch(
      /^Nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)\. The endpoint stopped answering after 1 of \d+ cases: from ".*" on, none of the \d+ remaining cases nor the probes could be sent: each needs the endpoint\./,
    );
    expect(all.cases[1].message).toContain("its last output is with the first red case above");
  });

  it("a webhook integration: golden files of what was sent and the status that came back — compared, red on a change, --update, recorded when missing (issue 14)", async () => {
    const port = await freePort();
    const at = (y: string) =>
      y.replaceAll("8787", String(port)).replace("start: node server.js", `start: PORT=${port} node server.js`);
    const dir = copyExample("webhook", at);
    const suiteFile = join(dir, "test/events/devcenter.test-suite.golden.json");
    // The example commits its golden files: a run compares and writes nothing.
    const first = expectContract((await cli([dir, "--format", "json", "--no-volume"])).stdout);
    expect(first.summary.fail).toBe(0);
    expect(first.cases.filter((c: { golden?: unknown }) => c.golden)).toEqual([]);
    expect(JSON.parse(readFileSync(suiteFile, "utf8"))["Track — user signs up"][0]).toMatchObject({
      method: "POST",
      url: "/segment",
      status: 200,
      settings: { region: "eu" },
      headers: { Authorization: "Basic [redacted]" },
    });

    // The endpoint now answers 202 where it answered 200: still green to the platform, but not what the golden file holds.
    writeFileSync(
      join(dir, "server.js"),
      readFileSync(join(dir, "server.js"), "utf8").replace(
        "return reply(res, 200);\n  });",
        "return reply(res, 202);\n  });",
      ),
    );
    const changed = await cli([dir, "--format", "json", "--no-volume", "--only", "track"]);
    expect(changed.code).toBe(1);
    const red = JSON.parse(changed.stdout).cases.find((c: { name: string }) => c.name === "Track — user signs up");
    expect(red.status).toBe("fail");
    expect(red.message).toContain(
      "What was sent or the status that came back differs from test/events/devcenter.test-suite.golden.json: request 1 (POST /segment): status: golden 200, now 202. Run with --update if the change is intended.",
    );

    // --update rewrites the entries that differ (with --only, the other entries stay).
    const updated = await cli([dir, "--format", "json", "--no-volume", "--only", "track", "--update"]);
    expect(updated.code).toBe(0);
    expect(
      JSON.parse(updated.stdout).cases.find((c: { name: string }) => c.name === "Track — user signs up").golden,
    ).toEqual({ file: "test/events/devcenter.test-suite.golden.json", status: "updated" });
    const rewritten = JSON.parse(readFileSync(suiteFile, "utf8"));
    expect(rewritten["Track — user signs up"][0].status).toBe(202);
    expect(rewritten["Identify — anonymous user"]).toBeDefined();

    // Without golden files, the first run records them and says so; nothing secret is in them.
    for (const f of readdirSync(join(dir, "test/events")))
      if (f.endsWith(".golden.json")) rmSync(join(dir, "test/events", f));
    const fresh = expectContract((await cli([dir, "--format", "json", "--no-volume"])).stdout);
    const created = fresh.cases.filter((c: { golden?: { status: string } }) => c.golden?.status === "created");
    expect(created.length).toBeGreaterThan(10);
    expect(created.find((c: { name: string }) => c.name === "order-completed")).toMatchObject({
      golden: { file: "test/events/order-completed.golden.json" },
    });
    expect(fresh.cases.find((c: { name: string }) => c.name === "Probe — a wrong API key is refused").golden).toEqual({
      file: "test/events/devcenter.probe.golden.json",
      status: "created",
    });
    expect(readFileSync(join(dir, "test/events/devcenter.probe.golden.json"), "utf8")).not.toContain("local-test-key");
    expect(
      readdirSync(join(dir, "test/events"))
        .filter((f) => f.endsWith(".golden.json"))
        .sort(),
    ).toEqual([
      "devcenter.probe.golden.json",
      "devcenter.spec.golden.json",
      "devcenter.test-suite.golden.json",
      "order-completed.golden.json",
      "report-exported.golden.json",
      "screen-unsupported.golden.json",
    ]);
  });

  it("a missing CI secret is a clear red case", async () => {
    const dir = copyExample("webhook", (y) =>
      y.replace("apiKey: local-test-key", "apiKey: { env: DEVCENTER_TEST_MISSING_KEY }"),
    );
    const env = { ...process.env };
    delete env.DEVCENTER_TEST_MISSING_KEY;
    const r = await cli([dir, "--format", "json"], root, env);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).cases[0].message).toContain("DEVCENTER_TEST_MISSING_KEY, which is not set");
  });

  it("a function integration: golden files next to the fixtures, then --update", async () => {
    const dir = copyExample("function", (y) => y);
    const first = await cli([dir, "--format", "json", "--timeout", "300"]);
    const report = expectContract(first.stdout);
    expect(report.cases.some((c: { group: string }) => c.group === "fault")).toBe(true);
    const golden = JSON.parse(readFileSync(join(dir, "test/events/trial-started.golden.json"), "utf8"));
    expect(golden["trial-started"][0].url).toBe("https://api.beacon.example/v1/activities");
    expect(JSON.stringify(golden)).not.toContain("test-api-key");
    expect(readFileSync(join(dir, "test/events/devcenter.test-suite.golden.json"), "utf8")).toContain(
      "Track — user signs up",
    );
    const second = await cli([dir, "--format", "json", "--timeout", "300", "--update"]);
    expect(JSON.parse(second.stdout).summary).toEqual(report.summary);
  });

  it("a function integration without its golden files: the cases that created them say so, with their fixture's file and line", async () => {
    const dir = copyExample("function", (y) => y);
    for (const f of readdirSync(join(dir, "test/events")))
      if (f.endsWith(".golden.json")) rmSync(join(dir, "test/events", f));
    const trial = JSON.parse(readFileSync(join(dir, "test/events/trial-started.json"), "utf8"));
    const line = (n: number) =>
      JSON.stringify({ ...trial, name: `more-${n}`, message: { ...trial.message, messageId: `more-${n}` } });
    writeFileSync(join(dir, "test/events/more.ndjson"), `${line(1)}\n\n${line(2)}\n`);
    writeFileSync(join(dir, "test/events/list.json"), `[\n  ${line(3)},\n\n  ${line(4)}\n]\n`);
    const first = expectContract((await cli([dir, "--format", "json", "--timeout", "2000"])).stdout);
    type Case = {
      name: string;
      group?: string;
      file?: string;
      line?: number;
      golden?: { file: string; status: string };
      message: string;
    };
    const byName = (r: { cases: Case[] }, name: string) => r.cases.find((c) => c.name === name)!;
    expect(byName(first, "more-1")).toMatchObject({
      file: "test/events/more.ndjson",
      line: 1,
      golden: { file: "test/events/more.golden.json", status: "created" },
    });
    expect(byName(first, "more-2")).toMatchObject({ file: "test/events/more.ndjson", line: 3 });
    expect(byName(first, "more-3")).toMatchObject({ file: "test/events/list.json", line: 2 });
    expect(byName(first, "more-4")).toMatchObject({ file: "test/events/list.json", line: 4 });
    expect(byName(first, "trial-started")).toMatchObject({
      file: "test/events/trial-started.json",
      line: 1,
      golden: { file: "test/events/trial-started.golden.json", status: "created" },
    });
    // In the CLI a first recording is normal: a note in the message, not a red case.
    expect(byName(first, "trial-started").message).toContain(
      "Recorded 1 request(s) in test/events/trial-started.golden.json.",
    );
    const created = new Set(first.cases.flatMap((c: Case) => (c.golden ? [c.golden.file] : [])));
    expect([...created].sort()).toEqual([
      "test/events/devcenter.spec.golden.json",
      "test/events/devcenter.test-suite.golden.json",
      "test/events/identify-contact.golden.json",
      "test/events/list.golden.json",
      "test/events/more.golden.json",
      "test/events/rejected-key.golden.json",
      "test/events/trial-started.golden.json",
    ]);
    const second = expectContract((await cli([dir, "--format", "json", "--timeout", "2000"])).stdout);
    expect(second.cases.filter((c: Case) => c.golden)).toEqual([]);
    expect(second.summary).toEqual(first.summary);
  });
});

describe("a port already in use", () => {
  it("refuses to replay when something else already listens where the manifest's server would", async () => {
    const { createServer } = await import("node:http");
    const stale = createServer((_req, res) => res.end("{}"));
    await new Promise<void>((r) => stale.listen(0, "127.0.0.1", r));
    const port = (stale.address() as { port: number }).port;
    try {
      const dir = copyExample("webhook", (y) => y.replaceAll("8787", String(port)));
      const r = await cli([dir, "--format", "json"], root, { ...process.env, PORT: String(port) });
      const report = expectContract(r.stdout);
      expect(r.code).toBe(1);
      expect(report.cases).toHaveLength(1);
      expect(report.cases[0].message).toContain(`Something is already listening at 127.0.0.1:${port}`);
    } finally {
      stale.close();
    }
  });
});
