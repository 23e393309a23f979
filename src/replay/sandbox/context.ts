// State the sandbox's parts share: the worker's data, the event in flight (an AsyncLocalStorage,
// so a request made by any code a handler started is charged to that handler's event), whether
// the module is still loading, and the ways out that replay keeps for itself.
import { AsyncLocalStorage } from "node:async_hooks";
import { parentPort as port, workerData } from "node:worker_threads";
import type { RecordedRequest } from "../golden.js";
import type { PartnerAnswer } from "../function.js";
import type { ResultMessage, SandboxData, WorkerMessage } from "./messages.js";

export const data = workerData as SandboxData;

/** Everything one event's handler did that replay reports back. */
export interface EventContext {
  id: number;
  handler: string;
  requests: RecordedRequest[];
  /** Whether requests are recorded (or only counted). */
  record: boolean;
  /** How many requests the handler sent. */
  sent: number;
  /** null: every request gets 200 `{}`. */
  answers: PartnerAnswer[] | null;
  /** Requests partnerApi does not declare. */
  unmatched: string[];
  /** Ways to the network other than fetch that were refused. */
  refused: string[];
  /** How many answers were used. */
  used: number;
  live: boolean;
  /** A "timeout" answer is holding a request. */
  hung: boolean;
}

export const als = new AsyncLocalStorage<EventContext>();

/** liveFetch (benchmarks): requests and sockets reach the network, still recorded. */
export const live = Boolean(data.liveFetch);

/** Whether the module's top-level code is running, and what it tried that replay refused. */
export const loading = { now: true, problems: [] as string[] };

/** Taken before the sandbox replaces them. */
export const realFetch = globalThis.fetch;
export const realExit: (code?: number) => never = process.exit.bind(process);

const parentPort = port!;
// With other events in flight, results leave in one message per turn of the event loop: a message
// each (a structured clone and a wake-up of the parent's thread) was a tenth of the worker's time.
// The last one in flight goes at once, so one event at a time (a replay) is answered as before.
let results: ResultMessage[] = [];
function flushResults(): void {
  if (!results.length) return;
  parentPort.postMessage({ type: "results", results } satisfies WorkerMessage);
  results = [];
}
export function sendResult(result: ResultMessage, othersInFlight: boolean): void {
  if (!results.length && othersInFlight) setImmediate(flushResults);
  results.push(result);
  if (!othersInFlight) flushResults();
}
/** Anything else goes at once, after the results before it (the worker may be about to end). */
export function send(message: Exclude<WorkerMessage, { type: "results" }>): void {
  flushResults();
  parentPort.postMessage(message);
}
export function onRun(listener: (message: { type: string }) => void): void {
  parentPort.on("message", listener);
}

/** Records that the handler (or the module while loading) tried `what`; the error to fail it with. */
export function refuse(what: string): Error & { code: string } {
  const ctx = als.getStore();
  if (ctx) ctx.refused.push(what);
  else if (loading.now) loading.problems.push(what);
  return Object.assign(new Error("devcenter replay: the handler " + what + "."), {
    code: "ERR_DEVCENTER_NOT_CAPTURED",
  });
}
