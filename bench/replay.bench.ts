// Replay throughput, all against one local no-op HTTP server (in its own worker thread, so the
// server does not share the measured event loop):
// - a bare keep-alive node:http client loop (the baseline);
// - webhook replay's delivery (volume replay: platform headers, grading, latency bookkeeping);
// - function replay of a one-request handler, its fetch captured and answered by replay, and its
//   fetch let through to the same server.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { FunctionRunner } from "../src/replay/function.js";
import { volumeMessages } from "../src/replay/test-suite.js";
import { volumeFunction, volumeWebhook } from "../src/replay/volume.js";
import { webhookHeaders } from "../src/replay/webhook.js";
import { fmt, table } from "./measure.js";

const EVENTS = 20_000;
const CONCURRENCY = 20;

const SERVER = `
const { parentPort } = require("node:worker_threads");
const http = require("node:http");
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => { res.writeHead(200, { "Content-Type": "application/json", "Content-Length": 2 }); res.end("{}"); });
});
server.keepAliveTimeout = 30000;
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
`;

async function bareLoop(url: URL, body: Buffer, headers: Record<string, string | number>): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { method: "POST", agent, headers }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end(body);
    });
  const lane = async () => {
    while (next++ < EVENTS) await one();
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const eps = (EVENTS * 1000) / (performance.now() - start);
  agent.destroy();
  return eps;
}

export default async function bench(): Promise<void> {
  const server = new Worker(SERVER, { eval: true });
  const port = await new Promise<number>((r) => server.once("message", r));
  const url = new URL(`http://127.0.0.1:${port}/segment`);
  const messages = volumeMessages(["track", "identify", "page"]);
  const sample = Buffer.from(JSON.stringify(messages(0)));
  // The baseline sends the very request replay sends (same headers, same body size): the ratio
  // measures replay's own overhead, not the cost of the platform's headers.
  const headers = { ...webhookHeaders("segment", {}), "Content-Length": sample.length } as Record<string, string | number>;
  const dir = mkdtempSync(join(tmpdir(), "devcenter-bench-"));
  const handler = join(dir, "handler.mjs");
  writeFileSync(
    handler,
    `const post = async (event, settings) => { const r = await fetch(settings.url, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer " + settings.apiKey }, body: JSON.stringify(event) }); await r.text(); return r.status; };
export const onTrack = post, onIdentify = post, onPage = post;\n`,
  );
  try {
    // warm-up of both paths
    await bareLoop(url, sample, headers);
    await volumeWebhook({ url: url.href, apiKey: "segment", settings: {} }, messages, { events: 2000, concurrency: CONCURRENCY, timeoutMs: 5000, minEventsPerSecond: 0 });
    // Interleaved rounds; the ratio is the median of the per-round ratios (the machine is shared).
    const rounds: { bare: number; webhook: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const bare = await bareLoop(url, sample, headers);
      const v = await volumeWebhook({ url: url.href, apiKey: "segment", settings: {} }, messages, { events: EVENTS, concurrency: CONCURRENCY, timeoutMs: 5000, minEventsPerSecond: 0 });
      rounds.push({ bare, webhook: v.eventsPerSecond });
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const bare = median(rounds.map((r) => r.bare));
    const webhook = median(rounds.map((r) => r.webhook));
    const ratio = median(rounds.map((r) => r.webhook / r.bare));

    const settings = { apiKey: "k", url: url.href };
    const captured = new FunctionRunner({ entry: handler, timeoutMs: 5000 });
    await volumeFunction(captured, settings, messages, { events: 2000, concurrency: CONCURRENCY, minEventsPerSecond: 0 });
    const fnCaptured = await volumeFunction(captured, settings, messages, { events: EVENTS, concurrency: CONCURRENCY, minEventsPerSecond: 0 });
    await captured.close();
    const live = new FunctionRunner({ entry: handler, timeoutMs: 5000, liveFetch: true });
    await volumeFunction(live, settings, messages, { events: 2000, concurrency: CONCURRENCY, minEventsPerSecond: 0 });
    const fnLive = await volumeFunction(live, settings, messages, { events: EVENTS, concurrency: CONCURRENCY, minEventsPerSecond: 0 });
    await live.close();

    console.log(`${fmt(EVENTS)} events per run, concurrency ${CONCURRENCY}, HTTP pair: median of 5 interleaved rounds.\n`);
    table(
      ["path", "events/s", "vs bare loop"],
      [
        ["bare keep-alive node:http loop", fmt(bare), "100%"],
        ["webhook replay (volume)", fmt(webhook), `${fmt(ratio * 100)}% (median per-round ratio; goal ≥ 80%)`],
        ["function replay, fetch answered by replay", fmt(fnCaptured.eventsPerSecond), `${fmt((fnCaptured.eventsPerSecond / bare) * 100)}%`],
        ["function replay, fetch to the same server", fmt(fnLive.eventsPerSecond), `${fmt((fnLive.eventsPerSecond / bare) * 100)}%`],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.terminate();
  }
}
