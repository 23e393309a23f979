// Hostile or broken input: bounded work, one clear diagnostic where one is due, never a crash.
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/core/limits.js";
import { MemorySource, type MemoryEntry } from "../../src/core/source-memory.js";
import { checkDocs } from "../../src/docs/check.js";
import { readSvg } from "../../src/docs/svg.js";
import type { Manifest } from "../../src/manifest/types.js";
import { review } from "../../src/review.js";
import { exampleSource } from "../helpers/example-source.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_NESTING } from "../../src/docs/markdown.js";
import { baseManifest, FIXTURES } from "./harness.js";

const enc = (s: string) => new TextEncoder().encode(s);

function source(files: Record<string, string | Uint8Array | MemoryEntry>): MemorySource {
  const m = new Map<string, MemoryEntry>();
  for (const [p, v] of Object.entries(files)) {
    if (typeof v === "string") m.set(p, { type: "file", size: enc(v).length, bytes: enc(v) });
    else if (v instanceof Uint8Array) m.set(p, { type: "file", size: v.length, bytes: v });
    else m.set(p, v);
  }
  return new MemorySource("bad-input", m);
}

const docsOnly = (m: Manifest = baseManifest()): Manifest => ({ ...m, app: { ...m.app, logo: "", mark: "" } });
const PAGE = "docs/segment.md";

describe("oversized files", () => {
  // The manifest checks report a referenced file over its cap; the docs checks stay silent so the
  // partner sees one diagnostic per problem. Proven through the whole review.
  const oneDiagnostic = async (path: string, entry: Uint8Array | MemoryEntry, rule: string) => {
    const report = await review(exampleSource("webhook", { [path]: entry }));
    const about = report.diagnostics.filter((d) => d.file === path || d.message.includes(path));
    expect(about.map((d) => d.ruleId)).toEqual([rule]);
    expect(about[0]!.severity).toBe("error");
    return about[0]!;
  };

  it("a docs page over LIMITS.docBytes gets exactly one diagnostic in the review", async () => {
    const d = await oneDiagnostic(PAGE, new Uint8Array(LIMITS.docBytes + 1).fill(0x61), "file/too-large");
    expect(d.message).toMatch(/over the 1 MiB limit/);
  });

  it("a file known only by its size (not fetched) is reported the same way", async () => {
    await oneDiagnostic(PAGE, { type: "file", size: 50 * 1024 * 1024 }, "file/too-large");
  });

  it("a logo over LIMITS.imageBytes gets exactly one diagnostic in the review", async () => {
    await oneDiagnostic("assets/logo.svg", new Uint8Array(LIMITS.imageBytes + 10).fill(0x20), "file/too-large");
  });

  it("the docs checks alone stay silent on an oversized page", async () => {
    expect(await checkDocs(docsOnly(), source({ [PAGE]: new Uint8Array(LIMITS.docBytes + 1).fill(0x61) }))).toEqual([]);
  });
});

describe("files that are not there", () => {
  it("missing, escaping and symlinked-out paths are skipped silently (the manifest checks report them)", async () => {
    const m = baseManifest();
    m.docs = { segment: "../outside.md", catalog: "docs/nothing.md" };
    m.app.logo = "/etc/passwd";
    m.app.mark = "assets/link.svg";
    const got = await checkDocs(m, source({ "assets/link.svg": { type: "symlink", target: "../../secret.svg" } }));
    expect(got).toEqual([]);
  });

  it("a folder in place of a file is skipped silently", async () => {
    const got = await checkDocs(docsOnly(), source({ "docs/segment.md/inner.md": "x" }));
    expect(got).toEqual([]);
  });
});

describe("a manifest that failed its own checks", () => {
  it("does not crash the docs checks", async () => {
    const weird = [
      {},
      { app: null, components: "x", docs: { segment: 42 } },
      {
        app: { name: 7, website: "not a url", logo: ["x"] },
        components: [null, 3, { type: "subscription", supports: "all" }],
        docs: { segment: PAGE },
      },
      {
        app: { name: "Acme", website: "ftp://acme.example" },
        components: [{ type: "subscription", supports: [1, "track"] }],
        docs: { segment: PAGE },
      },
    ] as unknown as Manifest[];
    for (const m of weird) {
      const got = await checkDocs(m, source({ [PAGE]: "---\ntitle: x\n---\n\nHello.\n" }));
      expect(Array.isArray(got)).toBe(true);
    }
  });
});

describe("pathological Markdown", () => {
  const pages: Record<string, string> = {
    "100k lines": "---\ntitle: Acme Analytics Destination\n---\n" + "- we\n".repeat(100_000),
    "100k-deep blockquote": "> ".repeat(100_000) + "deep\n",
    "700-deep list": Array.from({ length: 700 }, (_, i) => " ".repeat(i * 2) + "- x").join("\n"),
    "unclosed brackets": "[".repeat(200_000),
    "emphasis soup": "*a **b ".repeat(60_000),
    "backtick runs": "`".repeat(1) + "a``".repeat(100_000),
    "link soup": "[a](https://acme.example/".repeat(30_000),
    "wide table": "|" + "a|".repeat(20_000) + "\n|" + "-|".repeat(20_000) + "\n",
    "front matter only": "---\n" + "a: b\n".repeat(50_000) + "---\n",
    "front matter alias bomb":
      '---\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\ntitle: *e\n---\n',
    "front matter 10,000-deep": "---\ntitle: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n---\n",
    "CRLF line endings": "---\r\ntitle: Acme Analytics Destination\r\n---\r\n\r\nWe are here.\r\n",
    "BOM first": "\uFEFF---\ntitle: Acme Analytics Destination\n---\n",
  };
  for (const [name, page] of Object.entries(pages)) {
    it(`${name}: returns diagnostics, no crash`, async () => {
      expect(enc(page).length).toBeLessThanOrEqual(LIMITS.docBytes);
      const got = await checkDocs(docsOnly(), source({ [PAGE]: page, "docs/catalog.md": page }));
      expect(Array.isArray(got)).toBe(true);
      for (const d of got) {
        expect(d.file).toBeTruthy();
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
      }
      // First person is capped per file whatever the count.
      expect(got.filter((d) => d.ruleId === "docs/first-person").length).toBeLessThanOrEqual(21);
      expect(got.filter((d) => d.ruleId === "docs/utm").length).toBeLessThanOrEqual(51);
    });
  }

  it("deep nesting in the pathological pages is reported, once per file", async () => {
    for (const name of ["100k-deep blockquote", "700-deep list"]) {
      const got = await checkDocs(docsOnly(), source({ [PAGE]: pages[name]!, "docs/catalog.md": pages[name]! }));
      expect(
        got.filter((d) => d.ruleId === "docs/too-deep").map((d) => d.file),
        name,
      ).toEqual([PAGE]);
      expect(
        got.filter((d) => d.ruleId === "catalog/too-deep").map((d) => d.file),
        name,
      ).toEqual(["docs/catalog.md"]);
    }
  });

  it("CRLF pages keep exact positions", async () => {
    const got = await checkDocs(docsOnly(), source({ [PAGE]: pages["CRLF line endings"]! }));
    expect(got.find((d) => d.ruleId === "docs/first-person")).toMatchObject({ line: 5, column: 1 });
    expect(got.some((d) => d.ruleId === "docs/front-matter" || d.ruleId === "docs/title")).toBe(false);
  });

  it("a BOM does not hide the front matter", async () => {
    const got = await checkDocs(docsOnly(), source({ [PAGE]: enc(pages["BOM first"]!) }));
    expect(got.some((d) => d.ruleId === "docs/front-matter")).toBe(false);
  });
});

describe("pathological SVG", () => {
  const cases: Record<string, string> = {
    "100k-deep nesting": "<svg>" + "<g>".repeat(100_000) + "</g>".repeat(100_000) + "</svg>",
    "100k-deep unclosed": "<svg>" + "<g>".repeat(100_000),
    "unclosed comment": "<svg><!--" + "x".repeat(400_000),
    "unclosed attribute": '<svg a="' + "x".repeat(400_000),
    "many attributes": "<svg " + Array.from({ length: 20_000 }, (_, i) => `a${i}="1"`).join(" ") + "/>",
    "whitespace flood": "<svg" + " ".repeat(400_000) + "/>",
    ampersands: "<svg>" + "&".repeat(400_000) + "</svg>",
    empty: "",
    "text only": "just text",
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`${name}: a report, no crash`, () => {
      const r = readSvg(text);
      expect(Array.isArray(r.problems)).toBe(true);
    });
  }
  it("deep but well-formed nesting is accepted", () => {
    expect(readSvg(cases["100k-deep nesting"]!).problems).toEqual([]);
  });
  it("unclosed nesting names the element left open", () => {
    expect(readSvg(cases["100k-deep unclosed"]!).problems[0]!.message).toMatch(/<g> is never closed/);
  });
});

describe("Markdown nested past the parser's limit", () => {
  // markdown-it stops following block quotes and lists at maxNesting and, left alone, silently
  // drops everything below (for a list item: the rest of the document). The checks say so.
  const BASE_PAGE = readFileSync(join(FIXTURES, "base/docs/segment.md"), "utf8");
  const GETTING_STARTED = BASE_PAGE.split("\n").indexOf("## Getting Started");
  const insert = (text: string): string => BASE_PAGE.replace("## Getting Started\n", `${text}\n\n## Getting Started\n`);
  const check = (page: string) => checkDocs(docsOnly(), source({ [PAGE]: page }));

  it("10,000 nested block quotes get one clear diagnostic with file and line, in bounded time", async () => {
    const started = performance.now();
    const got = await check(insert(">".repeat(10_000) + " deep"));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(got).toEqual([
      {
        ruleId: "docs/too-deep",
        severity: "error",
        message: `${PAGE} nests block quotes and lists more than ${MAX_NESTING} levels deep (line ${GETTING_STARTED + 1}); a docs page needs only a few levels. Nothing below that depth was checked; flatten it.`,
        file: PAGE,
        line: GETTING_STARTED + 1,
        column: MAX_NESTING + 1,
      },
    ]);
  });

  it("an over-nested list hides nothing after it", async () => {
    const list = Array.from({ length: 30 }, (_, i) => `${"  ".repeat(i)}- level ${i + 1}`).join("\n");
    const got = await check(insert(list) + "\nWe add a last word.\n");
    expect(got.map((d) => d.ruleId)).toEqual(["docs/too-deep", "docs/first-person"]);
    // The 20th list is where markdown-it stops: each list counts two levels, the list and its item.
    expect(got[0]).toMatchObject({ line: GETTING_STARTED + 20, column: 2 * 19 + 3 });
  });

  it("UI labels in Title Case are names, not first person; an ambiguous one says how to mark it (issue 8)", async () => {
    const firstPerson = async (text: string) =>
      (await check(insert(text))).filter((d) => d.ruleId === "docs/first-person");
    expect(await firstPerson("The reminder offers the Email Me Later and Remind Us buttons.")).toEqual([]);
    const got = await firstPerson("My Account lists the events.");
    expect(
      got.map((d) => [d.ruleId, d.message.includes("write it in bold (**My Account**), in quotes or as code")]),
    ).toEqual([["docs/first-person", true]]);
  });

  it("nesting up to the limit is checked as usual", async () => {
    const quotes = "> ".repeat(MAX_NESTING - 1) + "We are quoted.";
    const got = await check(insert(quotes));
    expect(got.map((d) => d.ruleId)).toEqual(["docs/first-person"]);
  });

  it("the catalog copy is reported the same way", async () => {
    const got = await checkDocs(
      docsOnly(),
      source({ "docs/catalog.md": "Acme Analytics turns events into insights.\n\n" + ">".repeat(10_000) + " deep\n" }),
    );
    expect(got.filter((d) => d.ruleId === "catalog/too-deep")).toMatchObject([
      { severity: "error", file: "docs/catalog.md", line: 3, column: MAX_NESTING + 1 },
    ]);
  });
});
