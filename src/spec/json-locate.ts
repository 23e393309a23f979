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
 * not exist (a missing field), the offset of its deepest existing ancestor.
 */
export function locateValue(text: string, start: number, segments: readonly string[]): number {
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
      if (d === segments.length) return true;
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
  return { offset: at ? Number(at[1]) : 0, reason: msg.replace(/ in JSON at position \d+.*$/, "").replace(/\s*\(line \d+ column \d+\)$/, "") };
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
