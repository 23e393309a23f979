import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report.js";
import type { AnnotationPlan } from "../../action/annotations.js";
import { buildSummary, capMarkdown, SUMMARY_LIMIT_BYTES } from "../../action/summary.js";

const note = (shown: number, total: number) => `CUT ${shown}/${total}`;

function report(diagnostics: Report["diagnostics"]): Report {
  return {
    root: "acme",
    manifestFile: "integration.yml",
    diagnostics,
    events: { files: 0, events: 0 },
    checklist: [],
    readyFor: "developer-preview",
    summary: { errors: diagnostics.filter((d) => d.severity === "error").length, warnings: 0 },
  };
}

const noHidden: AnnotationPlan = {
  shown: [],
  hidden: { error: 0, warning: 0, notice: 0 },
  total: { error: 0, warning: 0, notice: 0 },
};

describe("capMarkdown", () => {
  it("leaves text that fits alone", () => {
    expect(capMarkdown("a\nb\n", 4, note)).toBe("a\nb\n");
  });

  it("cuts at a line break and stays within the limit, note included", () => {
    const text = Array.from({ length: 100 }, (_, i) => `| row ${i} | ✅ |`).join("\n");
    const out = capMarkdown(text, 200, note);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(200);
    expect(out).toMatch(/\| ✅ \|\n\nCUT \d+\/\d+$/);
    for (const line of out.split("\n").slice(0, -2)) expect(line).toMatch(/^\| row \d+ \| ✅ \|$/);
  });

  it("never splits a character when a single line is too long", () => {
    const out = capMarkdown("é".repeat(100), 51, note);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(51);
    expect(out).not.toContain("\uFFFD");
  });
});

describe("buildSummary", () => {
  it("has every diagnostic and says how many annotations GitHub could not show", () => {
    const ds = Array.from({ length: 25 }, (_, i) => ({
      ruleId: "r/x",
      severity: "error" as const,
      message: `problem number ${i}`,
      file: "integration.yml",
      line: i + 1,
    }));
    const plan: AnnotationPlan = { ...noHidden, hidden: { error: 15, warning: 0, notice: 0 } };
    const md = buildSummary(report(ds), plan, "/tmp/r/report.json");
    expect(md).toContain("15 more errors are listed only in the table below");
    for (let i = 0; i < 25; i++) expect(md).toContain(`problem number ${i}`);
  });

  it("stays within 1 MiB on a huge report by shortening the diagnostics: the replay table and the checklist stay, the note points at the JSON file", () => {
    const ds = Array.from({ length: 20_000 }, (_, i) => ({
      ruleId: "r/x",
      severity: "error" as const,
      message: `problem ${i} `.repeat(8),
      file: "integration.yml",
      line: i + 1,
    }));
    const big: Report = {
      ...report(ds),
      replay: {
        summary: { pass: 1, unsupported: 0, fail: 0 },
        cases: [
          {
            name: "Home page viewed",
            type: "page",
            status: "pass",
            httpStatus: 200,
            durationMs: 3,
            message: "delivered",
          },
        ],
      },
      checklist: [
        {
          id: "spec-naming",
          title: "Events follow the Spec",
          category: "Spec",
          stage: "public-beta",
          automatic: true,
          status: "fail",
          reason: "errors",
        },
      ],
    } as Report;
    const md = buildSummary(big, noHidden, "/tmp/r/report.json");
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(Buffer.byteLength(md)).toBeGreaterThan(SUMMARY_LIMIT_BYTES - 2000);
    expect(md).toContain("#### Replay: 🟢 1");
    expect(md).toContain("Home page viewed");
    expect(md).toContain("#### Checklist");
    expect(md).toContain("Events follow the Spec");
    expect(md).toContain("problem 0 ");
    const shown = md.match(/\| ❌ \|/g)!.length;
    expect(shown).toBeLessThan(20_000);
    expect(md).toContain(
      `> ${20_000 - shown} more diagnostics do not fit in this summary (GitHub accepts at most 1 MiB per step). The complete list is in the JSON file \`/tmp/r/report.json\``,
    );
  });

  it("cuts at a line break as a last resort, when even the replay table is too big", () => {
    const cases = Array.from({ length: 5_000 }, (_, i) => ({
      name: `case ${i}`,
      type: "track",
      status: "fail",
      durationMs: 1,
      message: "x".repeat(300),
    }));
    const md = buildSummary(
      { ...report([]), replay: { summary: { pass: 0, unsupported: 0, fail: 5_000 }, cases } } as Report,
      noHidden,
      "/tmp/r/report.json",
    );
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(md).toMatch(
      /This summary was cut at .* GitHub accepts at most 1 MiB per step\. The complete report is the JSON file `\/tmp\/r\/report\.json`/,
    );
  });
});

describe("golden files created on the runner", () => {
  it("open the summary with a warning naming them", () => {
    const r: Report = {
      ...report([]),
      replay: {
        summary: { pass: 2, unsupported: 0, fail: 0 },
        cases: [
          {
            name: "a",
            type: "track",
            status: "pass",
            durationMs: 1,
            message: "ok",
            golden: { file: "test/events/a.golden.json", status: "created" },
          },
          { name: "b", type: "track", status: "pass", durationMs: 1, message: "ok" },
        ],
      },
    };
    const text = buildSummary(r, noHidden, "/tmp/report.json");
    expect(
      text.startsWith(
        "> [!WARNING]\n> Replay recorded what your handlers sent, or what your webhook was sent and answered, in a golden file that is not in the repository: `test/events/a.golden.json`.",
      ),
    ).toBe(true);
    expect(text).toContain("Run `npx devcenter replay` locally and commit it.");
    expect(
      buildSummary({ ...r, replay: { ...r.replay!, cases: [r.replay!.cases[1]!] } }, noHidden, "/tmp/report.json"),
    ).not.toContain("golden");
  });
});
