// Event files: one JSON message, a JSON array of messages, or NDJSON (one message per line).
// Messages are parsed with JSON.parse (fast); positions are computed only for messages that have
// findings, by scanning just that message's text.
import type { Diagnostic } from "../core/diagnostic.js";
import { messageFields, msg } from "../core/markdown.js";
import { LIMITS } from "../core/limits.js";
import {
  arrayElementStarts,
  duplicateKeys,
  firstSyntaxError,
  mayHaveDuplicateKeys,
  LineIndex,
  locateValue,
  pointerSegments,
  valueAfterKey,
  valueEnd,
  type DuplicateKey,
} from "./json-locate.js";
import { SPEC_RULE as R } from "./rules.js";
import { pointer, show, validateMessage, type SpecFinding } from "./validate.js";

export type EventFileFormat = "single" | "array" | "ndjson";

/** A parsed event file: its items (messages or fixture wrappers) and where each one is in the text. */
export interface ParsedEventFile {
  format: EventFileFormat;
  items: unknown[];
  /** Syntax and size problems of the file itself, and keys given twice. */
  diagnostics: Diagnostic[];
  /** Line and column of the value at `pointer` inside item `index` (the value JSON.parse kept). */
  position(index: number, pointer: string): { line: number; column: number };
  /**
   * The item's position among the file's messages, for diagnostics: `index` itself, except in
   * NDJSON after a line that does not parse (that line keeps its place, so the numbers match the file).
   */
  fileIndex(index: number): number;
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
      ruleId: R.jsonSyntax.id,
      severity: "error",
      message: `${file} is not valid JSON at line ${line}, column ${column}: ${reason}.`,
      file,
      line,
      column,
      ...(index !== undefined ? { index } : {}),
    });
  };

  if (text.trim() === "") {
    diagnostics.push({
      ruleId: R.emptyFile.id,
      severity: "warning",
      message: `${file} is empty; add a message or delete the file.`,
      file,
      line: 1,
      column: 1,
    });
    return { format, items, diagnostics, position: () => ({ line: 1, column: 1 }), fileIndex: (i) => i };
  }
  /** Items holding a key given twice: their positions are found with the last occurrence winning. */
  const duplicated = new Set<number>();
  const duplicates = (
    list: DuplicateKey[],
    item: (d: DuplicateKey) => number,
    index: (d: DuplicateKey) => number,
    of = items,
  ) => reportDuplicates({ text, file, lines, items: of, diagnostics, duplicated }, list, item, index);
  /** NDJSON: file position of each item, when a broken line made them differ from the item's index. */
  let fileIndexes: number[] | undefined;

  let whole: { ok: true; value: unknown } | { ok: false; error: unknown } | undefined;
  if (!NDJSON_EXT.test(file)) {
    try {
      whole = { ok: true, value: JSON.parse(text) };
    } catch (error) {
      whole = { ok: false, error };
    }
  }

  if (whole?.ok) {
    start = text.search(/\S/);
    if (Array.isArray(whole.value)) {
      format = "array";
      items = whole.value;
      const keep = Math.min(items.length, LIMITS.eventsPerFile);
      if (mayHaveDuplicateKeys(text, start, text.length, items))
        duplicates(
          duplicateKeys(text, start, text.length, true).filter((d) => d.item < keep),
          (d) => d.item,
          (d) => d.item,
        );
    } else {
      items = [whole.value];
      if (mayHaveDuplicateKeys(text, start, text.length, whole.value))
        duplicates(
          duplicateKeys(text, start, text.length, false),
          () => 0,
          () => 0,
        );
    }
  } else if (whole === undefined || looksLikeNdjson(text)) {
    format = "ndjson";
    const parsed = parseNdjsonLines(text, file, diagnostics, syntax, (list, item, index, of) =>
      duplicates(
        list,
        () => item,
        () => index,
        of,
      ),
    );
    items = parsed.items;
    itemStarts = parsed.itemStarts;
    fileIndexes = parsed.fileIndexes;
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
  const position = (index: number, pointer: string) =>
    lines.position(locateValue(text, startOf(index), pointerSegments(pointer), duplicated.has(index)));
  const fileIndex = (index: number) => fileIndexes?.[index] ?? index;
  return { format, items, diagnostics, position, fileIndex };
}

interface DuplicateContext {
  text: string;
  file: string;
  lines: LineIndex;
  /** The messages parsed so far. */
  items: unknown[];
  diagnostics: Diagnostic[];
  /** Items with a repeated key (filled in here). */
  duplicated: Set<number>;
}

/**
 * One diagnostic per repeated key, at most MAX_DUPLICATES_LISTED per message, then one that counts
 * the rest: a file of 100,000 repeated keys is one problem, not 100,000.
 */
function reportDuplicates(
  ctx: DuplicateContext,
  list: DuplicateKey[],
  item: (d: DuplicateKey) => number,
  index: (d: DuplicateKey) => number,
): void {
  const { text, file, lines, items, diagnostics } = ctx;
  const listed = new Map<number, number>();
  const more = new Map<number, { count: number; d: DuplicateKey }>();
  for (const d of list) {
    const i = item(d);
    ctx.duplicated.add(i);
    const n = listed.get(i) ?? 0;
    if (n < MAX_DUPLICATES_LISTED) {
      listed.set(i, n + 1);
      diagnostics.push(duplicateKeyDiagnostic(text, file, lines, d, items[i], index(d)));
    } else {
      const m = more.get(i);
      if (m) m.count++;
      else more.set(i, { count: 1, d });
    }
  }
  for (const { count, d } of more.values()) {
    const at = lines.position(d.later);
    diagnostics.push({
      ruleId: R.duplicateKey.id,
      severity: "error",
      message: `${count} more keys are given more than once in this message (the next at line ${at.line}, column ${at.column}); remove the repeats.`,
      file,
      index: index(d),
      line: at.line,
      column: at.column,
    });
  }
}

/** NDJSON: one message a non-blank line; a broken line is reported and skipped. */
function parseNdjsonLines(
  text: string,
  file: string,
  diagnostics: Diagnostic[],
  syntax: (offset: number, reason: string, index?: number) => void,
  duplicates: (list: DuplicateKey[], item: number, index: number, items: unknown[]) => void,
): { items: unknown[]; itemStarts: number[]; fileIndexes?: number[] } {
  const items: unknown[] = [];
  const itemStarts: number[] = [];
  const indexes: number[] = [];
  let pos = 0;
  let seen = 0; // non-blank lines so far: the file position of the next message
  while (pos < text.length) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    if (line.trim() !== "") {
      if (items.length >= LIMITS.eventsPerFile) {
        tooMany(file, diagnostics);
        break;
      }
      const index = seen++;
      try {
        items.push(JSON.parse(line));
        const first = pos + (line.length - line.trimStart().length);
        itemStarts.push(first);
        indexes.push(index);
        const item = items.length - 1;
        if (mayHaveDuplicateKeys(text, first, end, items[item]))
          duplicates(duplicateKeys(text, first, end, false), item, index, items);
      } catch (error) {
        const e = firstSyntaxError(line, error);
        syntax(pos + e.offset, e.reason, index);
      }
    }
    pos = end + 1;
  }
  return { items, itemStarts, ...(seen !== items.length ? { fileIndexes: indexes } : {}) };
}

/** `properties.products[0].price` for people; keys that are not plain names are quoted. */
function dotted(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += (out ? "." : "") + s;
    else out += `[${JSON.stringify(s.length > 40 ? s.slice(0, 39) + "…" : s)}]`;
  }
  return out;
}

/** The value JSON.parse kept at `segments` inside `item` (own properties only). */
function valueAt(item: unknown, segments: readonly (string | number)[]): unknown {
  let v = item;
  for (const s of segments) {
    if (typeof v !== "object" || v === null || !Object.hasOwn(v, s)) return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/**
 * A key given twice in one object. JSON.parse, like the platform's parser, keeps the last value;
 * the diagnostic points at the later key and names the value used and the one ignored.
 */
const MAX_DUPLICATES_LISTED = 10;

function duplicateKeyDiagnostic(
  text: string,
  file: string,
  lines: LineIndex,
  d: DuplicateKey,
  item: unknown,
  index: number,
): Diagnostic {
  const earlierAt = lines.position(d.earlier);
  const { line, column } = lines.position(d.later);
  // Scalars are quoted; objects and arrays are told apart by place ("the later object").
  const describe = (v: unknown, which: string) =>
    typeof v === "object" && v !== null ? `the ${which} ${Array.isArray(v) ? "array" : "object"}` : show(v);
  let ignored = "the earlier value";
  try {
    const from = valueAfterKey(text, d.earlier);
    ignored = describe(JSON.parse(text.slice(from, valueEnd(text, from))), "earlier");
  } catch {
    // Cannot happen on text JSON.parse accepted; the generic words stay.
  }
  const value = valueAt(item, d.segments);
  // The duplicate sits inside an object that is itself replaced by a later key of the same name.
  const used =
    value === undefined
      ? "neither is used (the object holding them is itself given again later, and that later one wins)"
      : `${describe(value, "last")} is used`;
  return {
    ruleId: R.duplicateKey.id,
    severity: "error",
    ...messageFields(
      msg`\`${dotted(d.segments)}\` is given more than once (also at line ${earlierAt.line}, column ${earlierAt.column}); the platform's JSON parser keeps the last one, so ${value === undefined ? `${used}` : `${used} and ${ignored} is ignored`} — remove one of them.`,
    ),
    file,
    index,
    path: pointer(...d.segments),
    line,
    column,
  };
}

function tooMany(file: string, diagnostics: Diagnostic[]): void {
  diagnostics.push({
    ruleId: R.tooManyEvents.id,
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
    out.push({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      ...(f.markdown !== undefined ? { markdown: f.markdown } : {}),
      file,
      index,
      path: f.path,
      line,
      column,
    });
  }
  return out;
}

/** Parses and validates every message in an event file. */
export function validateEventText(
  text: string,
  file: string,
): { events: number; messages: unknown[]; diagnostics: Diagnostic[] } {
  const parsed = parseEventFile(text, file);
  const diagnostics = parsed.diagnostics.slice();
  const messages = parsed.items;
  for (let i = 0; i < messages.length; i++) {
    const findings = validateMessage(messages[i]);
    if (findings.length === 0) continue;
    for (const d of findingsToDiagnostics(findings, file, parsed.fileIndex(i), (p) => parsed.position(i, p)))
      diagnostics.push(d);
  }
  return { events: messages.length, messages, diagnostics };
}
