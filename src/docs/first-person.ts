// "No first person": finds I, we, our, us, my, me (and their contractions) in prose lines, with
// inline code, link URLs, HTML tags, bare URLs, email addresses and Liquid tags masked out.
import type { LineIndex } from "./lines.js";

/** How many occurrences are listed per file; the rest are counted in one more diagnostic. */
export const FIRST_PERSON_LIMIT = 20;

const WORD =
  /(?<![\p{L}\p{N}_\-/])(?:I(?:['’](?:m|ve|ll|d))?|[Ww]e(?:['’](?:re|ve|ll|d))?|[Oo]urs?|[Oo]urselves|[Uu]s|[Mm]y|[Mm]yself|[Mm]e)(?![\p{L}\p{N}_\-/])/gu;

const MASKS: RegExp[] = [
  /(`+)[^`]*?\1/g, // inline code
  /\{%.*?%\}|\{\{.*?\}\}/g, // Liquid tags of the docs site
  /\]\([^)]*\)/g, // inline link destinations and titles
  /^\s*\[[^\]]+\]:\s*\S+.*$/g, // reference definitions
  /<[^>\s]*[:@][^>\s]*>/g, // autolinks
  /<\/?[A-Za-z][^>]*>/g, // HTML tags
  /\b(?:https?:\/\/|www\.)\S+/g, // bare URLs
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, // email addresses
];

function mask(line: string): string {
  let out = line;
  for (const re of MASKS) out = out.replace(re, (m) => " ".repeat(m.length));
  return out;
}

export interface Occurrence {
  word: string;
  line: number;
  column: number;
}

/** Every occurrence in the given 0-based lines, in order. */
export function findFirstPerson(lines: LineIndex, lineNumbers: Iterable<number>): Occurrence[] {
  const out: Occurrence[] = [];
  for (const l of lineNumbers) {
    const text = mask(lines.line(l));
    WORD.lastIndex = 0;
    for (let m = WORD.exec(text); m; m = WORD.exec(text)) out.push({ word: m[0], line: l + 1, column: m.index + 1 });
  }
  return out;
}
