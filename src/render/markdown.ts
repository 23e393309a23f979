// The review report as Markdown: `--format markdown` and the Action's job summary.
// Everything that came from the repository is escaped; messages keep their own Markdown (messageMarkdown).
import { STAGE_TITLES, nextStage } from "../core/vocabulary.js";
import { formatLocation } from "../core/diagnostic.js";
import type { Report } from "../report.js";
import { renderChangesMarkdown } from "./changes.js";
import { renderChecklistMarkdown } from "./checklist.js";
import { escapeMarkdown, inlineCode, messageMarkdown } from "./escape.js";
import { renderSummaryLine } from "./text.js";
import { casesTableMarkdown, countsMarkdown, replayView, volumeSentence } from "./replay.js";

const SEVERITY_ICON = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;

export interface MarkdownOptions {
  /** Show at most this many diagnostics (the job summary's size cap); the line after says how many more. */
  maxDiagnostics?: number;
  /** That line, given the count left out. */
  moreDiagnostics?: (hidden: number) => string;
}

export function renderReportMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const out: string[] = [];
  const app = report.manifest ? `${escapeMarkdown(report.manifest.app.name)} (${inlineCode(report.manifest.app.slug)})` : inlineCode(report.root);
  out.push(`### devcenter review: ${app}`, "", renderSummaryLine(report), "");
  const next = nextStage(report.readyFor);
  out.push(`**Ready for:** ${STAGE_TITLES[report.readyFor]}${next ? ` · **next:** ${STAGE_TITLES[next]}` : ""}`, "");
  if (report.change) out.push(renderChangesMarkdown(report.change, report.manifestFile));
  if (report.diagnostics.length) {
    out.push("| | Location | Rule | Message |", "|---|---|---|---|");
    const shown = report.diagnostics.slice(0, options.maxDiagnostics ?? report.diagnostics.length);
    for (const d of shown) {
      out.push(`| ${SEVERITY_ICON[d.severity]} | ${inlineCode(formatLocation(d) || "—", { inTable: true })} | ${inlineCode(d.ruleId, { inTable: true })} | ${messageMarkdown(d)} |`);
    }
    const hidden = report.diagnostics.length - shown.length;
    if (hidden > 0) out.push("", options.moreDiagnostics?.(hidden) ?? `…and ${hidden} more diagnostics.`);
    out.push("");
  }
  if (report.replay) {
    const view = replayView(report.replay);
    out.push(`#### Replay: ${countsMarkdown(view)}`, "", ...casesTableMarkdown(view.cases));
    if (view.volume) out.push("", volumeSentence(view.volume));
    out.push("");
  }
  out.push("#### Checklist", "", renderChecklistMarkdown(report.checklist, { headingLevel: 5 }));
  return out.join("\n");
}
