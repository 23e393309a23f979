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
      if (close !== -1 && /[A-Za-z/!]/.test(after)) {
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
    if (
      (c === "h" || c === "w") &&
      (i === 0 || !/\w/.test(line[i - 1]!)) &&
      /^(?:https?:\/\/|www\.)/.test(line.slice(i, i + 8))
    ) {
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
  /**
   * A capitalised run of words around the occurrence that may be a UI label the text names
   * ("My Account" opening a sentence, "click Me"): the message then says how to mark it as a name.
   */
  label?: string;
}

/** Quoted or bold text names something (a button, a menu): "Email Me Later", **Remind Us**. */
const NAMED = /\*\*[^*]+\*\*|__[^_]+__|"[^"]+"|“[^”]+”|‘[^’]+’|«[^»]+»|(?<![\p{L}\p{N}])'[^']+'(?![\p{L}\p{N}])/gu;
const CAPITALISED = /^\p{Lu}/u;
const WORD_BEFORE = /(\S+)\s+$/u;
const WORD_AFTER = /^\s+(\S+)/u;
/** What may open a line before its first word: Markdown markers, an opening quote or bracket. */
const LEAD = /^\s*(?:(?:#{1,6}|>|[-*+]|\d{1,9}[.)])\s+)*[(["“‘*_]*$/u;

const bare = (w: string | undefined) => (w ?? "").replace(/^[(["“‘*_]+|[)\]"”’*_,;:.!?]+$/gu, "");

/**
 * Whether the word at `at` opens a sentence: first on its line (after Markdown markers) where the
 * previous line ended one (or is not prose), or after `.`, `!`, `?` or `:`.
 */
function opensSentence(text: string, at: number, previous: string | undefined): boolean {
  const before = text.slice(0, at);
  if (LEAD.test(before))
    return previous === undefined || /[.!?:]["”’)*_]*\s*$/u.test(previous) || previous.trim() === "";
  return /[.!?:]["”’)*_]*\s+[(["“‘*_]*$/u.test(before);
}

/**
 * Every occurrence in the given 0-based lines, in order. Words inside the App's own name ("My
 * Tool", "We Connect"), in quotes or bold, or capitalised inside a sentence next to another
 * capitalised word ("the Email Me Later and Remind Us buttons") are names, not first person.
 */
export function findFirstPerson(lines: LineIndex, lineNumbers: Iterable<number>, appName?: string): Occurrence[] {
  const out: Occurrence[] = [];
  const numbers = [...lineNumbers];
  const prose = new Set(numbers);
  for (const l of numbers) {
    let text = mask(lines.line(l));
    if (appName) text = text.split(appName).join(" ".repeat(appName.length));
    text = text.replace(NAMED, (m) => " ".repeat(m.length));
    const previous = prose.has(l - 1) ? mask(lines.line(l - 1)) : undefined;
    WORD.lastIndex = 0;
    for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
      const word = m[0];
      const o: Occurrence = { word, line: l + 1, column: m.index + 1 };
      if (CAPITALISED.test(word)) {
        const prev = bare(WORD_BEFORE.exec(text.slice(0, m.index))?.[1]);
        const next = bare(WORD_AFTER.exec(text.slice(m.index + word.length))?.[1]);
        const capPrev = CAPITALISED.test(prev) && !/[.!?:]$/.test(WORD_BEFORE.exec(text.slice(0, m.index))?.[1] ?? "");
        const capNext = CAPITALISED.test(next);
        const start = opensSentence(text, m.index, previous);
        const pronounI = /^I(?:['’]|$)/.test(word);
        // Inside a sentence, a capitalised pronoun next to another capitalised word is a name;
        // "I" is always capitalised, so it counts only when a capitalised word follows it.
        if (!start && (pronounI ? capNext : capPrev || capNext)) continue;
        // Capitalised where it may be either (opening a sentence before a capitalised word, or
        // alone mid-sentence): reported, with how to write a label so that it passes.
        if ((start && capNext) || (!start && !pronounI)) o.label = labelAround(text, m.index, word.length);
      }
      out.push(o);
    }
  }
  return out;
}

/** The run of capitalised words the occurrence belongs to ("My Account", "Me"). */
function labelAround(text: string, at: number, length: number): string {
  const words = [text.slice(at, at + length)];
  let rest = text.slice(at + length);
  for (let w = WORD_AFTER.exec(rest); w && CAPITALISED.test(w[1]!) && words.length < 6; w = WORD_AFTER.exec(rest)) {
    words.push(bare(w[1]));
    if (bare(w[1]) !== w[1]) break;
    rest = rest.slice(w[0].length);
  }
  return words.join(" ");
}

/** The finding's message: what is wrong, and what to write instead (or how to mark a label). */
export function firstPersonMessage(o: Occurrence): string {
  const base = `"${o.word}" is first person; write about the partner and the customer instead (e.g. "Acme shows…", "you can…").`;
  if (!o.label) return base;
  return `"${o.word}" reads as first person. If "${o.label}" is the name of something in the interface (a button, a menu), write it in bold (**${o.label}**), in quotes or as code; otherwise write about the partner and the customer instead (e.g. "Acme shows…", "you can…").`;
}
