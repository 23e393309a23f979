// Replay reports as text (a table with green/yellow/red marks), Markdown and the JSON contract of
// `devcenter replay --format json`.
import { DEFAULT_POLICY } from "../core/policy.js";
import { escapeMarkdown } from "./escape.js";
import type { Style } from "./style.js";
import type { ReplayCase, ReplayReport } from "../replay/types.js";

/** The JSON contract: summary, cases (name, type, status, httpStatus, durationMs, message, …), volume when asked. */
export function replayJson(report: ReplayReport): string {
  const out: Record<string, unknown> = {
    summary: report.summary,
    cases: report.cases.map((c) => ({
      name: c.name,
      type: c.type,
      status: c.status,
      // Always present: null when there was no HTTP answer (a function handler, a timeout, a refused connection).
      httpStatus: c.httpStatus ?? null,
      durationMs: c.durationMs,
      message: c.message,
      ...(c.component !== undefined ? { component: c.component } : {}),
      ...(c.group !== undefined ? { group: c.group } : {}),
      ...(c.retryable !== undefined ? { retryable: c.retryable } : {}),
      ...(c.requests !== undefined ? { requests: c.requests } : {}),
      ...(c.file !== undefined ? { file: c.file } : {}),
      ...(c.line !== undefined ? { line: c.line } : {}),
      ...(c.golden !== undefined ? { golden: c.golden } : {}),
    })),
  };
  if (report.volume) out.volume = report.volume;
  if (report.policy) out.policy = report.policy;
  if (report.timeoutMs !== undefined) out.timeoutMs = report.timeoutMs;
  if (report.testSuiteVersion !== undefined) out.testSuiteVersion = report.testSuiteVersion;
  return `${JSON.stringify(out, null, 2)}\n`;
}

const MARK = { pass: "✓", unsupported: "~", fail: "✗" } as const;
const WORD = { pass: "pass", unsupported: "unsupported", fail: "FAIL" } as const;

export function mark(c: Pick<ReplayCase, "status">, style: Style): string {
  const paint = c.status === "pass" ? style.green : c.status === "unsupported" ? style.yellow : style.red;
  return paint(`${MARK[c.status]} ${WORD[c.status].padEnd(11)}`);
}

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

/** One progress line (stderr). */
export function progressLine(c: ReplayCase, style: Style): string {
  return `${mark(c, style)} ${c.name} ${style.dim(`(${c.httpStatus !== undefined ? `HTTP ${c.httpStatus}, ` : ""}${ms(c.durationMs)})`)}\n`;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function replayText(report: ReplayReport, style: Style): string {
  const lines: string[] = [];
  let component: string | undefined = "\0";
  const nameWidth = Math.min(64, Math.max(10, ...report.cases.map((c) => c.name.length)));
  for (const c of report.cases) {
    if (c.component !== component) {
      component = c.component;
      if (lines.length) lines.push("");
      if (component) lines.push(style.bold(component));
    }
    const http = c.httpStatus !== undefined ? String(c.httpStatus) : "";
    lines.push(`  ${mark(c, style)} ${clip(c.name, nameWidth).padEnd(nameWidth)}  ${http.padStart(3)}  ${ms(c.durationMs).padStart(7)}  ${style.dim(c.type)}`);
    // Green cases stay one line; yellow and red ones say why.
    if (c.status !== "pass") for (const l of c.message.split("\n")) lines.push(`      ${c.status === "fail" ? l : style.dim(l)}`);
  }
  if (report.volume) {
    const v = report.volume;
    lines.push("");
    lines.push(style.bold("Volume"));
    lines.push(
      `  ${v.passed === false ? style.red("✗") : style.green("✓")} ${v.events} events, ${v.eventsPerSecond} events/s (bar ${v.minEventsPerSecond ?? DEFAULT_POLICY.volume.minEventsPerSecond}), p50 ${v.p50Ms} ms, p95 ${v.p95Ms} ms, p99 ${v.p99Ms} ms, error rate ${(v.errorRate * 100).toFixed(2)}%`,
    );
  }
  const { pass, unsupported, fail } = report.summary;
  lines.push("");
  const verdict = fail === 0 && report.volume?.passed !== false ? style.green("Replay passed") : style.red("Replay failed");
  lines.push(`${verdict}: ${pass} green, ${unsupported} yellow (not supported), ${fail} red.`);
  return `${lines.join("\n")}\n`;
}

export function replayMarkdown(report: ReplayReport): string {
  const { pass, unsupported, fail } = report.summary;
  const icon = { pass: "🟢", unsupported: "🟡", fail: "🔴" } as const;
  const lines = [
    "## Replay",
    "",
    `${fail === 0 && report.volume?.passed !== false ? "**Passed**" : "**Failed**"}: ${pass} green, ${unsupported} yellow (not supported), ${fail} red.`,
    "",
    "| | Case | Type | HTTP | Time | Message |",
    "|---|---|---|---|---|---|",
  ];
  for (const c of report.cases) {
    const name = c.component ? `${escapeMarkdown(c.component, 80)}: ${escapeMarkdown(c.name, 120)}` : escapeMarkdown(c.name, 120);
    lines.push(`| ${icon[c.status]} | ${name} | ${escapeMarkdown(c.type, 20)} | ${c.httpStatus ?? ""} | ${ms(c.durationMs)} | ${escapeMarkdown(c.message, 400)} |`);
  }
  if (report.volume) {
    const v = report.volume;
    lines.push(
      "",
      "### Volume",
      "",
      "| Events | Events/s | Bar | p50 | p95 | p99 | Error rate | Result |",
      "|---|---|---|---|---|---|---|---|",
      `| ${v.events} | ${v.eventsPerSecond} | ≥ ${v.minEventsPerSecond ?? DEFAULT_POLICY.volume.minEventsPerSecond} | ${v.p50Ms} ms | ${v.p95Ms} ms | ${v.p99Ms} ms | ${(v.errorRate * 100).toFixed(2)}% | ${v.passed === false ? "🔴 missed" : "🟢 met"} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
