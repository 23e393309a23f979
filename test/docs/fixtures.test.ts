import { describe, expect, it } from "vitest";
import { checkDocs } from "../../src/docs/check.js";
import { DOCS_RULES as RULES } from "../../src/docs/rules/index.js";
import { cases, loadCase, FIXTURES } from "./harness.js";
import { join } from "node:path";
import { expectOwnMarkdown } from "../helpers/own-markdown.js";

const ids = new Set<string>(RULES.map((r) => r.id));
const brief = (d: { ruleId: string; line?: number; column?: number; message: string }) =>
  `${d.ruleId} ${d.line}:${d.column} ${d.message}`;

describe("the complete base integration", () => {
  it("has no diagnostics", async () => {
    const c = loadCase(join(FIXTURES, "base-only"), "base");
    expect((await checkDocs(c.manifest, c.source)).map(brief)).toEqual([]);
  });
});

describe("valid fixtures", () => {
  for (const c of cases("valid")) {
    it(c.name, async () => {
      expect((await checkDocs(c.manifest, c.source)).map(brief)).toEqual([]);
    });
  }
});

describe("invalid fixtures", () => {
  const all = cases("invalid");
  it("cover every rule", () => {
    const covered = new Set(all.map((c) => c.name.split("/").slice(0, 2).join("/")));
    expect([...ids].filter((id) => !covered.has(id))).toEqual([]);
  });
  for (const c of all) {
    it(c.name, async () => {
      const ruleId = c.name.split("/").slice(0, 2).join("/");
      expect(ids.has(ruleId)).toBe(true);
      expect(c.expect.some((e) => e.ruleId === ruleId)).toBe(true);
      const got = await checkDocs(c.manifest, c.source);
      for (const d of got) {
        expect(ids.has(d.ruleId), d.ruleId).toBe(true);
        expectOwnMarkdown(d);
      }
      expect(got.map((d) => ({ ruleId: d.ruleId, line: d.line, column: d.column }))).toEqual(
        c.expect.map((e) => ({ ruleId: e.ruleId, line: e.line, column: e.column })),
      );
      c.expect.forEach((e, i) => {
        if (e.message) expect(got[i]!.message).toContain(e.message);
        expect(got[i]!.severity).toBe(e.severity ?? RULES.find((r) => r.id === e.ruleId)!.severity);
        expect(got[i]!.file).toBeTruthy();
      });
    });
  }
});
