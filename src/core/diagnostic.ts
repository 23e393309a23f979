// A diagnostic is one finding for a person: where (file, line, column), what is wrong, what to do.
export const SEVERITIES = ["error", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Diagnostic {
  /** Stable id of the rule, e.g. `manifest/schema`, `spec/event-name-case`; listed in the rule reference. */
  ruleId: string;
  severity: Severity;
  /** Sentences a partner understands: what is wrong, and what to do about it. */
  message: string;
  /**
   * The message as Markdown when it was built with `msg` (src/core/markdown.ts): its own code spans
   * kept, the values from the repository escaped. Markdown renderers use it (`messageMarkdown`);
   * text and JSON output never show it (`withoutMarkdown`).
   */
  markdown?: string;
  /** Path relative to the integration's root, POSIX separators. */
  file?: string;
  /** 1-based position of the offending text. */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** For files holding several events: the 0-based index of the event. */
  index?: number;
  /** JSON pointer to the offending value inside the document or event. */
  path?: string;
}

export interface RuleInfo {
  id: string;
  /** Default severity of the diagnostics it reports. */
  severity: Severity;
  /** One line: what the rule checks. */
  title: string;
  /** Markdown: why it matters and how to fix it. */
  description: string;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order: file, line, column, severity, rule. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file ?? "").localeCompare(b.file ?? "") ||
    (a.index ?? -1) - (b.index ?? -1) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    ORDER[a.severity] - ORDER[b.severity] ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === "error") errors++;
    else if (d.severity === "warning") warnings++;
  }
  return { errors, warnings };
}

/** `file:line:column` as editors and terminals link it. */
export function formatLocation(d: Pick<Diagnostic, "file" | "line" | "column" | "index" | "path">): string {
  let where = d.file ?? "";
  if (d.line !== undefined) where += `:${d.line}${d.column !== undefined ? `:${d.column}` : ""}`;
  if (d.line === undefined && d.index !== undefined) where += `#${d.index}`;
  return where;
}

/** A diagnostic (or checklist item) as text and JSON output show it: without the Markdown form of its message. */
export function withoutMarkdown<T extends { markdown?: string; reasonMarkdown?: string }>(
  d: T,
): Omit<T, "markdown" | "reasonMarkdown"> {
  if (d.markdown === undefined && d.reasonMarkdown === undefined) return d;
  const { markdown: _m, reasonMarkdown: _r, ...rest } = d;
  return rest;
}
