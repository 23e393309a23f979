// The replay results the Action hands to the App: a ReplayReport as base64 JSON inside a hidden
// marker in the `devcenter replay` check run's `output.text`:
//   <!-- devcenter:replay-data BASE64 -->                 (integration at the repository root)
//   <!-- devcenter:replay-data BASE64 root:PATH -->       (integration under `integrations/x/`)
// The Action imports the encoder; the App decodes. Whatever is decoded came from the partner's CI
// (untrusted): it is validated field by field and clipped before anyone renders it, and the App
// grades its raw numbers against the operator's policy rather than taking its verdict.
// Compatible both ways: the policy the run was made under, the timeout it used and the Test Suite
// version it sent (added with the platform policy) are optional fields that older readers ignore,
// and a report without them is still read (the App then grades the raw numbers alone).
import { MARKERS } from "../core/vocabulary.js";
import { policyFromJson } from "../policy/parse.js";
import { CASE_STATUSES, type CaseStatus, type ReplayCase, type ReplayReport, type VolumeResult } from "./types.js";
import { truncate } from "../core/text.js";

/** At most this many cases are kept from one report (a check run's text is ≤ 65,535 characters anyway). */
export const MAX_REPLAY_CASES = 500;
const MAX_STRING = 500;

export interface ReplayData {
  /** Root of the integration the report is about, relative to the repository ("" = the root). */
  root: string;
  report: ReplayReport;
}

export function encodeReplayData(report: ReplayReport, root = ""): string {
  const json = JSON.stringify({
    summary: report.summary,
    // A case's exchange (request and answer) stays out: the check run's text has room for the cases only.
    // So does its Markdown form: the App never renders Markdown that came from the partner's CI.
    cases: report.cases.map(({ exchange: _left, markdown: _md, ...c }) => c),
    ...(report.volume ? { volume: report.volume } : {}),
    ...(report.policy ? { policy: report.policy } : {}),
    ...(report.timeoutMs !== undefined ? { timeoutMs: report.timeoutMs } : {}),
    ...(report.testSuiteVersion !== undefined ? { testSuiteVersion: report.testSuiteVersion } : {}),
  });
  const b64 = Buffer.from(json, "utf8").toString("base64");
  const where = root && root !== "." ? ` root:${encodeURIComponent(root.replace(/\/+$/, ""))}` : "";
  return `<!-- ${MARKERS.replayData} ${b64}${where} -->`;
}

const PATTERN = new RegExp(`<!-- ${MARKERS.replayData} ([A-Za-z0-9+/=]+)(?: root:(\\S+))? -->`, "g");

/** Every valid report in `text`; malformed markers are skipped. The last one per root wins. */
export function decodeReplayData(text: string | null | undefined): ReplayData[] {
  if (!text) return [];
  const byRoot = new Map<string, ReplayReport>();
  for (const m of text.matchAll(PATTERN)) {
    let root = "";
    try {
      root = m[2] ? decodeURIComponent(m[2]) : "";
    } catch {
      continue;
    }
    const report = parseReport(Buffer.from(m[1]!, "base64").toString("utf8"));
    if (report) byRoot.set(root, report);
  }
  return [...byRoot].map(([root, report]) => ({ root, report }));
}

function parseReport(json: string): ReplayReport | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isObject(raw) || !isObject(raw.summary) || !Array.isArray(raw.cases)) return undefined;
  const count = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined);
  const pass = count(raw.summary.pass);
  const unsupported = count(raw.summary.unsupported);
  const fail = count(raw.summary.fail);
  if (pass === undefined || unsupported === undefined || fail === undefined) return undefined;
  const cases: ReplayCase[] = [];
  for (const c of raw.cases.slice(0, MAX_REPLAY_CASES)) {
    const parsed = parseCase(c);
    if (!parsed) return undefined;
    cases.push(parsed);
  }
  const report: ReplayReport = { summary: { pass, unsupported, fail }, cases };
  const volume = parseVolume(raw.volume);
  if (volume) report.volume = volume;
  const policy = policyFromJson(raw.policy);
  if (policy) report.policy = policy;
  const timeoutMs = finite(raw.timeoutMs);
  if (timeoutMs !== undefined && timeoutMs > 0) report.timeoutMs = timeoutMs;
  if (typeof raw.testSuiteVersion === "string" && /^[\w.-]{1,20}$/.test(raw.testSuiteVersion))
    report.testSuiteVersion = raw.testSuiteVersion;
  return report;
}

function parseCase(c: unknown): ReplayCase | undefined {
  if (!isObject(c)) return undefined;
  if (typeof c.name !== "string" || typeof c.type !== "string" || typeof c.message !== "string") return undefined;
  if (!(CASE_STATUSES as readonly string[]).includes(c.status as string)) return undefined;
  const out: ReplayCase = {
    name: clip(c.name),
    type: /^[a-z][a-z-]{0,19}$/.test(c.type) ? c.type : "unknown",
    status: c.status as CaseStatus,
    durationMs: finite(c.durationMs) ?? 0,
    message: clip(c.message),
  };
  const http = finite(c.httpStatus);
  if (http !== undefined && Number.isInteger(http) && http >= 100 && http <= 599) out.httpStatus = http;
  if (typeof c.component === "string") out.component = clip(c.component, 100);
  if (typeof c.group === "string" && /^[a-z][a-z-]{0,19}$/.test(c.group)) out.group = c.group;
  return out;
}

function parseVolume(v: unknown): VolumeResult | undefined {
  if (!isObject(v)) return undefined;
  const keys = ["events", "eventsPerSecond", "p50Ms", "p95Ms", "p99Ms", "errorRate"] as const;
  const values = keys.map((k) => finite(v[k]));
  if (values.some((x) => x === undefined || x < 0)) return undefined;
  const [events, eventsPerSecond, p50Ms, p95Ms, p99Ms, errorRate] = values as number[];
  const out: VolumeResult = {
    events: events!,
    eventsPerSecond: eventsPerSecond!,
    p50Ms: p50Ms!,
    p95Ms: p95Ms!,
    p99Ms: p99Ms!,
    errorRate: errorRate!,
  };
  for (const k of ["concurrency", "minEventsPerSecond", "maxP95Ms", "maxErrorRate"] as const) {
    const n = finite(v[k]);
    if (n !== undefined && n >= 0) out[k] = n;
  }
  if (typeof v.passed === "boolean") out.passed = v.passed;
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const finite = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const clip = (s: string, n = MAX_STRING) => truncate(s, n + 1);
