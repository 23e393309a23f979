// The catalog copy (`docs.catalog`) and the catalog assets (`app.logo`, `app.mark`).
//
// Catalog copy format: a Markdown file. Optional YAML front matter at the top is skipped. The
// body is the description the catalog shows, written as one or two plain paragraphs; its length
// is counted on the text as shown (Markdown removed, white space runs counted as one space).
import type { Diagnostic } from "../core/diagnostic.js";
import { bodyText, readFrontMatter } from "./front-matter.js";
import { LineIndex } from "./lines.js";
import { inlineText, parseMarkdown, parseMarkdownDepth, proseLines } from "./markdown.js";
import type { DocsView } from "./manifest-view.js";
import { defaultSeverity, type DocsRuleId } from "./rule-info.js";
import { firstPersonDiagnostics, placeholderDiagnostics, tooDeepDiagnostic } from "./segment-page.js";
import { readSvg, svgBoxes } from "./svg.js";

export const CATALOG_DESCRIPTION_MAX = 500;

const MARKUP: Record<string, string> = {
  heading_open: "a heading",
  bullet_list_open: "a list",
  ordered_list_open: "a numbered list",
  table_open: "a table",
  fence: "a code block",
  code_block: "a code block",
  html_block: "HTML",
  blockquote_open: "a quote",
  hr: "a horizontal rule",
};

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
  const report = (ruleId: DocsRuleId, message: string, at: { line: number; column: number }): void => {
    out.push({ ruleId, severity: defaultSeverity(ruleId), message, file, line: at.line, column: at.column });
  };
  const lines = new LineIndex(text);
  out.push(...placeholderDiagnostics("catalog/placeholder", file, lines));
  const fm = readFrontMatter(lines);
  const { body, firstLine0 } = bodyText(lines, fm);
  const { tokens, tooDeep } = parseMarkdownDepth(body);
  if (tooDeep) out.push(tooDeepDiagnostic("catalog/too-deep", file, "the catalog copy", tooDeep));
  const description = catalogText(tokens);
  const firstBlock = tokens.find((t) => t.map && t.level === 0);
  const start = firstBlock?.map ? lines.lineStart(firstBlock.map[0]) : { line: firstLine0 + 1, column: 1 };

  if (description === "") {
    report("catalog/description-empty", "The catalog copy holds no description; write one or two paragraphs saying what the tool does.", start);
    return out;
  }
  const length = [...description].length;
  if (length > CATALOG_DESCRIPTION_MAX) {
    report(
      "catalog/description-length",
      `The catalog description is ${length} characters long; the catalog allows at most ${CATALOG_DESCRIPTION_MAX}. Shorten it by ${length - CATALOG_DESCRIPTION_MAX}.`,
      start,
    );
  }
  if (view.appName && !description.toLowerCase().includes(view.appName.toLowerCase())) {
    report("catalog/app-name", `The catalog description does not mention "${view.appName}" (app.name in integration.yml); name the tool in it.`, start);
  }
  const markupSeen = new Set<string>();
  for (const t of tokens) {
    const kind = MARKUP[t.type];
    // Once per kind and line: `> > > x` is one quote to remove, not three.
    if (kind && t.map && !markupSeen.has(`${kind}:${t.map[0]}`)) {
      markupSeen.add(`${kind}:${t.map[0]}`);
      report("catalog/markup", `The catalog copy contains ${kind}, which the catalog does not render; keep to plain paragraphs.`, lines.lineStart(t.map[0]));
    }
    if (t.type === "inline" && t.children?.some((c) => c.type === "image") && t.map) {
      report("catalog/markup", "The catalog copy contains an image, which the catalog does not show; remove it (the logo comes from app.logo).", lines.lineStart(t.map[0]));
    }
  }
  if (view.description) {
    const want = view.description.replace(/\s+/g, " ").trim().replace(/[.!?]+$/, "").toLowerCase();
    if (want !== "" && !description.toLowerCase().startsWith(want)) {
      report(
        "catalog/description-mismatch",
        `The catalog copy does not begin with app.description from integration.yml ("${view.description.trim().slice(0, 120)}${view.description.trim().length > 120 ? "…" : ""}"); keep the two in sync: start the catalog copy with that text, or update app.description.`,
        start,
      );
    }
  }
  out.push(...firstPersonDiagnostics("catalog/first-person", file, lines, proseLines(tokens), view.appName));
  return out;
}

/** Checks a logo (`role: "logo"`, horizontal) or mark (`role: "mark"`, square) SVG. */
export function checkSvgAsset(role: "logo" | "mark", file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = new LineIndex(text);
  const field = role === "logo" ? "app.logo" : "app.mark";
  const report = (ruleId: DocsRuleId, message: string, offset: number): void => {
    const at = lines.position(offset);
    out.push({ ruleId, severity: defaultSeverity(ruleId), message, file, line: at.line, column: at.column });
  };
  if (!/\.svg$/i.test(file)) report("catalog/svg", `The ${role} (${field}) must be an .svg file; export it from the design tool as SVG.`, 0);
  const svg = readSvg(text);
  for (const p of svg.problems) {
    if (p.kind === "svg") report("catalog/svg", `The ${role} (${field}) is not a well-formed SVG file: ${p.message}.`, p.offset);
    else report("catalog/svg-unsafe", `The ${role} (${field}) is unsafe to show: ${p.message}. Remove it, or export the SVG again without scripts, links or embedded files.`, p.offset);
  }
  if (!svg.root || svg.problems.some((p) => p.kind === "svg")) return out;

  const { viewBox, size } = svgBoxes(svg.root);
  const boxes = [
    viewBox && { ...viewBox, what: `its viewBox is ${viewBox.w} × ${viewBox.h}` },
    size && { ...size, what: `its width and height are ${size.w} × ${size.h}` },
  ].filter((b): b is NonNullable<typeof b> => !!b);
  if (role === "mark") {
    if (boxes.length === 0) {
      report("catalog/mark-square", "The mark (app.mark) has no viewBox or width and height, so it cannot be shown as a square; add a square viewBox, e.g. viewBox=\"0 0 64 64\".", svg.root.offset);
    }
    for (const b of boxes) {
      if (Math.abs(b.w - b.h) > 0.01 * Math.max(b.w, b.h)) {
        report("catalog/mark-square", `The mark (app.mark) must be square, but ${b.what}; make the drawing square, e.g. viewBox="0 0 ${Math.max(b.w, b.h)} ${Math.max(b.w, b.h)}".`, b.offset);
      }
    }
  } else {
    if (boxes.length === 0) {
      report("catalog/logo-horizontal", "The logo (app.logo) has no viewBox or width and height, so its shape cannot be told; add a viewBox wider than it is tall.", svg.root.offset);
    }
    for (const b of boxes) {
      if (b.w <= b.h) report("catalog/logo-horizontal", `The logo (app.logo) must be horizontal (wider than tall, with the tool's name), but ${b.what}.`, b.offset);
    }
  }
  return out;
}
