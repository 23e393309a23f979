// Function replay: real worker threads running handler modules from test/fixtures/replay/functions.
// The partner's own API is never reached: the worker's injected fetch answers from declared answers.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { FunctionRunner, replayFunction, syntaxErrorLocation, type FunctionInput } from "../../src/replay/function.js";
import { firstDifference, GoldenStore } from "../../src/replay/golden.js";
import { testSuite } from "../../src/replay/test-suite.js";
import type { CallType } from "../../src/core/vocabulary.js";

const dir = fileURLToPath(new URL("../fixtures/replay/functions/", import.meta.url));
const runners: FunctionRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.close()));
});
function runner(file: string, extra: Partial<ConstructorParameters<typeof FunctionRunner>[0]> = {}): FunctionRunner {
  const r = new FunctionRunner({
    entry: join(dir, file),
    timeoutMs: 300,
    secrets: [{ key: "apiKey", value: "sk_live_abc123" }],
    ...extra,
  });
  runners.push(r);
  return r;
}
const settings = { apiKey: "sk_live_abc123", region: "eu" };
const suiteOf = (type: CallType): FunctionInput => ({ ...testSuite().find((c) => c.type === type)! });

describe("grading handler outcomes", () => {
  it("return green, missing handler and EventNotSupported yellow, other throws red", async () => {
    const cases = await replayFunction(runner("good.mjs"), { settings }, testSuite(), { faults: false });
    const by = (name: string) => cases.find((c) => c.name === name)!;
    expect(by("Track — user signs up")).toMatchObject({ status: "pass", requests: 2 });
    expect(by("Identify — anonymous user")).toMatchObject({ status: "pass" });
    expect(by("Group — user joins an account")).toMatchObject({ status: "unsupported" });
    expect(by("Group — user joins an account").message).toContain("EventNotSupported");
    expect(by("Page — anonymous user visits the home page")).toMatchObject({ status: "fail", retryable: false });
    expect(by("Page — anonymous user visits the home page").message).toContain("ValidationError");
    expect(by("Screen — user opens the mobile app")).toMatchObject({ status: "unsupported" });
    expect(by("Screen — user opens the mobile app").message).toContain("no onScreen handler");
    // onBatch is exported: one batch case
    expect(cases.find((c) => c.type === "batch")).toMatchObject({ status: "pass" });
  });

  it("loads the platform's script style (top-level functions, no exports)", async () => {
    const cases = await replayFunction(runner("segment-style.js"), { settings }, [suiteOf("track")], { faults: false });
    expect(cases[0]).toMatchObject({ status: "pass", requests: 1 });
  });

  it("answers from partnerApi in order; an undeclared or different request fails the case", async () => {
    const r = runner("good.mjs");
    const track = suiteOf("track");
    const ok = await replayFunction(
      r,
      { settings },
      [
        {
          ...track,
          group: "fixture",
          answers: [
            { method: "POST", url: "https://api.partner.example/v1/events", status: 202 },
            {
              method: "GET",
              url: `https://api.partner.example/v1/users/user-019mr8mf4r?token=sk_live_abc123&expand=1`,
              status: 200,
              body: { id: 1 },
            },
          ],
        },
      ],
      { faults: false },
    );
    expect(ok[0]).toMatchObject({ status: "pass" });
    expect(ok[0]!.message).toContain('"status":202');
    const extra = await replayFunction(
      r,
      { settings },
      [
        {
          ...track,
          group: "fixture",
          answers: [{ method: "POST", url: "https://api.partner.example/v1/events", status: 200 }],
        },
      ],
      { faults: false },
    );
    expect(extra[0]!.status).toBe("fail");
    expect(extra[0]!.message).toContain("not declared in partnerApi");
    const wrong = await replayFunction(
      r,
      { settings },
      [{ ...track, group: "fixture", answers: [{ method: "POST", url: "https://other.example/", status: 200 }] }],
      { faults: false },
    );
    expect(wrong[0]!.status).toBe("fail");
    expect(wrong[0]!.message).toContain("declares POST https://other.example/");
    // a fixture that expects failure passes when the handler throws
    const expected = await replayFunction(
      r,
      { settings },
      [
        {
          ...track,
          group: "fixture",
          expect: "fail",
          answers: [{ method: "POST", url: "https://api.partner.example/v1/events", status: 500 }],
        },
      ],
      { faults: false },
    );
    expect(expected[0]!.status).toBe("pass");
  });
});

describe("lodash as the global _", () => {
  // A handler written for the platform uses `_` without importing it. Replay takes lodash from the
  // partner's project (here a stand-in package in a temporary node_modules, so the test does not
  // depend on lodash being installed), resolved from the handler's folder.
  const HANDLER = `export async function onTrack(event) {
  const plan = _.get(event, "properties.plan", "none");
  await fetch("https://api.partner.example/v1/plans", { method: "POST", body: JSON.stringify({ plan }) });
  return plan;
}
`;
  const tmp: string[] = [];
  afterEach(() => {
    for (const t of tmp.splice(0)) rmSync(t, { recursive: true, force: true });
  });
  function project(withLodash: boolean): string {
    const root = mkdtempSync(join(tmpdir(), "devcenter-lodash-"));
    tmp.push(root);
    mkdirSync(join(root, "src"));
    writeFileSync(join(root, "src/handlers.mjs"), HANDLER);
    if (withLodash) {
      mkdirSync(join(root, "node_modules/lodash"), { recursive: true });
      writeFileSync(
        join(root, "node_modules/lodash/package.json"),
        JSON.stringify({ name: "lodash", version: "4.17.21", main: "lodash.js" }),
      );
      writeFileSync(
        join(root, "node_modules/lodash/lodash.js"),
        "module.exports = { VERSION: '4.17.21', get: (o, p, d) => { const v = p.split('.').reduce((a, k) => (a == null ? a : a[k]), o); return v === undefined ? d : v; } };\n",
      );
    }
    return join(root, "src/handlers.mjs");
  }

  it("is the partner project's lodash, found from the handler's folder", async () => {
    const r = new FunctionRunner({ entry: project(true), timeoutMs: 2000 });
    runners.push(r);
    const cases = await replayFunction(r, { settings }, [suiteOf("track")], { faults: false });
    expect(cases[0]).toMatchObject({ status: "pass", requests: 1 });
    expect(cases[0]!.message).toContain('returned "team"');
  });

  it("without lodash in the project, a red case that says how to add it", async () => {
    const r = new FunctionRunner({ entry: project(false), timeoutMs: 2000 });
    runners.push(r);
    const cases = await replayFunction(r, { settings }, [suiteOf("track")], { faults: false });
    expect(cases[0]!.status).toBe("fail");
    expect(cases[0]!.message).toContain("npm install --save-dev lodash@4");
  });
});

describe("modules that misbehave become red cases and the run goes on", () => {
  it("a module that does not load", async () => {
    const cases = await replayFunction(runner("syntax-error.mjs"), { settings }, [
      suiteOf("track"),
      suiteOf("identify"),
    ]);
    // Said once, not once per message.
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      name: "Load the handler module",
      status: "fail",
      file: "syntax-error.mjs",
      line: 1,
    });
    // Where the error is, then one line saying what it meant: no stack of Node's internals, no blank lines.
    expect(cases[0]!.message).toBe(
      "syntax-error.mjs could not be loaded: SyntaxError: Unexpected token '{' at syntax-error.mjs:1:37\nNo handler could run, so no message was sent.",
    );
  });

  it("a module whose top-level code never finishes", async () => {
    const cases = await replayFunction(runner("top-level-loop.mjs", { loadTimeoutMs: 300 }), { settings }, [
      suiteOf("track"),
      suiteOf("identify"),
    ]);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.status).toBe("fail");
    expect(cases[0]!.message).toContain("did not finish loading within 300 ms");
  });

  it("loops forever, allocates without bound, calls process.exit, throws from a timer, never settles", async () => {
    // Reaching a 32 MB cap takes a worker about 300 ms on an idle machine (longer when the
    // machine is busy): the deadline must be well above that, or the memory case is a timeout.
    const r = runner("misbehaving.mjs", { memoryMb: 32, timeoutMs: 2000 });
    const inputs = (
      ["track", "identify", "page", "identify", "screen", "identify", "group", "alias", "identify"] as CallType[]
    ).map((t, i) => ({ ...suiteOf(t), name: `${i} ${t}` }));
    const cases = await replayFunction(r, { settings }, inputs, { faults: false });
    const status = cases.map((c) => [c.name, c.status]);
    expect(status).toEqual([
      ["0 track", "fail"],
      ["1 identify", "pass"],
      ["2 page", "fail"],
      ["3 identify", "pass"],
      ["4 screen", "fail"],
      ["5 identify", "pass"],
      ["6 group", "fail"],
      ["7 alias", "fail"],
      ["8 identify", "pass"],
    ]);
    expect(cases[0]!.message).toContain("did not finish within 2000 ms");
    expect(cases[0]!.retryable).toBe(true);
    expect(cases[2]!.message).toContain("32 MB memory cap");
    expect(cases[4]!.message).toContain("process.exit(3)");
    expect(cases[6]!.message).toContain("thrown from a timer");
    expect(cases[7]!.message).toContain("did not finish");
  });
});

describe("fault replay", () => {
  it("a handler that signals retries passes every fault", async () => {
    const cases = await replayFunction(runner("segment-style.js"), { settings }, [suiteOf("track")]);
    const faults = cases.filter((c) => c.group === "fault");
    expect(faults.map((c) => c.name.replace(/ \(.*$/, ""))).toEqual([
      "Fault — partner API answers 500",
      "Fault — partner API answers 503",
      "Fault — partner API answers 429",
      "Fault — partner API times out",
      "Fault — partner API resets the connection",
      "Fault — partner API answers 400",
      "Fault — partner API answers 401",
    ]);
    expect(
      faults.every((c) => c.status === "pass"),
      JSON.stringify(faults, null, 1),
    ).toBe(true);
  });

  it("a handler that swallows failures fails the retryable faults; one that always retries fails 400 and 401", async () => {
    const swallow = (await replayFunction(runner("swallow.mjs"), { settings }, [suiteOf("track")])).filter(
      (c) => c.group === "fault",
    );
    expect(swallow.map((c) => c.status)).toEqual(["fail", "fail", "fail", "pass", "fail", "pass", "pass"]);
    expect(swallow[0]!.message).toContain("the event is lost");
    const always = (await replayFunction(runner("retry-everything.mjs"), { settings }, [suiteOf("track")])).filter(
      (c) => c.group === "fault",
    );
    expect(always.map((c) => c.status)).toEqual(["pass", "pass", "pass", "pass", "pass", "fail", "fail"]);
    expect(always[5]!.message).toContain("a retry cannot fix");
  });
});

describe("golden files", () => {
  const tmp: string[] = [];
  afterEach(() => {
    for (const t of tmp.splice(0)) rmSync(t, { recursive: true, force: true });
  });

  async function record(root: string, update: boolean, input: FunctionInput) {
    const golden = new GoldenStore(root, update);
    const cases = await replayFunction(
      runner("good.mjs"),
      { settings },
      [{ ...input, golden: { file: "events/track.golden.json", key: input.name } }],
      { faults: false, golden },
    );
    golden.flush();
    return cases[0]!;
  }

  it("creates, compares, fails on a difference, and --update rewrites; secrets are redacted", async () => {
    const root = mkdtempSync(join(tmpdir(), "devcenter-golden-"));
    tmp.push(root);
    const track = suiteOf("track");
    const first = await record(root, false, track);
    expect(first.status).toBe("pass");
    expect(first.message).toContain("Recorded 2 request(s) in events/track.golden.json");
    const text = readFileSync(join(root, "events/track.golden.json"), "utf8");
    expect(text).not.toContain("sk_live_abc123");
    const file = JSON.parse(text);
    const [post, get] = file[track.name];
    expect(post.headers.authorization).toBe("[REDACTED]");
    expect(post.headers["x-api-key"]).toBe("[REDACTED]");
    expect(post.headers["x-region"]).toBe("eu");
    expect(post.body.api_key).toBe("[REDACTED]");
    expect(post.body.dedupe_key).toBe(track.message.messageId);
    expect(post.body.note).toBe("key is [REDACTED:apiKey]");
    expect(post.body.sent_at).toBe(track.message.timestamp);
    expect(get.url).toBe("https://api.partner.example/v1/users/user-019mr8mf4r?token=REDACTED&expand=1");

    expect((await record(root, false, track)).status).toBe("pass");
    const changed = { ...track, message: { ...track.message, event: "Account Created" } };
    const differs = await record(root, false, changed);
    expect(differs.status).toBe("fail");
    expect(differs.message).toContain('body.name: golden "Signed Up", now "Account Created"');
    expect(JSON.parse(readFileSync(join(root, "events/track.golden.json"), "utf8"))[track.name][0].body.name).toBe(
      "Signed Up",
    );
    const updated = await record(root, true, changed);
    expect(updated.status).toBe("pass");
    expect(updated.message).toContain("Updated events/track.golden.json");
    expect((await record(root, false, changed)).status).toBe("pass");
  });

  it("compares every request, not only the first: a change in the second, a missing one and an extra one all differ", () => {
    const a = {
      method: "POST",
      url: "https://api.partner.example/v1/events",
      headers: { "content-type": "application/json" },
      body: { n: 1 },
    };
    const b = { method: "GET", url: "https://api.partner.example/v1/users/1", headers: {} };
    expect(firstDifference([a, b], [a, b])).toBeUndefined();
    expect(firstDifference([a, b], [a, { ...b, url: "https://api.partner.example/v1/users/2" }])).toMatch(
      /^request 2 .*url: golden "https:\/\/api.partner.example\/v1\/users\/1"/,
    );
    expect(firstDifference([a, b], [a])).toMatch(/^request 2 \(GET .*\) was not sent/);
    expect(firstDifference([a, b], [a, b, a])).toMatch(/^request 3 \(POST .*\) is new/);
    expect(firstDifference([a, b], [a, { ...b, headers: { "x-region": "eu" } }])).toContain("headers.x-region");
  });

  it("recordings do not depend on the time zone or the clock", async () => {
    const root = mkdtempSync(join(tmpdir(), "devcenter-golden-tz-"));
    tmp.push(root);
    const saved = process.env.TZ;
    const runIn = async (tz: string) => {
      process.env.TZ = tz;
      const localHour = new Date(Date.UTC(2024, 0, 1, 12)).getHours();
      const golden = new GoldenStore(root, false);
      const r = new FunctionRunner({
        entry: join(dir, "good.mjs"),
        timeoutMs: 2000,
        secrets: [{ key: "apiKey", value: "sk_live_abc123" }],
      });
      runners.push(r);
      const cases = await replayFunction(
        r,
        { settings },
        [{ ...suiteOf("track"), golden: { file: "tz.golden.json", key: "track" } }],
        { faults: false, golden },
      );
      golden.flush();
      return { localHour, status: cases[0]!.status, message: cases[0]!.message };
    };
    try {
      const tokyo = await runIn("Asia/Tokyo");
      await new Promise((r) => setTimeout(r, 20)); // the wall clock moves on
      const la = await runIn("America/Los_Angeles");
      expect(tokyo.localHour).not.toBe(la.localHour); // the host's time zone really changed
      expect(tokyo.message).toContain("Recorded");
      expect(la.status).toBe("pass"); // same recording in another zone, later
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    const body = JSON.parse(readFileSync(join(root, "tz.golden.json"), "utf8")).track[0].body;
    expect(body.local).toBe("Tue Mar 12 2024 14:03:00 GMT+0000 (Coordinated Universal Time)");
    expect(body.hour).toBe(14);
    expect(body.parsed_local).toBe("2024-03-12T10:00:00.000Z");
    expect(body.formatted).toBe("1/1/1970, 12:00:00 AM");
  });
});

describe("golden files and red cases", () => {
  it("a handler that crashes keeps its golden entry and its own error message, even with --update", async () => {
    const { mkdtempSync, writeFileSync, readFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { GoldenStore } = await import("../../src/replay/golden.js");
    const root = mkdtempSync(join(tmpdir(), "devcenter-golden-red-"));
    const recorded = [{ method: "POST", url: "https://api.example/v1", headers: {}, body: { ok: true } }];
    writeFileSync(join(root, "g.golden.json"), JSON.stringify({ crashes: recorded }));
    writeFileSync(join(root, "h.mjs"), "export async function onTrack() { throw new TypeError('boom'); }\n");
    const r = new FunctionRunner({ entry: join(root, "h.mjs"), timeoutMs: 2000 });
    runners.push(r);
    const golden = new GoldenStore(root, true);
    const input = { ...suiteOf("track"), name: "crashes", golden: { file: "g.golden.json", key: "crashes" } };
    const [c] = await replayFunction(r, { settings }, [input], { faults: false, golden });
    golden.flush();
    expect(c!.status).toBe("fail");
    expect(c!.message).toMatch(/^onTrack threw TypeError/);
    expect(JSON.parse(readFileSync(join(root, "g.golden.json"), "utf8")).crashes).toEqual(recorded);
  });
});

describe("where a handler failed, in the partner's code", () => {
  // An integration folder with the handler module below it and a dependency in node_modules:
  // locations are relative to the integration's folder and never inside node_modules.
  const tmp: string[] = [];
  afterEach(() => {
    for (const t of tmp.splice(0)) rmSync(t, { recursive: true, force: true });
  });
  function integration(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), "devcenter-where-"));
    tmp.push(root);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(root, file, ".."), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    return root;
  }
  const HANDLERS = [
    'import { shout } from "shouty";',
    "export async function onTrack(event) {",
    '  if (event.event === "Loud") return shout(event.properties.plan);',
    "  return event.properties.plan.toUpperCase();",
    "}",
    "export async function onIdentify(event) {",
    "  setTimeout(() => { event.traits.missing.name; }, 1);",
    "}",
    "",
  ].join("\n");
  const SHOUTY = "export function shout(text) {\n  return text.toUpperCase() + '!';\n}\n";
  const track = (properties: Record<string, unknown>, event = "Signed Up"): FunctionInput => {
    const t = suiteOf("track");
    return { ...t, name: `${event} ${JSON.stringify(properties)}`, message: { ...t.message, event, properties } };
  };

  it("a throw names the first frame in the integration's folder (path, line, column), skipping node_modules", async () => {
    const root = integration({
      "src/handlers.mjs": HANDLERS,
      "node_modules/shouty/package.json": '{"name":"shouty","type":"module","main":"index.js"}',
      "node_modules/shouty/index.js": SHOUTY,
    });
    const r = runner("", { entry: join(root, "src/handlers.mjs"), root, timeoutMs: 2000 });
    const cases = await replayFunction(r, { settings }, [track({}), track({}, "Loud")], { faults: false });
    expect(cases[0]!.message).toBe(
      `onTrack threw TypeError "Cannot read properties of undefined (reading 'toUpperCase')" at src/handlers.mjs:4:32 — an unexpected error; the event fails and is not retried.`,
    );
    // The error happened inside the dependency: the partner's line that called it.
    expect(cases[1]!.message).toContain(
      "threw TypeError \"Cannot read properties of undefined (reading 'toUpperCase')\" at src/handlers.mjs:3:38 —",
    );
  });

  it("an uncaught crash (a timer) names its place too", async () => {
    const root = integration({
      "src/handlers.mjs": [
        "export async function onIdentify(event) {",
        "  setTimeout(() => { event.traits.missing.name; }, 1);",
        "}",
        "export async function onTrack() {",
        "  await new Promise((resolve) => setTimeout(resolve, 1000));",
        "}",
        "",
      ].join("\n"),
    });
    const r = runner("", { entry: join(root, "src/handlers.mjs"), root, timeoutMs: 3000 });
    const id = suiteOf("identify");
    const cases = await replayFunction(
      r,
      { settings },
      [{ ...id, message: { ...id.message, traits: {} } }, suiteOf("track")],
      { faults: false },
    );
    expect(cases[1]!.status).toBe("fail");
    expect(cases[1]!.message).toContain(
      "crashed with an uncaught TypeError: Cannot read properties of undefined (reading 'name') at src/handlers.mjs:2:43 (thrown outside the handler's promise",
    );
  });

  it("a module that does not parse: file:line:column, for ES modules (end of input) and scripts alike", async () => {
    const root = integration({
      "src/esm.mjs": "export async function onTrack(event) {\n  return 1;\n",
      "src/script.js": "async function onTrack(event) {\n  return event.properties.plan.toUpperCase(;\n}\n",
    });
    const esm = await replayFunction(runner("", { entry: join(root, "src/esm.mjs"), root }), { settings }, [
      suiteOf("track"),
    ]);
    expect(esm[0]).toMatchObject({ status: "fail", file: "src/esm.mjs", line: 3 });
    expect(esm[0]!.message).toBe(
      "src/esm.mjs could not be loaded: SyntaxError: Unexpected end of input at src/esm.mjs:3:1\nNo handler could run, so no message was sent.",
    );
    const script = await replayFunction(runner("", { entry: join(root, "src/script.js"), root }), { settings }, [
      suiteOf("track"),
    ]);
    expect(script[0]!.message).toBe(
      "src/script.js could not be loaded: SyntaxError: Unexpected token ';' at src/script.js:2:44\nNo handler could run, so no message was sent.",
    );
  });

  it("reads the place from the header Node puts before a syntax error's name (file URL or path)", () => {
    const root = "/srv/acme";
    // Node 22+ for an ES module at its end of input: the header, an empty source line, no caret.
    expect(
      syntaxErrorLocation("file:///srv/acme/src/handlers.js:51\n\n\n\nSyntaxError: Unexpected end of input", root),
    ).toBe("src/handlers.js:51:1");
    expect(
      syntaxErrorLocation(
        "/srv/acme/src/h.js:2\n  return f(;\n           ^\n\nSyntaxError: Unexpected token ';'",
        root,
      ),
    ).toBe("src/h.js:2:12");
    expect(syntaxErrorLocation("/elsewhere/h.js:2\n  x(;\n    ^\n", root)).toBeUndefined();
    expect(
      syntaxErrorLocation(
        "SyntaxError: Unexpected token ';'\n    at wrapSafe (node:internal/modules/cjs/loader:1464:18)",
        root,
      ),
    ).toBeUndefined();
  });
});

describe("golden differences and errors", () => {
  const tmp: string[] = [];
  afterEach(() => {
    for (const t of tmp.splice(0)) rmSync(t, { recursive: true, force: true });
  });
  const recorded = [{ method: "POST", url: "https://api.example/v1/old", headers: {}, body: { plan: "pro" } }];
  async function replayAgainstGolden(handler: string, input: Partial<FunctionInput>) {
    const root = mkdtempSync(join(tmpdir(), "devcenter-golden-differs-"));
    tmp.push(root);
    writeFileSync(join(root, "g.golden.json"), JSON.stringify({ c: recorded }));
    writeFileSync(join(root, "h.mjs"), handler);
    const golden = new GoldenStore(root, false);
    const [c] = await replayFunction(
      runner("", { entry: join(root, "h.mjs"), root, timeoutMs: 2000 }),
      { settings },
      [{ ...suiteOf("track"), name: "c", group: "fixture", ...input, golden: { file: "g.golden.json", key: "c" } }],
      { faults: false, golden },
    );
    golden.flush();
    expect(JSON.parse(readFileSync(join(root, "g.golden.json"), "utf8")).c).toEqual(recorded);
    return c!;
  }
  const SENDS_THEN = (tail: string) =>
    `export async function onTrack(event) {\n  await fetch("https://api.example/v1/new", { method: "POST", body: "{}" });\n  ${tail}\n}\n`;

  it("a handler that returned and sent other requests: red, and --update is how to accept the change", async () => {
    const c = await replayAgainstGolden(SENDS_THEN("return 1;"), {});
    expect(c.status).toBe("fail");
    expect(c.message).toMatch(
      /^The requests differ from g\.golden\.json: request 1 .*Run with --update if the change is intended\./,
    );
  });

  it("a handler that threw (even as the fixture expects): the error leads, and nothing suggests --update", async () => {
    const c = await replayAgainstGolden(SENDS_THEN("return event.properties.nothing.toUpperCase();"), {
      expect: "fail",
    });
    expect(c.status).toBe("fail");
    expect(c.message).toMatch(
      /^Refused as the fixture expects: onTrack threw TypeError ".*" at h\.mjs:3:35 \(1 partner API request\) — .*\. Its requests also differ from g\.golden\.json: request 1 /,
    );
    expect(c.message).not.toContain("--update");
    expect(c.message).not.toContain("..");
    const unsupported = await replayAgainstGolden(SENDS_THEN('throw new EventNotSupported("not this one");'), {});
    expect(unsupported.status).toBe("fail");
    expect(unsupported.message).not.toContain("--update");
  });
});

describe("golden files replay creates", () => {
  it("mark the case: created on the first run, nothing once they match", async () => {
    const root = mkdtempSync(join(tmpdir(), "devcenter-golden-created-"));
    try {
      const run = async () => {
        const golden = new GoldenStore(root, false);
        const cases = await replayFunction(
          runner("good.mjs"),
          { settings },
          [{ ...suiteOf("track"), golden: { file: "events/a.golden.json", key: "t" } }],
          { faults: false, golden },
        );
        golden.flush();
        return cases[0]!;
      };
      const first = await run();
      expect(first.golden).toEqual({ file: "events/a.golden.json", status: "created" });
      expect(first.status).toBe("pass");
      expect(first.message).toContain("Recorded 2 request(s) in events/a.golden.json.");
      const second = await run();
      expect(second.status).toBe("pass");
      expect(second).not.toHaveProperty("golden");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
