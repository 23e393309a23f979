// The review report for a terminal: diagnostics grouped by file (file:line:column links),
// replay outcome, the checklist, and one closing summary line.
import type { Diagnostic } from "../core/diagnostic.js";
import { STAGE_TITLES, nextStage } from "../core/vocabulary.js";
import { unmetGates } from "../checks/registry.js";
import { redCases, type Report } from "../report.js";
import { changeHeadline } from "./changes.js";
import { PLAIN, type Style } from "./style.js";
import { plural } from "../core/text.js";
import { replayBriefText } from "./replay.js";

/** "error  ", "warning" or "info   " in its colour: one column wide in a terminal listing. */
export function severityLabel(severity: Diagnostic["severity"], style: Style): string {
  return severity === "error"
    ? style.red("error  ")
    : severity === "warning"
      ? style.yellow("warning")
      : style.dim("info   ");
}

export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], style: Style = PLAIN): string {
  const out: string[] = [];
  let file: string | undefined | null = null;
  for (const d of diagnostics) {
    if (d.file !== file) {
      file = d.file;
      out.push("", style.bold(file ?? "(integration)"));
    }
    const pos = d.line !== undefined ? `${d.line}:${d.column ?? 1}` : d.index !== undefined ? `event ${d.index}` : "";
    const sev = severityLabel(d.severity, style);
    // A message with lines of its own (the YAML a breaking change needs) stays under its column.
    out.push(`  ${pos.padEnd(9)} ${sev}  ${d.message.replace(/\n/g, `\n${" ".repeat(21)}`)}  ${style.dim(d.ruleId)}`);
  }
  return out.join("\n");
}

export function renderChecklistText(report: Pick<Report, "checklist">, style: Style = PLAIN): string {
  const icon = {
    pass: style.green("✓"),
    fail: style.red("✗"),
    manual: style.yellow("?"),
    skip: style.dim("-"),
  } as const;
  const out: string[] = [];
  let stage = "";
  for (const item of report.checklist) {
    if (item.stage !== stage) {
      stage = item.stage;
      out.push(`  ${style.bold(STAGE_TITLES[item.stage])}`);
    }
    const who = item.automatic ? "" : style.dim(" (reviewer)");
    const why = item.reason && item.status !== "manual" ? style.dim(` — ${item.reason}`) : "";
    out.push(`    ${icon[item.status]} ${item.title}${who}${why}`);
  }
  return out.join("\n");
}

export function renderSummaryLine(report: Report, style: Style = PLAIN): string {
  const { errors, warnings } = report.summary;
  const red = redCases(report);
  const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}${red ? `, ${plural(red, "red replay case")}` : ""}`;
  const next = nextStage(report.readyFor);
  const blockers = next ? unmetGates(report, next).filter((c) => c.automatic).length : 0;
  const ready = `ready for ${STAGE_TITLES[report.readyFor]}${next ? ` (${plural(blockers, "automatic item")} ${blockers === 1 ? "blocks" : "block"} ${STAGE_TITLES[next]})` : ""}`;
  const events = report.events.events
    ? ` · ${plural(report.events.events, "fixture event")} in ${plural(report.events.files, "file")}`
    : "";
  return `${errors || red ? style.red(counts) : warnings ? style.yellow(counts) : style.green(counts)}${events} · ${ready}`;
}

export function renderReportText(report: Report, style: Style = PLAIN, options: { show?: boolean } = {}): string {
  const out: string[] = [];
  const app = report.manifest ? ` — ${report.manifest.app.name} (${report.manifest.app.slug})` : "";
  out.push(style.bold(`devcenter review ${report.root}${app}`));
  // The changes themselves are diagnostics at their lines below.
  if (report.change) out.push(changeHeadline(report.change));
  if (report.diagnostics.length) out.push(renderDiagnosticsText(report.diagnostics, style));
  if (report.replay) out.push("", ...replayBriefText(report.replay, style, options.show));
  out.push("", style.bold("Checklist"), renderChecklistText(report, style), "", renderSummaryLine(report, style), "");
  return out.join("\n");
}
