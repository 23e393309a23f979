// The review report: what every front door renders. Plain data, JSON-serialisable.
import type { ChangeSummary } from "./change/check.js";
import type { Diagnostic } from "./core/diagnostic.js";
import type { Policy } from "./core/policy.js";
import type { Stage } from "./core/vocabulary.js";
import type { Manifest } from "./manifest/types.js";
import type { ReplayReport } from "./replay/types.js";

export const CHECK_STATUSES = ["pass", "fail", "manual", "skip"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface ChecklistResult {
  id: string;
  title: string;
  category: string;
  /** The stage this item gates (it must pass before the integration enters it). */
  stage: Stage;
  automatic: boolean;
  status: CheckStatus;
  /** Why it failed or was skipped, or what the reviewer must confirm. */
  reason?: string;
  /** The reason as Markdown when the check built it with `msg` (its code spans kept); text and JSON output leave it out. */
  reasonMarkdown?: string;
}

/**
 * Why a review has no replay results: `manifest-errors` — the manifest could not be used (it did
 * not parse or failed its schema), so no partner code was run; `disabled` — replay was turned off
 * (`devcenter review --no-replay`, the Action's `replay: false`).
 */
export type ReplaySkipped = "manifest-errors" | "disabled";

export interface Report {
  /** The folder or `owner/repo@sha` reviewed. */
  root: string;
  manifestFile: string;
  manifest?: Manifest;
  diagnostics: Diagnostic[];
  /** Spec messages read from fixtures, per file. */
  events: { files: number; events: number };
  /** The platform policy the review graded against (the built-in defaults unless the operator's was given). */
  policy?: Policy;
  /** Present when replay ran (or its results were supplied). */
  replay?: ReplayReport;
  /** Why replay did not run, when known (absent when it ran, or when its results were simply not supplied). */
  replaySkipped?: ReplaySkipped;
  /** The change check against the approved version, when a baseline was given. */
  change?: ChangeSummary;
  checklist: ChecklistResult[];
  /** The furthest stage whose automatic gates all pass (reviewer items still to confirm). */
  readyFor: Stage;
  /** The stage the manifest declares. */
  stage?: Stage;
  summary: { errors: number; warnings: number };
}

/** Red replay cases, counting a volume run below the manifest's bar as one. */
export function redCases(report: Pick<Report, "replay">): number {
  const v = report.replay?.volume;
  // A volume run below the bar counts once (it may have no case of its own); one that never ran
  // (events 0: the server did not start) is already counted by the red case that says why.
  const volumeRed =
    v?.passed === false &&
    v.events > 0 &&
    !report.replay!.cases.some((c) => c.group === "volume" && c.status === "fail");
  return (report.replay?.summary.fail ?? 0) + (volumeRed ? 1 : 0);
}

/** What makes a review fail (CLI exit 1, a failed Action step): errors or red replay cases. */
export function reviewFailed(report: Pick<Report, "summary" | "replay">): boolean {
  return report.summary.errors > 0 || redCases(report) > 0;
}
