// One fixture folder per change rule (test/fixtures/change/invalid/change/<rule>/): the approved
// manifest, the pull request's and a docs page. Reviewed against approved.yml at a fixed time,
// each folder reports its rule, at a line of integration.yml (the baseline's warning has no line).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BaselineInput } from "../../src/change/check.js";
import { asMessage, msg } from "../../src/core/markdown.js";
import { LocalSource } from "../../src/replay/source-local.js";
import { loadManifest } from "../../src/manifest/load.js";
import { review } from "../../src/review.js";
import { expectOwnMarkdown } from "../helpers/own-markdown.js";

const DIR = "test/fixtures/change/invalid/change";
const NOW = new Date("2027-03-01T12:00:00Z");

describe("change rule fixtures", () => {
  for (const name of readdirSync(DIR).sort()) {
    it(`change/${name}`, async () => {
      const source = new LocalSource(join(DIR, name));
      const approved = await loadManifest(source, "approved.yml");
      const baseline: BaselineInput = approved.manifest
        ? {
            manifest: approved.manifest,
            label: "approved.yml",
            stage: approved.manifest.stage,
            ...(approved.manifest.version ? { version: approved.manifest.version } : {}),
          }
        : // As src/catalog/baseline.ts words it: the baseline's own diagnostic quoted in both forms.
          { problem: msg`approved.yml is not a valid manifest (${asMessage(approved.diagnostics[0]!)})` };
      const report = await review(source, { baseline, now: NOW });
      const found = report.diagnostics.filter((d) => d.ruleId === `change/${name}`);
      expect(
        found.length,
        report.diagnostics
          .filter((d) => d.ruleId.startsWith("change/"))
          .map((d) => `${d.ruleId}: ${d.message}`)
          .join("\n"),
      ).toBeGreaterThan(0);
      for (const d of report.diagnostics) expectOwnMarkdown(d);
      if (name !== "baseline") expect(found.every((d) => d.file === "integration.yml" && (d.line ?? 0) > 0)).toBe(true);
    });
  }
});
