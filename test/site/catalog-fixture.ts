// Test catalogs written as files after docs/catalog-repository.md (the record folder per slug, the
// legacy <slug>.json), from the webhook example's real manifest, docs and SVGs.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";

const EXAMPLE = join(import.meta.dirname, "../../examples/webhook");

export interface FixtureIntegration {
  slug: string;
  name: string;
  stage: "PRIVATE_BUILDING" | "PUBLIC_BETA" | "PUBLIC" | "DEPRECATED";
  categories?: string[];
  description?: string;
  version?: string;
  /** Changes to the parsed manifest after name, slug, categories and description are set. */
  manifest?: (m: Record<string, any>) => void;
  catalogCopy?: string;
  docs?: string;
  /** SVG text, or false for none (the example's by default). */
  logo?: string | false;
  mark?: string | false;
  history?: Record<string, unknown>[];
}

let example: { manifest: Record<string, any>; catalog: string; docs: string; logo: string; mark: string } | undefined;

async function loadExample() {
  example ??= {
    manifest: parse(await readFile(join(EXAMPLE, "integration.yml"), "utf8")),
    catalog: await readFile(join(EXAMPLE, "docs/catalog.md"), "utf8"),
    docs: await readFile(join(EXAMPLE, "docs/segment.md"), "utf8"),
    logo: await readFile(join(EXAMPLE, "assets/logo.svg"), "utf8"),
    mark: await readFile(join(EXAMPLE, "assets/mark.svg"), "utf8"),
  };
  return example;
}

export async function writeRecord(catalog: string, f: FixtureIntegration, path = "integrations"): Promise<string> {
  const ex = await loadExample();
  const dir = join(catalog, path, f.slug);
  await mkdir(dir, { recursive: true });
  const manifest = structuredClone(ex.manifest);
  manifest.app.name = f.name;
  manifest.app.slug = f.slug;
  if (f.categories) manifest.app.categories = f.categories;
  if (f.description !== undefined) manifest.app.description = f.description;
  manifest.stage = f.stage === "PUBLIC" ? "public" : f.stage === "PUBLIC_BETA" ? "public-beta" : "developer-preview";
  if (f.version) manifest.version = f.version;
  f.manifest?.(manifest);
  const files: Record<string, string> = { manifest: "integration.yml" };
  await writeFile(join(dir, "integration.yml"), JSON.stringify(manifest));
  const put = async (role: string, name: string, text: string | false | undefined, fallback: string) => {
    if (text === false) return;
    files[role] = name;
    await writeFile(join(dir, name), text ?? fallback);
  };
  await put("catalog", "catalog.md", f.catalogCopy, ex.catalog);
  await put("docs", "docs.md", f.docs, ex.docs);
  await put("logo", "logo.svg", f.logo, ex.logo);
  await put("mark", "mark.svg", f.mark, ex.mark);
  const version = f.version ?? "1.0.0";
  const record = {
    schema: 2,
    slug: f.slug,
    name: f.name,
    repository: `partners/${f.slug}`,
    root: "",
    stage: f.stage,
    version,
    manifest,
    files,
    history: f.history ?? [
      {
        version,
        stage: f.stage,
        approvedBy: "octo-reviewer",
        approvedAt: "2026-11-20T10:00:00.000Z",
        pullRequest: `partners/${f.slug}#3`,
        headSha: "0".repeat(40),
        breaking: false,
      },
    ],
  };
  await writeFile(join(dir, "record.json"), `${JSON.stringify(record, null, 2)}\n`);
  return dir;
}

/** A legacy one-file record (schema 1). */
export async function writeLegacyRecord(
  catalog: string,
  f: { slug: string; name: string; stage: string },
  path = "integrations",
): Promise<void> {
  await mkdir(join(catalog, path), { recursive: true });
  const record = {
    slug: f.slug,
    name: f.name,
    repository: `partners/${f.slug}`,
    root: "",
    stage: f.stage,
    history: [
      {
        stage: f.stage,
        approvedBy: "octo-reviewer",
        approvedAt: "2025-06-01T09:00:00.000Z",
        pullRequest: `partners/${f.slug}#1`,
        headSha: "1".repeat(40),
      },
    ],
  };
  await writeFile(join(catalog, path, `${f.slug}.json`), `${JSON.stringify(record, null, 2)}\n`);
}
