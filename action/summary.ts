// The job summary: the full report as Markdown (every diagnostic, the replay table — red and
// yellow rows first, green ones folded —, the checklist; paths from the repository's root, as the
// annotations say them) after a line about annotations GitHub could not show and one about golden
// files replay had to create on the runner, within the 1 MiB GitHub
// accepts per step: when it is too big the diagnostics table is shortened, never the replay
// table or the checklist.
import { renderReportMarkdown } from "../src/render/markdown.js";
import type { Report } from "../src/report.js";
import type { AnnotationPlan } from "./annotations.js";
import { createdGoldenFiles, repositoryPath } from "./annotations.js";
import { goldenCreatedNote, hiddenAnnotationsNote, moreDiagnosticsNote, truncatedSummaryNote } from "./messages.js";

export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

/**
 * `markdown` cut to at most `maxBytes` UTF-8 bytes, including the note that says it was cut.
 * Returns the text unchanged when it fits.
 */
export function capMarkdown(
  markdown: string,
  maxBytes: number,
  note: (shownBytes: number, totalBytes: number) => string,
): string {
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

export interface SummaryOptions {
  /** The integration's folder relative to the repository ("" at the root): paths are said from the repository, as the annotations say them. */
  integrationDir?: string;
  maxBytes?: number;
}

export function buildSummary(
  report: Report,
  plan: AnnotationPlan,
  reportFile: string,
  { integrationDir = "", maxBytes = SUMMARY_LIMIT_BYTES }: SummaryOptions = {},
): string {
  const golden = createdGoldenFiles(report.replay).map((f) => repositoryPath(integrationDir, f));
  const notes = [hiddenAnnotationsNote(plan), golden.length ? goldenCreatedNote(golden) : undefined].filter(Boolean);
  const markdown = {
    moreDiagnostics: (n: number) => moreDiagnosticsNote(n, reportFile),
    repositoryPath: (path: string) => repositoryPath(integrationDir, path),
    foldGreen: true,
  };
  const render = (maxDiagnostics?: number): string =>
    notes.map((n) => `${n}\n\n`).join("") + renderReportMarkdown(report, { ...markdown, maxDiagnostics }) + "\n";
  let text = render();
  if (Buffer.byteLength(text, "utf8") > maxBytes) {
    // Too big: shorten the diagnostics table (the most diagnostics that fit, found by bisection)
    // so the replay table and the checklist, which come after it, are always there.
    let lo = 0;
    let hi = report.diagnostics.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (Buffer.byteLength(render(mid), "utf8") <= maxBytes) lo = mid;
      else hi = mid - 1;
    }
    text = render(lo);
  }
  // Still too big (a replay table of enormous messages): cut at a line break.
  return capMarkdown(text, maxBytes, (shown, total) => truncatedSummaryNote(shown, total, reportFile));
}
