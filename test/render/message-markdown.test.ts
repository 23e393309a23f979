import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSummary } from "../../action/summary.js";
import { checkSummary, checkText, renderComment, type IntegrationView } from "../../src/app/text.js";
import { unmetGates } from "../../src/checks/registry.js";
import { reportToJson } from "../../src/render/json.js";
import { renderReportText } from "../../src/render/text.js";
import { LocalSource } from "../../src/replay/source-local.js";
import type { Report } from "../../src/report.js";
import { review } from "../../src/review.js";
import { copyExample, removeExampleCopies } from "../helpers/example-copy.js";

const HOSTILE = "x` <img src=x onerror=1> [a](javascript:1) @org/team |\nnext";
// html: true, as GitHub lets (sanitised) HTML through: an <img> in the output would be one on the page.
const md = new MarkdownIt({ html: true });

let dir: string;
let report: Report;

beforeAll(async () => {
  // The region setting's key: quoted in a code span by manifest/setting-key, as plain text by manifest/test-settings-unknown.
  dir = await copyExample("webhook", (yml) => yml.replace("key: region", `key: ${JSON.stringify(HOSTILE)}`));
  report = await review(new LocalSource(dir));
});
afterAll(removeExampleCopies);

function view(): IntegrationView {
  const blocking = unmetGates(report, "public").map((c) => ({
    title: c.title,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.reasonMarkdown ? { reasonMarkdown: c.reasonMarkdown } : {}),
  }));
  return {
    root: "",
    name: "Acme Analytics",
    slug: "acme-analytics",
    readyFor: report.readyFor,
    next: "public-beta",
    errors: report.summary.errors,
    warnings: report.summary.warnings,
    blocking,
    checklist: report.checklist,
  };
}

const outputs = (): Record<string, string> => ({
  "the App's checklist comment": renderComment({
    integrations: [view()],
    outOfScope: [],
    submitted: false,
    draft: false,
    reviewers: "the reviewers",
    stateMarker: "<!-- state -->",
  }),
  "the App's check run": `${checkSummary({ integrations: [view()], diagnostics: [], outOfScope: [] })}\n\n${checkText({ integrations: [view()], diagnostics: [{ root: "", items: report.diagnostics }], outOfScope: [] }, 0)}`,
  "the job summary": buildSummary(
    report,
    { shown: [], hidden: { error: 0, warning: 0, notice: 0 }, total: { error: 0, warning: 0, notice: 0 } },
    "/tmp/report.json",
  ),
});

/** Cells per row of every table in `html`: one array per table. */
function tableShapes(html: string): number[][] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) =>
    [...t[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => (r[1]!.match(/<t[hd][ >]/g) ?? []).length),
  );
}

describe("messages in Markdown", () => {
  it("the review found the hostile key where it expects it", () => {
    expect(report.diagnostics.map((d) => d.ruleId)).toEqual(
      expect.arrayContaining(["manifest/setting-key", "manifest/test-settings-unknown"]),
    );
    expect(report.checklist.find((c) => c.id === "oauth")?.reason).toBe(
      "Add the `oauth` section (Enable with Segment).",
    );
  });

  for (const name of ["the App's checklist comment", "the App's check run", "the job summary"]) {
    it(`${name}: devcenter's code spans are code, the hostile key is inert`, () => {
      const out = outputs()[name]!;
      const html = md.render(out);
      // `oauth` in the checklist reason (or the blocking list) and the manifest path in the finding are code, not literal backticks.
      expect(html).toContain("<code>oauth</code>");
      expect(out).not.toContain("\\`oauth\\`");
      if (name !== "the App's checklist comment") expect(html).toContain("<code>components[0].settings[1].key</code>");
      // The key, in a code span or escaped: no HTML, no link, no mention, no extra table cell.
      expect(html).not.toContain("<img");
      expect(html).not.toMatch(/href="javascript/i);
      expect(out).not.toContain("@org/team");
      if (name !== "the App's checklist comment") expect(tableShapes(html).length).toBeGreaterThan(0);
      for (const shape of tableShapes(html))
        expect(new Set(shape).size, `${name}: every row has the header's cells`).toBe(1);
    });
  }

  it("text and JSON output carry the plain message only", () => {
    const json = JSON.stringify(reportToJson(report));
    expect(json).not.toContain('"markdown"');
    expect(json).not.toContain('"reasonMarkdown"');
    expect(json).toContain(
      JSON.stringify(report.diagnostics.find((d) => d.ruleId === "manifest/setting-key")!.message),
    );
    const text = renderReportText(report);
    expect(text).toContain("Add the `oauth` section (Enable with Segment).");
  });
});

// Findings whose words quote a manifest key (a file the manifest names, a value looser than the
// platform's): the key is code in the App's check run, the partner's path in it stays inert.
describe("file and policy findings in the App's check run", () => {
  let other: string;
  let found: Report;
  beforeAll(async () => {
    other = await copyExample("webhook", (yml) =>
      yml
        .replace("logo: assets/logo.svg", 'logo: "assets/[x](javascript:1) @org/team.svg"')
        .replace("url: http://127.0.0.1:8787/segment", "url: http://127.0.0.1:8787/segment\n      timeoutMs: 600000"),
    );
    found = await review(new LocalSource(other));
  });

  it("`app.logo` and `webhook.timeoutMs: 600000` are code; the path is inert", () => {
    expect(found.diagnostics.map((d) => d.ruleId)).toEqual(
      expect.arrayContaining(["file/missing", "policy/looser-value"]),
    );
    const out = checkText(
      { integrations: [], diagnostics: [{ root: "", items: found.diagnostics }], outOfScope: [] },
      0,
    );
    const html = md.render(out);
    expect(html).toContain("<code>app.logo</code>: assets/[x](javascript:1) @‍org/team.svg does not exist");
    expect(html).toContain("<code>webhook.timeoutMs: 600000</code> is longer than the platform's delivery timeout");
    expect(html).not.toMatch(/href="javascript/i);
    expect(out).not.toContain("@org/team");
  });
});
