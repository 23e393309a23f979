// The catalog copy (`docs.catalog`) and the catalog assets (`app.logo`, `app.mark`): each file is
// read once into a context, then each rule of rules/ (COPY_RULES, SVG_RULES) checks it.
//
// Catalog copy format: a Markdown file. Optional YAML front matter at the top is skipped. The
// body is the description the catalog shows, written as one or two plain paragraphs; its length
// is counted on the text as shown (Markdown removed, white space runs counted as one space).
import type { Diagnostic } from "../core/diagnostic.js";
import { LineIndex } from "./lines.js";
import { inlineText, type parseMarkdown } from "./markdown.js";
import type { DocsView } from "./manifest-view.js";
import { reporter, type CopyContext, type Pos } from "./rules/context.js";
import { COPY_RULES, SVG_RULES } from "./rules/index.js";
import { readSvg } from "./svg.js";
import { textFile } from "./text-file.js";

/** The description as the catalog shows it: text only, white space collapsed. */
export function catalogText(tokens: ReturnType<typeof parseMarkdown>): string {
  return tokens
    .filter((t) => t.type === "inline")
    .map((t) => inlineText(t))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}

export function checkCatalogCopy(view: DocsView, file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { firstLine0, ...file0 } = textFile(view, file, text);
  const firstBlock = file0.tokens.find((t) => t.map && t.level === 0);
  const base: Omit<CopyContext, "report"> = {
    ...file0,
    description: catalogText(file0.tokens),
    start: firstBlock?.map ? file0.lines.lineStart(firstBlock.map[0]) : { line: firstLine0 + 1, column: 1 },
  };
  for (const rule of COPY_RULES) rule.check({ ...base, report: reporter<Pos>(rule, file, out, (at) => at) });
  return out;
}

/** Checks a logo (`role: "logo"`, horizontal) or mark (`role: "mark"`, square) SVG. */
export function checkSvgAsset(role: "logo" | "mark", file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = new LineIndex(text);
  const base = {
    role,
    field: role === "logo" ? "app.logo" : "app.mark",
    file,
    svg: readSvg(text),
    locate: (offset: number) => lines.position(offset),
  };
  for (const rule of SVG_RULES)
    rule.check({ ...base, report: reporter<number>(rule, file, out, (offset) => lines.position(offset)) });
  return out;
}
