import { request } from "node:http";
import { gzipSync } from "node:zlib";
import { Analytics } from "@segment/analytics-node";
import { afterEach, describe, expect, it } from "vitest";
import { TRACKING_API_LIMITS, startSink, type Sink, type SinkEvent } from "../../src/replay/sink.js";

const sinks: Sink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});
async function sink(options: Parameters<typeof startSink>[0] = {}): Promise<Sink> {
  const s = await startSink({ writeKey: "wk-test", ...options });
  sinks.push(s);
  return s;
}

const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
const integration = { name: "acme-analytics", version: "1.2.0" };
const track = (extra: Record<string, unknown> = {}) => ({
  type: "track",
  event: "Report Exported",
  userId: "u-1",
  messageId: "m-1",
  timestamp: "2024-01-01T00:00:00.000Z",
  properties: { format: "csv" },
  context: { integration },
  ...extra,
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** POST with node:http; `body` may be a string, a Buffer, or a generator of chunks (sent chunked). */
function post(
  url: string,
  body: string | Buffer | (() => Iterable<Buffer>),
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      url,
      { method: "POST", headers: { "content-type": "application/json", ...headers }, agent: false },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") }),
        );
      },
    );
    // A server that refuses early may close the socket while we still write: the answer counts.
    req.on("error", reject);
    if (typeof body === "function") {
      const it = body()[Symbol.iterator]();
      // As a real client does, stop sending once the answer has come: a client that kept writing
      // would be cut off by the sink after a bounded drain, and a loaded machine could then lose the
      // answer to the reset before reading it (the test flaked so).
      const pump = (): void => {
        for (;;) {
          const next = answered ? { done: true as const } : it.next();
          if (next.done) return void req.end();
          if (!req.write(next.value)) return void req.once("drain", pump);
        }
      };
      pump();
    } else req.end(body);
  });
}

describe("the Tracking API sink", () => {
  it("refuses an event over 32 KB alone, with its reason, and validates and keeps the rest of its batch (issue 14)", async () => {
    const s = await sink();
    const big = track({ event: "Huge", messageId: "m-big", properties: { blob: "x".repeat(33 * 1024) } });
    const body = JSON.stringify({ batch: [track({ messageId: "m-a" }), big, track({ messageId: "m-b", userId: 42 })] });
    const r = await post(`${s.url}/v1/batch`, body, { authorization: basic("wk-test") });
    expect(r.status).toBe(200);
    expect(s.messages().map((m) => m.message.messageId)).toEqual(["m-a", "m-b"]);
    // The rest was validated: the second kept message has a finding of its own.
    expect(s.messages()[1]!.findings.length).toBeGreaterThan(0);
    expect(s.rejections()).toHaveLength(1);
    expect(s.rejections()[0]).toMatchObject({ ruleId: "stream/event-too-large" });
    expect(s.rejections()[0]!.message).toMatch(
      /^batch\[1\] \("Huge"\) is 34 KB, over the 32 KB limit per event; that event was refused/,
    );
  });

  it("accepts a single call with Basic auth and answers as the real API does", async () => {
    const s = await sink({ slug: "acme-analytics" });
    const answer = await post(`${s.url}/v1/track`, JSON.stringify(track()), { authorization: basic("wk-test") });
    expect(answer).toEqual({ status: 200, body: { success: true } });
    const [m] = s.messages();
    expect(m).toMatchObject({ seq: 1, endpoint: "/v1/track", type: "track", requestId: 1 });
    expect(m!.message.event).toBe("Report Exported");
    expect(m!.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(s.summary()).toMatchObject({ requests: 1, messages: 1, byType: { track: 1 }, messagesWithErrors: 0 });
  });

  it("accepts the short paths and a write key in the body (analytics.js style, text/plain)", async () => {
    const s = await sink();
    const answer = await post(
      `${s.url}/v1/p`,
      JSON.stringify({ ...track({ type: undefined, event: undefined, name: "Home" }), writeKey: "wk-test" }),
      {
        "content-type": "text/plain",
      },
    );
    expect(answer.status).toBe(200);
    expect(s.messages()[0]!.type).toBe("page");
    expect(s.messages()[0]!.message.type).toBe("page");
  });

  it("works unchanged with @segment/analytics-node pointed at it with `host`", async () => {
    const s = await sink({ slug: "acme-analytics" });
    const analytics = new Analytics({ writeKey: s.writeKey, host: s.url, flushAt: 2, maxRetries: 0 });
    const failures: unknown[] = [];
    analytics.on("error", (e) => failures.push(e));
    analytics.identify({ userId: "u-1", traits: { email: "a@example.com" }, context: { integration } });
    analytics.track({
      userId: "u-1",
      event: "Report Exported",
      properties: { format: "csv" },
      context: { integration },
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(failures).toEqual([]);
    const messages = s.messages();
    expect(messages.map((m) => m.type)).toEqual(["identify", "track"]);
    expect(messages[0]!.endpoint).toBe("/v1/batch");
    expect((messages[1]!.message.context as { library: { name: string } }).library.name).toBe(
      "@segment/analytics-node",
    );
    expect(messages.flatMap((m) => m.findings).filter((f) => f.severity === "error")).toEqual([]);
  });

  it("inflates gzip bodies", async () => {
    const s = await sink();
    const body = gzipSync(JSON.stringify({ batch: [track(), track({ messageId: "m-2" })] }));
    const answer = await post(`${s.url}/v1/batch`, body, {
      authorization: basic("wk-test"),
      "content-encoding": "gzip",
    });
    expect(answer.status).toBe(200);
    expect(s.messages()).toHaveLength(2);
    const bad = await post(`${s.url}/v1/batch`, Buffer.from("not gzip at all"), {
      authorization: basic("wk-test"),
      "content-encoding": "gzip",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("not valid gzip");
    const br = await post(`${s.url}/v1/batch`, "{}", { authorization: basic("wk-test"), "content-encoding": "br" });
    expect(br.status).toBe(415);
  });

  it("refuses invalid JSON with 400 and a message", async () => {
    const s = await sink();
    const answer = await post(`${s.url}/v1/track`, '{"type": "track",', { authorization: basic("wk-test") });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ success: false, code: "stream/bad-json" });
    expect(String(answer.body.message)).toMatch(/^The body is not valid JSON/);
    expect((await post(`${s.url}/v1/track`, "[1,2]", { authorization: basic("wk-test") })).status).toBe(400);
    const hostile = await post(`${s.url}/v1/track`, "x\u001b[31mred", { authorization: basic("wk-test") });
    expect(hostile.status).toBe(400);
    expect(String(hostile.body.message)).not.toMatch(/[\u0000-\u001f]/);
    expect(s.messages()).toEqual([]);
    expect(s.rejections().map((r) => r.ruleId)).toEqual(["stream/bad-json", "stream/bad-json", "stream/bad-json"]);
  });

  it("refuses a wrong, missing or non-Basic key with 401", async () => {
    const s = await sink();
    const wrong = await post(`${s.url}/v1/track`, JSON.stringify(track()), { authorization: basic("nope") });
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toContain('Wrong write key "nope"');
    const missing = await post(`${s.url}/v1/track`, JSON.stringify(track()));
    expect(missing.status).toBe(401);
    expect(missing.body.message).toContain("No write key");
    const bearer = await post(`${s.url}/v1/track`, JSON.stringify(track()), { authorization: "Bearer abc" });
    expect(bearer.status).toBe(401);
    // The header wins over the body.
    const both = await post(`${s.url}/v1/track`, JSON.stringify({ ...track(), writeKey: "wk-test" }), {
      authorization: basic("nope"),
    });
    expect(both.status).toBe(401);
    expect(s.messages()).toEqual([]);
    expect(s.summary().rejectionsByRule).toEqual({ "stream/unauthorized": 4 });
  });

  it("refuses a huge streamed body with 413 without reading it all", async () => {
    const s = await sink();
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const answer = await post(
      `${s.url}/v1/batch`,
      function* () {
        yield Buffer.from('{"batch":[{"x":"');
        // 64 MiB if nobody stops us; the sink cuts the connection after a bounded drain.
        for (let i = 0; i < 1024; i++) {
          sent += chunk.length;
          yield chunk;
        }
      },
      { authorization: basic("wk-test") },
    ).catch((e: Error) => ({ status: -1, body: { message: e.message } }));
    expect(answer.status).toBe(413);
    expect(answer.body.message).toContain("over the 500 KB limit for a batch");
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect(s.rejections()[0]).toMatchObject({ status: 413, ruleId: "stream/request-too-large" });
  });

  it("refuses a single call over 32 KB by its Content-Length", async () => {
    const s = await sink();
    const big = JSON.stringify(track({ properties: { blob: "x".repeat(40 * 1024) } }));
    const answer = await post(`${s.url}/v1/track`, big, { authorization: basic("wk-test") });
    expect(answer.status).toBe(413);
    expect(answer.body.message).toContain("over the 32 KB limit for a single call");
  });

  it("refuses a gzip body that inflates past the limit", async () => {
    const s = await sink();
    const bomb = gzipSync(JSON.stringify({ batch: [track({ properties: { blob: "x".repeat(2 * 1024 * 1024) } })] }));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const answer = await post(`${s.url}/v1/batch`, bomb, {
      authorization: basic("wk-test"),
      "content-encoding": "gzip",
    });
    expect(answer.status).toBe(413);
  });

  it("refuses batches over 2,500 events or without a batch array, with 400 as the real API (an event over 32 KB: the test above)", async () => {
    const s = await sink();
    const many = {
      batch: Array.from({ length: TRACKING_API_LIMITS.batchEvents + 1 }, (_, i) => ({
        type: "track",
        event: "A",
        userId: String(i),
      })),
    };
    const a = await post(`${s.url}/v1/batch`, JSON.stringify(many), { authorization: basic("wk-test") });
    expect(a.status).toBe(400);
    expect(a.body.message).toBe("The batch holds 2501 events, over the limit of 2500; split it.");
    const notArray = await post(`${s.url}/v1/batch`, JSON.stringify({ batch: {} }), {
      authorization: basic("wk-test"),
    });
    expect(notArray.status).toBe(400);
    expect(s.messages()).toEqual([]);
  });

  it("answers 404 for unknown paths and 405 for other methods", async () => {
    const s = await sink();
    expect((await post(`${s.url}/v1/purchase`, "{}", { authorization: basic("wk-test") })).status).toBe(404);
    const get = await fetch(`${s.url}/v1/track`);
    expect(get.status).toBe(405);
    const health = await fetch(`${s.url}/health`);
    expect(health.status).toBe(200);
  });

  it("checks context.integration against the slug", async () => {
    const s = await sink({ slug: "acme-analytics" });
    const auth = { authorization: basic("wk-test") };
    await post(`${s.url}/v1/track`, JSON.stringify(track({ context: {} })), auth);
    await post(
      `${s.url}/v1/track`,
      JSON.stringify(track({ context: { integration: { name: "acme", version: "1" } } })),
      auth,
    );
    await post(
      `${s.url}/v1/track`,
      JSON.stringify(track({ context: { integration: { name: "acme-analytics" } } })),
      auth,
    );
    // Batch-level context applies to every message in it.
    await post(
      `${s.url}/v1/batch`,
      JSON.stringify({ batch: [track({ context: undefined })], context: { integration } }),
      auth,
    );
    const rules = s
      .messages()
      .map((m) => m.findings.filter((f) => f.ruleId.startsWith("stream/")).map((f) => `${f.severity} ${f.message}`));
    expect(rules[0]).toEqual([
      'error Every event a stream sends must carry context.integration.name = "acme-analytics" (the app\'s slug); this one has none.',
    ]);
    expect(rules[1]).toEqual([
      'error context.integration.name is "acme"; it must be the app\'s slug, "acme-analytics".',
    ]);
    expect(rules[2]![0]).toMatch(/^warning context.integration has no version/);
    expect(rules[3]).toEqual([]);
    expect(s.summary()).toMatchObject({
      messagesWithErrors: 2,
      messagesWithWarnings: 1,
      findingsByRule: { "stream/integration-name": 2, "stream/integration-version": 1 },
    });
  });

  it("Spec-validates every message and notes a type the endpoint contradicts", async () => {
    const s = await sink();
    await post(`${s.url}/v1/track`, JSON.stringify({ type: "identify", writeKey: "wk-test" }), {});
    const [m] = s.messages();
    expect(m!.type).toBe("track");
    const ids = m!.findings.map((f) => f.ruleId);
    expect(ids).toContain("stream/type-mismatch");
    expect(m!.findings.some((f) => f.severity === "error")).toBe(true); // no userId/anonymousId, no event
  });

  it("uses an injected validator", async () => {
    const s = await sink({
      validate: () => [{ ruleId: "spec/test", severity: "warning", message: "looked at it", path: "" }],
    });
    await post(`${s.url}/v1/identify`, JSON.stringify({ userId: "u", writeKey: "wk-test" }));
    expect(s.messages()[0]!.findings).toEqual([
      { ruleId: "spec/test", severity: "warning", message: "looked at it", path: "" },
    ]);
  });

  it("warns once when more than 50 requests arrive within a second", async () => {
    const fixed = new Date("2024-01-01T00:00:00.000Z");
    const s = await sink({ now: () => fixed });
    const events: SinkEvent[] = [];
    s.subscribe((e) => events.push(e));
    for (let i = 0; i < 60; i++)
      await post(`${s.url}/v1/identify`, JSON.stringify({ userId: `u${i}`, writeKey: "wk-test" }));
    const rate = events.filter((e) => e.kind === "rate");
    expect(rate).toEqual([{ kind: "rate", at: fixed.toISOString(), requestsPerSecond: 51, limit: 50 }]);
    expect(s.summary()).toMatchObject({ rateExceeded: true, peakRequestsPerSecond: 60 });
    expect(events.filter((e) => e.kind === "message")).toHaveLength(60);
  });

  it("stores at most maxMessages and counts the rest", async () => {
    const s = await sink({ maxMessages: 3 });
    const batch = Array.from({ length: 5 }, (_, i) => ({ type: "identify", userId: `u${i}` }));
    await post(`${s.url}/v1/batch`, JSON.stringify({ batch, writeKey: "wk-test" }));
    expect(s.messages().map((m) => m.message.userId)).toEqual(["u0", "u1", "u2"]);
    expect(s.summary()).toMatchObject({ messages: 5, dropped: 2 });
  });

  it("makes up a write key when none is given", async () => {
    const s = await startSink();
    sinks.push(s);
    expect(s.writeKey).toMatch(/^devcenter-[0-9a-f]{16}$/);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
  });
});
