// `devcenter catalog build` from catalog folders written after docs/catalog-repository.md: what
// is listed, what a page shows, and that nothing a partner writes becomes markup.
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { buildSite } from "../../src/site/build.js";
import { captureIO } from "../helpers/cli.js";
import { writeLegacyRecord, writeRecord } from "./catalog-fixture.js";

const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) @octocat <style>body{display:none}</style>`;

/** Tags that are not the site's own: partner text may add none (escaped text has no `<`). */
const OURS = new Set(
  "html head meta title link script body a header main h1 h2 h3 h4 h5 h6 p span form label input select option nav ul ol li section img small aside strong div table caption thead tbody tr th td code pre br em blockquote hr time".split(
    " ",
  ),
);
function partnerMarkup(page: string): string[] {
  return [...page.matchAll(/<([a-z][a-z0-9]*)\b[^>]*>/gi)]
    .filter(
      (m) =>
        !OURS.has(m[1]!.toLowerCase()) ||
        /\son[a-z]+\s*=|style=/i.test(m[0].replace(/"[^"]*"/g, '""')) ||
        /(href|src)="\s*javascript:/i.test(m[0]) ||
        (m[1] === "script" && m[0] !== '<script src="./assets/site.js" defer>'),
    )
    .map((m) => m[0]);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "devcenter-site-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("catalog build", () => {
  let catalog: string;
  let out: string;
  beforeAll(async () => {
    catalog = join(dir, "catalog");
    out = join(dir, "site");
    await writeRecord(catalog, {
      slug: "acme-analytics",
      name: "Acme Analytics",
      stage: "PUBLIC_BETA",
      version: "2.0.0",
      manifest: (m) => {
        m.breakingChanges = [
          {
            version: "2.0.0",
            message: "Region is now required.",
            upgradeDeadline: "2027-03-01",
            migrationGuide: "docs/segment.md#migrating",
          },
        ];
      },
      history: [
        {
          version: "1.0.0",
          stage: "PUBLIC_BETA",
          approvedBy: "rev",
          approvedAt: "2026-10-01T10:00:00Z",
          pullRequest: "partners/acme#1",
          headSha: "a".repeat(40),
          breaking: false,
        },
        {
          version: "2.0.0",
          stage: "PUBLIC_BETA",
          approvedBy: "rev",
          approvedAt: "2026-11-01T10:00:00Z",
          pullRequest: "partners/acme#9",
          headSha: "b".repeat(40),
          breaking: true,
        },
      ],
    });
    await writeRecord(catalog, {
      slug: "beacon-crm",
      name: "Beacon CRM",
      stage: "PUBLIC",
      categories: ["CRM", "Email"],
    });
    await writeRecord(catalog, { slug: "in-preview", name: "In Preview", stage: "PRIVATE_BUILDING" });
    await writeRecord(catalog, { slug: "gone", name: "Gone", stage: "DEPRECATED" });
    await writeRecord(catalog, {
      slug: "hostile",
      name: `Hostile <b onmouseover=alert(1)>name</b>`,
      stage: "PUBLIC",
      categories: [`<svg onload=alert(1)>`],
      description: HOSTILE,
      catalogCopy: `${HOSTILE}\n\n<div>raw</div>\n\n![tracker](https://evil.example/pixel.gif)`,
      docs: `# Docs\n\n${HOSTILE}\n\n[ok](https://hostile.example/docs)`,
      manifest: (m) => {
        m.app.website = "javascript:alert(1)";
        m.components[0].settings[0].label = "<i>Key</i>";
      },
    });
    await writeLegacyRecord(catalog, { slug: "old-timer", name: "Old Timer", stage: "PUBLIC" });
    const r = await buildSite({ catalog, out });
    expect(r.warnings).toEqual([]);
  });

  it("lists Public Beta and Public integrations (legacy records too), never Developer Preview or Deprecated", async () => {
    const index = await readFile(join(out, "index.html"), "utf8");
    const tiles = [...index.matchAll(/<li class="t"[^>]*><a href="integrations\/([a-z0-9-]+)\/">/g)].map((m) => m[1]);
    expect(tiles.sort()).toEqual(["acme-analytics", "beacon-crm", "hostile", "old-timer"]);
    expect((await readdir(join(out, "integrations"))).sort()).toEqual([
      "acme-analytics",
      "beacon-crm",
      "hostile",
      "old-timer",
    ]);
    expect(index).toMatch(/Acme Analytics<\/a><span class="b">Beta<\/span>/);
    expect(index).not.toMatch(/Beacon CRM<\/a><span class="b">Beta/);
  });

  it("shows an integration's page after the Destination Info box: calls, components, stage, settings, version, breaking changes", async () => {
    const page = await readFile(join(out, "integrations/acme-analytics/index.html"), "utf8");
    expect(page).toContain('<h2 id="info">Destination Info</h2>');
    expect(page).toContain("Accepts Identify, Track, Page, Group and Delete calls.");
    expect(page).toContain("Components: Cloud mode (webhook).");
    expect(page).toContain("Stage: <strong>Public Beta</strong>. This integration is in Beta.");
    expect(page).toMatch(
      /<th scope="row">API Key.*<td><code>apiKey<\/code><\/td><td>string<\/td><td>Yes<\/td><td>Yes<\/td>/,
    );
    expect(page).toContain("Current version: <strong>2.0.0</strong>");
    expect(page).toMatch(
      /<strong>2\.0\.0<\/strong> — Public Beta, approved 2026-11-01 <span class="b brk">Breaking change<\/span><br>Region is now required\. <strong>Upgrade by 2027-03-01\.<\/strong>/,
    );
    expect(page).toContain('<a href="https://acme.example" rel="nofollow noopener">Website</a>');
    expect(page).toContain('<img src="logo.svg" alt="Acme Analytics logo"');
  });

  it("shows what a legacy record knows, and says the rest comes with the next approved version", async () => {
    const page = await readFile(join(out, "integrations/old-timer/index.html"), "utf8");
    expect(page).toContain("<h1>Old Timer</h1>");
    expect(page).toContain("Stage: <strong>Public</strong>.");
    expect(page).toContain("Listed before the catalog kept approved versions");
    expect(page).not.toContain("Settings");
  });

  it("escapes everything a partner writes: names, categories, descriptions, Markdown, setting labels, links", async () => {
    const index = await readFile(join(out, "index.html"), "utf8");
    const page = await readFile(join(out, "integrations/hostile/index.html"), "utf8");
    expect(partnerMarkup(index)).toEqual([]);
    expect(partnerMarkup(page)).toEqual([]);
    expect(index).toContain("Hostile &lt;b onmouseover=alert(1)&gt;name&lt;/b&gt;");
    expect(page).toContain("&lt;div&gt;raw&lt;/div&gt;");
    expect(page).toContain('<th scope="row">&lt;i&gt;Key&lt;/i&gt;');
    // An image in partner Markdown is its alt text: nothing is loaded from elsewhere.
    expect(page).not.toContain("evil.example");
    expect(page).toContain('<a href="https://hostile.example/docs" rel="nofollow noopener">ok</a>');
    expect(page).not.toMatch(/href="javascript/i);
    expect(page).not.toContain(">Website<");
  });

  it("copies SVGs as files next to the page and shows them only as <img>", async () => {
    const files = (await readdir(join(out, "integrations/acme-analytics"))).sort();
    expect(files).toEqual(["index.html", "logo.svg", "mark.svg"]);
    const page = await readFile(join(out, "integrations/acme-analytics/index.html"), "utf8");
    expect(page).not.toMatch(/<svg/i);
  });
});

describe("catalog build: the CLI front door", () => {
  it("builds what `devcenter catalog add` records (end to end through the CLI)", async () => {
    const catalog = join(dir, "added");
    const examples = join(import.meta.dirname, "../../examples");
    for (const [name, stage] of [
      ["webhook", "public-beta"],
      ["function", "public"],
    ] as const) {
      const add = captureIO(dir);
      expect(
        await main(
          [
            "catalog",
            "add",
            join(examples, name),
            "--stage",
            stage,
            "--by",
            "octo-reviewer",
            "--catalog",
            catalog,
            "--repository",
            `partners/${name}`,
          ],
          add,
        ),
        add.err,
      ).toBe(0);
    }
    const io = captureIO(dir);
    expect(await main(["catalog", "build", catalog, "--out", join(dir, "added-site")], io), io.err).toBe(0);
    expect(io.err).toBe("");
    const index = await readFile(join(dir, "added-site/index.html"), "utf8");
    expect(
      [...index.matchAll(/<li class="t"[^>]*><a href="integrations\/([a-z0-9-]+)\/">/g)].map((m) => m[1]).sort(),
    ).toEqual(["acme-analytics", "beacon-crm"]);
    const page = await readFile(join(dir, "added-site/integrations/acme-analytics/index.html"), "utf8");
    expect(page).toContain("Stage: <strong>Public Beta</strong>. This integration is in Beta.");
    expect(page).toContain('<h2 id="docs">Documentation</h2>');
    expect(await readdir(join(dir, "added-site/integrations/acme-analytics"))).toEqual([
      "index.html",
      "logo.svg",
      "mark.svg",
    ]);
  });

  it("builds and says what it built; warnings go to stderr, --strict makes them exit 1", async () => {
    const catalog = join(dir, "cli-catalog");
    await writeRecord(catalog, { slug: "acme-analytics", name: "Acme Analytics", stage: "PUBLIC" });
    const io = captureIO(dir);
    expect(await main(["catalog", "build", "cli-catalog", "--out", "cli-site"], io)).toBe(0);
    expect(io.out).toBe("Built 3 pages in cli-site: 1 listed integration, the index and the review queue.\n");
    expect(io.err).toBe("");
    await writeFile(join(catalog, "integrations", "broken.json"), "{");
    const strict = captureIO(dir);
    expect(await main(["catalog", "build", "cli-catalog", "--out", "cli-site", "--strict"], strict)).toBe(1);
    expect(strict.err).toMatch(
      /^warning: integrations\/broken\.json: is not valid JSON at line 1, column 2 \(it ends early: truncated\?\)/,
    );
  });

  it("refuses misuse with exit 2: no --out, an --out that holds the catalog, another command's option, an unknown subcommand", async () => {
    const catalog = join(dir, "cli-catalog");
    const cases: [string[], RegExp][] = [
      [["catalog", "build", catalog], /--out DIR is required/],
      [["catalog", "build", catalog, "--out", catalog], /holds the catalog folder itself/],
      [["catalog", "build", catalog, "--out", dir], /holds the catalog folder itself/],
      [["catalog", "build", catalog, "--out", join(catalog, "integrations", "x")], /inside the records folder/],
      [["catalog", "build", join(dir, "nowhere"), "--out", join(dir, "s")], /does not exist/],
      [["catalog", "build", catalog, "--out", join(dir, "s"), "--stage", "public"], /unknown option --stage/],
      [["catalog", "publish"], /devcenter catalog: name one of: add, build \(not "publish"\)/],
      [["catalog"], /devcenter catalog: name one of: add, build\./],
    ];
    for (const [argv, message] of cases) {
      const io = captureIO(dir);
      expect(await main(argv, io), argv.join(" ")).toBe(2);
      expect(io.err).toMatch(message);
    }
  });
});
