// Replay results: what the partner's code did with each message. The JSON shape of
// `devcenter replay --format json` is a contract other tools read (see README).
import type { Policy } from "../core/policy.js";
import type { Exchange } from "./exchange.js";

/** green = delivered, yellow = "event not supported", red = anything else. */
export const CASE_STATUSES = ["pass", "unsupported", "fail"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface ReplayCase {
  name: string;
  /** Spec call type of the message, or "probe" for delivery-pipeline probes. */
  type: string;
  status: CaseStatus;
  httpStatus?: number;
  durationMs: number;
  message: string;
  /**
   * The message as Markdown, when replay built it with `msg` (src/core/markdown.ts). Only the front
   * door that ran the replay renders it (the CLI, the Action's job summary and check run): the
   * check run's data for the App leaves it out, and the App escapes replay messages whole.
   */
  markdown?: string;
  /** Which component the case ran against (its name or `type/style`). */
  component?: string;
  /** test-suite | fixture | spec | probe | fault | stream */
  group?: string;
  /** For a failed delivery: whether the platform would retry it (timeouts, 429, 5xx, RetryError). */
  retryable?: boolean;
  /** Function replay: how many requests the handler sent to the partner's API. */
  requests?: number;
  /**
   * Where the case comes from, relative to the integration's folder: the fixture file it replays
   * (and `line`, the line its event starts on), or the handler module that failed to load.
   */
  file?: string;
  line?: number;
  /**
   * Function replay: the golden file replay wrote for this case — `created` when it held no
   * recording of the case yet (nothing was compared: commit the file), `updated` with --update.
   */
  golden?: { file: string; status: "created" | "updated" };
  /**
   * Webhook replay: the request sent (the API key and sensitive settings redacted) and the answer
   * (status, headers, the first 2 KB of the body), to reproduce the case with curl.
   */
  exchange?: Exchange;
}

export interface VolumeResult {
  events: number;
  eventsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errorRate: number;
  /** Deliveries in flight during the run (absent in results from older versions). */
  concurrency?: number;
  /** The bar the run was graded against (the policy's, or a stricter manifest's) and whether it was met. */
  minEventsPerSecond?: number;
  maxP95Ms?: number;
  maxErrorRate?: number;
  passed?: boolean;
}

export interface ReplayReport {
  summary: { pass: number; unsupported: number; fail: number };
  cases: ReplayCase[];
  volume?: VolumeResult;
  /**
   * The platform policy the run was made under, and what it used: the longest per-event deadline
   * of any component and the Test Suite version sent. Whoever grades the results (the checklist,
   * the App) compares these with the policy it enforces. Absent in results from older versions.
   */
  policy?: Policy;
  timeoutMs?: number;
  testSuiteVersion?: string;
}
