// Every sentence the Action shows a partner: log lines, notices, the summary's notes and the
// check run's title. Kept together so the voice stays one.
import { formatBytes } from "../src/core/limits.js";
import { escapeMarkdown } from "../src/render/escape.js";
import { STAGE_TITLES, type Stage } from "../src/core/vocabulary.js";
import type { ReplayReport } from "../src/replay/types.js";
import type { AnnotationPlan } from "./annotations.js";
import type { FailOn } from "./inputs.js";
import type { Outcome } from "./result.js";
import { plural } from "../src/core/text.js";

/** The summary's first line when GitHub could not show every finding as an annotation. */
export function hiddenAnnotationsNote(plan: AnnotationPlan): string | undefined {
  const parts: string[] = [];
  if (plan.hidden.error) parts.push(`${plan.hidden.error} more ${plan.hidden.error === 1 ? "error" : "errors"}`);
  if (plan.hidden.warning)
    parts.push(`${plan.hidden.warning} more ${plan.hidden.warning === 1 ? "warning" : "warnings"}`);
  if (plan.hidden.notice) parts.push(`${plan.hidden.notice} more ${plan.hidden.notice === 1 ? "note" : "notes"}`);
  if (!parts.length) return undefined;
  return `> [!NOTE]\n> GitHub shows 10 annotations of each kind per step; ${parts.join(", ")} are listed only in the table below.`;
}

export function moreDiagnosticsNote(hidden: number, reportFile: string): string {
  return `> [!WARNING]\n> ${hidden} more diagnostics do not fit in this summary (GitHub accepts at most 1 MiB per step). The complete list is in the JSON file \`${reportFile}\` (the step's \`report\` output); upload it as an artifact, or run \`npx devcenter review\` locally.`;
}

export function truncatedSummaryNote(shownBytes: number, totalBytes: number, reportFile: string): string {
  return (
    `> [!WARNING]\n> This summary was cut at ${formatBytes(shownBytes)} of ${formatBytes(totalBytes)}: GitHub accepts at most 1 MiB per step. ` +
    `The complete report is the JSON file \`${reportFile}\` (the step's \`report\` output); upload it as an artifact, or run \`npx devcenter review\` locally.`
  );
}

export function replayTitle(replay: ReplayReport): string {
  const { pass, unsupported, fail } = replay.summary;
  return `Replay: ${pass} green, ${unsupported} yellow, ${fail} red`;
}

export const NOTICES = {
  noToken:
    "No token was given, so the devcenter replay check run was not created; the results are in the annotations and the job summary.",
  readOnlyToken: (status: number) =>
    `The token may not write checks (HTTP ${status}; a pull request from a fork gets a read-only token), so the devcenter replay check run was not created. ` +
    "The results are in the annotations and the job summary; a reviewer can re-run the workflow from a branch of this repository to record them.",
  checkRunFailed: (detail: string) =>
    `The devcenter replay check run could not be created (${detail}); the results are in the annotations and the job summary. This does not fail the step.`,
  replayOff:
    "Replay is off (`replay: false`): the partner's code was not run and no devcenter replay check run was created.",
  replayNotRun:
    "Replay did not run: the manifest has errors to fix first, so no devcenter replay check run was created.",
  noHeadSha: "Neither the event nor GITHUB_SHA names a commit, so the devcenter replay check run was not created.",
  noRepository: "GITHUB_REPOSITORY is not set, so the devcenter replay check run was not created.",
} as const;

const listFiles = (files: readonly string[], max = 5): string =>
  files
    .slice(0, max)
    .map((f) => `\`${f}\``)
    .join(", ") + (files.length > max ? ` and ${files.length - max} more` : "");

/**
 * The warning annotation for golden files replay wrote on the runner: nothing was compared, and
 * each run on a fresh checkout would record again. `files` are repository paths.
 */
export function goldenCreatedWarning(files: readonly string[]): string {
  const one = files.length === 1;
  return (
    `Replay recorded what your handlers sent, or what your webhook was sent and answered, in ${one ? "a golden file" : `${files.length} golden files`} that ${one ? "is" : "are"} not in the repository: ${listFiles(files)}. ` +
    `Nothing was compared, so a change in the requests or the answers would pass unnoticed. Run \`npx devcenter replay\` locally and commit ${one ? "it" : "them"}.`
  );
}

/** The job summary's note for the same (paths relative to the integration's folder). */
export function goldenCreatedNote(files: readonly string[]): string {
  return `> [!WARNING]\n> ${goldenCreatedWarning(files)}`;
}

export function checkRunCreated(url: string | undefined, sha: string): string {
  return `Created the devcenter replay check run on ${sha.slice(0, 12)}${url ? `: ${url}` : ""}`;
}

export function resultLine(counts: Outcome, failOn: FailOn, readyFor: Stage): string {
  const { result } = counts;
  const found = `${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")}${counts.red ? `, ${counts.red} red replay ${counts.red === 1 ? "case" : "cases"}` : ""}`;
  const why =
    failOn === "warning"
      ? "errors, warnings and red replay cases fail the step"
      : "errors and red replay cases fail the step";
  return `devcenter: ${result === "pass" ? "passed" : "failed"} (${found}; ${why}). Ready for ${STAGE_TITLES[readyFor]}.`;
}

export function crashed(message: string): string {
  return `devcenter could not finish the review: ${message}`;
}

/** The job summary of a step that could not review (a bad input, an internal error). */
export function notRunSummary(message: string): string {
  return `### devcenter review did not run\n\n❌ ${escapeMarkdown(message, 2000)}\n`;
}
