// One diagnostic per file that cannot be used: missing, outside the repository, a symlink out,
// too large, a folder, unreadable, binary or not UTF-8. Any module that reads partner files
// reports failures through this, so every front door shows the same rule ids and sentences.
import type { Diagnostic, Severity } from "./diagnostic.js";
import { type Message, messageFields, msg } from "./markdown.js";
import { parserRule } from "./rule.js";
import type { ReadFailure } from "./source.js";

export type FileProblem = ReadFailure | "binary" | "invalid-utf8";

export const FILE_RULE_IDS = {
  missing: "file/missing",
  escapes: "file/escapes",
  "symlink-out": "file/symlink-out",
  "too-large": "file/too-large",
  "not-a-file": "file/not-a-file",
  unreadable: "file/unreadable",
  binary: "file/binary",
  "invalid-utf8": "file/invalid-utf8",
} as const satisfies Record<FileProblem, string>;

/** Parser rules (rule.ts): whatever reads a partner file reports them through fileDiagnostic. */
export const FILE_RULES = [
  parserRule({
    id: FILE_RULE_IDS.missing,
    severity: "error",
    title: "A file the integration needs does not exist",
    description:
      "The manifest (or the tool) refers to a file or folder that is not in the repository at this commit. Check the spelling and the case of the path (paths are case-sensitive) and that the file is committed, not ignored by `.gitignore`.",
  }),
  parserRule({
    id: FILE_RULE_IDS.escapes,
    severity: "error",
    title: "A path points outside the repository",
    description:
      "Paths in the manifest are relative to the folder that holds `integration.yml`. Absolute paths, `..` that climb above that folder, backslashes and NUL bytes are refused, so a review only ever reads the partner's own repository.",
  }),
  parserRule({
    id: FILE_RULE_IDS["symlink-out"],
    severity: "error",
    title: "A symbolic link points outside the repository",
    description:
      "A file or folder the review needs is a symbolic link whose target lies outside the repository (or is absolute). The review never follows such links: commit the file itself instead of a link.",
  }),
  parserRule({
    id: FILE_RULE_IDS["too-large"],
    severity: "error",
    title: "A file is over its size limit",
    description:
      "Each kind of file has a size cap that keeps a review bounded in time and memory: 2 MiB for `integration.yml`, 1 MiB for a Markdown document, 512 KiB for an SVG, 5 MiB for a fixture or event file or a code entry point. Make the file smaller or split it.",
  }),
  parserRule({
    id: FILE_RULE_IDS["not-a-file"],
    severity: "error",
    title: "A folder was given where a file is expected (or the reverse)",
    description:
      "The path names a folder where the manifest expects a file, or a file where it expects a folder (`fixtures` is a folder; `logo`, `mark`, docs and `entry` are files).",
  }),
  parserRule({
    id: FILE_RULE_IDS.unreadable,
    severity: "error",
    title: "A file could not be read",
    description:
      "The file exists but reading it failed (permissions, or it was not fetched from GitHub). The message carries the underlying reason.",
  }),
  parserRule({
    id: FILE_RULE_IDS.binary,
    severity: "error",
    title: "A text file is binary",
    description:
      "The file contains NUL bytes, so it is not text. Manifests, docs, SVGs and fixtures must be UTF-8 text.",
  }),
  parserRule({
    id: FILE_RULE_IDS["invalid-utf8"],
    severity: "error",
    title: "A text file is not valid UTF-8",
    description:
      "The file contains bytes that are not valid UTF-8 (often a file saved as Latin-1 or UTF-16). Save it with UTF-8 encoding.",
  }),
] as const;
export type FileRuleId = (typeof FILE_RULE_IDS)[FileProblem];

export interface FileFailure {
  /** Why the file cannot be used. Decode failures without a reason are read from the message. */
  reason?: FileProblem;
  /** A Message where devcenter's words around the path carry code spans (`app.logo`: …). */
  message: string | Message;
  /** The file that failed, when the diagnostic is reported against another file. */
  path?: string;
}

export interface Where {
  /** The file the diagnostic is shown on (the failing file, or the manifest that refers to it). */
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  path?: string;
  severity?: Severity;
  /** Sentence added after the failure's own message. */
  hint?: string | Message;
}

/** A diagnostic for a read failure (FileSource.read/list) or a decode failure (decodeText). */
export function fileDiagnostic(failure: FileFailure, where: Where = {}): Diagnostic {
  const { message } = failure;
  const { hint } = where;
  const reason: FileProblem = failure.reason ?? (/binary/i.test(String(message)) ? "binary" : "invalid-utf8");
  // Plain when every part is: a Markdown form only where devcenter's words carry code spans.
  const said =
    hint === undefined
      ? message
      : typeof message === "string" && typeof hint === "string"
        ? `${message} ${hint}`
        : msg`${message} ${hint}`;
  const d: Diagnostic = { ruleId: FILE_RULE_IDS[reason], severity: where.severity ?? "error", ...messageFields(said) };
  const file = where.file ?? failure.path;
  if (file !== undefined) d.file = file;
  for (const k of ["line", "column", "endLine", "endColumn", "path"] as const)
    if (where[k] !== undefined) (d as unknown as Record<string, unknown>)[k] = where[k];
  return d;
}
