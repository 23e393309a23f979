// The catalog folder → the integrations to show, and what was skipped and why. A record that
// cannot be read (unreadable, truncated, hostile, filed twice) is reported and skipped; the
// rest of the catalog is built.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { BuildWarning, SiteIntegration } from "./model.js";
import { isValidSlug } from "../catalog/record.js";
import { readFolderRecord, readLegacyRecord, type RecordRead } from "./read-record.js";

export interface CatalogRead {
  integrations: SiteIntegration[];
  warnings: BuildWarning[];
}

/** Records read at once: enough to overlap file system latency, few enough for open-file limits. */
const CONCURRENCY = 32;

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** `dir` is the records folder (`<catalog>/<DEVCENTER_CATALOG_PATH>`); `shown` is how paths are named in warnings. */
export async function readCatalog(dir: string, shown: string): Promise<CatalogRead> {
  const warnings: BuildWarning[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    warnings.push({
      file: shown,
      message:
        code === "ENOENT"
          ? "there is no records folder here: the site lists no integrations"
          : `the records folder cannot be read (${code ?? (error as Error).message})`,
    });
    return { integrations: [], warnings };
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  type Job = { slug: string; file: string; legacy: boolean };
  const jobs: Job[] = [];
  for (const e of entries) {
    const file = `${shown}/${e.name}`;
    if (e.isDirectory()) {
      if (isValidSlug(e.name)) jobs.push({ slug: e.name, file, legacy: false });
      else
        warnings.push({
          file,
          message: "is not named after a slug (lower-case letters, digits and hyphens), so it is not a record; skipped",
        });
    } else if (e.name.endsWith(".json")) {
      const slug = e.name.slice(0, -5);
      if (!e.isFile()) warnings.push({ file, message: "is not a plain file (a symbolic link?); skipped" });
      else if (isValidSlug(slug)) jobs.push({ slug, file, legacy: true });
      else warnings.push({ file, message: "is not named after a slug, so it is not a record; skipped" });
    } else if (e.isSymbolicLink()) {
      warnings.push({ file, message: "is a symbolic link; the catalog holds only plain files and folders; skipped" });
    }
  }
  const reads = await mapLimited(jobs, CONCURRENCY, async (job): Promise<RecordRead> => {
    try {
      const path = join(dir, job.legacy ? `${job.slug}.json` : job.slug);
      return job.legacy ? await readLegacyRecord(path, job.slug) : await readFolderRecord(path, job.slug);
    } catch (error) {
      return { ok: false, message: `could not be read: ${(error as Error).message}` };
    }
  });
  const bySlug = new Map<string, { integration: SiteIntegration; file: string }>();
  reads.forEach((read, i) => {
    const job = jobs[i]!;
    if (!read.ok) {
      warnings.push({
        file: job.file,
        message: `${read.message}; this record is skipped, the rest of the catalog is built`,
      });
      return;
    }
    for (const w of read.warnings) warnings.push({ file: job.file, message: w });
    const seen = bySlug.get(read.integration.slug);
    if (seen) {
      // The folder form replaces the legacy file (docs/catalog-repository.md): keep the folder.
      const keepNew = seen.integration.legacy && !read.integration.legacy;
      const [kept, dropped] = keepNew ? [job.file, seen.file] : [seen.file, job.file];
      warnings.push({
        file: dropped,
        message: `records the slug "${read.integration.slug}" again (also ${kept}); ${kept} is used, remove the other`,
      });
      if (!keepNew) return;
    }
    bySlug.set(read.integration.slug, { integration: read.integration, file: job.file });
  });
  return { integrations: [...bySlug.values()].map((x) => x.integration), warnings };
}
