// Bad input to `catalog build`: records that cannot be read are reported and skipped while the
// rest is built; a 30 MB logo is not copied; a slug filed twice; 10,000 integrations; a queue
// snapshot that is missing, older, newer or broken.
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUE_SCHEMA } from "../../src/core/review-queue.js";
import { buildSite } from "../../src/site/build.js";
import { writeLegacyRecord, writeRecord } from "./catalog-fixture.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "devcenter-site-bad-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tilesOf = (index: string) =>
  [...index.matchAll(/<li class="t"[^>]*><a href="integrations\/([a-z0-9-]+)\/">/g)].map((m) => m[1]);

describe("records that cannot be used are reported and skipped; the rest is built", () => {
  it("unreadable, truncated, binary, hostile and misfiled records", async () => {
    const catalog = join(dir, "broken");
    const records = join(catalog, "integrations");
    await writeRecord(catalog, { slug: "good", name: "Good", stage: "PUBLIC" });
    // Truncated mid-file (a partial write).
    const full = await readFile(
      join(await writeRecord(catalog, { slug: "truncated", name: "Truncated", stage: "PUBLIC" }), "record.json"),
      "utf8",
    );
    await writeFile(join(records, "truncated", "record.json"), full.slice(0, 200));
    // Unreadable: record.json is a folder (root reads any file, so permissions cannot make one unreadable here).
    await mkdir(join(records, "unreadable", "record.json"), { recursive: true });
    // Binary.
    await mkdir(join(records, "binary"));
    await writeFile(join(records, "binary", "record.json"), Buffer.from([0x7b, 0x00, 0xff, 0x00]));
    // A symbolic link to a file outside the catalog would publish it.
    await mkdir(join(records, "linked"));
    await writeFile(join(dir, "secret.json"), JSON.stringify({ slug: "linked", name: "Secret", stage: "PUBLIC" }));
    await symlink(join(dir, "secret.json"), join(records, "linked", "record.json"));
    // Filed under another slug; no stage; not an object; a slug that is not one.
    await mkdir(join(records, "misfiled"));
    await writeFile(
      join(records, "misfiled", "record.json"),
      JSON.stringify({ slug: "good", name: "Impostor", stage: "PUBLIC" }),
    );
    await mkdir(join(records, "no-stage"));
    await writeFile(join(records, "no-stage", "record.json"), JSON.stringify({ slug: "no-stage", name: "No stage" }));
    await writeFile(join(records, "array.json"), "[1,2,3]");
    await mkdir(join(records, "Bad_Name"));
    // Hostile files entries: a path out of the record folder, a logo that is a link to /etc/passwd.
    const hostileDir = await writeRecord(catalog, {
      slug: "hostile-files",
      name: "Hostile files",
      stage: "PUBLIC",
      logo: false,
    });
    const record = JSON.parse(await readFile(join(hostileDir, "record.json"), "utf8"));
    record.files.docs = "../../../../etc/passwd";
    record.files.logo = "logo.svg";
    await writeFile(
      join(hostileDir, "record.json"),
      JSON.stringify(record).replace(
        "{",
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
      ),
    );
    await symlink("/etc/passwd", join(hostileDir, "logo.svg"));

    const out = join(dir, "broken-site");
    const result = await buildSite({ catalog, out });
    const text = result.warnings.map((w) => `${w.file}: ${w.message}`);
    expect(text).toEqual([
      "integrations/Bad_Name: is not named after a slug (lower-case letters, digits and hyphens), so it is not a record; skipped",
      "integrations/array.json: is not a catalog record (a JSON object); this record is skipped, the rest of the catalog is built",
      "integrations/binary: record.json looks like a binary file (it contains NUL bytes); this file must be UTF-8 text; this record is skipped, the rest of the catalog is built",
      "integrations/hostile-files: files.docs is not a plain file name inside the record folder; it is ignored",
      "integrations/hostile-files: logo.svg is a symbolic link; the catalog holds only plain files; a placeholder is shown",
      "integrations/linked: record.json is a symbolic link; the catalog holds only plain files; this record is skipped, the rest of the catalog is built",
      'integrations/misfiled: record.json says its slug is "good", but it is filed as "misfiled"; the catalog files a record under its own slug; this record is skipped, the rest of the catalog is built',
      'integrations/no-stage: record.json has no "stage"; this record is skipped, the rest of the catalog is built',
      expect.stringMatching(
        /^integrations\/truncated: record\.json is not valid JSON at line \d+, column \d+ \(it ends early: truncated\?\): .*; this record is skipped, the rest of the catalog is built$/,
      ),
      "integrations/unreadable: record.json is not a file; this record is skipped, the rest of the catalog is built",
    ]);
    expect(result.skipped).toBe(7);
    const index = await readFile(join(out, "index.html"), "utf8");
    expect(tilesOf(index).sort()).toEqual(["good", "hostile-files"]);
    const page = await readFile(join(out, "integrations/hostile-files/index.html"), "utf8");
    expect(page).not.toContain("root:");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await readdir(join(out, "integrations/hostile-files"))).toEqual(["index.html", "mark.svg"]);
  });

  it("a 30 MB logo is not copied: the page shows a placeholder and the build warns; an SVG holding a script is not published either", async () => {
    const catalog = join(dir, "big");
    const huge = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50"><path d="${"M0 0L1 1".repeat((30 * 1024 * 1024) / 8)}"/></svg>`;
    await writeRecord(catalog, { slug: "huge-logo", name: "Huge Logo", stage: "PUBLIC", logo: huge, mark: huge });
    await writeRecord(catalog, {
      slug: "scripted",
      name: "Scripted",
      stage: "PUBLIC",
      mark: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script></svg>`,
    });
    const out = join(dir, "big-site");
    const result = await buildSite({ catalog, out });
    expect(result.warnings.map((w) => `${w.file}: ${w.message}`)).toEqual([
      "integrations/huge-logo: the logo is 30 MiB, more than the 512 KiB a catalog image may be; not copied, a placeholder is shown",
      "integrations/huge-logo: the mark is 30 MiB, more than the 512 KiB a catalog image may be; not copied, a placeholder is shown",
      expect.stringMatching(
        /^integrations\/scripted: the mark is not a safe SVG \(.*script.*\); not copied, a placeholder is shown$/,
      ),
    ]);
    expect(await readdir(join(out, "integrations/huge-logo"))).toEqual(["index.html"]);
    const index = await readFile(join(out, "index.html"), "utf8");
    expect(index).toContain('<a href="integrations/huge-logo/"><span class="ph" data-l="H"></span>Huge Logo</a>');
    // The scripted mark is replaced by the (safe) logo on the tile.
    expect(index).toContain('<a href="integrations/scripted/"><img class="m" src="integrations/scripted/logo.svg"');
  });

  it("a slug filed twice (a legacy file and a record folder): the folder is used, the other reported", async () => {
    const catalog = join(dir, "dupes");
    await writeRecord(catalog, { slug: "twice", name: "Twice (folder)", stage: "PUBLIC" });
    await writeLegacyRecord(catalog, { slug: "twice", name: "Twice (legacy)", stage: "PUBLIC" });
    const out = join(dir, "dupes-site");
    const result = await buildSite({ catalog, out });
    expect(result.warnings).toEqual([
      {
        file: "integrations/twice.json",
        message:
          'records the slug "twice" again (also integrations/twice); integrations/twice is used, remove the other',
      },
    ]);
    const index = await readFile(join(out, "index.html"), "utf8");
    expect(tilesOf(index)).toEqual(["twice"]);
    expect(index).toContain("Twice (folder)");
  });

  it("no records folder at all: an empty catalog and a warning", async () => {
    const catalog = join(dir, "empty");
    await mkdir(catalog);
    const result = await buildSite({ catalog, out: join(dir, "empty-site") });
    expect(result.warnings).toEqual([
      { file: "integrations", message: "there is no records folder here: the site lists no integrations" },
    ]);
    expect(await readFile(join(dir, "empty-site/index.html"), "utf8")).toContain("No integration is listed yet.");
  });
});

describe("10,000 integrations", () => {
  it("builds an index with every tile and a page for each", async () => {
    const catalog = join(dir, "many");
    const records = join(catalog, "integrations");
    await mkdir(records, { recursive: true });
    const { parse } = await import("yaml");
    const manifest = parse(await readFile(join(import.meta.dirname, "../../examples/webhook/integration.yml"), "utf8"));
    const n = 10_000;
    for (let i = 0; i < n; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, n - i) }, async (_, k) => {
          const slug = `partner-${i + k}`;
          await mkdir(join(records, slug));
          const m = {
            ...manifest,
            app: {
              ...manifest.app,
              slug,
              name: `Partner ${i + k}`,
              categories: [["Analytics", "CRM", "Email", "Advertising"][(i + k) % 4]],
            },
          };
          await writeFile(
            join(records, slug, "record.json"),
            JSON.stringify({
              schema: 2,
              slug,
              name: `Partner ${i + k}`,
              repository: `p/${slug}`,
              root: "",
              stage: (i + k) % 3 ? "PUBLIC" : "PUBLIC_BETA",
              version: "1.0.0",
              manifest: m,
              files: {},
              history: [],
            }),
          );
        }),
      );
    }
    const out = join(dir, "many-site");
    const result = await buildSite({ catalog, out });
    expect(result.warnings).toEqual([]);
    expect(result.listed).toBe(n);
    expect(tilesOf(await readFile(join(out, "index.html"), "utf8")).length).toBe(n);
    expect((await readdir(join(out, "integrations"))).length).toBe(n);
  }, 180_000);
});

describe("the queue snapshot", () => {
  const catalogWith = async (name: string, queue?: string) => {
    const catalog = join(dir, name);
    await writeRecord(catalog, { slug: "acme", name: "Acme", stage: "PUBLIC" });
    if (queue !== undefined) await writeFile(join(catalog, "queue.json"), queue);
    const result = await buildSite({ catalog, out: join(dir, `${name}-site`) });
    return { result, page: await readFile(join(dir, `${name}-site`, "queue/index.html"), "utf8") };
  };

  it("missing: the page says no snapshot was taken yet (no warning: a new catalog has none)", async () => {
    const { result, page } = await catalogWith("q-missing");
    expect(result.warnings).toEqual([]);
    expect(page).toContain(
      "No queue snapshot yet: the App&#39;s sweep writes queue.json to the catalog repository on its next run.",
    );
  });

  it("older (no schema, or a lower one): the page and the build say it is replaced at the next sweep, and when it was taken", async () => {
    for (const snapshot of [
      { takenAt: "2026-11-30T08:00:00.000Z", items: [] },
      { schema: 0, takenAt: "2026-11-30T08:00:00.000Z", entries: [] },
    ]) {
      const { result, page } = await catalogWith(`q-old-${snapshot.schema ?? "none"}`, JSON.stringify(snapshot));
      const schema = snapshot.schema ?? "missing";
      expect(result.warnings).toEqual([
        {
          file: "queue.json",
          message: `is in an older format (schema ${schema}; this version reads ${QUEUE_SCHEMA}); the App's next sweep replaces it; the queue page says so`,
        },
      ]);
      expect(page).toContain(
        `The queue snapshot is in an older format (schema ${schema}; this version reads ${QUEUE_SCHEMA})`,
      );
      expect(page).toContain("That snapshot was taken 2026-11-30 08:00 UTC.");
    }
  });

  it("newer, broken or with bad entries: said, never a failed build", async () => {
    const newer = await catalogWith(
      "q-new",
      JSON.stringify({ schema: QUEUE_SCHEMA + 1, takenAt: "2026-11-30T08:00:00.000Z" }),
    );
    expect(newer.page).toContain("is in a newer format");
    const broken = await catalogWith("q-broken", '{"schema": 1, "entr');
    expect(broken.result.warnings[0]!.message).toMatch(/^is not valid JSON/);
    const entries = await catalogWith(
      "q-entries",
      JSON.stringify({
        schema: QUEUE_SCHEMA,
        takenAt: "2026-11-30T08:00:00.000Z",
        reviewBusinessDays: 2,
        entries: [{ nonsense: true }, "x"],
      }),
    );
    expect(entries.result.warnings).toEqual([
      { file: "queue.json", message: "2 entries are not in the expected form and are not shown" },
    ]);
    expect(entries.page).toContain("Nothing is waiting for review.");
  });
});
