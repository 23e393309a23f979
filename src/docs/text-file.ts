// A Markdown docs file (the docs page, the catalog copy) parsed once: lines, front matter, the
// body's tokens and its prose lines — what every text rule's context starts from.
import { bodyText, readFrontMatter } from "./front-matter.js";
import { LineIndex } from "./lines.js";
import { parseMarkdownDepth, proseLines } from "./markdown.js";
import type { DocsView } from "./manifest-view.js";
import type { TextContext } from "./rules/context.js";

export function textFile(
  view: DocsView,
  file: string,
  text: string,
): Omit<TextContext, "report"> & { firstLine0: number } {
  const lines = new LineIndex(text);
  const fm = readFrontMatter(lines);
  const { body, firstLine0 } = bodyText(lines, fm);
  const { tokens, tooDeep } = parseMarkdownDepth(body);
  return {
    view,
    file,
    lines,
    fm,
    tokens,
    tooDeep,
    proseLines: proseLines(tokens),
    locate: (line0) => lines.lineStart(line0),
    firstLine0,
  };
}
