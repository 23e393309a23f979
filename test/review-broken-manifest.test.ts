// The review engine on a manifest that fails its schema: the findings that do not need a valid
// manifest still come, the ones that would be guesses do not, and the checklist says why replay
// did not run.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkDocs } from "../src/docs/check.js";
import type { Manifest } from "../src/manifest/types.js";
import type { ReplayReport } from "../src/replay/types.js";
import { review } from "../src/review.js";
import { exampleSource } from "./helpers/example-source.js";

const MANIFEST = readFileSync("examples/webhook/integration.yml", "utf8");
const PAGE = readFileSync("examples/webhook/docs/segment.md", "utf8");
const SUPPORTS_RULES = ["docs/method-unsupported", "docs/method-missing", "docs/deletion", "docs/delete-unsupported"];
const item = (report: { checklist: { id: string; status: string; reason?: string }[] }, id: string) =>
  report.checklist.find((c) => c.id === id)!;

describe("a misspelt `supports` (suports:)", () => {
  const typo = MANIFEST.replace("supports:", "suports:");

  it("gets the schema errors with the suggestion, and no docs findings guessed from the missing `supports`", async () => {
    const report = await review(exampleSource("webhook", { "integration.yml": typo }));
    expect(report.manifest).toBeUndefined();
    expect(report.diagnostics.map((d) => d.ruleId)).toEqual(["manifest/schema", "manifest/schema"]);
    expect(report.diagnostics.map((d) => d.message).join("\n")).toContain("Did you mean `supports`?");
    expect(report.summary).toEqual({ errors: 2, warnings: 0 });
  });

  it("still runs the docs checks that do not depend on `supports`", async () => {
    const page = PAGE.replace("title: Acme Analytics Destination", "title: Acme Destination").replace(
      "### Track\n",
      "### Track\n\nWe send it.\n",
    );
    const report = await review(exampleSource("webhook", { "integration.yml": typo, "docs/segment.md": page }));
    const docs = report.diagnostics.filter((d) => d.ruleId.startsWith("docs/"));
    expect(docs.map((d) => d.ruleId).sort()).toEqual(["docs/first-person", "docs/title"]);
  });

  it("a valid manifest still gets the per-call and deletion checks", async () => {
    const fewer = MANIFEST.replace("supports: [identify, track, page, group, delete]", "supports: [identify, track]");
    const report = await review(exampleSource("webhook", { "integration.yml": fewer }));
    const rules = report.diagnostics.map((d) => d.ruleId);
    expect(rules.filter((r) => r === "docs/method-unsupported")).toHaveLength(2); // Page, Group
    expect(rules).toContain("docs/delete-unsupported");
  });
});

describe("checkDocs on data that failed the schema (schemaValid: false)", () => {
  const manifest = {
    app: { name: "Acme Analytics" },
    components: [{ type: "subscription", style: "webhook", supports: ["track"] }],
    docs: { segment: "docs/segment.md" },
  } as unknown as Manifest;
  const source = exampleSource("webhook");

  it("leaves out every check that compares the page with `supports`", async () => {
    const trusted = await checkDocs(manifest, source);
    expect(trusted.map((d) => d.ruleId)).toEqual(
      expect.arrayContaining(["docs/method-unsupported", "docs/delete-unsupported"]),
    );
    const guessed = await checkDocs(manifest, source, { schemaValid: false });
    expect(guessed.filter((d) => SUPPORTS_RULES.includes(d.ruleId))).toEqual([]);
    // The rest of the page is checked the same way.
    expect(guessed).toEqual(trusted.filter((d) => !SUPPORTS_RULES.includes(d.ruleId)));
  });

  it("a page without `## Supported methods` is still reported, without listing guessed calls", async () => {
    const bare = exampleSource("webhook", { "docs/segment.md": PAGE.slice(0, PAGE.indexOf("## Supported methods")) });
    const got = await checkDocs(manifest, bare, { schemaValid: false });
    const missing = got.filter((d) => d.ruleId === "docs/supported-methods");
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).not.toContain("Track");
    expect(missing[0]!.message).toContain("`supports`");
  });
});

describe("why replay did not run", () => {
  const green: ReplayReport = {
    summary: { pass: 1, unsupported: 0, fail: 0 },
    cases: [{ name: "Track", type: "track", status: "pass", durationMs: 1, message: "", group: "test-suite" }],
  };

  it("a manifest with errors: replay is not run, and the replay items say so (not --no-replay, not `set volume`)", async () => {
    let called = false;
    const report = await review(
      exampleSource("webhook", { "integration.yml": MANIFEST.replace("supports:", "suports:") }),
      {
        replay: async () => {
          called = true;
          return green;
        },
      },
    );
    expect(called).toBe(false);
    expect(report.replaySkipped).toBe("manifest-errors");
    for (const id of ["test-suite", "replay-fixtures", "high-volume"]) {
      expect(item(report, id)).toEqual(
        expect.objectContaining({
          status: "fail",
          reason: "Replay did not run because integration.yml has errors; fix them first.",
        }),
      );
    }
  });

  it("replay turned off: the reasons say it was off, and do not ask to set a `volume` bar the manifest already sets", async () => {
    const report = await review(exampleSource("webhook"));
    expect(report.replaySkipped).toBe("disabled");
    expect(item(report, "test-suite").reason).toMatch(/turned off.*--no-replay/);
    const volume = item(report, "high-volume").reason!;
    expect(volume).toMatch(/turned off/);
    expect(volume).toContain("manifest's `volume` bar");
    expect(volume).not.toMatch(/set (a )?`volume`/);
  });

  it("replay results simply not supplied (the App without a check run): no reason is claimed", async () => {
    const report = await review(exampleSource("webhook"), { replay: async () => undefined });
    expect(report.replaySkipped).toBeUndefined();
    expect(item(report, "test-suite").reason).toMatch(/^Replay has not run/);
  });

  it("replay that ran leaves no replaySkipped", async () => {
    const report = await review(exampleSource("webhook"), { replay: async () => green });
    expect(report.replaySkipped).toBeUndefined();
    expect(item(report, "test-suite").status).toBe("pass");
  });
});
