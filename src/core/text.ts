// Bytes → text for files a partner commits: refuses binary and invalid UTF-8 with a reason.
export type DecodeResult =
  | { ok: true; text: string }
  | { ok: false; message: string; reason?: "binary" | "invalid-utf8" };

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export function decodeText(bytes: Uint8Array, file: string): DecodeResult {
  const probe = bytes.subarray(0, 8000);
  // UTF-16 (what some Windows editors save) has NUL bytes too, but a byte-order mark says what it is.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, reason: "invalid-utf8", message: `${file} is saved as UTF-16; save it as UTF-8.` };
  }
  if (probe.includes(0)) {
    return {
      ok: false,
      reason: "binary",
      message: `${file} looks like a binary file (it contains NUL bytes); this file must be UTF-8 text.`,
    };
  }
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, reason: "invalid-utf8", message: `${file} is not valid UTF-8; save it with UTF-8 encoding.` };
  }
}

/** Line and column (1-based) of a character offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The text as one sentence: a full stop added unless it already ends with one (or ! ? …), so
 * sentences joined from parts (a partner's message, a first error) never end in "..".
 */
export function sentence(text: string): string {
  const t = text.trim();
  return !t || /[.!?…]$/.test(t) ? t : `${t}.`;
}

/**
 * A count with its noun: "1 file", "2 files", "1,000 events" (counts are grouped the en-US way, so
 * every front door writes large numbers alike).
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** The text with its first letter in upper case. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The text cut to at most `max` characters, the last of them "…" when it was cut. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
