// The message model: `msg` keeps the template's Markdown and escapes or code-spans every value.
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { asMessage, messageMarkdown, msg } from "../../src/core/markdown.js";

/** A value a pull request could carry: backticks, HTML, a javascript: link, a team mention, a pipe, a newline. */
const HOSTILE = "x` <img src=x onerror=1> [a](javascript:1) @org/team |\nnext";
// html: true, as GitHub passes (sanitised) HTML through: an <img> here would be one in the comment.
const md = new MarkdownIt({ html: true });

describe("msg", () => {
  it("gives the text a plain template literal gives, and keeps the template's code spans in Markdown", () => {
    const key = "oauth";
    const m = msg`Add the \`${key}\` section; \`settings\` lists ${2} keys.`;
    expect(m.text).toBe(`Add the \`${key}\` section; \`settings\` lists ${2} keys.`);
    expect(String(m)).toBe(m.text);
    expect(m.markdown).toBe("Add the `oauth` section; `settings` lists 2 keys.");
    expect(md.renderInline(m.markdown)).toBe("Add the <code>oauth</code> section; <code>settings</code> lists 2 keys.");
  });

  it("a hostile value inside or outside the template's code span adds no markup, HTML, link, mention or table cell", () => {
    const m = msg`Setting \`${HOSTILE}\` is not one of (${HOSTILE}).`;
    expect(m.text).toBe(`Setting \`${HOSTILE}\` is not one of (${HOSTILE}).`);
    expect(m.markdown).not.toMatch(/\n/);
    const html = md.render(`| a | b |\n|---|---|\n| ${m.markdown} | end |\n`);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("href");
    expect(html).not.toMatch(/@org/); // a zero-width joiner follows every @
    // One row of two cells: the pipes in the value did not add a cell.
    expect(html.match(/<td>/g)).toHaveLength(2);
    expect(html).toContain("<td>end</td>");
    // The value reads whole inside the code: its pipe is an escaped pipe between two code spans.
    expect(html).toContain(
      "<code>x` &lt;img src=x onerror=1&gt; [a](javascript:1) @\u200dorg/team </code>|<code> next</code>",
    );
  });

  it("nests: a message's Markdown goes into another as Markdown, its text as text", () => {
    const path = msg`\`${"components[0].key"}\``;
    const m = msg`${path} repeats ${"a*b*"}`;
    expect(m.text).toBe("`components[0].key` repeats a*b*");
    expect(m.markdown).toBe("`components[0].key` repeats a\\*b\\*");
  });

  it("the template's own `<` and `|` are text, and a fence never closed is literal backticks", () => {
    expect(msg`Point it at http://127.0.0.1:<port> | here.`.markdown).toBe(
      "Point it at http://127.0.0.1:\\<port> \\| here.",
    );
    const fenced = msg`add a fenced block (\`\`\`js) with ${"an example"} call.`;
    expect(fenced.text).toBe("add a fenced block (```js) with an example call.");
    expect(md.renderInline(fenced.markdown)).toBe("add a fenced block (```js) with an example call.");
  });

  it("messageMarkdown falls back to escaping the whole text where a message has no template", () => {
    expect(messageMarkdown({ message: "Use `x` <b>" })).toBe("Use \\`x\\` \\<b\\>");
    expect(messageMarkdown({ message: "Use `x`", markdown: "Use `x`" })).toBe("Use `x`");
    expect(asMessage({ message: "a_b", markdown: "a\\_b" }).markdown).toBe("a\\_b");
  });
});
