// Volume replay against a real local server and a real worker.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { FunctionRunner } from "../../src/replay/function.js";
import { volumeMessages } from "../../src/replay/test-suite.js";
import { describeVolume, EARLY_STOP, runLoad, volumeFunction, volumeWebhook } from "../../src/replay/volume.js";
import { goodEndpoint, json, startServer, type TestServer } from "./helpers.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("volume replay", () => {
  it("reports events/s, percentiles and error rate against a webhook; every event delivered once", async () => {
    const s = await startServer(goodEndpoint);
    servers.push(s);
    const v = await volumeWebhook(
      { url: s.url, apiKey: "segment", settings: {} },
      volumeMessages(["track", "identify"]),
      { events: 300, concurrency: 8, timeoutMs: 2000, minEventsPerSecond: 1 },
    );
    expect(v.events).toBe(300);
    expect(v.errorRate).toBe(0);
    expect(v.passed).toBe(true);
    expect(v.p50Ms).toBeLessThanOrEqual(v.p95Ms);
    expect(v.p95Ms).toBeLessThanOrEqual(v.p99Ms);
    expect(v.eventsPerSecond).toBeGreaterThan(0);
    expect(s.received).toHaveLength(300);
    expect(new Set(s.received.map((r) => JSON.parse(r.body).messageId)).size).toBe(300);
    expect(describeVolume(v)).toContain("meets the bar");
  });

  it("red answers fail the bar and are counted", async () => {
    let n = 0;
    const s = await startServer((_req, res) => json(res, ++n % 10 === 0 ? 500 : 200, { message: "every tenth fails" }));
    servers.push(s);
    const v = await volumeWebhook({ url: s.url, apiKey: "segment", settings: {} }, volumeMessages([]), {
      events: 100,
      concurrency: 4,
      timeoutMs: 2000,
      minEventsPerSecond: 1,
    });
    expect(v.errorRate).toBe(0.1);
    expect(v.passed).toBe(false);
    expect(describeVolume(v)).toContain("every tenth fails");
  });

  it("sentences joined from a red answer's own message never end in a double full stop", async () => {
    // A target that answers 500: the first red answer's message already ends a sentence.
    const s = await startServer((_req, res) => json(res, 500, { message: "pipeline down" }));
    servers.push(s);
    const v = await volumeWebhook({ url: s.url, apiKey: "segment", settings: {} }, volumeMessages([]), {
      events: 1000,
      concurrency: 2,
      timeoutMs: 2000,
      minEventsPerSecond: 1,
    });
    expect(v.firstError).toBe("HTTP 500: pipeline down");
    const line = describeVolume(v);
    expect(line).toContain("the first: HTTP 500: pipeline down. Stopped early, after");
    expect(line).not.toMatch(/\.\./);
    // Whatever ends the parts: one full stop between sentences, one at the end.
    for (const firstError of ["it failed.", "it failed!", "it failed", "it failed…"]) {
      const text = describeVolume({ ...v, firstError, stoppedEarly: "enough." } as typeof v);
      expect(text).not.toMatch(/[.!?…]\./);
      expect(text).toMatch(/enough\.$/);
    }
  });

  it("an unreachable bar fails even with no error", async () => {
    const v = await runLoad(async () => ({ ok: true }), {
      events: 10,
      concurrency: 2,
      minEventsPerSecond: Number.MAX_SAFE_INTEGER,
    });
    expect(v).toMatchObject({ events: 10, errorRate: 0, passed: false });
  });

  it("a target that never answers stops the run early: the result says so, and its JSON fields stay the same", async () => {
    const s = await startServer(() => {}); // reads each request, answers none
    servers.push(s);
    const started = Date.now();
    const v = await volumeWebhook({ url: s.url, apiKey: "segment", settings: {} }, volumeMessages([]), {
      events: 10_000,
      concurrency: 10,
      timeoutMs: 100,
      minEventsPerSecond: 1,
    });
    expect(Date.now() - started).toBeLessThan(10_000); // not 10,000 × 100 ms / 10 = 100 s
    expect(v.events).toBeGreaterThanOrEqual(EARLY_STOP.consecutiveErrors);
    expect(v.events).toBeLessThan(EARLY_STOP.consecutiveErrors + 10); // those already in flight finish
    expect(v).toMatchObject({ errorRate: 1, passed: false });
    expect(v.stoppedEarly).toContain("in a row were red");
    const line = describeVolume(v);
    expect(line).toContain(`misses the bar`);
    expect(line).toContain(
      `Stopped early, after ${v.events} events: the last ${EARLY_STOP.consecutiveErrors} answers in a row were red, so the target looks down.`,
    );
    expect(Object.keys(JSON.parse(JSON.stringify(v))).sort()).toEqual([
      "concurrency",
      "errorRate",
      "events",
      "eventsPerSecond",
      "firstError",
      "maxErrorRate",
      "maxP95Ms",
      "minEventsPerSecond",
      "p50Ms",
      "p95Ms",
      "p99Ms",
      "passed",
    ]);
    expect(v.p50Ms).toBeGreaterThanOrEqual(100); // latencies of the events sent, timeouts included
  });

  it("a target failing every other event stops once the red answers are enough to miss the bar", async () => {
    const v = await runLoad(async (i) => (i % 2 ? { ok: false, error: `event ${i} failed` } : { ok: true }), {
      events: 10_000,
      concurrency: 4,
      minEventsPerSecond: 1,
    });
    expect(v.events).toBeGreaterThanOrEqual(2 * EARLY_STOP.errors - 1);
    expect(v.events).toBeLessThan(2 * EARLY_STOP.errors + 8);
    expect(v.passed).toBe(false);
    expect(describeVolume(v)).toContain(
      `Stopped early, after ${v.events} events: ${EARLY_STOP.errors} answers were red, so the bar was already missed.`,
    );
    expect(describeVolume(v)).toContain("the first: event 1 failed");
    // Both limits can be set.
    const short = await runLoad(async () => ({ ok: false, error: "no" }), {
      events: 1000,
      concurrency: 1,
      stopAfterConsecutiveErrors: 5,
    });
    expect(short.events).toBe(5);
  });

  it("runs a function's handlers concurrently in one worker", async () => {
    const dir = fileURLToPath(new URL("../fixtures/replay/functions/", import.meta.url));
    const r = new FunctionRunner({ entry: join(dir, "good.mjs"), timeoutMs: 2000 });
    try {
      const v = await volumeFunction(r, { apiKey: "k" }, volumeMessages(["track", "identify"]), {
        events: 200,
        concurrency: 10,
        minEventsPerSecond: 1,
      });
      expect(v).toMatchObject({ events: 200, errorRate: 0, passed: true });
    } finally {
      await r.close();
    }
  });
});
