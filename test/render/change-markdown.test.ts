// The change list in Markdown (issue 14 part 3): the change check's own words keep their code spans
// (`app.website`, `change/breaking-undeclared`) in the App's checklist comment and in `devcenter diff
// --format markdown`, while a hostile setting key and label from the pull request add no markup,
// HTML, link, mention or table cell. Text and JSON output keep the plain message only.
// Real folders on disk, the real CLI and the App's real renderer, read through markdown-it.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBaselineDir } from "../../src/catalog/baseline.js";
import { main } from "../../src/cli/main.js";
import { LocalSource } from "../../src/replay/source-local.js";
import { reportToJson } from "../../src/render/json.js";
import type { Report } from "../../src/report.js";
import { review } from "../../src/review.js";
import { captureIO } from "../helpers/cli.js";
import { appComment } from "./app-comment.js";

const HOSTILE = "x` <img src=x onerror=1> [a](javascript:1) @org/team |\nnext";
// html: true, as GitHub lets (sanitised) HTML through: an <img> in the output would be one on the page.
const md = new MarkdownIt({ html: true });

let tmp: string;
let approved: string;
let next: string;
let report: Report;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "devcenter-change-md-"));
  const copy = async (name: string, edit: (t: string) => string) => {
    const dir = join(tmp, name);
    await cp(resolve("examples/webhook"), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
    const file = join(dir, "integration.yml");
    await writeFile(file, edit(await readFile(file, "utf8")));
    return dir;
  };
  const live = (t: string) => t.replace("stage: developer-preview\n", "stage: public-beta\nversion: 1.2.0\n");
  approved = await copy("approved", live);
  // A breaking change not declared (the version only raised to 1.3.0): the region setting re-keyed to
  // the hostile key; a new label that is hostile too; and a new website.
  next = await copy("next", (t) =>
    live(t)
      .replace("version: 1.2.0", "version: 1.3.0")
      .replace("key: region", `key: ${JSON.stringify(HOSTILE)}`)
      .replace("label: API Key", `label: ${JSON.stringify(`API Key ${HOSTILE}`)}`)
      .replace("website: https://acme.example", "website: https://acme.example/new"),
  );
  const baseline = await loadBaselineDir(approved, "approved");
  report = await review(new LocalSource(next), { baseline, now: new Date("2026-12-01T00:00:00Z") });
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function diff(format: string): Promise<string> {
  const io = captureIO(tmp);
  await main(["diff", approved, next, "--format", format], io);
  expect(io.err).toBe("");
  return io.out;
}

/** Cells per row of every table in `html`: one array per table. */
function tableShapes(html: string): number[][] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map((t) =>
    [...t[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => (r[1]!.match(/<t[hd][ >]/g) ?? []).length),
  );
}

function expectInert(name: string, out: string): string {
  const html = md.render(out);
  expect(html).not.toContain("<img");
  expect(html).not.toMatch(/href="javascript/i);
  expect(out).not.toContain("@org/team");
  expect(tableShapes(html).length).toBeGreaterThan(0);
  for (const shape of tableShapes(html))
    expect(new Set(shape).size, `${name}: every row has the header's cells`).toBe(1);
  return html;
}

describe("the change list in Markdown", () => {
  it("the change check found the re-keyed setting, the new label and the new website", () => {
    expect(report.change?.changes.map((c) => c.ruleId)).toEqual(
      expect.arrayContaining(["change/setting-renamed", "change/description", "change/listing"]),
    );
    expect(report.diagnostics.map((d) => d.ruleId)).toContain("change/breaking-undeclared");
  });

  it("the App's checklist comment: the change list's code spans are code, the hostile key and label are inert", () => {
    const out = appComment({
      name: "Acme Analytics",
      slug: "acme-analytics",
      readyFor: report.readyFor,
      next: "public",
      errors: report.summary.errors,
      warnings: report.summary.warnings,
      checklist: report.checklist,
      change: report.change!,
    });
    const html = expectInert("the App's checklist comment", out);
    expect(html).toContain("<code>app.website</code>");
    expect(html).toContain("<code>change/breaking-undeclared</code>");
    // The old key, from the template's code span: code too.
    expect(html).toContain("<code>region</code>");
    expect(out).not.toContain("\\`app.website\\`");
  });

  it("devcenter diff --format markdown: the same, and the version finding below the list keeps its code spans", async () => {
    const out = await diff("markdown");
    const html = expectInert("diff --format markdown", out);
    expect(html).toContain("<code>app.website</code>");
    expect(html).toContain("<code>change/breaking-undeclared</code>");
    expect(html).toContain("<code>breakingChanges</code>");
    expect(out).not.toContain("\\`");
  });

  it("text and JSON output carry the plain message only", async () => {
    const json = await diff("json");
    expect(json).not.toContain('"markdown"');
    const parsed = JSON.parse(json);
    const renamed = parsed.changes.find((c: { ruleId: string }) => c.ruleId === "change/setting-renamed");
    expect(renamed.message).toBe(
      `subscription/webhook: setting "Region" is now keyed \`${HOSTILE}\` instead of \`region\`: customers' saved values are stored under the old key. This breaks live customers: undo it, or declare it (see the \`change/breaking-undeclared\` error).`,
    );
    expect(JSON.stringify(reportToJson(report))).not.toContain('"markdown"');
    const text = await diff("text");
    expect(text).toContain("`app.website` changed to https://acme.example/new.");
  });
});
