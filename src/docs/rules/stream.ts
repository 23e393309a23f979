// Streams: a `## Stream` section, a table of the events it sends and one of their properties.
import { msg } from "../../core/markdown.js";
import type { Token } from "markdown-it";
import { inlineText, sectionRange } from "../markdown.js";
import { pageRule, type PageContext, type Pos } from "./context.js";

const TOP: Pos = { line: 1, column: 1 };

function tableIndexes(tokens: Token[]): number[] {
  return tokens.flatMap((t, i) => (t.type === "table_open" ? [i] : []));
}

function firstHeaderCell(tokens: Token[], tableIndex: number): string {
  for (let i = tableIndex; i < tokens.length && tokens[i]!.type !== "table_close"; i++) {
    if (tokens[i]!.type === "th_open")
      return inlineText(tokens[i + 1])
        .toLowerCase()
        .replace(/[`*_]/g, "")
        .trim();
  }
  return "";
}

/** Whether a table sits under a heading matching `heading`, or has a first column matching `firstCell`. */
function hasTable(ctx: PageContext, heading: (key: string) => boolean, firstCell: RegExp): boolean {
  const { tokens, headings } = ctx;
  const tables = tableIndexes(tokens);
  const under = headings.some(
    (h) =>
      h.level >= 2 && heading(h.key) && tables.some((t) => t > h.index && t < sectionRange(tokens, headings, h).end),
  );
  return under || tables.some((t) => firstCell.test(firstHeaderCell(tokens, t)));
}

export const stream = pageRule({
  id: "docs/stream",
  severity: "error",
  title: "Streams document a `## Stream` section",
  description:
    "When the app has a stream component, the page has a `## Stream` section saying which calls the stream sends and how " +
    "`userId` and `anonymousId` are set.",
  check(ctx) {
    if (!ctx.view.hasStream || ctx.h2((k) => k === "stream" || k.startsWith("stream "))) return;
    ctx.report(
      msg`The page has no \`## Stream\` section; say which calls the stream sends and how userId and anonymousId are set.`,
      TOP,
    );
  },
});

export const eventsTable = pageRule({
  id: "docs/events-table",
  severity: "error",
  title: "Streams document an Events table",
  description:
    "Add a table of the events the stream sends, under a heading named `Events` (or a table whose first column is `Event` or `Event Name`).",
  check(ctx) {
    if (!ctx.view.hasStream || hasTable(ctx, (k) => k === "events", /^events?( name)?$/)) return;
    ctx.report(
      msg`The page has no Events table; add a \`## Events\` section with a table of the events the stream sends (Event Name | Description).`,
      TOP,
    );
  },
});

export const eventPropertiesTable = pageRule({
  id: "docs/event-properties-table",
  severity: "error",
  title: "Streams document an Event Properties table",
  description:
    "Add a table of the properties those events carry, under a heading named `Event Properties` (or a table whose first " +
    "column is `Property` or `Property Name`).",
  check(ctx) {
    if (!ctx.view.hasStream || hasTable(ctx, (k) => k === "event properties", /^(event )?property( name)?$/)) return;
    ctx.report(
      msg`The page has no Event Properties table; add a \`## Event Properties\` section with a table of the properties the events carry (Property Name | Description).`,
      TOP,
    );
  },
});
