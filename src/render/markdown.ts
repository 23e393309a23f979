// The review report as Markdown: `--format markdown` and the Action's job summary.
// Everything that came from the repository is escaped; messages keep their own Markdown (messageMarkdown).
import { STAGE_TITLES, nextStage } from "../core/vocabulary.js";
import { formatLocation } from "../core/diagnostic.js";
import type { Report } from "../report.js";
import { renderChangesMarkdown } from "./changes.js";
import { renderChecklistMarkdown } from "./checklist.js";
import { escapeMarkdown, inlineCode, messageMarkdown } from "./escape.js";
import { renderSummaryLine } from "./text.js";
import { casesFoldedMarkdown, casesTableMarkdown, countsMarkdown, replayView, volumeSentence } from "./replay.js";

const SEVERITY_ICON = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;

export interface MarkdownOptions {
  /** Show at most this many diagnostics (the job summary's size cap); the line after says how many more. */
  maxDiagnostics?: number;
  /** That line, given the count left out. */
  moreDiagnostics?: (hidden: number) => string;
  /**
   * Where a path relative to the integration is in the repository (the job summary says paths as
   * the annotations do: `integrations/acme/integration.yml:3`). Default: paths as they are.
   */
  repositoryPath?: (path: string) => string;
  /** Red and yellow replay rows first, the green ones folded (the job summary). */
  foldGreen?: boolean;
}

export function renderReportMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const out: string[] = [];
  const where = options.repositoryPath ?? ((path: string) => path);
  const app = report.manifest
    ? `${escapeMarkdown(report.manifest.app.name)} (${inlineCode(report.manifest.app.slug)})`
    : inlineCode(options.repositoryPath ? where("") : report.root);
  out.push(`### devcenter review: ${app}`, "", renderSummaryLine(report), "");
  const next = nextStage(report.readyFor);
  out.push(`**Ready for:** ${STAGE_TITLES[report.readyFor]}${next ? ` · **next:** ${STAGE_TITLES[next]}` : ""}`, "");
  if (report.change) out.push(renderChangesMarkdown(report.change, where(report.manifestFile)));
  if (report.diagnostics.length) out.push(...diagnosticsTable(report, options, where), "");
  if (report.replay) {
    const view = replayView(report.replay);
    out.push(
      `#### Replay: ${countsMarkdown(view)}`,
      "",
      // The replay of this review, run by this process (the CLI, the Action): its messages keep their Markdown.
      ...(options.foldGreen
        ? casesFoldedMarkdown(view, { ownMarkdown: true })
        : casesTableMarkdown(view.cases, { ownMarkdown: true })),
    );
    if (view.volume) out.push("", volumeSentence(view.volume));
    out.push("");
  }
  out.push("#### Checklist", "", renderChecklistMarkdown(report.checklist, { headingLevel: 5 }));
  return out.join("\n");
}

function diagnosticsTable(report: Report, options: MarkdownOptions, where: (path: string) => string): string[] {
  const out = ["| | Location | Rule | Message |", "|---|---|---|---|"];
  const shown = report.diagnostics.slice(0, options.maxDiagnostics ?? report.diagnostics.length);
  for (const d of shown) {
    const location = formatLocation(d.file ? { ...d, file: where(d.file) } : d) || "—";
    out.push(
      `| ${SEVERITY_ICON[d.severity]} | ${inlineCode(location, { inTable: true })} | ${inlineCode(d.ruleId, { inTable: true })} | ${messageMarkdown(d)} |`,
    );
  }
  const hidden = report.diagnostics.length - shown.length;
  if (hidden > 0) out.push("", options.moreDiagnostics?.(hidden) ?? `…and ${hidden} more diagnostics.`);
  return out;
}
