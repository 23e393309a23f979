// The platform's bars: what "ready" means, owned by the operator, never by the partner's manifest.
// Built-in defaults here; the operator overrides them (policy.yml in the catalog repository, read
// by the App; --policy FILE in the CLI; the Action's `policy` input). A manifest may only ask for
// stricter values. Pure data: no fs, env or clock.

export interface Policy {
  /** Delivery: a webhook answer (or a handler's return) slower than this is a timeout. */
  delivery: { timeoutMs: number };
  /** "Supports high data volumes": the floor every subscription's volume run must reach. */
  volume: {
    events: number;
    concurrency: number;
    minEventsPerSecond: number;
    maxP95Ms: number;
    /** 0 = no red answer at all. */
    maxErrorRate: number;
  };
  /** The Test Suite version replay sends; a run made with another version does not count. */
  testSuite: { version: string };
  /** Plugin components in a real browser (budgets per plugin). */
  plugin: { loadTimeoutMs: number; maxGzipBytes: number; maxLongTaskMs: number };
}

export const DEFAULT_POLICY: Policy = {
  delivery: { timeoutMs: 5_000 },
  volume: { events: 10_000, concurrency: 20, minEventsPerSecond: 100, maxP95Ms: 1_000, maxErrorRate: 0 },
  testSuite: { version: "1" },
  plugin: { loadTimeoutMs: 1_000, maxGzipBytes: 100 * 1024, maxLongTaskMs: 200 },
};

/** Where the operator's overrides live in the catalog repository (next to the records). */
export const POLICY_FILE = "policy.yml";
