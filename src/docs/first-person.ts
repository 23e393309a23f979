// "No first person": finds I, we, our, us, my, me (and their contractions) in prose lines, with
// inline code, link URLs, HTML tags, bare URLs, email addresses and Liquid tags masked out.
import type { LineIndex } from "./lines.js";

/** How many occurrences are listed per file; the rest are counted in one more diagnostic. */
export const FIRST_PERSON_LIMIT = 20;

const WORD =
  /(?<![\p{L}\p{N}_\-/])(?:I(?:['’](?:m|ve|ll|d))?|[Ww]e(?:['’](?:re|ve|ll|d))?|[Oo]urs?|[Oo]urselves|[Uu]s|[Mm]y|[Mm]yself|[Mm]e)(?![\p{L}\p{N}_\-/])/gu;

const WORD_CHAR = /[\w.+-]/;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]{1,999}\]:/;

/**
 * The line with everything that is not prose replaced by spaces (so columns stay true): inline
 * code, link destinations, autolinks and HTML tags, bare URLs, email addresses, Liquid tags and
 * reference definitions. One pass; every "find the closing character" search is cached, so a
 * pathological line (a megabyte of `<` or `](`) costs linear time.
 */
export function mask(line: string): string {
  if (REFERENCE_DEFINITION.test(line)) return " ".repeat(line.length);
  const n = line.length;
  const hidden = new Uint8Array(n);
  const nextCache = new Map<string, number>();
  const next = (needle: string, from: number): number => {
    let at = nextCache.get(needle);
    if (at === undefined || (at !== -1 && at < from)) {
      at = line.indexOf(needle, from);
      nextCache.set(needle, at);
    }
    return at;
  };
  const hide = (from: number, to: number): void => {
    hidden.fill(1, from, Math.min(to, n));
  };
  let i = 0;
  while (i < n) {
    const c = line[i]!;
    if (c === "`") {
      let r = 1;
      while (line[i + r] === "`") r++;
      const close = next("`".repeat(r), i + r);
      if (close !== -1) {
        hide(i, close + r);
        i = close + r;
      } else i += r;
      continue;
    }
    if (c === "]" && line[i + 1] === "(") {
      const close = next(")", i + 2);
      if (close !== -1) {
        hide(i, close + 1);
        i = close + 1;
        continue;
      }
    }
    if (c === "<") {
      const close = next(">", i + 1);
      const after = line[i + 1] ?? "";
      if (close !== -1 && (/[A-Za-z/!]/.test(after))) {
        hide(i, close + 1);
        i = close + 1;
        continue;
      }
    }
    if (c === "{" && (line[i + 1] === "{" || line[i + 1] === "%")) {
      const close = next(line[i + 1] === "{" ? "}}" : "%}", i + 2);
      if (close !== -1) {
        hide(i, close + 2);
        i = close + 2;
        continue;
      }
    }
    if ((c === "h" || c === "w") && (i === 0 || !/\w/.test(line[i - 1]!)) && /^(?:https?:\/\/|www\.)/.test(line.slice(i, i + 8))) {
      let j = i;
      while (j < n && !/\s/.test(line[j]!)) j++;
      hide(i, j);
      i = j;
      continue;
    }
    if (c === "@") {
      let a = i;
      while (a > 0 && !hidden[a - 1] && WORD_CHAR.test(line[a - 1]!)) a--;
      let b = i + 1;
      while (b < n && /[\w.-]/.test(line[b]!)) b++;
      if (a < i && line.slice(i + 1, b).includes(".")) hide(a, b);
      i = b;
      continue;
    }
    i++;
  }
  let out = "";
  let runStart = 0;
  for (let k = 0; k <= n; k++) {
    if (k === n || hidden[k] !== hidden[runStart]) {
      out += hidden[runStart] ? " ".repeat(k - runStart) : line.slice(runStart, k);
      runStart = k;
    }
  }
  return out;
}

export interface Occurrence {
  word: string;
  line: number;
  column: number;
}

/**
 * Every occurrence in the given 0-based lines, in order. Words inside the App's own name ("My
 * Tool", "We Connect") are the tool's name, not first person.
 */
export function findFirstPerson(lines: LineIndex, lineNumbers: Iterable<number>, appName?: string): Occurrence[] {
  const out: Occurrence[] = [];
  for (const l of lineNumbers) {
    let text = mask(lines.line(l));
    if (appName) text = text.split(appName).join(" ".repeat(appName.length));
    WORD.lastIndex = 0;
    for (let m = WORD.exec(text); m; m = WORD.exec(text)) out.push({ word: m[0], line: l + 1, column: m.index + 1 });
  }
  return out;
}
