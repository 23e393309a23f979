// The platform docs page (`docs.segment`) against the partner program's template: the page is
// parsed once into a context, then each rule of rules/ (PAGE_RULES) checks it.
import type { Token } from "markdown-it";
import type { Diagnostic } from "../core/diagnostic.js";
import { headings, inlineText, LinkLocator, links } from "./markdown.js";
import type { DocsView } from "./manifest-view.js";
import { reporter, type PageContext, type Paragraph, type Pos } from "./rules/context.js";
import { PAGE_RULES } from "./rules/index.js";
import { textFile } from "./text-file.js";
import { partnerHost } from "./utm.js";

export function checkSegmentPage(view: DocsView, file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const base = pageContext(view, file, text);
  for (const rule of PAGE_RULES) rule.check({ ...base, report: reporter<Pos>(rule, file, out, (at) => at) });
  return out;
}

function pageContext(view: DocsView, file: string, text: string): Omit<PageContext, "report"> {
  const { firstLine0: _, ...file0 } = textFile(view, file, text);
  const { tokens, lines } = file0;
  const hs = headings(tokens);
  const firstH2 = hs.find((h) => h.level === 2);
  return {
    ...file0,
    headings: hs,
    h2: (pred) => hs.find((h) => h.level === 2 && pred(h.key)),
    firstH2,
    links: links(tokens),
    locator: new LinkLocator(lines),
    host: partnerHost(view.website),
    ...openingParagraphs(tokens, firstH2 ? firstH2.index : tokens.length),
  };
}

/** Top-level paragraphs before the first `##` (the intro), and those with "maintained by" anywhere. */
function openingParagraphs(tokens: Token[], introEnd: number): { intro: Paragraph[]; maintained: Paragraph[] } {
  const intro: Paragraph[] = [];
  const maintained: Paragraph[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== "paragraph_open" || t.level !== 0) continue;
    const inline = tokens[i + 1]!;
    const entry = { open: t, inline, text: inlineText(inline) };
    if (/maintained\s+by/i.test(entry.text)) maintained.push(entry);
    else if (i < introEnd) intro.push(entry);
  }
  return { intro, maintained };
}
