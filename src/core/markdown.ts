// Markdown that mixes devcenter's own words with untrusted values (anything from a pull request).
//
// `msg` is a tagged template: the template is devcenter's and keeps its Markdown (code spans in
// backticks, emphasis), every interpolated value is untrusted and is escaped, or — inside one of
// the template's code spans — put in a code span it cannot break out of. It gives both forms:
// `text`, exactly the string a plain template literal would give (text and JSON output), and
// `markdown`, for the App's comment, check runs and the job summary.
//   msg`Setting \`${key}\` is not in \`settings\`.`

import { sentence } from "./text.js";

/**
 * A message in both forms. Used where a string is expected, it is its text. The Markdown form is
 * made when first asked for: most messages (the Spec validator's on a sink's traffic, the CLI's
 * text output) are never rendered as Markdown, and making it cost the validator a quarter of its speed.
 */
export class Message {
  private made: string | (() => string);
  constructor(
    readonly text: string,
    markdown: string | (() => string),
  ) {
    this.made = markdown;
  }
  get markdown(): string {
    if (typeof this.made !== "string") this.made = this.made();
    return this.made;
  }
  toString(): string {
    return this.text;
  }
}

/** Longest untrusted value kept in a message's Markdown (the text keeps it whole). */
const VALUE_MAX = 300;
const NEWLINES = /\r?\n|\r/g;

export function msg(strings: TemplateStringsArray, ...values: readonly unknown[]): Message {
  let text = strings[0]!;
  for (let i = 1; i < strings.length; i++) text += String(values[i - 1]) + strings[i];
  return new Message(text, () => markdownOf(strings, values));
}

/**
 * devcenter's own words held in a constant (a hint, a help line) as a Message: read as a `msg`
 * template with no values, so its code spans are kept and nothing in it is escaped.
 */
export function words(text: string): Message {
  return msg(Object.assign([text], { raw: [text] }));
}

/** The Markdown form of a `msg` template and its values. */
function markdownOf(strings: TemplateStringsArray, values: readonly unknown[]): string {
  let markdown = "";
  // While in one of the template's code spans: its fence and its content (literal text and values alike).
  let span: { fence: string; content: string } | undefined;
  const literal = (s: string): void => {
    // Backtick runs open and close code spans as in CommonMark: a span closes at a run of the same length.
    s.split(/(`+)/).forEach((piece, i) => {
      if (i % 2 === 0) {
        if (span) span.content += piece;
        // The template's own words: `<port>` is shown, not taken for HTML; a `|` does not split a table cell.
        else markdown += piece.replace(NEWLINES, " ").replace(/[<|]/g, "\\$&");
      } else if (!span) span = { fence: piece, content: "" };
      else if (piece === span.fence) {
        markdown += codeSpan(span.content);
        span = undefined;
      } else span.content += piece;
    });
  };
  strings.forEach((s, i) => {
    literal(s);
    if (i >= values.length) return;
    const v = values[i];
    if (span) span.content += String(v);
    else markdown += v instanceof Message ? v.markdown : escapeMarkdown(String(v), VALUE_MAX);
  });
  // A fence never closed is literal backticks in Markdown: what follows it is escaped as a whole.
  if (span) markdown += escapeMarkdown(span.fence + span.content, VALUE_MAX);
  return markdown;
}

/** `sentence` (src/core/text.ts) for both forms: a full stop after the message unless its text already ends one. */
export function messageSentence(m: Message): Message {
  const text = sentence(m.text);
  return new Message(text, () => (text === m.text.trim() ? m.markdown.trim() : `${m.markdown.trim()}.`));
}

/** A message's Markdown: its template's form, or (a message with no template, or one too long to keep whole) the text escaped. */
export function messageMarkdown(m: { message: string; markdown?: string }, maxLength = 500): string {
  return m.markdown !== undefined && m.markdown.length <= maxLength * 2
    ? m.markdown
    : escapeMarkdown(m.message, maxLength);
}

/** A diagnostic-like `{ message, markdown }` as a Message again, to quote inside another. */
export function asMessage(m: string | Message | { message: string; markdown?: string }): Message {
  if (typeof m === "string") return new Message(m, () => escapeMarkdown(m));
  if (m instanceof Message) return m;
  return new Message(m.message, () => messageMarkdown(m));
}

/** The `message` (text) and `markdown` fields of a diagnostic or reason given as either form. */
export function messageFields(m: string | Message): { message: string; markdown?: string } {
  return m instanceof Message ? { message: m.text, markdown: m.markdown } : { message: m };
}

/**
 * A code span of the template holding untrusted text. GFM splits table cells on `|` even inside
 * code spans, and `\|` inside one shows its backslash outside tables: so the span is cut at each
 * `|`, written as an escaped `\|` between spans, which reads the same in a table and outside one.
 */
function codeSpan(content: string): string {
  return content
    .split("|")
    .map((piece) => (piece ? inlineCode(piece) : ""))
    .join("\\|");
}

// Untrusted text (anything from a pull request) on its way into Markdown: no markup, no HTML,
// no @-mentions or #-references that would notify people.
const SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~&]/g;

export function escapeMarkdown(text: string, maxLength = 500): string {
  const clipped = text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
  return (
    clipped
      .replace(NEWLINES, " ")
      .replace(SPECIAL, (c) => `\\${c}`)
      // A zero-width joiner after @ keeps the text readable but mentions nobody; after # (before a
      // number) it keeps GitHub from linking, and so cross-referencing, an issue (`org/repo#1`).
      .replace(/@/g, "@\u200d")
      .replace(/#(?=\d)/g, "#\u200d")
  );
}

/**
 * Inline code that cannot be broken out of: the fence is longer than any backtick run inside.
 * `<!--` is broken with a zero-width space, because the App finds its own comments and records by
 * `<!-- devcenter:… -->` markers in the raw text and a file or folder name must not plant one.
 */
export function inlineCode(text: string, { maxLength = 200, inTable = false } = {}): string {
  const clipped = (text.length > maxLength ? `${text.slice(0, maxLength)}…` : text)
    .replace(NEWLINES, " ")
    .replace(/<!--/g, "<\u200b!--");
  const longest = Math.max(0, ...(clipped.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  const pad = clipped.startsWith("`") || clipped.endsWith("`") || clipped === "" ? " " : "";
  // GFM splits table cells on | even inside code spans.
  const body = inTable ? clipped.replace(/\|/g, "\\|") : clipped;
  return `${fence}${pad}${body.replace(/@/g, "@\u200d")}${pad}${fence}`;
}
