// Partner Markdown (catalog copy, docs page) → HTML: markdown-it with `html: false`, so raw HTML
// in the source is shown as text; links get rel="nofollow noopener"; images become their alt text
// (a partner's image would load from anywhere, and could track the reader); headings move one
// level down, under the page's own.
import MarkdownIt from "markdown-it";
import { MAX_NESTING } from "../docs/markdown.js";
import { html, trusted, type Html } from "./html.js";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.set({ maxNesting: MAX_NESTING });
// An @-mention is not a link on the site, and linkify only links URLs and e-mail addresses.

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet("rel", "nofollow noopener");
  return self.renderToken(tokens, idx, options);
};
md.renderer.rules.image = (tokens, idx) => md.utils.escapeHtml(tokens[idx]!.content);

const shift = (tag: string) => (/^h[1-5]$/.test(tag) ? `h${Number(tag[1]) + 1}` : tag);
md.core.ruler.push("shift-headings", (state) => {
  for (const t of state.tokens) if (t.type === "heading_open" || t.type === "heading_close") t.tag = shift(t.tag);
});

/** Front matter (a leading `---` block) is metadata for tools, not text for readers. */
function withoutFrontMatter(text: string): string {
  const m = /^---\r?\n[\s\S]*?\r?\n(---|\.\.\.)[ \t]*(\r?\n|$)/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

export function renderMarkdown(text: string): Html {
  return trusted(md.render(withoutFrontMatter(text)));
}

/**
 * The catalog copy as the platform's catalog shows it: plain paragraphs (rule catalog/markup) —
 * emphasis and links reduced to their text, raw HTML shown as the text it is.
 */
export function plainParagraphs(text: string): Html {
  const paragraphs: string[] = [];
  for (const t of md.parse(withoutFrontMatter(text), {})) {
    if (t.type !== "inline") continue;
    const words = (t.children ?? [])
      .map((c) =>
        c.type === "softbreak" || c.type === "hardbreak"
          ? " "
          : c.type === "text" || c.type === "code_inline" || c.type === "image"
            ? c.content
            : "",
      )
      .join("");
    if (words.trim()) paragraphs.push(words.trim());
  }
  return html`${paragraphs.map((p) => html`<p>${p}</p>`)}`;
}
