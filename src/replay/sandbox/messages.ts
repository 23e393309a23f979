// What the parent (function.ts) and the sandbox worker (main.ts) say to each other. Types only:
// both sides import them, neither bundles anything from here.
import type { RecordedRequest } from "../golden.js";
import type { HandlerError, PartnerAnswer } from "../function.js";

/** The worker's workerData. */
export interface SandboxData {
  /** Absolute path of the handler module. */
  entry: string;
  /** The integration's folder: an error's `at` is the first stack frame below it. */
  root: string;
  /** Values redacted from recorded requests. */
  secrets: { key: string; value: string }[];
  /** Let requests reach the network (still recorded); for benchmarks. */
  liveFetch: boolean;
  memoryMb: number;
}

/** Parent → worker: run handlers, one event each, in one message per turn of the parent's event loop. */
export interface RunMessage {
  type: "run";
  runs: {
    id: number;
    handler: string;
    args: unknown[];
    /** null: every request gets 200 `{}`. */
    answers: PartnerAnswer[] | null;
    seed: string;
    clockMs: number;
    /** false: the requests are counted, not recorded (volume runs, which keep only the count). */
    record: boolean;
  }[];
}

/** An error as the worker describes it; `header` is a syntax error's "file:line", source line and caret. */
export type DescribedError = HandlerError & { header?: string };

export interface ResultMessage {
  type: "result";
  id: number;
  outcome: "return" | "throw" | "missing";
  error?: HandlerError;
  value?: string;
  requests: RecordedRequest[];
  /** How many requests were sent, when they were counted and not recorded. */
  sent?: number;
  unmatched: string[];
  refused?: string[];
  unusedAnswers: number;
}

/** Worker → parent. Results come in batches: one message per turn of the worker's event loop. */
export type WorkerMessage =
  | { type: "loaded"; handlers: string[] }
  | { type: "load-error"; message: string; error?: DescribedError }
  | { type: "exit-called"; code: number }
  | {
      type: "uncaught";
      kind: "exception" | "rejection";
      name: string;
      message: string;
      at?: string;
      eventId?: number;
      handler?: string;
    }
  | { type: "memory"; heapMb: number; externalMb: number }
  | { type: "results"; results: ResultMessage[] };
