import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { escapeMarkdown, inlineCode } from "../../src/render/escape.js";

const md = new MarkdownIt({ html: true, linkify: false });

describe("Markdown escaping of untrusted text", () => {
  it("renders hostile strings as plain text", () => {
    const hostile =
      "<img src=x onerror=alert(1)> **bold** [link](https://evil.example) `code` | cell # heading\n- item";
    const html = md.renderInline(escapeMarkdown(hostile));
    expect(html).not.toMatch(/<img|<strong>|<a |<code>/);
  });

  it("mentions nobody", () => {
    expect(escapeMarkdown("ping @octocat and @org/team")).not.toMatch(/@[a-z]/);
    expect(inlineCode("@octocat")).not.toMatch(/@[a-z]/);
  });

  it("references no issue or pull request (no cross-reference notification)", () => {
    const text = escapeMarkdown("see acme/tool#12 and #7, GH-3 aside");
    expect(text).not.toMatch(/#\\?\d/);
    expect(text.replace(/\u200d/g, "")).toContain("acme/tool\\#12");
  });

  it("inline code cannot be broken out of", () => {
    const html = md.renderInline(inlineCode("a `` b ` <script>"));
    expect(html.startsWith("<code>")).toBe(true);
    expect(html).not.toContain("<script>");
  });

  it("clips long text", () => {
    expect(escapeMarkdown("x".repeat(10_000)).length).toBeLessThan(600);
  });
});

describe("hidden markers", () => {
  it("inline code cannot plant an HTML comment marker", () => {
    const out = inlineCode("integrations/x <!-- devcenter:checklist -->");
    expect(out).not.toContain("<!--");
    expect(md.render(out)).not.toContain("<!--");
  });
});
