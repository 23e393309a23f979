// `devcenter catalog build`: the catalog folder → a static site in `out`: index.html, one
// integrations/<slug>/index.html per listed integration (with its logo and mark copied beside it),
// queue/index.html, assets/. Problems with single records or files are warnings; the rest is built.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { QUEUE_FILE, parseQueue, type QueueRead } from "../core/review-queue.js";
import { CSS, JS } from "./assets.js";
import { publishImages, type ImageUrls } from "./images.js";
import { indexPage } from "./index-page.js";
import { integrationPage } from "./integration-page.js";
import { isListed, type BuildWarning, type SiteIntegration } from "./model.js";
import { queuePage } from "./queue-page.js";
import { readCatalog } from "./read-catalog.js";
import { readTextFile } from "./read-file.js";

export interface BuildOptions {
  /** The catalog repository's folder. */
  catalog: string;
  /** The records folder inside it (DEVCENTER_CATALOG_PATH; default "integrations"). */
  path?: string;
  out: string;
}

export interface BuildResult {
  listed: number;
  skipped: number;
  pages: number;
  warnings: BuildWarning[];
}

const QUEUE_MAX_BYTES = 16 * 1024 * 1024;

async function readQueue(catalog: string, warnings: BuildWarning[]): Promise<Parameters<typeof queuePage>[0]> {
  const r = await readTextFile(join(catalog, QUEUE_FILE), QUEUE_FILE, QUEUE_MAX_BYTES);
  if (!r.ok) {
    if (!r.missing) warnings.push({ file: QUEUE_FILE, message: `${r.message}; the queue page says so` });
    return r.missing
      ? { ok: false, kind: "missing", message: "missing" }
      : { ok: false, kind: "invalid", message: r.message };
  }
  const read: QueueRead = parseQueue(r.text);
  if (!read.ok) warnings.push({ file: QUEUE_FILE, message: `${read.message}; the queue page says so` });
  else if (read.skipped)
    warnings.push({
      file: QUEUE_FILE,
      message: `${read.skipped} entries are not in the expected form and are not shown`,
    });
  return read;
}

export async function buildSite(o: BuildOptions): Promise<BuildResult> {
  const path = o.path ?? "integrations";
  const { integrations, warnings } = await readCatalog(join(o.catalog, path), path);
  const listed = integrations.filter(isListed);
  await rm(join(o.out, "integrations"), { recursive: true, force: true });
  await mkdir(join(o.out, "assets"), { recursive: true });
  await mkdir(join(o.out, "queue"), { recursive: true });
  await writeFile(join(o.out, "assets", "site.css"), CSS);
  await writeFile(join(o.out, "assets", "site.js"), JS);

  const images = new Map<string, ImageUrls>();
  const CONCURRENCY = 16;
  let next = 0;
  const one = async (i: SiteIntegration) => {
    const dir = join(o.out, "integrations", i.slug);
    await mkdir(dir, { recursive: true });
    const published = await publishImages(i, dir);
    for (const w of published.warnings) warnings.push({ file: `${path}/${i.slug}`, message: w });
    images.set(i.slug, published.urls);
    await writeFile(join(dir, "index.html"), integrationPage(i, published.urls));
  };
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, listed.length) }, async () => {
      while (next < listed.length) await one(listed[next++]!);
    }),
  );
  await writeFile(
    join(o.out, "index.html"),
    indexPage(listed, (i) => images.get(i.slug) ?? {}),
  );
  await writeFile(join(o.out, "queue", "index.html"), queuePage(await readQueue(o.catalog, warnings)));
  const skipped = warnings.filter((w) => /this record is skipped/.test(w.message)).length;
  return { listed: listed.length, skipped, pages: listed.length + 2, warnings };
}
