// Fixture-driven: every manifest in valid/ passes load and rules with no diagnostic; every one in
// invalid/<ruleId>/ declares, in `# expect: <ruleId> <line>:<column>` comments, exactly the
// diagnostics (errors and warnings) it must produce.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { FILE_RULES } from "../../src/core/file-diagnostic.js";
import { MANIFEST_RULES } from "../../src/manifest/rules/index.js";
import { brief, review } from "./helpers.js";
import { expectOwnMarkdown } from "../helpers/own-markdown.js";

const RULES = [...MANIFEST_RULES, ...FILE_RULES];

const root = fileURLToPath(new URL("../fixtures/manifest/", import.meta.url));

function ymlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? ymlFiles(join(dir, e.name)) : e.name.endsWith(".yml") ? [join(dir, e.name)] : [],
  );
}

describe("valid manifests", () => {
  for (const file of ymlFiles(join(root, "valid"))) {
    test(relative(root, file), async () => {
      const { loaded, diagnostics } = await review(readFileSync(file, "utf8"));
      expect(diagnostics.map((d) => `${brief(d)} ${d.message}`)).toEqual([]);
      expect(loaded.manifest).toBeDefined();
    });
  }
});

describe("invalid manifests", () => {
  const known = new Set<string>(RULES.map((r) => r.id));
  for (const file of ymlFiles(join(root, "invalid"))) {
    const rel = relative(join(root, "invalid"), file).split(sep).join("/");
    const folderRule = rel.slice(0, rel.lastIndexOf("/"));
    test(rel, async () => {
      const text = readFileSync(file, "utf8");
      const expected = [...text.matchAll(/^# expect: (\S+) (\d+):(\d+)$/gm)].map((m) => `${m[1]} ${m[2]}:${m[3]}`);
      expect(expected.length, "the fixture declares what it expects").toBeGreaterThan(0);
      expect(
        expected.some((e) => e.startsWith(folderRule + " ")),
        `the fixture expects its folder's rule ${folderRule}`,
      ).toBe(true);
      const { loaded, diagnostics } = await review(text);
      expect(diagnostics.map(brief).sort()).toEqual(expected.sort());
      for (const d of diagnostics) {
        expect(known.has(d.ruleId), `${d.ruleId} is listed in RULES`).toBe(true);
        expect(d.file).toBe("integration.yml");
        expect(d.message).toMatch(/[.?!]$/);
        expectOwnMarkdown(d);
      }
      if (
        diagnostics.some((d) => d.ruleId !== folderRule && d.severity === "error") ||
        loaded.diagnostics.some((d) => d.severity === "error")
      ) {
        expect(loaded.manifest).toBeUndefined();
      }
    });
  }
});
