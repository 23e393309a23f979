// One view of replay results, and its three adapters: text (a terminal), Markdown (the job summary,
// the check run, the App's comment) and JSON (`--format json`, the contract other tools read).
// Every front door renders replay through this file: the 🟢🟡🔴 map, the counts and the volume line
// are written once here.
import { DEFAULT_POLICY } from "../core/policy.js";
import { exchangeLines } from "../replay/exchange.js";
import type { CaseStatus, ReplayCase, ReplayReport, VolumeResult } from "../replay/types.js";
import { escapeMarkdown, inlineCode, messageMarkdown } from "./escape.js";
import type { Style } from "./style.js";

export const STATUS_ICON: Readonly<Record<CaseStatus, string>> = { pass: "🟢", unsupported: "🟡", fail: "🔴" };
const MARK: Readonly<Record<CaseStatus, string>> = { pass: "✓", unsupported: "~", fail: "✗" };
const WORD: Readonly<Record<CaseStatus, string>> = { pass: "pass", unsupported: "unsupported", fail: "FAIL" };

export interface VolumeView {
  result: VolumeResult;
  /** The bar the run was held to (the manifest's, else the default). */
  bar: number;
  /** Whether any event was sent (a run whose target is down sends none). */
  ran: boolean;
  met: boolean;
}

export interface ReplayView {
  passed: boolean;
  summary: ReplayReport["summary"];
  cases: readonly ReplayCase[];
  volume?: VolumeView;
}

export function replayView(report: ReplayReport): ReplayView {
  const v = report.volume;
  const volume = v
    ? {
        result: v,
        bar: v.minEventsPerSecond ?? DEFAULT_POLICY.volume.minEventsPerSecond,
        ran: v.events > 0,
        met: v.passed !== false,
      }
    : undefined;
  return {
    passed: report.summary.fail === 0 && volume?.met !== false,
    summary: report.summary,
    cases: report.cases,
    ...(volume ? { volume } : {}),
  };
}

// ---- words shared by every adapter ----

/** "6 green, 2 yellow (not supported), 0 red" */
export function countsSentence(view: Pick<ReplayView, "summary">): string {
  const { pass, unsupported, fail } = view.summary;
  return `${pass} green, ${unsupported} yellow (not supported), ${fail} red`;
}

/** The one volume line: "Volume: 300 events at 1234 events/s (bar ≥ 100), p50 …, 0.00% errors — meets the bar." */
export function volumeSentence(v: VolumeView): string {
  if (!v.ran) return "Volume: did not run (see the red case above).";
  const r = v.result;
  const figures = `${r.events} events at ${Math.round(r.eventsPerSecond)} events/s (bar ≥ ${v.bar}), p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, p99 ${r.p99Ms} ms, ${(r.errorRate * 100).toFixed(2)}% errors`;
  return `Volume: ${figures} — ${v.met ? "meets the bar" : "misses the bar"}.`;
}

/**
 * Whether the platform retries the red answers: said once per run rather than on every case.
 * Undefined when no red case is a delivery (setup problems, probes of a function).
 */
export function retrySentence(view: Pick<ReplayView, "cases">): string | undefined {
  const red = view.cases.filter((c) => c.status === "fail" && c.retryable !== undefined);
  if (!red.length) return undefined;
  const retried = red.filter((c) => c.retryable).length;
  if (retried === 0) return "The platform does not retry these red answers (4xx other than 429): the events are lost.";
  if (retried === red.length)
    return "The platform retries these red answers (timeouts, 429 and 5xx) for up to 4 hours.";
  return `The platform retries ${retried} of the ${red.length} red answers (timeouts, 429 and 5xx) for up to 4 hours; the others are not retried.`;
}

/** "test/events/order.json:3" for a case from a fixture file. */
export function caseLocation(c: Pick<ReplayCase, "file" | "line">): string | undefined {
  return c.file === undefined ? undefined : c.line !== undefined ? `${c.file}:${c.line}` : c.file;
}

export function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

// ---- text ----

export function mark(c: Pick<ReplayCase, "status">, style: Style): string {
  const paint = c.status === "pass" ? style.green : c.status === "unsupported" ? style.yellow : style.red;
  return paint(`${MARK[c.status]} ${WORD[c.status].padEnd(11)}`);
}

/** One progress line (stderr, the Action's log). */
export function progressLine(c: ReplayCase, style: Style): string {
  return `${mark(c, style)} ${c.name} ${style.dim(`(${c.httpStatus !== undefined ? `HTTP ${c.httpStatus}, ` : ""}${ms(c.durationMs)})`)}\n`;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** `--show`: a webhook case's request and answer, and the curl command that sends it again. */
function shownExchange(c: ReplayCase, style: Style, indent: string): string[] {
  return c.exchange ? exchangeLines(c.exchange).map((l) => `${indent}${style.dim(l)}`) : [];
}

/** `devcenter replay`: every case, grouped by component; yellow and red ones say why; with `show`, what each webhook case sent and got. */
export function replayText(report: ReplayReport, style: Style, show = false): string {
  const view = replayView(report);
  const lines: string[] = [];
  let component: string | undefined = "\0";
  const nameWidth = Math.min(64, Math.max(10, ...view.cases.map((c) => c.name.length)));
  for (const c of view.cases) {
    if (c.component !== component) {
      component = c.component;
      if (lines.length) lines.push("");
      if (component) lines.push(style.bold(component));
    }
    const http = c.httpStatus !== undefined ? String(c.httpStatus) : "";
    const where = caseLocation(c);
    lines.push(
      `  ${mark(c, style)} ${clip(c.name, nameWidth).padEnd(nameWidth)}  ${http.padStart(3)}  ${ms(c.durationMs).padStart(7)}  ${style.dim(c.type)}${where ? `  ${style.dim(where)}` : ""}`,
    );
    if (c.status !== "pass")
      for (const l of c.message.split("\n")) lines.push(`      ${c.status === "fail" ? l : style.dim(l)}`);
    if (show) lines.push(...shownExchange(c, style, "      "));
  }
  const retry = retrySentence(view);
  if (retry) lines.push("", retry);
  if (view.volume)
    lines.push("", `${view.volume.met ? style.green("✓") : style.red("✗")} ${volumeSentence(view.volume)}`);
  lines.push(
    "",
    `${view.passed ? style.green("Replay passed") : style.red("Replay failed")}: ${countsSentence(view)}.`,
  );
  return `${lines.join("\n")}\n`;
}

/** `devcenter review`'s replay section: the counts, the red cases (with `show`, what each sent and got), the volume line. */
export function replayBriefText(report: ReplayReport, style: Style, show = false): string[] {
  const view = replayView(report);
  const { pass, unsupported, fail } = view.summary;
  const out = [
    style.bold("Replay"),
    `  ${style.green(`${pass} green`)}, ${style.yellow(`${unsupported} yellow`)}, ${fail ? style.red(`${fail} red`) : "0 red"}`,
  ];
  for (const c of view.cases.filter((c) => c.status === "fail")) {
    const where = caseLocation(c);
    out.push(
      `  ${style.red("✗")} ${c.name}${c.httpStatus ? ` (HTTP ${c.httpStatus})` : ""}${where ? ` ${style.dim(where)}` : ""}: ${c.message}`,
    );
    if (show) out.push(...shownExchange(c, style, "      "));
  }
  const retry = retrySentence(view);
  if (retry) out.push(`  ${retry}`);
  if (view.volume) out.push(`  ${volumeSentence(view.volume)}`);
  return out;
}

// ---- Markdown ----

/** "🟢 6 · 🟡 2 · 🔴 0" */
export function countsMarkdown(view: Pick<ReplayView, "summary">): string {
  const { pass, unsupported, fail } = view.summary;
  return `${STATUS_ICON.pass} ${pass} · ${STATUS_ICON.unsupported} ${unsupported} · ${STATUS_ICON.fail} ${fail}`;
}

export interface TableOptions {
  /** At most this many rows; a line after says how many more and where they are. */
  maxRows?: number;
  /** Where the rest is ("in the check run"). */
  moreWhere?: string;
  /** Longest message kept in a cell. */
  maxMessage?: number;
  /** The volume run, whose row shows how long the run took (its case has no time of its own). */
  volume?: VolumeView;
  /**
   * The cases were replayed by this process (the CLI, the Action): their messages' Markdown form is
   * used. Never for replay results read from a check run (the App): those are escaped whole.
   */
  ownMarkdown?: boolean;
}

/** The Time cell: a case's own time; the volume row's, the run's length (its events at its rate). */
function timeCell(c: ReplayCase, volume: VolumeView | undefined): string {
  const v = volume?.result;
  if (c.group === "volume" && c.durationMs === 0 && v && v.events > 0 && v.eventsPerSecond > 0)
    return ms((v.events / v.eventsPerSecond) * 1000);
  return ms(c.durationMs);
}

/** The case table. Case names, components and messages came from the partner's code: escaped. */
export function casesTableMarkdown(cases: readonly ReplayCase[], options: TableOptions = {}): string[] {
  if (!cases.length) return [];
  const max = options.maxRows ?? cases.length;
  const out = ["| | Case | Type | HTTP | Time | Message |", "|---|---|---|---|---|---|"];
  for (const c of cases.slice(0, max)) {
    // The name in a code span: copied from the table it is the name as replay gave it, with no
    // character added to keep GitHub from linking "#0" (escapeMarkdown's zero-width joiner).
    const code = inlineCode(c.name, { inTable: true, maxLength: 120 });
    const name = c.component ? `${escapeMarkdown(c.component, 80)}: ${code}` : code;
    const type = inlineCode(c.type, { inTable: true, maxLength: 20 });
    out.push(
      `| ${STATUS_ICON[c.status]} | ${name} | ${type} | ${c.httpStatus ?? ""} | ${timeCell(c, options.volume)} | ${options.ownMarkdown ? messageMarkdown(c, options.maxMessage ?? 400) : escapeMarkdown(c.message, options.maxMessage ?? 400)} |`,
    );
  }
  if (cases.length > max)
    out.push("", `…and ${cases.length - max} more cases${options.moreWhere ? ` ${options.moreWhere}` : ""}.`);
  const retry = retrySentence({ cases });
  if (retry) out.push("", retry);
  return out;
}

const RANK: Readonly<Record<CaseStatus, number>> = { fail: 0, unsupported: 1, pass: 2 };

/**
 * The job summary's case tables: red rows, then yellow, then the volume row (a figure about the
 * whole run, shown even when green), each group in run order; the other green rows folded in a
 * <details> below, so what needs attention is what the page opens on.
 */
export function casesFoldedMarkdown(
  view: Pick<ReplayView, "cases" | "volume">,
  { ownMarkdown = false }: Pick<TableOptions, "ownMarkdown"> = {},
): string[] {
  const shown = view.cases.filter((c) => c.status !== "pass" || c.group === "volume");
  const ordered = shown
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        RANK[a.c.status] - RANK[b.c.status] ||
        (a.c.group === "volume" ? 1 : 0) - (b.c.group === "volume" ? 1 : 0) ||
        a.i - b.i,
    );
  const out = casesTableMarkdown(
    ordered.map((x) => x.c),
    { ...(view.volume ? { volume: view.volume } : {}), ownMarkdown },
  );
  const green = view.cases.filter((c) => !shown.includes(c));
  if (green.length) {
    if (out.length) out.push("");
    out.push(
      "<details>",
      `<summary>${STATUS_ICON.pass} ${green.length} green case${green.length === 1 ? "" : "s"}</summary>`,
      "",
      ...casesTableMarkdown(green, { ownMarkdown }),
      "",
      "</details>",
    );
  }
  return out;
}

/** `devcenter replay --format markdown`. */
export function replayMarkdown(report: ReplayReport): string {
  const view = replayView(report);
  const lines = [
    "## Replay",
    "",
    `${view.passed ? "**Passed**" : "**Failed**"}: ${countsSentence(view)}.`,
    "",
    // The replay this command just ran: its own messages keep their Markdown.
    ...casesTableMarkdown(view.cases, { ownMarkdown: true }),
  ];
  if (view.volume) lines.push("", volumeSentence(view.volume));
  return `${lines.join("\n")}\n`;
}

// ---- JSON ----

/** A case in the JSON contract: `httpStatus` always present (null when there was no HTTP answer), in this key order. */
export function caseToJson(c: ReplayCase): Record<string, unknown> {
  const { name, type, status, httpStatus, durationMs, message, markdown: _md, ...rest } = c;
  return { name, type, status, httpStatus: httpStatus ?? null, durationMs, message, ...rest };
}

/** The JSON contract: summary, cases (name, type, status, httpStatus, durationMs, message, …), volume when run. */
export function replayToJson(report: ReplayReport): Record<string, unknown> {
  return {
    summary: report.summary,
    cases: report.cases.map(caseToJson),
    ...(report.volume ? { volume: report.volume } : {}),
    ...(report.policy ? { policy: report.policy } : {}),
    ...(report.timeoutMs !== undefined ? { timeoutMs: report.timeoutMs } : {}),
    ...(report.testSuiteVersion !== undefined ? { testSuiteVersion: report.testSuiteVersion } : {}),
  };
}

export function replayJson(report: ReplayReport): string {
  return `${JSON.stringify(replayToJson(report), null, 2)}\n`;
}
