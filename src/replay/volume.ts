// Volume replay ("supports high data volumes"): N events at concurrency C against a webhook or a
// function subscription; events/s, latency percentiles and the share of red answers, against the
// bar the platform policy sets (src/policy/bars.ts grades it). A run whose target is down
// or failing throughout stops early: the bar is already missed, and a dead target would otherwise
// hold it for events × timeout / concurrency (10,000 × 5 s / 20 ≈ 40 min).
import { performance } from "node:perf_hooks";
import type { FunctionRunner } from "./function.js";
import { HANDLER_NAMES, gradeOutcome } from "./function.js";
import { HttpClient } from "./http.js";
import type { SpecMessage } from "./test-suite.js";
import type { VolumeResult } from "./types.js";
import { DEFAULT_POLICY } from "../core/policy.js";
import { sentence } from "../core/text.js";
import { describeBar, describeMeasured, volumeShortfalls, type VolumeBar } from "../policy/bars.js";
import { gradeAnswer, webhookHeaders, type WebhookTarget } from "./webhook.js";

/** The run (events, concurrency) and the bar it is graded against; missing values are the built-in policy's. */
export interface VolumeOptions extends Partial<VolumeBar> {
  /** Called about every 5% of the run. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Stop after this many red answers in a row; default 50. */
  stopAfterConsecutiveErrors?: number;
  /** Stop after this many red answers in all; default 200. */
  stopAfterErrors?: number;
}

/** Enough red answers to say the bar is missed while the latency figures still mean something. */
export const EARLY_STOP = { consecutiveErrors: 50, errors: 200 } as const;

/** A volume result; `stoppedEarly` (why the run ended before sending every event) stays out of the JSON report. */
export type VolumeRun = VolumeResult & { firstError?: string; stoppedEarly?: string };

type Outcome = { ok: boolean; error?: string };

/** Sends `events` items through `send` with `concurrency` in flight; measures each. */
export async function runLoad(send: (i: number) => Promise<Outcome>, options: VolumeOptions): Promise<VolumeRun> {
  const bar: VolumeBar = { ...DEFAULT_POLICY.volume, ...definedOnly(options) };
  const total = Math.max(1, Math.floor(bar.events));
  const concurrency = Math.max(1, Math.min(total, Math.floor(bar.concurrency)));
  const latencies = new Float64Array(total);
  let next = 0;
  let done = 0;
  let errors = 0;
  let inARow = 0;
  let firstError: string | undefined;
  let stoppedEarly: string | undefined;
  const maxInARow = Math.max(1, options.stopAfterConsecutiveErrors ?? EARLY_STOP.consecutiveErrors);
  // Never before the bar is missed for sure: a policy that allows some red answers gets them.
  const maxErrors = Math.max(1, options.stopAfterErrors ?? EARLY_STOP.errors, Math.floor(bar.maxErrorRate * total) + 1);
  const step = Math.max(1, Math.floor(total / 20));
  const start = performance.now();
  const lane = async (): Promise<void> => {
    for (;;) {
      if (options.signal?.aborted || stoppedEarly) return;
      const i = next++;
      if (i >= total) return;
      const t0 = performance.now();
      let r: Outcome;
      try {
        r = await send(i);
      } catch (err) {
        r = { ok: false, error: (err as Error).message };
      }
      latencies[i] = performance.now() - t0;
      if (!r.ok) {
        errors++;
        inARow++;
        firstError ??= r.error;
        // Events already in flight finish (and count); no new one starts.
        if (!stoppedEarly && inARow >= maxInARow)
          stoppedEarly = `the last ${inARow} answers in a row were red, so the target looks down`;
        else if (!stoppedEarly && errors >= maxErrors)
          stoppedEarly = `${errors} answers were red, so the bar was already missed`;
      } else inARow = 0;
      done++;
      if (options.onProgress && done % step === 0) options.onProgress(done, total);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = performance.now() - start;
  const measured = latencies.subarray(0, done).sort();
  const pct = (p: number): number => (done ? round(measured[Math.min(done - 1, Math.ceil((p / 100) * done) - 1)]!) : 0);
  const eventsPerSecond = elapsed > 0 ? Math.round((done * 1000) / elapsed) : 0;
  const result: VolumeRun = {
    events: done,
    eventsPerSecond,
    p50Ms: pct(50),
    p95Ms: pct(95),
    p99Ms: pct(99),
    errorRate: done ? Math.round((errors / done) * 10_000) / 10_000 : 0,
    concurrency,
    minEventsPerSecond: bar.minEventsPerSecond,
    maxP95Ms: bar.maxP95Ms,
    maxErrorRate: bar.maxErrorRate,
    passed: false,
    ...(firstError ? { firstError } : {}),
  };
  // `errors` (not the rounded rate) so that one red answer in a million still counts against "none".
  result.passed =
    done === total &&
    volumeShortfalls({ ...result, errorRate: errors / Math.max(1, done) }, { ...bar, events: total, concurrency })
      .length === 0;
  // Not enumerable: the JSON report's volume fields stay as they are (`events` = events sent).
  if (stoppedEarly) Object.defineProperty(result, "stoppedEarly", { value: stoppedEarly, enumerable: false });
  return result;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Volume against a webhook endpoint, over one keep-alive agent with `concurrency` sockets. */
export async function volumeWebhook(
  target: WebhookTarget,
  messages: ((i: number) => SpecMessage) & { json?: (i: number) => string },
  options: VolumeOptions & { timeoutMs: number },
): Promise<VolumeRun> {
  const url = new URL(target.url);
  const concurrency = options.concurrency ?? DEFAULT_POLICY.volume.concurrency;
  const client = new HttpClient({ maxSockets: concurrency });
  const headers = webhookHeaders(target.apiKey, target.settings);
  const json = messages.json ?? ((i: number) => JSON.stringify(messages(i)));
  const post = { timeoutMs: options.timeoutMs, signal: options.signal, discardOkBody: true };
  try {
    return await runLoad(async (i) => {
      const body = Buffer.from(json(i), "utf8");
      headers["Content-Length"] = body.length; // read synchronously when the request is created
      const r = await client.request(url, headers, body, post);
      const ok =
        r.error === undefined && r.status !== undefined && ((r.status >= 200 && r.status < 300) || r.status === 501);
      return ok ? { ok: true } : { ok: false, error: gradeAnswer(r).message };
    }, options);
  } finally {
    client.close();
  }
}

/** Volume against a function's handlers, `concurrency` events in flight in its worker. */
export async function volumeFunction(
  runner: FunctionRunner,
  settings: Record<string, unknown>,
  messages: (i: number) => SpecMessage,
  options: VolumeOptions,
): Promise<VolumeRun> {
  return runLoad(async (i) => {
    const m = messages(i);
    const handler = HANDLER_NAMES[m.type];
    // Only the count of requests is kept: nothing is recorded (or sent back from the worker).
    const o = await runner.run(handler, [m, settings], { answers: null, seed: m.messageId, record: false });
    const g = gradeOutcome(o, handler);
    return g.status === "fail" ? { ok: false, error: g.message } : { ok: true };
  }, options);
}

/** One line for a report: "10,000 events at 1,234 events/s, p95 … — meets the bar (…)", or what misses it. */
export function describeVolume(v: VolumeRun): string {
  const bar: VolumeBar = {
    events: v.events,
    concurrency: v.concurrency ?? DEFAULT_POLICY.volume.concurrency,
    minEventsPerSecond: v.minEventsPerSecond ?? DEFAULT_POLICY.volume.minEventsPerSecond,
    maxP95Ms: v.maxP95Ms ?? DEFAULT_POLICY.volume.maxP95Ms,
    maxErrorRate: v.maxErrorRate ?? DEFAULT_POLICY.volume.maxErrorRate,
  };
  const head = `${describeMeasured(v)} (latency p50 ${v.p50Ms} ms, p99 ${v.p99Ms} ms)`;
  const needs = describeBar(bar).replace(/^[\d,]+ events at /, "");
  if (v.passed) return `${head} — meets the bar (${needs}).`;
  const why = volumeShortfalls(v, bar);
  if (v.errorRate > 0 && v.firstError && why.length) why[why.length - 1] += `, the first: ${v.firstError}`;
  if (!why.length) why.push("the run did not complete");
  // The first red answer is a whole message of its own ("…for up to 4 hours."): one full stop.
  const stopped = v.stoppedEarly ? ` ${sentence(`Stopped early, after ${v.events} events: ${v.stoppedEarly}`)}` : "";
  return `${sentence(`${head} — misses the bar (${needs}): ${why.join("; ")}`)}${stopped}`;
}

/** The options that are set (so `{ events: undefined }` does not hide a default). */
function definedOnly(o: Partial<VolumeBar>): Partial<VolumeBar> {
  const out: Partial<VolumeBar> = {};
  for (const k of ["events", "concurrency", "minEventsPerSecond", "maxP95Ms", "maxErrorRate"] as const)
    if (o[k] !== undefined) out[k] = o[k];
  return out;
}
