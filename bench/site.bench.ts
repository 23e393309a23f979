// The catalog site: `catalog build` time for 1,000 and 10,000 integrations (the per-integration
// ratio says how close to linear it is; goal 1.0), and page weight at 1,000 — the index's HTML,
// CSS and JS gzipped (logos excluded; goal ≤ 100 KB) and one integration's page (goal ≤ 30 KB).
// Records follow docs/catalog-repository.md, built from the webhook example's real manifest,
// docs and SVGs, with names, descriptions and categories varied by a seeded generator so the
// index does not compress better than a real catalog would.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { parse } from "yaml";
import { buildSite } from "../src/site/build.js";
import { fmt, table, timeAsync } from "./measure.js";

const EXAMPLE = fileURLToPath(new URL("../examples/webhook/", import.meta.url));
const CATEGORIES = [
  "Analytics",
  "Advertising",
  "A/B Testing",
  "Attribution",
  "CRM",
  "Customer Success",
  "Email Marketing",
  "Enrichment",
  "Heatmaps & Recordings",
  "Livechat",
  "Marketing Automation",
  "Personalization",
  "Referrals",
  "SMS & Push",
  "Surveys",
  "Data Warehouses",
];
const WORDS =
  "customer events profiles journeys retention funnels cohorts revenue campaigns audiences segments insights churn alerts dashboards attribution conversions signals engagement lifecycle messages experiments personalised recommendations scoring pipelines warehouse realtime identity resolution consent analytics growth product marketing sales support teams mobile web every call source track identify page group".split(
    " ",
  );

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

async function writeCatalog(dir: string, n: number): Promise<void> {
  const manifest = parse(await readFile(join(EXAMPLE, "integration.yml"), "utf8"));
  const files = {
    "catalog.md": await readFile(join(EXAMPLE, "docs/catalog.md"), "utf8"),
    "docs.md": await readFile(join(EXAMPLE, "docs/segment.md"), "utf8"),
    "logo.svg": await readFile(join(EXAMPLE, "assets/logo.svg"), "utf8"),
    "mark.svg": await readFile(join(EXAMPLE, "assets/mark.svg"), "utf8"),
  };
  const random = rng(n);
  const words = (k: number) => Array.from({ length: k }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");
  const records = join(dir, "integrations");
  await mkdir(records, { recursive: true });
  for (let i = 0; i < n; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, n - i) }, async (_, k) => {
        const id = i + k;
        const name = `${words(1)[0]!.toUpperCase()}${words(1).slice(1)} ${words(1)} ${id}`;
        const slug = `partner-${id}`;
        const categories = [
          CATEGORIES[Math.floor(random() * CATEGORIES.length)]!,
          ...(random() < 0.4 ? [CATEGORIES[Math.floor(random() * CATEGORIES.length)]!] : []),
        ];
        const m = {
          ...manifest,
          version: "1.2.0",
          app: {
            ...manifest.app,
            name,
            slug,
            categories: [...new Set(categories)],
            description: `${name} turns ${words(22)}.`,
          },
        };
        const folder = join(records, slug);
        await mkdir(folder);
        for (const [file, text] of Object.entries(files)) await writeFile(join(folder, file), text);
        const stage = random() < 0.3 ? "PUBLIC_BETA" : "PUBLIC";
        await writeFile(
          join(folder, "record.json"),
          JSON.stringify({
            schema: 2,
            slug,
            name,
            repository: `partners/${slug}`,
            root: "",
            stage,
            version: "1.2.0",
            manifest: m,
            files: { catalog: "catalog.md", docs: "docs.md", logo: "logo.svg", mark: "mark.svg" },
            history: [
              {
                version: "1.2.0",
                stage,
                approvedBy: "reviewer",
                approvedAt: "2026-11-01T10:00:00.000Z",
                pullRequest: `partners/${slug}#4`,
                headSha: "0".repeat(40),
                breaking: false,
              },
            ],
          }),
        );
      }),
    );
  }
}

const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`;

export default async function siteBench(): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), "devcenter-site-bench-"));
  try {
    const rows: (string | number)[][] = [];
    const perIntegration: Record<number, number> = {};
    for (const [n, runs] of [
      [1_000, 3],
      [10_000, 2],
    ] as const) {
      const catalog = join(tmp, `catalog-${n}`);
      await writeCatalog(catalog, n);
      const times: number[] = [];
      for (let r = 0; r < runs; r++) {
        const out = join(tmp, `site-${n}-${r}`);
        const { ms, value } = await timeAsync(() => buildSite({ catalog, out }));
        if (value.listed !== n || value.warnings.length)
          throw new Error(`built ${value.listed} of ${n} with ${value.warnings.length} warnings`);
        times.push(ms);
      }
      const best = Math.min(...times);
      perIntegration[n] = best / n;
      rows.push([fmt(n), `${fmt(best)} ms`, `${fmt((best / n) * 1000, 0)} µs`]);
    }
    table(["integrations", "build (best of runs)", "per integration"], rows);
    const ratio = perIntegration[10_000]! / perIntegration[1_000]!;
    console.log(`\nPer-integration time at 10,000 ÷ at 1,000: ${fmt(ratio, 2)} (1.00 = linear; goal: linear).\n`);

    const site = join(tmp, "site-1000-0");
    const gz = async (path: string) => gzipSync(await readFile(join(site, path))).length;
    const css = await gz("assets/site.css");
    const js = await gz("assets/site.js");
    const index = (await gz("index.html")) + css + js;
    const page = (await gz("integrations/partner-0/index.html")) + css;
    table(
      ["at 1,000 integrations (gzipped, logos excluded)", "weight", "goal"],
      [
        ["index: HTML + CSS + JS", kb(index), `≤ 100 KB ${index <= 100 * 1024 ? "✓" : "✗"}`],
        ["one integration's page: HTML + CSS", kb(page), `≤ 30 KB ${page <= 30 * 1024 ? "✓" : "✗"}`],
      ],
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
