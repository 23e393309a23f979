// Replay results: what the partner's code did with each message. The JSON shape of
// `devcenter replay --format json` is a contract other tools read (see README).

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
}

export interface VolumeResult {
  events: number;
  eventsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errorRate: number;
  /** The manifest's bar (default ≥ 100 events/s, no red answers) and whether it was met. */
  minEventsPerSecond?: number;
  passed?: boolean;
}

export interface ReplayReport {
  summary: { pass: number; unsupported: number; fail: number };
  cases: ReplayCase[];
  volume?: VolumeResult;
}

/** Volume replay when neither the command line nor the manifest says otherwise: the "supports high data volumes" bar. */
export const DEFAULT_VOLUME = { events: 10_000, concurrency: 20, minEventsPerSecond: 100 } as const;
