// The review queue snapshot (`queue.json` in the catalog repository): written by the App's sweep,
// read by the catalog site. Format documented in docs/catalog-repository.md; `schema` changes
// whenever a field changes meaning, and a reader shows an older or newer snapshot as such.
export const QUEUE_SCHEMA = 1;
export const QUEUE_FILE = "queue.json";

/** States in the order a reviewer should look at them: the first three wait for a reviewer. */
export const QUEUE_STATES = {
  breaking: "Breaking change to approve",
  ready: "Ready for a label",
  waiting: "Waiting for a reviewer",
  "changes-requested": "Changes requested",
  blocked: "Blocked by automatic items",
} as const;
export type QueueState = keyof typeof QUEUE_STATES;
const ORDER = Object.keys(QUEUE_STATES) as QueueState[];
export const REVIEWERS_TURN: readonly QueueState[] = ["breaking", "ready", "waiting"];

export interface QueueEntry {
  /** `owner/repo` of the pull request. */
  repository: string;
  pullRequest: number;
  url: string;
  title: string;
  /** The pull request's author. */
  partner: string;
  integration: { slug?: string; name?: string; root: string };
  /** The stage the catalog records, and the next one the submission is heading for. */
  stage?: string;
  target?: string;
  /** Submitted (ready for review) at. */
  since: string;
  businessDays: number;
  overdue: boolean;
  state: QueueState;
  /** Automatic checklist items that fail, for `blocked`. */
  blockedBy: string[];
}

export interface QueueSnapshot {
  schema: number;
  takenAt: string;
  /** The review SLA in business days (DEVCENTER_REVIEW_DAYS) when the snapshot was taken. */
  reviewBusinessDays: number;
  entries: QueueEntry[];
}

/** What needs a reviewer first: by state, then the longest wait, then the pull request. */
export function compareQueueEntries(a: QueueEntry, b: QueueEntry): number {
  return (
    ORDER.indexOf(a.state) - ORDER.indexOf(b.state) ||
    b.businessDays - a.businessDays ||
    a.since.localeCompare(b.since) ||
    a.repository.localeCompare(b.repository) ||
    a.pullRequest - b.pullRequest ||
    a.integration.root.localeCompare(b.integration.root)
  );
}

/** The snapshot as JSON, stable for the "did it change?" comparison. */
export function serializeQueue(snapshot: QueueSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

export type QueueRead =
  | { ok: true; snapshot: QueueSnapshot; skipped: number }
  | { ok: false; kind: "invalid" | "older" | "newer"; message: string; takenAt?: string };

const str = (v: unknown, max = 300): string | undefined => (typeof v === "string" && v.length <= max ? v : undefined);

/** One entry, or undefined when a field is missing or of the wrong type (the entry is skipped). */
function entryOf(v: unknown): QueueEntry | undefined {
  if (typeof v !== "object" || v === null) return undefined;
  const e = v as Record<string, unknown>;
  const integration = (typeof e.integration === "object" && e.integration !== null ? e.integration : {}) as Record<
    string,
    unknown
  >;
  const repository = str(e.repository, 200);
  const url = str(e.url, 500);
  const since = str(e.since, 40);
  const state = str(e.state, 40) as QueueState | undefined;
  if (!repository || !url || !since || !state || !(state in QUEUE_STATES)) return undefined;
  if (!Number.isInteger(e.pullRequest) || typeof e.businessDays !== "number") return undefined;
  const out: QueueEntry = {
    repository,
    pullRequest: e.pullRequest as number,
    url,
    title: str(e.title, 1000) ?? "",
    partner: str(e.partner, 100) ?? "",
    integration: { root: str(integration.root, 500) ?? "" },
    since,
    businessDays: e.businessDays,
    overdue: e.overdue === true,
    state,
    blockedBy: Array.isArray(e.blockedBy)
      ? e.blockedBy.filter((x): x is string => typeof x === "string").slice(0, 50)
      : [],
  };
  const slug = str(integration.slug, 100);
  const name = str(integration.name, 200);
  if (slug) out.integration.slug = slug;
  if (name) out.integration.name = name;
  const stage = str(e.stage, 40);
  const target = str(e.target, 40);
  if (stage) out.stage = stage;
  if (target) out.target = target;
  return out;
}

export function parseQueue(text: string): QueueRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, kind: "invalid", message: `is not valid JSON (${(error as Error).message})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { ok: false, kind: "invalid", message: "is not a queue snapshot (a JSON object)" };
  const v = value as Record<string, unknown>;
  const takenAt = str(v.takenAt, 40);
  const at = takenAt ? { takenAt } : {};
  if (typeof v.schema !== "number" || v.schema < QUEUE_SCHEMA) {
    return {
      ok: false,
      kind: "older",
      message: `is in an older format (schema ${typeof v.schema === "number" ? v.schema : "missing"}; this version reads ${QUEUE_SCHEMA}); the App's next sweep replaces it`,
      ...at,
    };
  }
  if (v.schema > QUEUE_SCHEMA)
    return {
      ok: false,
      kind: "newer",
      message: `is in a newer format (schema ${v.schema}) than this devcenter reads (${QUEUE_SCHEMA}); update devcenter`,
      ...at,
    };
  if (!takenAt || !Array.isArray(v.entries))
    return { ok: false, kind: "invalid", message: "has no takenAt or entries" };
  const entries = v.entries.map(entryOf);
  const kept = entries.filter((e): e is QueueEntry => e !== undefined).sort(compareQueueEntries);
  const days = typeof v.reviewBusinessDays === "number" ? v.reviewBusinessDays : 2;
  return {
    ok: true,
    snapshot: { schema: QUEUE_SCHEMA, takenAt, reviewBusinessDays: days, entries: kept },
    skipped: entries.length - kept.length,
  };
}
