// Event files: one JSON message, a JSON array of messages, or NDJSON (one message per line).
// Messages are parsed with JSON.parse (fast); positions are computed only for messages that have
// findings, by scanning just that message's text.
import type { Diagnostic } from "../core/diagnostic.js";
import { LIMITS } from "../core/limits.js";
import { arrayElementStarts, firstSyntaxError, LineIndex, locateValue, pointerSegments } from "./json-locate.js";
import { SPEC_RULE as R } from "./rule-info.js";
import { validateMessage, type SpecFinding } from "./validate.js";

export type EventFileFormat = "single" | "array" | "ndjson";

/** A parsed event file: its items (messages or fixture wrappers) and where each one is in the text. */
export interface ParsedEventFile {
  format: EventFileFormat;
  items: unknown[];
  /** Syntax and size problems of the file itself. */
  diagnostics: Diagnostic[];
  /** Line and column of the value at `pointer` inside item `index`. */
  position(index: number, pointer: string): { line: number; column: number };
}

const NDJSON_EXT = /\.(ndjson|jsonl)$/i;

export function parseEventFile(input: string, file: string): ParsedEventFile {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  let itemStarts: number[] | undefined;
  let format: EventFileFormat = "single";
  let items: unknown[] = [];
  let start = 0;

  const syntax = (offset: number, reason: string, index?: number) => {
    const { line, column } = lines.position(offset);
    diagnostics.push({
      ruleId: R.jsonSyntax,
      severity: "error",
      message: `${file} is not valid JSON at line ${line}, column ${column}: ${reason}.`,
      file,
      line,
      column,
      ...(index !== undefined ? { index } : {}),
    });
  };

  if (text.trim() === "") {
    diagnostics.push({ ruleId: R.emptyFile, severity: "warning", message: `${file} is empty; add a message or delete the file.`, file, line: 1, column: 1 });
    return { format, items, diagnostics, position: () => ({ line: 1, column: 1 }) };
  }

  let whole: { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;
  if (!NDJSON_EXT.test(file)) {
    try {
      whole = { ok: true, value: JSON.parse(text) };
    } catch (error) {
      whole = { ok: false, error };
    }
  }

  if (whole?.ok) {
    if (Array.isArray(whole.value)) {
      format = "array";
      items = whole.value;
      start = text.search(/\S/);
    } else items = [whole.value];
  } else if (whole === undefined || looksLikeNdjson(text)) {
    format = "ndjson";
    itemStarts = [];
    let pos = 0;
    while (pos < text.length) {
      let end = text.indexOf("\n", pos);
      if (end < 0) end = text.length;
      const line = text.slice(pos, end);
      if (line.trim() !== "") {
        if (items.length >= LIMITS.eventsPerFile) {
          tooMany(file, diagnostics);
          break;
        }
        try {
          items.push(JSON.parse(line));
          itemStarts.push(pos + (line.length - line.trimStart().length));
        } catch (error) {
          const e = firstSyntaxError(line, error);
          syntax(pos + e.offset, e.reason);
        }
      }
      pos = end + 1;
    }
  } else {
    const e = firstSyntaxError(text, whole.error);
    syntax(e.offset, e.reason);
  }

  if (format === "array" && items.length > LIMITS.eventsPerFile) {
    tooMany(file, diagnostics);
    items = items.slice(0, LIMITS.eventsPerFile);
  }

  const startOf = (index: number): number => {
    if (format === "single") return text.search(/\S/);
    itemStarts ??= arrayElementStarts(text, start);
    return itemStarts[index] ?? 0;
  };
  const position = (index: number, pointer: string) => lines.position(locateValue(text, startOf(index), pointerSegments(pointer)));
  return { format, items, diagnostics, position };
}

function tooMany(file: string, diagnostics: Diagnostic[]): void {
  diagnostics.push({
    ruleId: R.tooManyEvents,
    severity: "error",
    message: `${file} holds more than ${LIMITS.eventsPerFile.toLocaleString("en-US")} events; only the first ${LIMITS.eventsPerFile.toLocaleString("en-US")} were validated — split the file.`,
    file,
  });
}

/** NDJSON when there are several non-empty lines and the first one is a complete JSON object on its own. */
function looksLikeNdjson(text: string): boolean {
  const first = text.search(/\S/);
  const eol = text.indexOf("\n", first);
  if (eol < 0 || text.slice(eol).trim() === "") return false;
  try {
    const v: unknown = JSON.parse(text.slice(first, eol));
    return typeof v === "object" && v !== null;
  } catch {
    return false;
  }
}

/** Turns a message's findings into diagnostics with file, index, path, line and column. */
export function findingsToDiagnostics(
  findings: readonly SpecFinding[],
  file: string,
  index: number,
  locate: (pointer: string) => { line: number; column: number },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of findings) {
    const { line, column } = locate(f.path);
    out.push({ ruleId: f.ruleId, severity: f.severity, message: f.message, file, index, path: f.path, line, column });
  }
  return out;
}

/** Parses and validates every message in an event file. */
export function validateEventText(text: string, file: string): { events: number; messages: unknown[]; diagnostics: Diagnostic[] } {
  const parsed = parseEventFile(text, file);
  const diagnostics = parsed.diagnostics.slice();
  const messages = parsed.items;
  for (let i = 0; i < messages.length; i++) {
    const findings = validateMessage(messages[i]);
    if (findings.length === 0) continue;
    for (const d of findingsToDiagnostics(findings, file, i, (p) => parsed.position(i, p))) diagnostics.push(d);
  }
  return { events: messages.length, messages, diagnostics };
}
