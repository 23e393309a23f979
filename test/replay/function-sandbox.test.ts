// What the function worker keeps in and out: memory beyond the JavaScript heap, the host's time
// zone, network access other than fetch, secrets in encoded forms. Real worker threads running
// real handler modules written to a temporary folder; real servers on 127.0.0.1.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import type { CallType } from "../../src/core/vocabulary.js";
import {
  FunctionRunner,
  replayFunction,
  type FunctionInput,
  type FunctionRunnerOptions,
} from "../../src/replay/function.js";
import { GoldenStore } from "../../src/replay/golden.js";
import { testSuite } from "../../src/replay/test-suite.js";
import { json, startServer, type TestServer } from "./helpers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const runners: FunctionRunner[] = [];
const servers: TestServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "devcenter-sandbox-"));
  dirs.push(d);
  return d;
}
/** Writes `source` as a handler module in a fresh folder and returns its path. */
function handlerModule(source: string, name = "handlers.mjs"): string {
  const file = join(tempDir(), name);
  writeFileSync(file, source);
  return file;
}
function runner(entry: string, extra: Partial<FunctionRunnerOptions> = {}): FunctionRunner {
  const r = new FunctionRunner({ entry, timeoutMs: 5000, ...extra });
  runners.push(r);
  return r;
}
const settings = { apiKey: "k-123456" };
const suiteOf = (type: CallType, name?: string): FunctionInput => ({
  ...testSuite().find((c) => c.type === type)!,
  ...(name ? { name } : {}),
});

const execFileP = promisify(execFile);
/**
 * Runs `entry`'s onTrack once in a fresh process with `env` (TZ and the locale are read once per
 * process, and a worker shares its process's) and returns what the host itself would print, and
 * the requests replay recorded.
 */
async function recordOnHost(
  entry: string,
  env: Record<string, string>,
): Promise<{ hostHour: number; host: string; kind: string; requests: unknown }> {
  const script = join(tempDir(), "record.mts");
  const fn = new URL("../../src/replay/function.ts", import.meta.url).href;
  writeFileSync(
    script,
    `const { FunctionRunner } = await import(${JSON.stringify(fn)});
const r = new FunctionRunner({ entry: process.argv[2], timeoutMs: 10000 });
const o = await r.run("onTrack", [{ type: "track" }, {}], { answers: null, seed: "host" });
await r.close();
console.log(JSON.stringify({ hostHour: new Date(Date.UTC(2024, 0, 1, 12)).getHours(), host: (1234.5).toLocaleString(), kind: o.kind, requests: o.requests }));
`,
  );
  const { stdout } = await execFileP(process.execPath, ["--import", "tsx", script, entry], {
    cwd: root,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}

describe("the memory cap counts Buffers and ArrayBuffers, not only the JavaScript heap", () => {
  it("a handler keeping 20 × 50 MB Buffers is red at the 128 MB cap; the worker is replaced and the run goes on", async () => {
    const entry = handlerModule(`const kept = [];
export async function onTrack() {
  for (let i = 0; i < 20; i++) kept.push(Buffer.alloc(50 * 1024 * 1024));
  return kept.length;
}
export async function onIdentify() {
  return "fine";
}
`);
    const r = runner(entry);
    const inputs = [
      suiteOf("track", "0 track"),
      suiteOf("identify", "1 identify"),
      suiteOf("track", "2 track"),
      suiteOf("identify", "3 identify"),
    ];
    const cases = await replayFunction(r, { settings }, inputs, { faults: false });
    expect(cases.map((c) => [c.name, c.status])).toEqual([
      ["0 track", "fail"],
      ["1 identify", "pass"],
      ["2 track", "fail"],
      ["3 identify", "pass"],
    ]);
    expect(cases[0]!.message).toContain("used more than the 128 MB memory cap");
    expect(cases[0]!.message).toContain("MB of Buffers/ArrayBuffers");
    expect(cases[0]!.message).not.toContain("did not finish");
  });

  it("ArrayBuffers and typed arrays count too, held across events or allocated in a loop that never yields; garbage does not", async () => {
    const entry = handlerModule(`const kept = [];
export async function onTrack() {
  for (let i = 0; i < 6; i++) kept.push(new ArrayBuffer(50 * 1024 * 1024));
  return kept.length;
}
// 90 MB per event: under twice the cap (256 MB) twice, over it the third time.
export async function onIdentify() {
  kept.push(new Float64Array(90 * 128 * 1024).fill(1));
  return kept.length;
}
export async function onPage() {
  for (;;) kept.push(new Uint8Array(50 * 1024 * 1024));
}
// 500 MB allocated, none of it kept: not over the cap.
export async function onScreen() {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const b = Buffer.alloc(50 * 1024 * 1024);
    sum += b.length;
  }
  return sum;
}
export async function onGroup() {
  return "fine";
}
`);
    const r = runner(entry, { memoryMb: 128 });
    const t = (type: CallType, i: number) => suiteOf(type, `${i} ${type}`);
    const inputs = [
      t("track", 0),
      t("group", 1),
      t("screen", 2),
      t("page", 3),
      t("group", 4),
      ...[5, 6, 7, 8].map((i) => t("identify", i)),
    ];
    const cases = await replayFunction(r, { settings }, inputs, { faults: false });
    expect(
      cases.map((c) => [c.name, c.status]),
      cases.map((c) => `${c.name}: ${c.message}`).join("\n"),
    ).toEqual([
      ["0 track", "fail"],
      ["1 group", "pass"],
      ["2 screen", "pass"],
      ["3 page", "fail"],
      ["4 group", "pass"],
      ["5 identify", "pass"],
      ["6 identify", "pass"],
      ["7 identify", "fail"],
      ["8 identify", "pass"],
    ]);
    for (const i of [0, 3, 7])
      expect(cases[i]!.message).toContain(
        "128 MB memory cap allows (the heap 128 MB, the heap and Buffers/ArrayBuffers together 256 MB)",
      );
    expect(cases[2]!.message).toContain("524288000");
  });
});

describe("local time is UTC, whatever the host's time zone", () => {
  const HANDLER = `export async function onTrack() {
  const texts = ["03/12/2024 10:00", "March 12, 2024 10:00", "Mar 12 2024", "2024-03-12 10:00", "2024-03-12T10:00",
    "2024-03-12", "March 12, 2024 10:00 GMT+0900", "Tue, 12 Mar 2024 10:00:00 EST", "March 12, 2024 10:00 (a note)",
    "03/10/2024 02:30", "11/03/2024 01:30", "12-Mar-2024 10:00 pm"];
  const local = new Date(2024, 2, 12, 10, 30);
  const body = {
    parsed: texts.map((t) => [t, new Date(t).toISOString(), Date.parse(t)]),
    components: local.toISOString(),
    string: local.toString(),
    parts: [local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getMinutes(), local.getDay(), local.getTimezoneOffset()],
    setHours: new Date(new Date(0).setHours(5)).toISOString(),
    locale: local.toLocaleString("en-US"),
    intl: new Intl.DateTimeFormat("en-US", { hour: "numeric" }).format(local),
    zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  await fetch("https://api.partner.example/v1/dates", { method: "POST", body: JSON.stringify(body) });
  return "ok";
}
`;
  it("parses text without a zone and builds dates from local components the same way in Tokyo and Los Angeles", async () => {
    const entry = handlerModule(HANDLER);
    const tokyo = await recordOnHost(entry, { TZ: "Asia/Tokyo" });
    const la = await recordOnHost(entry, { TZ: "America/Los_Angeles" });
    expect(tokyo.hostHour).not.toBe(la.hostHour); // the two hosts really are in different zones
    expect(tokyo.requests).toEqual(la.requests);
    const body = (tokyo.requests as { body: Record<string, unknown> }[])[0]!.body;
    const parsed = Object.fromEntries((body.parsed as [string, string][]).map(([t, iso]) => [t, iso]));
    expect(parsed).toEqual({
      "03/12/2024 10:00": "2024-03-12T10:00:00.000Z",
      "March 12, 2024 10:00": "2024-03-12T10:00:00.000Z",
      "Mar 12 2024": "2024-03-12T00:00:00.000Z",
      "2024-03-12 10:00": "2024-03-12T10:00:00.000Z",
      "2024-03-12T10:00": "2024-03-12T10:00:00.000Z",
      "2024-03-12": "2024-03-12T00:00:00.000Z",
      // text that names its zone keeps it
      "March 12, 2024 10:00 GMT+0900": "2024-03-12T01:00:00.000Z",
      "Tue, 12 Mar 2024 10:00:00 EST": "2024-03-12T15:00:00.000Z",
      "March 12, 2024 10:00 (a note)": "2024-03-12T10:00:00.000Z",
      // an hour that does not exist, or exists twice, in Los Angeles
      "03/10/2024 02:30": "2024-03-10T02:30:00.000Z",
      "11/03/2024 01:30": "2024-11-03T01:30:00.000Z",
      "12-Mar-2024 10:00 pm": "2024-03-12T22:00:00.000Z",
    });
    expect(body).toMatchObject({
      components: "2024-03-12T10:30:00.000Z",
      string: "Tue Mar 12 2024 10:30:00 GMT+0000 (Coordinated Universal Time)",
      parts: [2024, 2, 12, 10, 30, 2, 0],
      setHours: "1970-01-01T05:00:00.000Z",
      locale: "3/12/2024, 10:30:00 AM",
      intl: "10 AM",
      zone: "UTC",
    });
  });
});

describe("the network is reached through fetch only", () => {
  async function quietServer(): Promise<TestServer> {
    const s = await startServer((_req, res) => json(res, 200, {}));
    servers.push(s);
    return s;
  }
  /** Connections refused by replay never arrive; give a stray one time to arrive anyway. */
  const settle = () => new Promise((r) => setTimeout(r, 200));

  it("node:http, https, net, a child process or a worker thread inside a handler make that event red, and nothing is sent", async () => {
    const s = await quietServer();
    const url = `http://127.0.0.1:${s.port}/direct`;
    const entry = handlerModule(`import http from "node:http";
import { request as httpsRequest } from "node:https";
import net from "node:net";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
const URL_ = ${JSON.stringify(url)};
export async function onTrack() {
  return new Promise((resolve, reject) => http.get(URL_, (res) => resolve(res.statusCode)).on("error", reject));
}
// The error is swallowed: the event is red all the same.
export async function onIdentify() {
  await new Promise((resolve) => net.connect(${s.port}, "127.0.0.1", resolve).on("error", resolve));
  return "swallowed";
}
export async function onPage() {
  httpsRequest("https://127.0.0.1:${s.port}/tls").on("error", () => {}).end();
  return "sent";
}
export async function onScreen() {
  createRequire(import.meta.url)("node:http").get(URL_ + "?via=require").on("error", () => {});
  return "fire and forget";
}
export async function onGroup() {
  try {
    execFileSync(process.execPath, ["-e", "fetch(" + JSON.stringify(URL_) + ")"]);
  } catch {}
  return "child";
}
export async function onAlias() {
  const { Worker } = await import("node:worker_threads");
  try {
    new Worker("fetch(" + JSON.stringify(URL_) + ")", { eval: true });
  } catch {}
  return "worker";
}
export async function onDelete() {
  await fetch(URL_);
  return "fetch is fine";
}
`);
    const types: CallType[] = ["track", "identify", "page", "screen", "group", "alias", "delete"];
    const cases = await replayFunction(
      runner(entry),
      { settings },
      types.map((t) => suiteOf(t)),
      { faults: false },
    );
    await settle();
    expect(s.received).toEqual([]);
    expect(cases.map((c) => [c.type, c.status])).toEqual([
      ["track", "fail"],
      ["identify", "fail"],
      ["page", "fail"],
      ["screen", "fail"],
      ["group", "fail"],
      ["alias", "fail"],
      ["delete", "pass"],
    ]);
    expect(cases[0]!.message).toContain(
      `onTrack opened a connection to 127.0.0.1:${s.port} with node:http, https, net or tls, which replay does not capture: send partner API requests with fetch`,
    );
    expect(cases[1]!.message).toContain("onIdentify opened a connection");
    expect(cases[2]!.message).toContain("onPage opened a connection");
    expect(cases[3]!.message).toContain("onScreen opened a connection");
    expect(cases[4]!.message).toContain("onGroup started a program with child_process.execFileSync");
    expect(cases[5]!.message).toContain("onAlias started a worker thread");
    expect(cases[6]!.requests).toBe(1); // answered by replay, not by the server
  });

  for (const [how, line] of [
    ["fetch", `fetch(URL_).catch(() => {});`],
    ["await fetch", `await fetch(URL_);`],
    ["node:http", `(await import("node:http")).get(URL_).on("error", () => {});`],
  ] as const) {
    it(`a request at import time (${how}) is a load error and is never sent`, async () => {
      const s = await quietServer();
      const entry = handlerModule(
        `const URL_ = "http://127.0.0.1:${s.port}/at-import";\n${line}\nexport async function onTrack() {\n  return 1;\n}\n`,
      );
      const cases = await replayFunction(runner(entry), { settings }, [suiteOf("track")], { faults: false });
      await settle();
      expect(s.received).toEqual([]);
      expect(cases).toHaveLength(1);
      expect(cases[0]).toMatchObject({ name: "Load the handler module", status: "fail" });
      expect(cases[0]!.message).toContain("could not be loaded: its top-level code");
      expect(cases[0]!.message).toMatch(
        how === "node:http"
          ? /opened a connection to 127\.0\.0\.1:\d+/
          : /sent GET http:\/\/127\.0\.0\.1:\d+\/at-import while loading/,
      );
    });
  }

  it("liveFetch (benchmarks) still lets requests reach the network, at import time too", async () => {
    const s = await quietServer();
    const entry = handlerModule(`await fetch("http://127.0.0.1:${s.port}/at-import");
export async function onTrack() {
  const res = await fetch("http://127.0.0.1:${s.port}/in-handler", { method: "POST", body: "{}" });
  return res.status;
}
`);
    const r = runner(entry, { liveFetch: true });
    const o = await r.run("onTrack", [{ type: "track" }, settings], { answers: null, seed: "live" });
    expect(o).toMatchObject({ kind: "return", value: "200" });
    expect(o.requests.map((q) => q.url)).toEqual([`http://127.0.0.1:${s.port}/in-handler`]);
    expect(s.received.map((q) => q.url)).toEqual(["/at-import", "/in-handler"]);
  });
});

describe("secrets are redacted in their encoded forms too", () => {
  it("base64, base64url and URL-encoded forms of a secret, and Basic/Bearer credentials under any header name, never reach a golden file", async () => {
    const key = "sk live/abc+123";
    const entry = handlerModule(`export async function onTrack(event, settings) {
  const key = settings.apiKey;
  const b64url = (t) => btoa(t).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  await fetch("https://api.partner.example/v1/events?auth=" + btoa(key), {
    method: "POST",
    headers: {
      "X-Auth": "Basic " + btoa(key + ":"),
      "X-Upstream": "Bearer opaque-session-abc",
      "X-Signed": "user:" + btoa("user:" + key + "!"),
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: "key=" + encodeURIComponent(key) + "&form=" + new URLSearchParams({ k: key }).toString() + "&u=" + b64url(key),
  });
  await fetch("https://api.partner.example/v1/users?token=t0&auth=" + encodeURIComponent(btoa(key)) + "&raw=" + key, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ note: "key " + key, encoded: encodeURIComponent(key), basic: btoa(":" + key), url: b64url(key + ":") }),
  });
  return "sent";
}
`);
    const dir = tempDir();
    const golden = new GoldenStore(dir, false);
    const r = runner(entry, { secrets: [{ key: "apiKey", value: key }] });
    const cases = await replayFunction(
      r,
      { settings: { apiKey: key } },
      [{ ...suiteOf("track"), golden: { file: "g.golden.json", key: "track" } }],
      { faults: false, golden },
    );
    golden.flush();
    expect(cases[0]).toMatchObject({ status: "pass", requests: 2 });
    const text = readFileSync(join(dir, "g.golden.json"), "utf8");
    const b64 = (t: string) => Buffer.from(t).toString("base64");
    const b64url = (t: string) => Buffer.from(t).toString("base64url");
    const leaks = [
      key,
      encodeURIComponent(key),
      new URLSearchParams({ k: key }).toString().slice(2),
      "sk%20live/abc+123",
      "sk+live%2Fabc+123",
      b64(key),
      b64(key).replace(/=+$/, ""),
      encodeURIComponent(b64(key)),
      b64(`${key}:`),
      b64(`:${key}`),
      b64url(key),
      b64url(`${key}:`),
      // the part of base64("user:" + key + "!") that depends on the key alone
      b64(`user:${key}!`).slice(8, 24),
      "opaque-session-abc",
    ];
    for (const leak of leaks) expect(text, `golden file holds ${leak}`).not.toContain(leak);
    const [post, put] = JSON.parse(text).track;
    expect(post.headers["x-auth"]).toBe("Basic [REDACTED]");
    expect(post.headers["x-upstream"]).toBe("Bearer [REDACTED]");
    expect(post.url).toBe("https://api.partner.example/v1/events?auth=[REDACTED:apiKey]");
    expect(post.body).toContain("key=[REDACTED:apiKey]");
    expect(put.url).toBe(
      "https://api.partner.example/v1/users?token=REDACTED&auth=[REDACTED:apiKey]&raw=[REDACTED:apiKey]",
    );
    expect(put.body).toMatchObject({
      note: "key [REDACTED:apiKey]",
      encoded: "[REDACTED:apiKey]",
      basic: "[REDACTED:apiKey]",
      url: "[REDACTED:apiKey]",
    });
  });
});

describe("work a handler leaves running", () => {
  it("a timer that throws after its handler returned is blamed on that handler, not on the event in flight", async () => {
    const entry = handlerModule(`export async function onPage() {
  setTimeout(() => { throw new Error("timer set by onPage"); }, 50);
  return "done";
}
export async function onIdentify() {
  await new Promise((r) => setTimeout(r, 300));
  return "fine";
}
`);
    const r = runner(entry);
    const cases = await replayFunction(
      r,
      { settings },
      [suiteOf("page", "0 page"), suiteOf("identify", "1 identify"), suiteOf("identify", "2 identify")],
      { faults: false },
    );
    const byName = Object.fromEntries(cases.map((c) => [c.name, c]));
    expect(byName["0 page"]!.status).toBe("pass");
    expect(byName["1 identify"]!.status).toBe("fail");
    expect(byName["1 identify"]!.message).toMatch(
      /timer set by onPage.*thrown by work onPage left running after it returned/,
    );
    expect(byName["2 identify"]!.status).toBe("pass");
    const late = cases.find((c) => c.name === "Late crash — work onPage left running")!;
    expect(late).toMatchObject({ status: "fail", group: "test-suite" });
    expect(late.message).toContain("onPage returned, but work it left running");
    expect(late.message).toContain("timer set by onPage");
  });
});

describe("a large buffer that is only a peak", () => {
  it("a 120 MB temporary buffer, dropped, does not stop the next event (V8 may keep it accounted for a while)", async () => {
    const entry = handlerModule(`export async function onTrack(event) {
  const b = new Uint8Array(new ArrayBuffer(120 * 1024 * 1024));
  return b.length;
}
export async function onIdentify() {
  return Buffer.alloc(30 * 1024 * 1024, 1).length;
}
`);
    const r = runner(entry, { memoryMb: 128 });
    const cases = await replayFunction(
      r,
      { settings },
      [suiteOf("track", "0 track"), suiteOf("identify", "1 identify"), suiteOf("identify", "2 identify")],
      { faults: false },
    );
    expect(
      cases.map((c) => [c.name, c.status]),
      cases.map((c) => `${c.name}: ${c.message}`).join("\n"),
    ).toEqual([
      ["0 track", "pass"],
      ["1 identify", "pass"],
      ["2 identify", "pass"],
    ]);
  });
});

describe("nothing of the host leaks into what a handler sends", () => {
  const HANDLER = `import { randomUUID, randomBytes, randomInt } from "node:crypto";
export async function onTrack(event, settings) {
  const d = new Date(Date.UTC(2024, 2, 12, 14));
  const form = new FormData();
  form.append("plan", "pro");
  const body = {
    uuid: randomUUID(),
    uuidGlobal: crypto.randomUUID(),
    bytes: randomBytes(8).toString("hex"),
    int: randomInt(1000),
    values: Array.from(crypto.getRandomValues(new Uint8Array(4))),
    localeEmpty: d.toLocaleString([]),
    dtfEmpty: new Intl.DateTimeFormat([]).format(d),
    number: (1234.5).toLocaleString(),
    numberFormat: new Intl.NumberFormat().format(1234.5),
    unsetZone: d.toLocaleString("en-US", { timeZone: settings.tz }),
  };
  await fetch("https://api.partner.example/v1/x", { method: "POST", body: JSON.stringify(body) });
  await fetch("https://api.partner.example/v1/form", { method: "POST", body: form });
  return "ok";
}
`;
  it("the same event sends the same requests in Tokyo with a German locale and in Los Angeles with a US one: seeded node:crypto, en-US and UTC by default, a fixed multipart boundary", async () => {
    const entry = handlerModule(HANDLER);
    const german = await recordOnHost(entry, { TZ: "Asia/Tokyo", LC_ALL: "de_DE.UTF-8", LANG: "de_DE.UTF-8" });
    const american = await recordOnHost(entry, {
      TZ: "America/Los_Angeles",
      LC_ALL: "en_US.UTF-8",
      LANG: "en_US.UTF-8",
    });
    expect(german.host).not.toBe(american.host); // the two hosts really format numbers differently
    expect(german.kind).toBe("return");
    expect(german.requests).toEqual(american.requests);
    const [json, form] = german.requests as { headers: Record<string, string>; body: unknown }[];
    expect(json!.body).toMatchObject({
      localeEmpty: "3/12/2024, 2:00:00 PM",
      dtfEmpty: "3/12/2024",
      number: "1,234.5",
      numberFormat: "1,234.5",
      unsetZone: "3/12/2024, 2:00:00 PM",
    });
    expect(form!.headers["content-type"]).toBe("multipart/form-data; boundary=----formdata-devcenter");
    expect(String(form!.body)).toContain("------formdata-devcenter");
    // Seeded by the event: a second run in the same process sends the same keys.
    const again = await recordOnHost(entry, { TZ: "UTC" });
    expect(again.requests).toEqual(german.requests);
  });
});

describe("small fidelity points", () => {
  it("a date's constructor is the fake Date (UTC, frozen clock), and fetch with an aborted signal rejects without sending", async () => {
    const entry = handlerModule(`export async function onTrack() {
  const d = new Date(0);
  const rebuilt = new d.constructor(2024, 0, 31).toISOString();
  const ac = new AbortController();
  ac.abort();
  let aborted = "no";
  try {
    await fetch("https://api.partner.example/v1/x", { method: "POST", signal: ac.signal });
  } catch (e) {
    aborted = e.name;
  }
  return [rebuilt, d.constructor === Date, aborted];
}
`);
    const r = runner(entry);
    const o = await r.run("onTrack", [{ type: "track" }, {}], { answers: null, seed: "s" });
    expect(o.kind).toBe("return");
    expect(JSON.parse(o.value as string)).toEqual(["2024-01-31T00:00:00.000Z", true, "AbortError"]);
    expect(o.requests).toEqual([]);
  });
});
