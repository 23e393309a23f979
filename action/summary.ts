// The job summary: the full report as Markdown (every diagnostic, the replay table, the
// checklist) after a line about annotations GitHub could not show, capped at the 1 MiB GitHub
// accepts per step. Cutting happens at a line break, so no character or table row is split.
import { renderReportMarkdown } from "../src/render/markdown.js";
import type { Report } from "../src/report.js";
import type { AnnotationPlan } from "./annotations.js";
import { hiddenAnnotationsNote, truncatedSummaryNote } from "./messages.js";

export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/**
 * `markdown` cut to at most `maxBytes` UTF-8 bytes, including the note that says it was cut.
 * Returns the text unchanged when it fits.
 */
export function capMarkdown(markdown: string, maxBytes: number, note: (shownBytes: number, totalBytes: number) => string): string {
  const bytes = Buffer.from(markdown, "utf8");
  if (bytes.length <= maxBytes) return markdown;
  // The note's length hardly depends on the numbers in it; measure it with the largest.
  const reserve = Buffer.byteLength(note(bytes.length, bytes.length), "utf8") + 2;
  const budget = Math.max(0, maxBytes - reserve);
  let cut = bytes.lastIndexOf(0x0a, budget);
  if (cut < 0) {
    // One enormous line: back up to the start of a UTF-8 character.
    cut = budget;
    while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  }
  const kept = bytes.subarray(0, cut).toString("utf8");
  return `${kept}\n\n${note(cut, bytes.length)}`;
}

export function buildSummary(report: Report, plan: AnnotationPlan, reportFile: string, maxBytes = SUMMARY_LIMIT_BYTES): string {
  const parts: string[] = [];
  const hidden = hiddenAnnotationsNote(plan);
  if (hidden) parts.push(hidden, "");
  parts.push(renderReportMarkdown(report));
  return capMarkdown(parts.join("\n") + "\n", maxBytes, (shown, total) => truncatedSummaryNote(shown, total, reportFile));
}
