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

/** Parent → worker: run one handler. `answers` null: every request gets 200 `{}`. */
export interface RunMessage {
  type: "run";
  id: number;
  handler: string;
  args: unknown[];
  answers: PartnerAnswer[] | null;
  seed: string;
  clockMs: number;
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
  unmatched: string[];
  refused?: string[];
  unusedAnswers: number;
}

/** Worker → parent. */
export type WorkerMessage =
  | { type: "loaded"; handlers: string[] }
  | { type: "load-error"; message: string; error?: DescribedError }
  | { type: "exit-called"; code: number }
  | { type: "uncaught"; kind: "exception" | "rejection"; name: string; message: string; at?: string; eventId?: number; handler?: string }
  | { type: "memory"; heapMb: number; externalMb: number }
  | ResultMessage;
