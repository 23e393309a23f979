// Which diagnostics become annotations. GitHub shows at most 10 error, 10 warning and 10 notice
// annotations per step and drops the rest, so each level gets its own budget, filled first with
// the diagnostics that point at a line (they land on the pull request's diff), then the others,
// in the report's order. The job summary lists everything and says how many were left out.
import { posix } from "node:path";
import type { Diagnostic, Severity } from "../src/core/diagnostic.js";
import type { ReplayReport } from "../src/replay/types.js";
import type { AnnotationLevel, AnnotationProperties } from "./workflow.js";

export const ANNOTATIONS_PER_LEVEL = 10;

const LEVEL: Record<Severity, AnnotationLevel> = { error: "error", warning: "warning", info: "notice" };

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  properties: AnnotationProperties;
}

export interface AnnotationPlan {
  shown: Annotation[];
  /** Diagnostics of each level that did not fit. */
  hidden: Record<AnnotationLevel, number>;
  total: Record<AnnotationLevel, number>;
}

/**
 * A path relative to the repository root: the integration's folder (relative to the workspace,
 * POSIX, "" for the root) joined with a path relative to the integration.
 */
export function repositoryPath(integrationDir: string, file: string): string {
  return posix.normalize(posix.join(integrationDir || ".", file));
}

export function toAnnotation(d: Diagnostic, integrationDir: string): Annotation {
  const properties: AnnotationProperties = { title: `devcenter: ${d.ruleId}` };
  if (d.file) {
    properties.file = repositoryPath(integrationDir, d.file);
    if (d.line !== undefined) {
      properties.line = d.line;
      const singleLine = d.endLine === undefined || d.endLine === d.line;
      if (d.endLine !== undefined && !singleLine) properties.endLine = d.endLine;
      // Columns are honoured on single-line annotations only.
      if (singleLine && d.column !== undefined) {
        properties.col = d.column;
        if (d.endColumn !== undefined && d.endLine !== undefined) properties.endColumn = d.endColumn;
      }
    }
  }
  // An event inside a file of events has no line of its own; say which one.
  const where =
    d.file && d.line === undefined && d.index !== undefined ? ` (event ${d.index}${d.path ? `, ${d.path}` : ""})` : "";
  return { level: LEVEL[d.severity], message: d.message + where, properties };
}

/**
 * The warnings and notices the Action itself may add after the diagnostics (the check run could
 * not be written, a read-only token): one slot each is kept for them, so GitHub never drops them.
 */
export const RESERVED_FOR_THE_ACTION: Record<AnnotationLevel, number> = { error: 0, warning: 1, notice: 1 };

export function planAnnotations(
  diagnostics: readonly Diagnostic[],
  integrationDir: string,
  perLevel = ANNOTATIONS_PER_LEVEL,
  reserved: Record<AnnotationLevel, number> = RESERVED_FOR_THE_ACTION,
): AnnotationPlan {
  const levels: AnnotationLevel[] = ["error", "warning", "notice"];
  const total = { error: 0, warning: 0, notice: 0 };
  const hidden = { error: 0, warning: 0, notice: 0 };
  const shown: Annotation[] = [];
  for (const level of levels) {
    const ofLevel = diagnostics.filter((d) => LEVEL[d.severity] === level);
    const positioned = ofLevel.filter((d) => d.file && d.line !== undefined);
    const rest = ofLevel.filter((d) => !(d.file && d.line !== undefined));
    const chosen = [...positioned, ...rest].slice(0, perLevel - reserved[level]);
    total[level] = ofLevel.length;
    hidden[level] = ofLevel.length - chosen.length;
    // Shown in the report's order, whatever decided the choice.
    const picked = new Set(chosen);
    for (const d of ofLevel) if (picked.has(d)) shown.push(toAnnotation(d, integrationDir));
  }
  return { shown, hidden, total };
}

/**
 * Red replay cases as error findings: the review keeps them in the replay table, but a partner
 * should see them among the step's annotations too. A case that replays one of the partner's
 * fixtures points at that file (and the line its event starts on); a handler module that did not
 * load points at the module.
 */
export function replayFindings(replay: ReplayReport | undefined): Diagnostic[] {
  return (replay?.cases ?? [])
    .filter((c) => c.status === "fail")
    .map((c) => ({
      ruleId: "replay",
      severity: "error" as const,
      message: `${c.component ? `${c.component} — ` : ""}${c.name}: ${c.message}`,
      ...(c.file ? { file: c.file, ...(c.line !== undefined ? { line: c.line } : {}) } : {}),
    }));
}

/**
 * Golden files replay created on this runner (relative to the integration's folder, in the
 * report's order): they were missing from the repository, so those cases were recorded, not
 * compared — a change in what the handlers send would pass unnoticed until they are committed.
 */
export function createdGoldenFiles(replay: ReplayReport | undefined): string[] {
  const files = new Set<string>();
  for (const c of replay?.cases ?? []) if (c.golden?.status === "created") files.add(c.golden.file);
  return [...files];
}
