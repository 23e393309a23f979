// Positions inside JSON text, found lazily and without recursion (a 10,000-deep document is fine):
// a line index for offset → line/column, the start offsets of a top-level array's elements, and the
// offset of the value at a JSON pointer. Built on jsonc-parser's scanner, which is iterative.
import { createScanner, parse, printParseErrorCode, SyntaxKind, type ParseError } from "jsonc-parser";

export class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    const starts = (this.starts ??= lineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  let i = -1;
  while ((i = text.indexOf("\n", i + 1)) >= 0) starts.push(i + 1);
  return starts;
}

/** Decodes a JSON pointer ("/a/b~1c" → ["a", "b/c"]). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Start offsets of the elements of the top-level array that begins at or after `from`. */
export function arrayElementStarts(text: string, from = 0): number[] {
  const sc = createScanner(text, true);
  sc.setPosition(from);
  const starts: number[] = [];
  let depth = 0;
  let expectValue = false;
  for (;;) {
    const t = sc.scan();
    if (t === SyntaxKind.EOF) return starts;
    const atElement = depth === 1 && expectValue;
    switch (t) {
      case SyntaxKind.OpenBracketToken:
      case SyntaxKind.OpenBraceToken:
        if (atElement) {
          starts.push(sc.getTokenOffset());
          expectValue = false;
        }
        depth++;
        if (depth === 1) expectValue = true;
        break;
      case SyntaxKind.CloseBracketToken:
      case SyntaxKind.CloseBraceToken:
        depth--;
        if (depth === 0) return starts;
        break;
      case SyntaxKind.CommaToken:
        if (depth === 1) expectValue = true;
        break;
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NumericLiteral:
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
      case SyntaxKind.NullKeyword:
        if (atElement) {
          starts.push(sc.getTokenOffset());
          expectValue = false;
        }
        break;
    }
  }
}

/**
 * Offset of the value at `segments` inside the JSON value starting at `start`; when the path does
 * not exist (a missing field), the offset of its deepest existing ancestor. With `last` (the value
 * has duplicate keys), the whole value is scanned and the last occurrence wins, as in JSON.parse;
 * otherwise the scan stops at the first match.
 */
export function locateValue(text: string, start: number, segments: readonly string[], last = false): number {
  const sc = createScanner(text, true);
  sc.setPosition(start);
  const isArray: boolean[] = [];
  const index: number[] = [];
  const expectKey: boolean[] = [];
  // ok[d]: the current segments of frames 0..d-1 all equal segments[0..d-1].
  const ok: boolean[] = [true];
  let best = start;
  const setSegment = (d: number, seg: string) => {
    ok[d + 1] = ok[d]! && d < segments.length && segments[d] === seg;
  };
  const valueStart = (offset: number): boolean => {
    const d = isArray.length;
    if (d <= segments.length && ok[d]) {
      best = offset;
      if (d === segments.length) return !last;
    }
    return false;
  };
  for (;;) {
    const t = sc.scan();
    const offset = sc.getTokenOffset();
    switch (t) {
      case SyntaxKind.EOF:
        return best;
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken: {
        if (valueStart(offset)) return offset;
        const arr = t === SyntaxKind.OpenBracketToken;
        const d = isArray.length;
        isArray.push(arr);
        index.push(0);
        expectKey.push(!arr);
        if (arr) setSegment(d, "0");
        else ok[d + 1] = false;
        break;
      }
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        isArray.pop();
        index.pop();
        expectKey.pop();
        if (isArray.length === 0) return best;
        break;
      case SyntaxKind.CommaToken: {
        const d = isArray.length - 1;
        if (d < 0) return best;
        if (isArray[d]) setSegment(d, String(++index[d]!));
        else expectKey[d] = true;
        break;
      }
      case SyntaxKind.ColonToken:
        if (isArray.length) expectKey[isArray.length - 1] = false;
        break;
      case SyntaxKind.StringLiteral: {
        const d = isArray.length - 1;
        if (d >= 0 && !isArray[d] && expectKey[d]) {
          setSegment(d, sc.getTokenValue());
          break;
        }
        if (valueStart(offset) || d < 0) return offset;
        break;
      }
      case SyntaxKind.NumericLiteral:
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
      case SyntaxKind.NullKeyword:
        if (valueStart(offset) || isArray.length === 0) return offset;
        break;
    }
  }
}

/** The first JSON syntax error in `text`: offset and a short reason. */
export function firstSyntaxError(text: string, fallback: unknown): { offset: number; reason: string } {
  try {
    const errors: ParseError[] = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const e = errors[0];
    if (e) return { offset: e.offset, reason: describe(printParseErrorCode(e.error)) };
  } catch {
    // jsonc-parser recurses; absurd nesting lands here. Fall back to the engine's own message.
  }
  const msg = fallback instanceof Error ? fallback.message : String(fallback);
  const at = /position (\d+)/.exec(msg);
  return {
    offset: at ? Number(at[1]) : 0,
    reason: msg.replace(/ in JSON at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)$/, ""),
  };
}

function describe(code: string): string {
  switch (code) {
    case "InvalidSymbol":
      return "unexpected character (JSON needs double-quoted strings and keys)";
    case "InvalidNumberFormat":
      return "invalid number";
    case "PropertyNameExpected":
      return "expected a double-quoted property name (a trailing comma, or an unquoted key?)";
    case "ValueExpected":
      return "expected a value (a trailing comma, or a missing value?)";
    case "ColonExpected":
      return "expected a colon after the property name";
    case "CommaExpected":
      return "expected a comma between members";
    case "CloseBraceExpected":
      return "expected } to close the object";
    case "CloseBracketExpected":
      return "expected ] to close the array";
    case "EndOfFileExpected":
      return "unexpected content after the end of the JSON value (several messages? put them in an array, or one per line as NDJSON)";
    case "InvalidCommentToken":
      return "comments are not allowed in JSON";
    case "UnexpectedEndOfComment":
    case "UnexpectedEndOfString":
      return "unterminated string or comment";
    case "UnexpectedEndOfNumber":
      return "unterminated number";
    case "InvalidUnicode":
    case "InvalidEscapeCharacter":
      return "invalid escape sequence in a string";
    case "InvalidCharacter":
      return "invalid character in a string (control characters must be escaped)";
    default:
      return code;
  }
}

/** A key given twice in one object: where the earlier and the later occurrence of the key start. */
export interface DuplicateKey {
  /** Element of the top-level array (`elements`), else 0. */
  item: number;
  /** Path of the later key inside its item (the key last; array indices as numbers). */
  segments: (string | number)[];
  /** Offsets of the earlier and the later key's opening quote. */
  earlier: number;
  later: number;
}

/** Character codes. */
const C = {
  quote: 34,
  backslash: 92,
  comma: 44,
  openBrace: 123,
  closeBrace: 125,
  openBracket: 91,
  closeBracket: 93,
} as const;

/** Offset of the quote that closes the string whose opening quote is at `i`. */
function stringEnd(text: string, i: number): number {
  let j = text.indexOf('"', i + 1);
  for (;;) {
    if (j < 0) return text.length;
    let k = j - 1;
    while (text.charCodeAt(k) === C.backslash) k--;
    if ((j - k) % 2 === 1) return j; // an even number of backslashes before it
    j = text.indexOf('"', j + 1);
  }
}

// Scratch for duplicateKeys, reused across calls (it runs once per message of every file read).
/** The open objects' keys, innermost last, as offsets: each key's latest opening quote, and its closing quote. */
const flatAt: number[] = [];
const flatEnd: number[] = [];

/** The key whose quotes are at `open` and `close`, decoded. */
function keyText(text: string, open: number, close: number): string {
  const raw = text.slice(open + 1, close);
  return raw.indexOf("\\") >= 0 ? (JSON.parse(text.slice(open, close + 1)) as string) : raw;
}

/** Whether two keys (quote offsets) are equal, compared in place; escaped keys are decoded first. */
function sameKey(text: string, a: number, aEnd: number, b: number, bEnd: number, escaped: boolean): boolean {
  if (escaped) return keyText(text, a, aEnd) === keyText(text, b, bEnd);
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 1; a + i < aEnd; i++) if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  return true;
}

/** Keys in valid JSON text from `from` to `to`: strings followed by a colon. */
function countKeysInText(text: string, from: number, to: number): number {
  let n = 0;
  let i = text.indexOf('"', from);
  while (i >= 0 && i < to) {
    let j = stringEnd(text, i) + 1;
    let c = text.charCodeAt(j);
    while (c <= 32) c = text.charCodeAt(++j);
    if (c === 58) n++;
    i = text.indexOf('"', j);
  }
  return n;
}

/** Own keys of every object in a parsed value, or -1 past `maxDepth` (deep values take the full scan). */
function countKeysInValue(v: unknown, maxDepth: number): number {
  if (typeof v !== "object" || v === null) return 0;
  if (maxDepth === 0) return -1;
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const k = countKeysInValue(v[i], maxDepth - 1);
      if (k < 0) return -1;
      n += k;
    }
    return n;
  }
  for (const key in v) {
    if (!Object.hasOwn(v, key)) return -1;
    const k = countKeysInValue((v as Record<string, unknown>)[key], maxDepth - 1);
    if (k < 0) return -1;
    n += k + 1;
  }
  return n;
}

/**
 * Whether the text of `value` (from `from` to `to`) may hold a key given twice: JSON.parse keeps one
 * own key per distinct name, so when the text has as many keys as the parsed value, it has none.
 * Counting is about twice as fast as duplicateKeys, which only runs when the counts differ.
 */
export function mayHaveDuplicateKeys(text: string, from: number, to: number, value: unknown): boolean {
  const parsed = countKeysInValue(value, 64);
  return parsed < 0 || countKeysInText(text, from, to) !== parsed;
}

/**
 * Keys given more than once in one object, in valid JSON text from `from` to `to` (JSON.parse has
 * already accepted it, so the scan is loose). With `elements`, the text is a top-level array and
 * each duplicate names the element it is in. Iterative, one pass: strings are skipped with indexOf
 * and keys compared in place, so a file of small messages allocates next to nothing.
 */
export function duplicateKeys(text: string, from: number, to: number, elements: boolean): DuplicateKey[] {
  let found: DuplicateKey[] | undefined;
  // One frame per open object or array: where its keys start in flatAt (-1 for an array), whether
  // one of its keys has an escape, a Map once it has many keys, and its current key (the offset of
  // its opening quote) or index.
  const starts: number[] = [];
  const escaped: boolean[] = [];
  const maps: (Map<string, number> | undefined)[] = [];
  const segs: number[] = [];
  flatAt.length = 0;
  flatEnd.length = 0;
  let expectKey = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === C.quote) {
      const end = stringEnd(text, i);
      if (expectKey) {
        const d = starts.length - 1;
        if (!escaped[d]) for (let j = i + 1; j < end; j++) if (text.charCodeAt(j) === C.backslash) escaped[d] = true;
        let earlier = -1;
        const map = maps[d];
        if (map) {
          const key = keyText(text, i, end);
          earlier = map.get(key) ?? -1;
          map.set(key, i);
        } else {
          const first = starts[d]!;
          let k = flatAt.length - 1;
          while (k >= first && !sameKey(text, flatAt[k]!, flatEnd[k]!, i, end, escaped[d]!)) k--;
          if (k >= first) {
            earlier = flatAt[k]!;
            flatAt[k] = i;
            flatEnd[k] = end;
          } else if (flatAt.length - first < 32) {
            flatAt.push(i);
            flatEnd.push(end);
          } else {
            const m = new Map<string, number>();
            for (let n = first; n < flatAt.length; n++) m.set(keyText(text, flatAt[n]!, flatEnd[n]!), flatAt[n]!);
            m.set(keyText(text, i, end), i);
            maps[d] = m;
          }
        }
        segs[d] = i; // the key's offset; decoded only when a path is needed
        if (earlier >= 0) {
          const segments: (string | number)[] = [];
          for (let k = elements ? 1 : 0; k <= d; k++) {
            const at = segs[k] as number;
            segments.push(starts[k]! < 0 ? at : keyText(text, at, stringEnd(text, at)));
          }
          (found ??= []).push({ item: elements ? (segs[0] as number) : 0, segments, earlier, later: i });
        }
        expectKey = false;
      }
      i = end;
    } else if (c === C.openBrace) {
      starts.push(flatAt.length);
      escaped.push(false);
      maps.push(undefined);
      segs.push(-1);
      expectKey = true;
    } else if (c === C.openBracket) {
      starts.push(-1);
      escaped.push(false);
      maps.push(undefined);
      segs.push(0);
    } else if (c === C.closeBrace || c === C.closeBracket) {
      const start = starts.pop()!;
      if (start >= 0) {
        flatAt.length = start;
        flatEnd.length = start;
      }
      escaped.pop();
      maps.pop();
      segs.pop();
      expectKey = false;
      if (starts.length === 0) break;
    } else if (c === C.comma) {
      const d = starts.length - 1;
      if (starts[d]! < 0) segs[d]!++;
      else expectKey = true;
    }
  }
  flatAt.length = 0;
  flatEnd.length = 0;
  return found ?? [];
}

/** Offset just past the JSON value that starts at or after `start` (valid JSON assumed). */
export function valueEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32) continue;
    if (c === C.quote) {
      i = stringEnd(text, i);
      if (depth === 0) return i + 1;
    } else if (c === C.openBrace || c === C.openBracket) depth++;
    else if (c === C.closeBrace || c === C.closeBracket) {
      depth--;
      if (depth <= 0) return i + 1;
    } else if (depth === 0) {
      // A number or literal: up to the next delimiter.
      let j = i;
      while (j < text.length) {
        const e = text.charCodeAt(j);
        if (e <= 32 || e === C.comma || e === C.closeBrace || e === C.closeBracket) break;
        j++;
      }
      return j;
    }
  }
  return text.length;
}

/** Offset of the value that follows the key whose opening quote is at `keyOffset`. */
export function valueAfterKey(text: string, keyOffset: number): number {
  let i = text.indexOf(":", stringEnd(text, keyOffset)) + 1;
  while (i < text.length && text.charCodeAt(i) <= 32) i++;
  return i;
}
