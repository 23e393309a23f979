// The change check (issue 11): a live integration's pull request against its approved version.
// Real folders on disk and the real CLI (`devcenter diff`, `devcenter review --baseline`); each
// change is asserted at its line in the new manifest.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareManifests } from "../../src/change/compare.js";
import { headingAnchors } from "../../src/change/check.js";
import { main } from "../../src/cli/main.js";
import { LocalSource } from "../../src/replay/source-local.js";
import type { Manifest, Setting } from "../../src/manifest/types.js";
import { review } from "../../src/review.js";
import { captureIO } from "../helpers/cli.js";

const example = resolve("examples/webhook");
let tmp: string;
let n = 0;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "devcenter-change-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const LIVE = (t: string) => t.replace("stage: developer-preview\n", "stage: public-beta\nversion: 1.2.0\n");

/** A copy of the webhook example, its manifest edited. */
async function integration(
  edit: (t: string) => string,
  docs?: (t: string) => string,
): Promise<{ dir: string; text: string }> {
  const dir = join(tmp, `i${n++}`);
  await cp(example, dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  const file = join(dir, "integration.yml");
  const text = edit(await readFile(file, "utf8"));
  await writeFile(file, text);
  if (docs) await writeFile(join(dir, "docs/segment.md"), docs(await readFile(join(dir, "docs/segment.md"), "utf8")));
  return { dir, text };
}

/** 1-based line of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string, from = 0) =>
  text.split("\n").findIndex((l, i) => i >= from && l.includes(needle)) + 1;

async function diff(oldDir: string, newDir: string, format = "json") {
  const io = captureIO(tmp);
  const code = await main(["diff", oldDir, newDir, "--format", format], io);
  return { code, out: io.out, err: io.err, json: format === "json" && io.out ? JSON.parse(io.out) : undefined };
}

describe("devcenter diff", () => {
  let approved: { dir: string; text: string };
  beforeAll(async () => {
    approved = await integration(LIVE);
  });

  it("reports every breaking change the issue lists, each at its line in the new manifest (a removal at the enclosing key)", async () => {
    const next = await integration((t) =>
      LIVE(t)
        .replace("version: 1.2.0", "version: 1.3.0")
        .replace("slug: acme-analytics", "slug: acme-insights")
        .replace("supports: [identify, track, page, group, delete]", "supports: [identify, track, page]")
        .replace("        choices: [us, eu]\n", "        choices: [us]\n")
        .replace("        type: select\n", "        type: select\n        required: true\n")
        .replace("        sensitive: true\n", "")
        .replace("      url: http://127.0.0.1:8787/segment", "      url: http://localhost:8787/segment")
        .replace(
          "        default: us\n",
          "        default: us\n      - label: Workspace\n        key: workspace\n        type: string\n        required: true\n",
        ),
    );
    const r = await diff(approved.dir, next.dir);
    expect(r.code).toBe(1);
    const t = next.text;
    const at = (ruleId: string) =>
      r.json.changes.filter((c: { ruleId: string }) => c.ruleId === ruleId).map((c: { line: number }) => c.line);
    expect(at("change/slug")).toEqual([lineOf(t, "slug: acme-insights")]);
    expect(at("change/call-removed")).toEqual([lineOf(t, "supports:")]);
    expect(at("change/choices-narrowed")).toEqual([lineOf(t, "choices: [us]")]);
    expect(at("change/setting-required")).toEqual([lineOf(t, "required: true", lineOf(t, "key: region"))]);
    expect(at("change/sensitive-off")).toEqual([lineOf(t, "- label: API Key")]);
    expect(at("change/webhook-host")).toEqual([lineOf(t, "url: http://localhost")]);
    expect(at("change/setting-required-added")).toEqual([lineOf(t, "key: workspace")]);
    expect(r.json).toMatchObject({ from: "1.2.0", to: "1.3.0", live: true, breaking: 7, declared: false });
    const undeclared = r.json.diagnostics.find((d: { ruleId: string }) => d.ruleId === "change/breaking-undeclared");
    expect(undeclared.line).toBe(lineOf(t, "version: 1.3.0"));
    expect(undeclared.message).toContain(
      "7 breaking changes against the approved version 1.2.0 (Public Beta) need a major version (`version: 2.0.0`) and a `breakingChanges` entry for 2.0.0. Add:\n\nversion: 2.0.0\nbreakingChanges:\n  - version: 2.0.0\n",
    );
    expect(undeclared.message).toMatch(/migrationGuide: docs\/segment\.md#migrating-to-2-0-0/);
  });

  it("a removed setting, component or call is reported at the key that held it; a renamed key as a rename", async () => {
    const removed = await integration((t) =>
      LIVE(t)
        .replace("version: 1.2.0", "version: 1.2.1")
        .replace(/ {6}- label: Region\n(?: {8}.*\n)+/, "")
        .replace("        key: apiKey", "        key: apiToken"),
    );
    const r = await diff(approved.dir, removed.dir);
    const t = removed.text;
    const byRule = Object.fromEntries(
      r.json.changes.map((c: { ruleId: string; line: number; message: string }) => [c.ruleId, c]),
    );
    expect(byRule["change/setting-removed"].line).toBe(lineOf(t, "settings:"));
    expect(byRule["change/setting-removed"].message).toMatch(
      /^subscription\/webhook: setting `region` \("Region"\) was removed: customers' values for it are dropped\. This breaks live customers/,
    );
    expect(byRule["change/setting-renamed"].line).toBe(lineOf(t, "key: apiToken"));

    const stream = await integration((t) =>
      LIVE(t)
        .replace("version: 1.2.0", "version: 1.3.0")
        .replace(/components:\n(?: {2}.*\n|\n)+?(?=docs:)/, "components:\n  - type: stream\n    emits: [track]\n\n"),
    );
    const s = await diff(approved.dir, stream.dir);
    const removedComponent = s.json.changes.find((c: { ruleId: string }) => c.ruleId === "change/component-removed");
    expect(removedComponent).toMatchObject({ line: lineOf(stream.text, "components:"), breaking: true });
    expect(s.json.changes.find((c: { ruleId: string }) => c.ruleId === "change/added").message).toBe(
      "A stream component was added.",
    );
  });

  it("notices only: additions, optional settings, descriptions, categories, logos and docs are not breaking (exit 0)", async () => {
    const next = await integration((t) =>
      LIVE(t)
        .replace("version: 1.2.0", "version: 1.3.0")
        .replace("categories: [Analytics]", "categories: [Analytics, Attribution]")
        .replace(
          "supports: [identify, track, page, group, delete]",
          "supports: [identify, track, page, group, alias, delete]",
        )
        .replace("Find it in Acme under Settings → API.", "Find it in Acme under Settings → Keys.")
        .replace(
          "        default: us\n",
          "        default: us\n      - label: Debug Mode\n        key: debugMode\n        type: boolean\n",
        ),
    );
    const r = await diff(approved.dir, next.dir, "text");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^Changes against the approved version 1\.2\.0 → 1\.3\.0 \(.* \(Public Beta\), Public Beta\): 0 breaking changes, 4 notices\n/,
    );
    expect(r.out).toContain(`integration.yml:${lineOf(next.text, "categories:")}:`);
    expect(r.out).toMatch(/notice +subscription\/webhook: a new optional setting `debugMode`\./);
    const md = await diff(approved.dir, next.dir, "markdown");
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^### Changes against the approved version 1\\\.2\\\.0 → 1\\\.3\\\.0/);
    expect(md.out).toContain("**0 breaking changes, 4 notices**");
    expect(md.out).toMatch(/\| ℹ️ notice \| `integration\.yml:\d+` \| /);
  });

  it("a renamed component with the same settings is matched by type and style: only a notice", async () => {
    const next = await integration((t) =>
      LIVE(t)
        .replace("version: 1.2.0", "version: 1.2.1")
        .replace("    style: webhook\n", "    style: webhook\n    name: Acme webhook\n"),
    );
    const r = await diff(approved.dir, next.dir);
    expect(r.code).toBe(0);
    expect(r.json.breaking).toBe(0);
  });

  it("a version that does not increase is an error that names the next one", async () => {
    const next = await integration((t) => LIVE(t).replace("categories: [Analytics]", "categories: [Analytics, CRM]"));
    const r = await diff(approved.dir, next.dir);
    expect(r.code).toBe(1);
    expect(r.json.diagnostics).toEqual([
      expect.objectContaining({
        ruleId: "change/version-not-raised",
        line: lineOf(next.text, "version: 1.2.0"),
        message: expect.stringMatching(
          /`version` is 1\.2\.0, and the approved version \(.*\) is 1\.2\.0: a pull request that changes a live integration raises it, here to 1\.2\.1\./,
        ),
      }),
    ]);
  });

  it("bad input: a missing or non-integration baseline, a broken new manifest", async () => {
    const missing = await diff(join(tmp, "nope"), approved.dir, "text");
    expect(missing).toMatchObject({
      code: 2,
      err: "devcenter diff: The baseline " + join(tmp, "nope") + " does not exist.\n",
    });
    const empty = await mkdtemp(join(tmp, "empty-"));
    expect((await diff(empty, approved.dir, "text")).err).toMatch(
      /is not an integration: it has no integration\.yml and no record\.json/,
    );
    const broken = await integration((t) => t.replace("stage: developer-preview", "stage: [oops"));
    expect((await diff(broken.dir, approved.dir, "text")).err).toMatch(
      /integration\.yml is not a valid manifest \(integration\.yml:\d+:\d+: /,
    );
    const r = await diff(approved.dir, broken.dir, "text");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not a valid manifest, so it cannot be compared/);
  });
});

describe("a declared breaking change", () => {
  const GUIDE = "\n## Migrating to 2.0\n\nRegion is required from 2.0: set it in each connection.\n";
  const declared =
    (deadline: string, guide = "docs/segment.md#migrating-to-2-0") =>
    (t: string) =>
      LIVE(t)
        .replace(
          "version: 1.2.0",
          `version: 2.0.0\nbreakingChanges:\n  - version: 2.0.0\n    message: Region is now required.\n    upgradeDeadline: ${deadline}\n    migrationGuide: ${guide}`,
        )
        .replace("        type: select\n", "        type: select\n        required: true\n");

  it("passes the change check with a reviewer item 'Breaking change approved'; review --baseline says so", async () => {
    const approved = await integration(LIVE);
    const next = await integration(declared("2099-03-01"), (d) => d + GUIDE);
    const r = await diff(approved.dir, next.dir);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ breaking: 1, declared: true, diagnostics: [] });

    const io = captureIO(tmp);
    const code = await main(["review", next.dir, "--baseline", approved.dir, "--no-replay", "--format", "json"], io);
    const json = JSON.parse(io.out);
    expect(json.change).toMatchObject({ breaking: 1, declared: true, from: "1.2.0", to: "2.0.0" });
    expect(json.checklist.find((c: { id: string }) => c.id === "breaking-approved")).toMatchObject({
      title: "Breaking change approved",
      automatic: false,
      status: "manual",
    });
    expect(json.diagnostics.find((d: { ruleId: string }) => d.ruleId === "change/setting-required")).toMatchObject({
      severity: "warning",
    });
    expect(code).toBe(0);

    // Without a baseline there is no breaking change to approve: the item is not on the checklist.
    const plain = captureIO(tmp);
    await main(["review", next.dir, "--no-replay", "--format", "json"], plain);
    expect(JSON.parse(plain.out).checklist.map((c: { id: string }) => c.id)).not.toContain("breaking-approved");
  });

  it("upgradeDeadline at least 14 days after the review (now is passed in); migrationGuide must name an existing heading", async () => {
    const next = await integration(declared("2027-03-10", "docs/segment.md#migrating-to-3"), (d) => d + GUIDE);
    const report = await review(new LocalSource(next.dir), { now: new Date("2027-03-01T12:00:00Z") });
    const found = report.diagnostics.filter((d) => d.ruleId.startsWith("change/"));
    expect(found.map((d) => [d.ruleId, d.line])).toEqual([
      ["change/upgrade-deadline", lineOf(next.text, "upgradeDeadline:")],
      ["change/migration-guide", lineOf(next.text, "migrationGuide:")],
    ]);
    expect(found[0]!.message).toBe(
      "`upgradeDeadline` 2027-03-10 is less than 14 days after this review (2027-03-01); customers get at least until 2027-03-15.",
    );
    expect(found[1]!.message).toMatch(
      /^`migrationGuide` points at the heading #migrating-to-3, which docs\/segment\.md does not have\. Add a section for the migration, or use one of: .*#getting-started, /,
    );
    const ok = await review(new LocalSource(next.dir), { now: new Date("2027-02-20T12:00:00Z") });
    expect(ok.diagnostics.filter((d) => d.ruleId === "change/upgrade-deadline")).toEqual([]);
    expect(headingAnchors("Migrating to 2.0")).toEqual(["migrating-to-20", "migrating-to-2-0"]);
  });
});

describe("review --baseline", () => {
  it("takes a catalog record folder written by `catalog add`", async () => {
    const approved = await integration(LIVE);
    const catalog = join(tmp, "catalog");
    expect(
      await main(
        ["catalog", "add", approved.dir, "--stage", "public-beta", "--by", "rita", "--catalog", catalog],
        captureIO(tmp),
      ),
    ).toBe(0);
    const next = await integration((t) =>
      LIVE(t)
        .replace("version: 1.2.0", "version: 1.2.1")
        .replace("supports: [identify, track, page, group, delete]", "supports: [identify, track, page, group]"),
    );
    const io = captureIO(tmp);
    const code = await main(
      ["review", next.dir, "--baseline", join(catalog, "integrations/acme-analytics"), "--no-replay"],
      io,
    );
    expect(code).toBe(1);
    expect(io.out).toMatch(
      /Changes against the approved version 1\.2\.0 → 1\.2\.1 \(catalog record .*integrations\/acme-analytics, Public Beta\): 1 breaking change \(not declared\), 0 notices/,
    );
    expect(io.out).toMatch(
      /error +subscription\/webhook: no longer handles delete \(removed from `supports`\)\. This breaks live customers/,
    );
  });

  it("a baseline that cannot be used is said, and the review of the new version still runs", async () => {
    const next = await integration(LIVE);
    const io = captureIO(tmp);
    const code = await main(
      ["review", next.dir, "--baseline", join(tmp, "missing-baseline"), "--no-replay", "--format", "json"],
      io,
    );
    const json = JSON.parse(io.out);
    expect(json.diagnostics).toContainEqual({
      ruleId: "change/baseline",
      severity: "warning",
      message: `The baseline ${join(tmp, "missing-baseline")} does not exist; the change check did not run.`,
    });
    expect(json.summary.errors).toBe(0);
    expect(json.checklist.find((c: { id: string }) => c.id === "manifest-valid").status).toBe("pass");
    expect(code).toBe(0);
  });

  it("a live manifest without a version is an error at its stage line", async () => {
    const next = await integration((t) => t.replace("stage: developer-preview", "stage: public"));
    const report = await review(new LocalSource(next.dir));
    expect(
      report.diagnostics.filter((d) => d.ruleId === "change/version-required").map((d) => [d.line, d.message]),
    ).toEqual([
      [
        lineOf(next.text, "stage: public"),
        "`stage` is public, so the manifest carries a `version`: add `version: 1.0.0` below it (or the version the catalog last approved, raised).",
      ],
    ]);
  });
});

describe("docs page, catalog copy and logo contents", () => {
  // The same paths, new contents: a section added and one removed from the docs page, a sentence of
  // the catalog copy rewritten, the logo redrawn.
  const edit = async (dir: string) => {
    const docs = join(dir, "docs/segment.md");
    await writeFile(
      docs,
      (await readFile(docs, "utf8")).replace(
        /## Deleting users[\s\S]*$/,
        "## Troubleshooting\n\nNo data in Acme? Check the API key in the destination settings.\n",
      ),
    );
    const copy = join(dir, "docs/catalog.md");
    await writeFile(
      copy,
      (await readFile(copy, "utf8")).replace("Connect it in a minute", "Connect it in two minutes"),
    );
    const logo = join(dir, "assets/logo.svg");
    await writeFile(logo, (await readFile(logo, "utf8")).replace("</svg>", '<circle cx="1" cy="1" r="1"/></svg>'));
  };
  const expectNotices = (
    changes: { ruleId: string; breaking: boolean; line: number; message: string }[],
    text: string,
  ) => {
    expect(changes.map((c) => [c.ruleId, c.breaking, c.line])).toEqual([
      ["change/logo", false, lineOf(text, "  logo: assets/logo.svg")],
      ["change/docs", false, lineOf(text, "segment: docs/segment.md")],
      ["change/docs", false, lineOf(text, "catalog: docs/catalog.md")],
    ]);
    expect(changes[0]!.message).toMatch(/^The logo \(assets\/logo\.svg\) changed: [\d,]+ bytes → [\d,]+ bytes\.$/);
    expect(changes[1]!.message).toMatch(
      /^The docs page \(docs\/segment\.md\) changed: section "Troubleshooting" added; section "Deleting users" removed; 2 lines added, \d+ removed\.$/,
    );
    expect(changes[2]!.message).toBe("The catalog copy (docs/catalog.md) changed: 1 line added, 1 removed.");
  };

  it("devcenter diff against an integration folder: a notice at each key that names a changed file", async () => {
    const approved = await integration(LIVE);
    const next = await integration((t) => LIVE(t).replace("version: 1.2.0", "version: 1.2.1"));
    await edit(next.dir);
    const r = await diff(approved.dir, next.dir);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ breaking: 0, notices: 3 });
    expectNotices(r.json.changes, next.text);
    // Unchanged files give no notice.
    const same = await integration((t) => LIVE(t).replace("version: 1.2.0", "version: 1.2.1"));
    expect((await diff(approved.dir, same.dir)).json.changes).toEqual([]);
  });

  it("review --baseline against a catalog record folder compares with the files the record keeps", async () => {
    const approved = await integration(LIVE);
    const catalog = join(tmp, "catalog-contents");
    expect(
      await main(
        ["catalog", "add", approved.dir, "--stage", "public-beta", "--by", "rita", "--catalog", catalog],
        captureIO(tmp),
      ),
    ).toBe(0);
    const next = await integration((t) => LIVE(t).replace("version: 1.2.0", "version: 1.2.1"));
    await edit(next.dir);
    const io = captureIO(tmp);
    await main(
      [
        "review",
        next.dir,
        "--baseline",
        join(catalog, "integrations/acme-analytics"),
        "--no-replay",
        "--format",
        "json",
      ],
      io,
    );
    const json = JSON.parse(io.out);
    expect(json.change).toMatchObject({ breaking: 0, notices: 3 });
    expectNotices(json.change.changes, next.text);
  });

  it("a file moved and changed is one notice that says both", async () => {
    const approved = await integration(LIVE);
    const next = await integration((t) =>
      LIVE(t)
        .replace("version: 1.2.0", "version: 1.2.1")
        .replace("catalog: docs/catalog.md", "catalog: docs/listing.md"),
    );
    await writeFile(join(next.dir, "docs/listing.md"), "Acme Analytics: retention insights from your events.\n");
    const r = await diff(approved.dir, next.dir);
    expect(r.json.changes.map((c: { ruleId: string; message: string }) => `${c.ruleId} ${c.message}`)).toEqual([
      "change/docs `docs.catalog` now points at docs/listing.md, and the catalog copy (docs/listing.md) changed: 1 line added, 1 removed.",
    ]);
  });
});

describe("compareManifests", () => {
  const manifest = (settings: Setting[]): Manifest =>
    ({
      apiVersion: "devcenter/v1",
      app: {
        name: "A",
        slug: "a",
        description: "d",
        website: "https://a.example",
        supportEmail: "s@a.example",
        categories: ["Analytics"],
        logo: "l.svg",
        mark: "m.svg",
      },
      stage: "public",
      version: "1.0.0",
      components: [
        {
          type: "subscription",
          style: "webhook",
          supports: ["track"],
          settings,
          webhook: { url: "https://a.example/hook" },
        },
      ],
    }) as Manifest;

  it("handles 10,000 settings: one removed, one renamed, one added among them", () => {
    const before = Array.from(
      { length: 10_000 },
      (_, i): Setting => ({ label: `Setting ${i}`, key: `setting${i}`, type: "string" }),
    );
    const after = before
      .filter((s) => s.key !== "setting5000")
      .map((s) => (s.key === "setting7" ? { ...s, key: "settingSeven" } : s));
    after.push({ label: "Extra", key: "extra", type: "string" });
    const changes = compareManifests(manifest(before), manifest(after));
    expect(changes.map((c) => `${c.ruleId} ${c.pointer}`)).toEqual([
      "change/setting-renamed /components/0/settings/7/key",
      "change/setting-removed /components/0/settings",
      "change/added /components/0/settings/9999/key",
    ]);
  });

  it("matches components by type and style, then name: two webhooks swapping places keep their own settings", () => {
    const a = manifest([{ label: "Key A", key: "keyA", type: "string" }]);
    const hookB = {
      type: "subscription",
      style: "webhook",
      name: "B",
      supports: ["track"],
      settings: [{ label: "Key B", key: "keyB", type: "string" }],
      webhook: { url: "https://a.example/b" },
    };
    const before = { ...a, components: [{ ...a.components[0]!, name: "A" }, hookB] } as Manifest;
    const after = { ...a, components: [hookB, { ...a.components[0]!, name: "A" }] } as Manifest;
    expect(compareManifests(before, after)).toEqual([]);
  });
});

describe("change/plugin-global", () => {
  it("a plugin's global changed is breaking, at its key", () => {
    const app = {
      name: "P",
      slug: "p",
      description: "d",
      website: "https://p.example",
      supportEmail: "s@p.example",
      categories: ["Analytics"],
      logo: "l.svg",
      mark: "m.svg",
    };
    const plugin = (global: string) => ({
      type: "plugin",
      entry: "dist/p.js",
      settings: [{ label: "Write Key", key: "writeKey", type: "string" }],
      global,
    });
    const before = {
      apiVersion: "devcenter/v1",
      app,
      stage: "public",
      version: "1.0.0",
      components: [plugin("Acme")],
    } as unknown as Manifest;
    const after = { ...before, components: [plugin("AcmeV2")] } as unknown as Manifest;
    // A change's message is a Message (src/core/markdown.ts): its text is what text and JSON output show.
    expect(compareManifests(before, after).map((c) => ({ ...c, message: c.message.text }))).toEqual([
      {
        ruleId: "change/plugin-global",
        breaking: true,
        message: 'plugin: `global` changed from `"Acme"` to `"AcmeV2"`: pages that use the old global break',
        pointer: "/components/0/global",
      },
    ]);
  });
});
