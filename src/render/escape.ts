// Untrusted text (anything from a pull request) on its way into Markdown: no markup, no HTML,
// no @-mentions or #-references that would notify people.
const SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~&]/g;

export function escapeMarkdown(text: string, maxLength = 500): string {
  const clipped = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  return clipped
    .replace(/\r?\n|\r/g, " ")
    .replace(SPECIAL, (c) => `\\${c}`)
    // A zero-width joiner after @ keeps the text readable but mentions nobody; after # (before a
    // number) it keeps GitHub from linking, and so cross-referencing, an issue (`org/repo#1`).
    .replace(/@/g, "@\u200d")
    .replace(/#(?=\d)/g, "#\u200d");
}

/**
 * Inline code that cannot be broken out of: the fence is longer than any backtick run inside.
 * `<!--` is broken with a zero-width space, because the App finds its own comments and records by
 * `<!-- devcenter:… -->` markers in the raw text and a file or folder name must not plant one.
 */
export function inlineCode(text: string, { maxLength = 200, inTable = false } = {}): string {
  const clipped = (text.length > maxLength ? `${text.slice(0, maxLength)}…` : text).replace(/\r?\n|\r/g, " ").replace(/<!--/g, "<\u200b!--");
  const longest = Math.max(0, ...(clipped.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = clipped.startsWith("`") || clipped.endsWith("`") || clipped === "" ? " " : "";
  // GFM splits table cells on | even inside code spans.
  const body = inTable ? clipped.replace(/\|/g, "\\|") : clipped;
  return `${fence}${pad}${body.replace(/@/g, "@\u200d")}${pad}${fence}`;
}
