// What fails the step: errors (and warnings too with `fail-on: warning`) and red replay cases,
// including a volume run below the manifest's bar.
import { redCases, reviewFailed, type Report } from "../src/report.js";
import type { FailOn } from "./inputs.js";

export interface Outcome {
  result: "pass" | "fail";
  errors: number;
  warnings: number;
  /** Red replay cases (a volume run below the bar is one of them). */
  red: number;
}

/** `actionWarnings`: warnings of the Action's own (golden files written on the runner), which count like the review's. */
export function decide(report: Pick<Report, "summary" | "replay">, failOn: FailOn, actionWarnings = 0): Outcome {
  const { errors } = report.summary;
  const warnings = report.summary.warnings + actionWarnings;
  const red = redCases(report);
  const fail = reviewFailed(report) || (failOn === "warning" && warnings > 0);
  return { result: fail ? "fail" : "pass", errors, warnings, red };
}
