// Rules are objects (src/core/rule.ts); these tests hold the list of them to what surrounds it:
// one fixture folder per rule (test/fixtures/<area>/invalid/<rule id>/) and one checklist item per
// rule that gates a stage.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHECKS } from "../src/checks/registry.js";
import { ALL_RULES, type RuleId } from "../src/checks/rules.js";
import { POLICY_FILE_RULE_IDS } from "../src/policy/rules.js";

const FIXTURES = "test/fixtures";

/** Every `invalid/<family>/<name>` folder under test/fixtures, as `<family>/<name>`, with where it is. */
function fixtureFolders(): Map<string, string> {
  const out = new Map<string, string>();
  for (const area of readdirSync(FIXTURES)) {
    const invalid = join(FIXTURES, area, "invalid");
    if (!existsSync(invalid)) continue;
    for (const family of readdirSync(invalid)) {
      for (const name of readdirSync(join(invalid, family))) out.set(`${family}/${name}`, join(invalid, family, name));
    }
  }
  return out;
}

/**
 * Rules whose input cannot be a small fixture file (a binary or unreadable file, 100,000 events,
 * 5,000 files, a folder without event files, a replay run), with the test that reports each by its id.
 */
const TESTED_ELSEWHERE: Partial<Record<RuleId, string>> = {
  "file/binary": "test/manifest/bad-input.test.ts",
  "file/invalid-utf8": "test/manifest/bad-input.test.ts",
  "file/unreadable": "test/core/file-diagnostic.test.ts",
  "spec/too-many-events": "test/spec/bad-input.test.ts",
  "spec/too-many-files": "test/spec/bad-input.test.ts",
  "spec/no-event-files": "test/cli/validate-events.test.ts",
  "replay/partly-supported": "test/replay/supports.test.ts",
  // A plugin's `global` is not in the schema yet (issue 10): compared on data in a unit test.
  "change/plugin-global": "test/change/change-check.test.ts",
};

describe("rules", () => {
  const ids = ALL_RULES.map((r) => r.id);

  it("have unique ids", () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("each have their invalid fixture folder, and every such folder names a rule", () => {
    const folders = fixtureFolders();
    expect(
      [...folders.keys()].filter((f) => !ids.includes(f)),
      "folders that name no rule",
    ).toEqual([]);
    expect(
      ids.filter((id) => !folders.has(id) && !(id in TESTED_ELSEWHERE)),
      "rules without a fixture folder",
    ).toEqual([]);
    for (const [id, test] of Object.entries(TESTED_ELSEWHERE)) {
      expect(folders.has(id), `${id} has a fixture folder now: drop it from TESTED_ELSEWHERE`).toBe(false);
      expect(readFileSync(test, "utf8"), `${test} tests ${id}`).toContain(id);
    }
  });

  it("that gate a stage are each named by exactly one checklist item; stream rules are graded through replay", () => {
    const named = CHECKS.flatMap((c) => c.rules ?? []);
    expect(new Set(named).size, "no rule is named by two items").toBe(named.length);
    // The operator's policy.yml rules are about the platform's own file: they never gate a partner.
    const gating = ids.filter(
      (id) => !id.startsWith("stream/") && !(POLICY_FILE_RULE_IDS as readonly string[]).includes(id),
    );
    expect(
      gating.filter((id) => !(named as string[]).includes(id)),
      "rules no checklist item names",
    ).toEqual([]);
    expect(named.filter((id) => id.startsWith("stream/"))).toEqual([]);
  });
});
