import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/core/diagnostic.js";
import {
  createdGoldenFiles,
  planAnnotations,
  replayFindings,
  repositoryPath,
  toAnnotation,
} from "../../action/annotations.js";
import { goldenCreatedWarning } from "../../action/messages.js";
import type { ReplayCase, ReplayReport } from "../../src/replay/types.js";

const diag = (severity: Diagnostic["severity"], n: number, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  ruleId: `rule/${severity}`,
  severity,
  message: `${severity} ${n}`,
  file: "integration.yml",
  line: n,
  ...extra,
});

describe("repositoryPath", () => {
  it("prefixes the integration's folder", () => {
    expect(repositoryPath("integrations/acme", "test/events/a.json")).toBe("integrations/acme/test/events/a.json");
    expect(repositoryPath("", "integration.yml")).toBe("integration.yml");
    expect(repositoryPath("integrations/acme/", "docs/x.md")).toBe("integrations/acme/docs/x.md");
  });
});

describe("toAnnotation", () => {
  it("keeps columns on single-line findings", () => {
    const a = toAnnotation(diag("error", 4, { column: 3, endLine: 4, endColumn: 9 }), "acme");
    expect(a).toEqual({
      level: "error",
      message: "error 4",
      properties: { title: "devcenter: rule/error", file: "acme/integration.yml", line: 4, col: 3, endColumn: 9 },
    });
  });

  it("drops columns on multi-line findings", () => {
    const a = toAnnotation(diag("warning", 4, { column: 3, endLine: 6, endColumn: 9 }), "");
    expect(a.properties).toEqual({ title: "devcenter: rule/warning", file: "integration.yml", line: 4, endLine: 6 });
  });

  it("says which event of a file of events, when there is no line; infos are notices", () => {
    const a = toAnnotation(
      { ruleId: "spec/x", severity: "info", message: "Hm.", file: "events.ndjson", index: 2, path: "/event" },
      "",
    );
    expect(a).toEqual({
      level: "notice",
      message: "Hm. (event 2, /event)",
      properties: { title: "devcenter: spec/x", file: "events.ndjson" },
    });
  });

  it("a finding about no file has no file", () => {
    expect(toAnnotation({ ruleId: "replay/x", severity: "error", message: "m" }, "acme").properties).toEqual({
      title: "devcenter: replay/x",
    });
  });
});

describe("planAnnotations", () => {
  it("shows everything when it fits", () => {
    const plan = planAnnotations([diag("error", 1), diag("warning", 2), diag("info", 3)], "");
    expect(plan.shown.map((a) => a.level)).toEqual(["error", "warning", "notice"]);
    expect(plan.hidden).toEqual({ error: 0, warning: 0, notice: 0 });
  });

  it("gives each level its own budget of 10, so many warnings never crowd out an error; one warning and one notice slot stay free for the Action's own", () => {
    const ds = [
      ...Array.from({ length: 30 }, (_, i) => diag("warning", i + 1)),
      ...Array.from({ length: 12 }, (_, i) => diag("error", 100 + i)),
      ...Array.from({ length: 15 }, (_, i) => diag("info", 200 + i)),
    ];
    const plan = planAnnotations(ds, "");
    expect(plan.shown.filter((a) => a.level === "error")).toHaveLength(10);
    expect(plan.shown.filter((a) => a.level === "warning")).toHaveLength(9);
    expect(plan.shown.filter((a) => a.level === "notice")).toHaveLength(9);
    expect(plan.hidden).toEqual({ error: 2, warning: 21, notice: 6 });
    expect(plan.total).toEqual({ error: 12, warning: 30, notice: 15 });
  });

  it("prefers findings that point at a line, and keeps the report's order", () => {
    const unplaced = Array.from(
      { length: 5 },
      (_, i): Diagnostic => ({ ruleId: "r", severity: "error", message: `nowhere ${i}` }),
    );
    const placed = Array.from({ length: 8 }, (_, i) => diag("error", i + 1));
    const plan = planAnnotations([...unplaced, ...placed], "", 10);
    expect(plan.shown.map((a) => a.message)).toEqual(["nowhere 0", "nowhere 1", ...placed.map((d) => d.message)]);
  });
});

describe("replay findings", () => {
  const replay = (cases: Partial<ReplayCase>[]): ReplayReport => ({
    summary: { pass: 0, unsupported: 0, fail: cases.length },
    cases: cases.map((c) => ({ name: "c", type: "track", status: "fail", durationMs: 1, message: "HTTP 500", ...c })),
  });

  it("a red case from a fixture points at its file and line, under the integration's folder", () => {
    const [d] = replayFindings(
      replay([
        {
          name: "order-completed",
          component: "subscription/webhook",
          file: "test/events/order-completed.json",
          line: 7,
        },
      ]),
    );
    const a = toAnnotation(d!, "integrations/acme");
    expect(a).toEqual({
      level: "error",
      message: "subscription/webhook — order-completed: HTTP 500",
      properties: { title: "devcenter: replay", file: "integrations/acme/test/events/order-completed.json", line: 7 },
    });
    // A Test Suite case has no file; green cases are not findings.
    expect(replayFindings(replay([{ name: "Track — user signs up" }]))[0]).not.toHaveProperty("file");
    expect(replayFindings(replay([{ status: "pass", file: "a.json" }]))).toEqual([]);
  });

  it("golden files created on the runner: each named once, in the report's order", () => {
    const r = replay([
      { status: "pass", golden: { file: "test/events/a.golden.json", status: "created" } },
      { status: "pass", golden: { file: "test/events/devcenter.test-suite.golden.json", status: "created" } },
      { status: "pass", golden: { file: "test/events/a.golden.json", status: "created" } },
      { status: "pass", golden: { file: "test/events/b.golden.json", status: "updated" } },
      { status: "pass" },
    ]);
    expect(createdGoldenFiles(r)).toEqual([
      "test/events/a.golden.json",
      "test/events/devcenter.test-suite.golden.json",
    ]);
    expect(createdGoldenFiles(undefined)).toEqual([]);
    expect(goldenCreatedWarning(["acme/test/events/a.golden.json"])).toBe(
      "Replay recorded what your handlers sent, or what your webhook was sent and answered, in a golden file that is not in the repository: `acme/test/events/a.golden.json`. Nothing was compared, so a change in the requests or the answers would pass unnoticed. Run `npx devcenter replay` locally and commit it.",
    );
    expect(goldenCreatedWarning(["a", "b", "c", "d", "e", "f", "g"])).toContain(
      "in 7 golden files that are not in the repository: `a`, `b`, `c`, `d`, `e` and 2 more.",
    );
  });
});
