// The program's bar for a call type listed in `supports`: an event answered "not supported" (501,
// EventNotSupported, no handler) is yellow — a CRM may need a userId, so it refuses an anonymous
// identify while its other identifies succeed. Only when every event of that type sent in the run
// is answered "not supported" (none delivered: a fixture that expected a delivery is red already)
// is `supports` wrong, and those cases are red.
//
// Replay settles its cases with this; the review engine settles again whatever report it is given
// (idempotent), so the App, which reads the cases from a check run, holds the same rule, and it
// adds the warning on the `supports` line. No runtime imports beyond text helpers: the App loads it.
import type { Diagnostic } from "../core/diagnostic.js";
import { parserRule } from "../core/rule.js";
import { sentence } from "../core/text.js";
import { componentLabel } from "../manifest/component-label.js";
import type { Manifest } from "../manifest/types.js";
import type { ReplayCase, ReplayReport } from "./types.js";

/** A parser rule (core/rule.ts): reported while the review reads a replay report. */
export const partlySupported = parserRule({
  id: "replay/partly-supported",
  severity: "warning",
  title: "Listed call types are supported for every event, or the exceptions are intended",
  description:
    'An event of a call type listed in `supports` answered "not supported" (501, `EventNotSupported`, no handler) is yellow, as the platform grades it: a CRM may refuse an anonymous identify and handle identified ones. The warning sits on the `supports` entry and names the refused events; fix the endpoint or handler if it should handle them. When every event of that type in the run is answered "not supported", `supports` is wrong and those cases are red: handle the type, or remove it from `supports`.',
});
export const REPLAY_RULES = [partlySupported] as const;
export type ReplayRuleId = (typeof REPLAY_RULES)[number]["id"];

/** Groups whose cases each deliver one event of their call type (not probes, faults, volume or setup). */
const EVENT_GROUPS = new Set(["test-suite", "fixture", "spec"]);

interface ListedType {
  component: string;
  index: number;
  type: string;
  /** Position of the type in the component's `supports`. */
  at: number;
  events: ReplayCase[];
}

/** For each subscription and each call type it lists, the replay cases that delivered one such event. */
function listedTypes(manifest: Manifest, cases: readonly ReplayCase[]): ListedType[] {
  const out: ListedType[] = [];
  manifest.components.forEach((c, index) => {
    if (c.type !== "subscription") return;
    const component = componentLabel(c, index);
    (c.supports ?? []).forEach((type, at) => {
      const events = cases.filter(
        (k) => k.component === component && k.type === type && EVENT_GROUPS.has(k.group ?? "test-suite"),
      );
      out.push({ component, index, type, at, events });
    });
  });
  return out;
}

/**
 * Turns red the "not supported" cases of a listed call type when no event of that type was
 * delivered; returns the cases it changed (in place). Otherwise they stay yellow.
 */
export function settleSupports(manifest: Manifest, cases: readonly ReplayCase[]): ReplayCase[] {
  const changed: ReplayCase[] = [];
  for (const t of listedTypes(manifest, cases)) {
    // None delivered (a fixture expecting a delivery is already red) and some refused: `supports` is wrong.
    const refused = t.events.filter((c) => c.status === "unsupported");
    if (refused.length === 0 || t.events.some((c) => c.status === "pass")) continue;
    const n = t.events.length;
    const what =
      refused.length === n
        ? `${n === 1 ? `The one ${t.type} event` : `Every ${t.type} event`} sent${n === 1 ? "" : ` (${n})`} was answered "not supported"`
        : `No ${t.type} event sent (${n}) was delivered`;
    for (const c of refused) {
      c.status = "fail";
      c.retryable = false;
      c.message = `${sentence(c.message)} ${what}, but integration.yml lists ${t.type} under supports: handle ${t.type}, or remove it from supports.`;
      changed.push(c);
    }
  }
  return changed;
}

/** The report with its cases settled and its summary counted again (a new object; cases are copied). */
export function settleReport(manifest: Manifest, report: ReplayReport): ReplayReport {
  const cases = report.cases.map((c) => ({ ...c }));
  if (settleSupports(manifest, cases).length === 0) return report;
  const summary = { pass: 0, unsupported: 0, fail: 0 };
  for (const c of cases) summary[c.status]++;
  return { ...report, summary, cases };
}

/** A warning on the `supports` entry of each listed type that some, but not all, events were refused. */
export function partlySupportedWarnings(
  manifest: Manifest,
  report: ReplayReport,
  file: string,
  locate: (pointer: string) => { line: number; column: number; endLine?: number; endColumn?: number } | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const t of listedTypes(manifest, report.cases)) {
    const refused = t.events.filter((c) => c.status === "unsupported");
    if (refused.length === 0 || refused.length === t.events.length) continue;
    const first = refused[0]!;
    const which =
      refused.length === 1 ? `"${first.name}"` : `${refused.length} of ${t.events.length} (first: "${first.name}")`;
    const d: Diagnostic = {
      ruleId: partlySupported.id,
      severity: "warning",
      message: `Replay sent ${t.events.length} ${t.type} events to ${t.component} and ${which} ${refused.length === 1 ? "was" : "were"} answered "not supported" (${sentence(first.message).replace(/\.$/, "")}). That is yellow, and fine if the integration handles ${t.type} only with some data (a userId, say); if it should handle every ${t.type}, fix the ${first.httpStatus !== undefined ? "endpoint" : "handler"}.`,
      file,
      path: `/components/${t.index}/supports/${t.at}`,
    };
    const pos = locate(d.path!);
    if (pos) Object.assign(d, pos);
    out.push(d);
  }
  return out;
}
