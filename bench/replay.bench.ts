// Replay throughput, all against one local no-op HTTP server (in its own worker thread, so the
// server does not share the measured event loop):
// - a bare keep-alive node:http client loop (the baseline);
// - webhook replay's delivery (volume replay: platform headers, grading, latency bookkeeping);
// - function replay of a one-request handler, its fetch captured and answered by replay (what a
//   volume run does), and its fetch let through to the same server (issue 13's goal: ≥ 50%).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { spawn } from "node:child_process";
import { FunctionRunner } from "../src/replay/function.js";
import { volumeMessages } from "../src/replay/test-suite.js";
import { volumeFunction, volumeWebhook } from "../src/replay/volume.js";
import { webhookHeaders } from "../src/replay/webhook.js";
import { fmt, table } from "./measure.js";

const EVENTS = 20_000;
const CONCURRENCY = 20;
const ROUNDS = 6;
const FUNCTION_EVENTS = 10_000;
const FUNCTION_ROUNDS = 3;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// The server runs in its own process, so process.cpuUsage() below measures the client alone.
const SERVER = `
const http = require("node:http");
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => { res.writeHead(200, { "Content-Type": "application/json", "Content-Length": 2 }); res.end("{}"); });
});
server.keepAliveTimeout = 30000;
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
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
  const server = spawn(process.execPath, ["-e", SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((r) =>
    server.stdout!.once("data", (d: Buffer) => r(Number(String(d).trim()))),
  );
  const url = new URL(`http://127.0.0.1:${port}/segment`);
  const messages = volumeMessages(["track", "identify", "page"]);
  const sample = Buffer.from(JSON.stringify(messages(0)));
  // The baseline sends the very request replay sends (same headers, same body size): the ratio
  // measures replay's own overhead, not the cost of the platform's headers.
  const headers = { ...webhookHeaders("segment", {}), "Content-Length": sample.length } as Record<
    string,
    string | number
  >;
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
    await volumeWebhook({ url: url.href, apiKey: "segment", settings: {} }, messages, {
      events: 2000,
      concurrency: CONCURRENCY,
      timeoutMs: 5000,
      minEventsPerSecond: 0,
    });
    // Interleaved rounds; the ratio is the median of the per-round ratios (the machine is shared).
    // The order alternates (bare first, then replay first) so neither path always inherits the
    // other's garbage and the server's warm state.
    const rounds: { bare: number; webhook: number }[] = [];
    const cpu = { bare: [] as number[], webhook: [] as number[] };
    /** Runs `fn`, recording the client's CPU time per event (µs): less noisy than wall-clock rate. */
    const measured = async (into: number[], fn: () => Promise<number>): Promise<number> => {
      const before = process.cpuUsage();
      const rate = await fn();
      const used = process.cpuUsage(before);
      into.push((used.user + used.system) / EVENTS);
      return rate;
    };
    const bareRun = () => measured(cpu.bare, () => bareLoop(url, sample, headers));
    const replayRun = () =>
      measured(
        cpu.webhook,
        async () =>
          (
            await volumeWebhook({ url: url.href, apiKey: "segment", settings: {} }, messages, {
              events: EVENTS,
              concurrency: CONCURRENCY,
              timeoutMs: 5000,
              minEventsPerSecond: 0,
            })
          ).eventsPerSecond,
      );
    for (let i = 0; i < ROUNDS; i++) {
      if (i % 2 === 0) {
        const bare = await bareRun();
        rounds.push({ bare, webhook: await replayRun() });
      } else {
        const webhook = await replayRun();
        rounds.push({ bare: await bareRun(), webhook });
      }
    }
    const bare = median(rounds.map((r) => r.bare));
    const webhook = median(rounds.map((r) => r.webhook));
    const ratio = median(rounds.map((r) => r.webhook / r.bare));

    // Function replay, both ways a handler's fetch can go, each in rounds interleaved with the
    // bare loop (order alternating), as above: the ratio is the median of the per-round ratios.
    const settings = { apiKey: "k", url: url.href };
    const functionRounds = async (liveFetch: boolean) => {
      const runner = new FunctionRunner({ entry: handler, timeoutMs: 5000, liveFetch });
      const options = { events: FUNCTION_EVENTS, concurrency: CONCURRENCY, minEventsPerSecond: 0 };
      const out: { bare: number; fn: number; cpu: number }[] = [];
      try {
        await volumeFunction(runner, settings, messages, { ...options, events: 2000 });
        const fnRun = async (): Promise<{ fn: number; cpu: number }> => {
          const before = process.cpuUsage();
          const fn = (await volumeFunction(runner, settings, messages, options)).eventsPerSecond;
          const used = process.cpuUsage(before);
          return { fn, cpu: (used.user + used.system) / FUNCTION_EVENTS };
        };
        for (let i = 0; i < FUNCTION_ROUNDS; i++) {
          if (i % 2 === 0) {
            const bare = await bareLoop(url, sample, headers);
            out.push({ bare, ...(await fnRun()) });
          } else {
            const f = await fnRun();
            out.push({ bare: await bareLoop(url, sample, headers), ...f });
          }
        }
      } finally {
        await runner.close();
      }
      return {
        fn: median(out.map((r) => r.fn)),
        ratio: median(out.map((r) => r.fn / r.bare)),
        cpu: median(out.map((r) => r.cpu)),
      };
    };
    const fnCaptured = await functionRounds(false);
    const fnLive = await functionRounds(true);

    console.log(
      `${fmt(EVENTS)} events per run, concurrency ${CONCURRENCY}, HTTP pair: median of ${ROUNDS} interleaved rounds, order alternating.`,
    );
    console.log(
      `Function replay: ${fmt(FUNCTION_EVENTS)} events per run, each against a bare loop run beside it: median of ${FUNCTION_ROUNDS} rounds.\n`,
    );
    table(
      ["path", "events/s", "vs bare loop (median per-round ratio)"],
      [
        ["bare keep-alive node:http loop", fmt(bare), "100%"],
        ["webhook replay (volume)", fmt(webhook), `${fmt(ratio * 100)}% (goal ≥ 80%)`],
        ["function replay, fetch answered by replay", fmt(fnCaptured.fn), `${fmt(fnCaptured.ratio * 100)}%`],
        ["function replay, fetch to the same server", fmt(fnLive.fn), `${fmt(fnLive.ratio * 100)}% (goal ≥ 50%)`],
      ],
    );
    const bareCpu = median(cpu.bare);
    const webhookCpu = median(cpu.webhook);
    console.log(
      `\nClient CPU per event (median, the server in its own process): bare loop ${fmt(bareCpu, 1)} µs, webhook replay ${fmt(webhookCpu, 1)} µs — ` +
        `replay's CPU bound is ${fmt((bareCpu / webhookCpu) * 100)}% of the bare loop's rate (the steadier measure on a shared machine). ` +
        `Function replay (both threads, the handler's worker and replay's): ${fmt(fnCaptured.cpu, 1)} µs with its fetch answered by replay, ${fmt(fnLive.cpu, 1)} µs with its fetch to the server.`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    server.kill();
  }
}
