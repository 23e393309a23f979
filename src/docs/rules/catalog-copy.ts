// The catalog copy (`docs.catalog`): a description of at most 500 characters that names the app,
// as plain prose, beginning with `app.description`. Every rule after description-empty waits for
// a description: an empty copy gets that one finding.
import { copyRule } from "./context.js";

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

export const descriptionEmpty = copyRule({
  id: "catalog/description-empty",
  severity: "error",
  title: "The catalog copy holds a description",
  description:
    "The catalog copy is a Markdown file whose body (after optional front matter) is the description shown in the " +
    "catalog. Write it as one or two plain paragraphs.",
  check({ description, start, report }) {
    if (description === "")
      report("The catalog copy holds no description; write one or two paragraphs saying what the tool does.", start);
  },
});

export const descriptionLength = copyRule({
  id: "catalog/description-length",
  severity: "error",
  title: "The catalog description is at most 500 characters",
  description: "Counted on the text as shown: Markdown syntax removed, runs of white space counted as one space.",
  check({ description, start, report }) {
    const length = [...description].length;
    if (length <= CATALOG_DESCRIPTION_MAX) return;
    report(
      `The catalog description is ${length} characters long; the catalog allows at most ${CATALOG_DESCRIPTION_MAX}. Shorten it by ${length - CATALOG_DESCRIPTION_MAX}.`,
      start,
    );
  },
});

export const appName = copyRule({
  id: "catalog/app-name",
  severity: "error",
  title: "The catalog description mentions the app's name",
  description:
    "Name the tool (`app.name` in `integration.yml`) in the description, so the catalog entry reads on its own.",
  check({ description, view, start, report }) {
    if (description === "" || !view.appName || description.toLowerCase().includes(view.appName.toLowerCase())) return;
    report(
      `The catalog description does not mention "${view.appName}" (app.name in integration.yml); name the tool in it.`,
      start,
    );
  },
});

export const markup = copyRule({
  id: "catalog/markup",
  severity: "warning",
  title: "The catalog copy is plain prose",
  description:
    "The catalog shows the description as plain text: headings, lists, tables, code blocks, images and HTML do not " +
    "render there. Keep to paragraphs (emphasis and links are reduced to their text).",
  check({ description, tokens, locate, report }) {
    if (description === "") return;
    const seen = new Set<string>();
    for (const t of tokens) {
      const kind = MARKUP[t.type];
      // Once per kind and line: `> > > x` is one quote to remove, not three.
      if (kind && t.map && !seen.has(`${kind}:${t.map[0]}`)) {
        seen.add(`${kind}:${t.map[0]}`);
        report(
          `The catalog copy contains ${kind}, which the catalog does not render; keep to plain paragraphs.`,
          locate(t.map[0]),
        );
      }
      if (t.type === "inline" && t.children?.some((c) => c.type === "image") && t.map) {
        report(
          "The catalog copy contains an image, which the catalog does not show; remove it (the logo comes from app.logo).",
          locate(t.map[0]),
        );
      }
    }
  },
});

export const descriptionMismatch = copyRule({
  id: "catalog/description-mismatch",
  severity: "warning",
  title: "The catalog copy begins with `app.description`",
  description:
    "`app.description` in `integration.yml` is the short form of the catalog description (reports and the tile use it). " +
    "Keep the two in sync: the catalog copy begins with the text of `app.description` (white space and Markdown aside) and may go on from there.",
  check({ description, view, start, report }) {
    if (description === "" || !view.description) return;
    const want = view.description
      .replace(/\s+/g, " ")
      .trim()
      .replace(/[.!?]+$/, "")
      .toLowerCase();
    if (want === "" || description.toLowerCase().startsWith(want)) return;
    const shown = view.description.trim();
    report(
      `The catalog copy does not begin with app.description from integration.yml ("${shown.slice(0, 120)}${shown.length > 120 ? "…" : ""}"); keep the two in sync: start the catalog copy with that text, or update app.description.`,
      start,
    );
  },
});
