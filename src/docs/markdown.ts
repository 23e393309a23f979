// Parsing Markdown once, and the structural lookups the checks need: headings, sections, links,
// the source lines that hold prose. Positions come from markdown-it's token.map (0-based lines).
import MarkdownIt from "markdown-it";
import type { StateBlock, Token } from "markdown-it";
import type { LineIndex } from "./lines.js";

/**
 * How deep block structure may nest, in markdown-it's levels (its `maxNesting` option; the default
 * preset uses 100, the zero and commonmark presets 20): a block quote is one level, a list two (the
 * list and its item). Deeper content is not parsed; see the tokenize wrapper below.
 */
export const MAX_NESTING = 40;

/** HTML is recognised (so it is not read as prose); bare URLs and emails become links, as on the docs site. */
const md = new MarkdownIt({ html: true, linkify: true });
// Bound nesting (lists in quotes in lists…), so that hostile input cannot exhaust the stack.
md.set({ maxNesting: MAX_NESTING });

/** Where markdown-it first dropped content nested deeper than MAX_NESTING: 0-based line and column of the body. */
export interface TooDeep {
  line0: number;
  column0: number;
}

type ParseEnv = Record<string, unknown> & {
  tooDeep?: TooDeep;
};

// Past maxNesting, markdown-it's ParserBlock.tokenize silently skips to the end of the range it
// was given, which for a list item is the end of the document: one over-nested list would hide
// every section after it. Instead, skip only the over-nested block (the lines indented under it,
// as markdown-it's own loop would read them), and note where that first happens so the checks
// can say so: what lies below is neither parsed nor checked.
const tokenize = md.block.tokenize.bind(md.block);
md.block.tokenize = (state: StateBlock, startLine: number, endLine: number): void => {
  if (state.level < MAX_NESTING) return tokenize(state, startLine, endLine);
  const env = state.env as ParseEnv;
  let line = startLine;
  for (;;) {
    line = state.skipEmptyLines(line);
    if (line >= endLine || state.sCount[line]! < state.blkIndent) break;
    if (!env.tooDeep) {
      const offset = state.bMarks[line]! + state.tShift[line]!;
      env.tooDeep = { line0: line, column0: offset - (state.src.lastIndexOf("\n", offset - 1) + 1) };
    }
    line++;
  }
  state.line = line;
};

export interface Parsed {
  tokens: Token[];
  /** Set when the body nests deeper than MAX_NESTING: what lies below was not parsed. */
  tooDeep?: TooDeep;
}

export function parseMarkdownDepth(body: string): Parsed {
  const env: ParseEnv = {};
  const tokens = md.parse(body, env);
  return env.tooDeep ? { tokens, tooDeep: env.tooDeep } : { tokens };
}

export function parseMarkdown(body: string): Token[] {
  return parseMarkdownDepth(body).tokens;
}

export function normalizeLinkText(url: string): string {
  return md.normalizeLinkText(url);
}

export interface Heading {
  level: number;
  text: string;
  /** Normalised for comparisons: lower case, single spaces, no trailing punctuation. */
  key: string;
  /** 0-based line. */
  line0: number;
  /** Index of the heading_open token. */
  index: number;
}

export function normalizeHeading(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_]/g, "")
    .replace(/\s+/g, " ")
    .replace(/[\s:.!?#]+$/, "")
    .trim();
}

/** Inline text of an inline token: text and code content, link URLs left out. */
export function inlineText(token: Token | undefined): string {
  if (!token?.children) return token?.content ?? "";
  let out = "";
  for (const c of token.children) {
    if (c.type === "text" || c.type === "code_inline") out += c.content;
    else if (c.type === "softbreak" || c.type === "hardbreak") out += " ";
    else if (c.type === "image") out += c.content;
  }
  return out;
}

export function headings(tokens: Token[]): Heading[] {
  const out: Heading[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== "heading_open") continue;
    const text = inlineText(tokens[i + 1]);
    out.push({ level: Number(t.tag.slice(1)), text, key: normalizeHeading(text), line0: t.map?.[0] ?? 0, index: i });
  }
  return out;
}

/** Token range [start, end) of the section a heading opens: up to the next heading of the same or a higher level. */
export function sectionRange(tokens: Token[], all: Heading[], h: Heading): { start: number; end: number } {
  const next = all.find((o) => o.index > h.index && o.level <= h.level);
  return { start: h.index + 3, end: next ? next.index : tokens.length };
}

export interface LinkRef {
  href: string;
  markup: string;
  /** Visible text of the link. */
  text: string;
  /** The inline token holding the link, and the 0-based lines it spans. */
  inline: Token;
  line0: number;
  endLine0: number;
  /** Index of the block token that holds the inline token. */
  index: number;
}

/** Every link in the document, in order, with the lines of the block that holds it. */
export function links(tokens: Token[]): LinkRef[] {
  const out: LinkRef[] = [];
  let lastMap: [number, number] = [0, 1];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.map) lastMap = t.map;
    if (t.type !== "inline" || !t.children) continue;
    const map = t.map ?? lastMap;
    const kids = t.children;
    for (let k = 0; k < kids.length; k++) {
      const c = kids[k]!;
      if (c.type !== "link_open") continue;
      let text = "";
      for (let j = k + 1; j < kids.length && kids[j]!.type !== "link_close"; j++) text += kids[j]!.content;
      out.push({
        href: String(c.attrGet("href") ?? ""),
        markup: c.markup,
        text,
        inline: t,
        line0: map[0],
        endLine0: map[1],
        index: i,
      });
    }
  }
  return out;
}

/**
 * 0-based lines that hold prose: the lines of inline content (paragraphs, headings, list items,
 * table rows). Code blocks, HTML blocks and front matter are not prose.
 */
export function proseLines(tokens: Token[]): number[] {
  const lines = new Set<number>();
  let lastMap: [number, number] = [0, 1];
  for (const t of tokens) {
    if (t.map) lastMap = t.map;
    if (t.type !== "inline") continue;
    const [a, b] = t.map ?? lastMap;
    for (let l = a; l < b; l++) lines.add(l);
  }
  return [...lines].sort((x, y) => x - y);
}

/**
 * Where a link's URL is written in the source, as a 1-based position: searched in the lines of the
 * block holding it (after the previous link found there), then in a reference definition.
 */
export class LinkLocator {
  private cursor = new Map<Token, number>();
  private definitions?: Map<string, number>;

  constructor(private readonly lines: LineIndex) {}

  locate(link: LinkRef): { line: number; column: number } {
    const text = this.lines.text;
    const from = Math.max(this.cursor.get(link.inline) ?? 0, this.lines.starts[link.line0] ?? 0);
    const to = this.lines.starts[link.endLine0] ?? text.length;
    const urls = unique([safe(() => normalizeLinkText(link.href)), link.href, link.href.replace(/^mailto:/, "")]);
    const inBlock = (needle: string): { line: number; column: number } | undefined => {
      const at = text.indexOf(needle, from);
      if (at === -1 || at >= to) return undefined;
      this.cursor.set(link.inline, at + needle.length);
      return this.lines.position(at);
    };
    // 1. The URL written in the block itself (inline links, autolinks, bare URLs).
    for (const n of urls) {
      const found = inBlock(n);
      if (found) return found;
    }
    // 2. A reference link: the URL sits in a `[label]: url` definition elsewhere.
    const defs = (this.definitions ??= this.indexDefinitions());
    for (const n of urls) {
      const at = defs.get(n);
      if (at !== undefined) return this.lines.position(at);
    }
    // 3. A bare URL written without its scheme (www.acme.example): its visible text.
    if (link.text) {
      const found = inBlock(link.text);
      if (found) return found;
    }
    return this.lines.lineStart(link.line0);
  }

  /** Offsets of the URLs of `[label]: url` reference definitions, found in one pass. */
  private indexDefinitions(): Map<string, number> {
    const out = new Map<string, number>();
    const re = /^ {0,3}\[[^\]\n]{1,999}\]:[ \t]*(<?)([^\s>]+)/gm;
    for (let m = re.exec(this.lines.text); m; m = re.exec(this.lines.text)) {
      const url = m[2]!;
      if (!out.has(url)) out.set(url, m.index + m[0].length - url.length);
    }
    return out;
  }
}

function unique(xs: (string | undefined)[]): string[] {
  return [...new Set(xs.filter((x): x is string => !!x))];
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
