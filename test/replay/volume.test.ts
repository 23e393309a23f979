// Volume replay against a real local server and a real worker.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { FunctionRunner } from "../../src/replay/function.js";
import { volumeMessages } from "../../src/replay/test-suite.js";
import { describeVolume, runLoad, volumeFunction, volumeWebhook } from "../../src/replay/volume.js";
import { goodEndpoint, json, startServer, type TestServer } from "./helpers.js";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe("volume replay", () => {
  it("reports events/s, percentiles and error rate against a webhook; every event delivered once", async () => {
    const s = await startServer(goodEndpoint);
    servers.push(s);
    const v = await volumeWebhook({ url: s.url, apiKey: "segment", settings: {} }, volumeMessages(["track", "identify"]), { events: 300, concurrency: 8, timeoutMs: 2000, minEventsPerSecond: 1 });
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
    const v = await volumeWebhook({ url: s.url, apiKey: "segment", settings: {} }, volumeMessages([]), { events: 100, concurrency: 4, timeoutMs: 2000, minEventsPerSecond: 1 });
    expect(v.errorRate).toBe(0.1);
    expect(v.passed).toBe(false);
    expect(describeVolume(v)).toContain("every tenth fails");
  });

  it("an unreachable bar fails even with no error", async () => {
    const v = await runLoad(async () => ({ ok: true }), { events: 10, concurrency: 2, minEventsPerSecond: Number.MAX_SAFE_INTEGER });
    expect(v).toMatchObject({ events: 10, errorRate: 0, passed: false });
  });

  it("runs a function's handlers concurrently in one worker", async () => {
    const dir = fileURLToPath(new URL("../fixtures/replay/functions/", import.meta.url));
    const r = new FunctionRunner({ entry: join(dir, "good.mjs"), timeoutMs: 2000 });
    try {
      const v = await volumeFunction(r, { apiKey: "k" }, volumeMessages(["track", "identify"]), { events: 200, concurrency: 10, minEventsPerSecond: 1 });
      expect(v).toMatchObject({ events: 200, errorRate: 0, passed: true });
    } finally {
      await r.close();
    }
  });
});
