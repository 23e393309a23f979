// Fixture-driven, like the other families: every file under test/fixtures/policy/invalid/<rule id>/
// declares in `# expect: <ruleId> <line>:<column>` comments exactly the findings it must produce —
// a policy.yml through parsePolicy, an integration.yml through the looser-value check.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { DEFAULT_POLICY } from "../../src/core/policy.js";
import { MemorySource } from "../../src/core/source-memory.js";
import { loadManifest } from "../../src/manifest/load.js";
import { policyFindings } from "../../src/policy/findings.js";
import { parsePolicy } from "../../src/policy/parse.js";
import { expectOwnMarkdown } from "../helpers/own-markdown.js";

const root = "test/fixtures/policy/invalid";

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );

describe("policy fixtures", () => {
  for (const file of files(root)) {
    test(relative(root, file), async () => {
      const text = readFileSync(file, "utf8");
      const expected = [...text.matchAll(/^# expect: (\S+) (\d+):(\d+)$/gm)].map((m) => `${m[1]} ${m[2]}:${m[3]}`);
      expect(expected.length).toBeGreaterThan(0);
      let found;
      if (file.endsWith("policy.yml")) {
        found = parsePolicy(text).diagnostics;
      } else {
        const loaded = await loadManifest(new MemorySource("fixture", { "integration.yml": text }));
        expect(loaded.manifest, JSON.stringify(loaded.diagnostics)).toBeDefined();
        found = policyFindings(DEFAULT_POLICY, loaded.manifest, loaded);
      }
      expect(found.map((d) => `${d.ruleId} ${d.line}:${d.column}`).sort()).toEqual(expected.sort());
      for (const d of found) {
        expect(d.message).toMatch(/[.?!]$/);
        expectOwnMarkdown(d);
      }
    });
  }
});
