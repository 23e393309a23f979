// One catalog record → a SiteIntegration, after docs/catalog-repository.md: the folder form
// (`<slug>/record.json` with the approved files beside it) and the legacy `<slug>.json`. The JSON,
// the slug and the history are read by the catalog's own parser (src/catalog/record.ts); the site
// is more lenient than the App about the rest (a record without a repository is still shown) and
// says why a record is skipped in its own words.
import { join } from "node:path";
import { isValidSlug, parseHistory, parseRecordJson, RECORD_MAX_BYTES } from "../catalog/record.js";
import { LIMITS } from "../core/limits.js";
import { isObject, list, text, type Json } from "./fields.js";
import { manifestView } from "./manifest-view.js";
import type { SiteImage, SiteIntegration, SiteVersion } from "./model.js";
import { fileSize, readTextFile } from "./read-file.js";

const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

export type RecordRead =
  | { ok: true; integration: SiteIntegration; warnings: string[] }
  | { ok: false; message: string };

/** Parses record JSON (the catalog's parser); a truncated or malformed file says where. */
export function parseRecord(textIn: string): { ok: true; record: Json } | { ok: false; message: string } {
  const json = parseRecordJson(textIn);
  return json.ok ? { ok: true, record: json.data as Json } : { ok: false, message: json.message };
}

/** The record's history as the catalog reads it, each text capped for display. */
function history(record: Json): SiteVersion[] {
  return parseHistory(list(record.history, 10_000)).map((h) => {
    const v: SiteVersion = { stage: text(h.stage, 40) ?? "", breaking: h.breaking === true };
    const version = text(h.version, 40);
    const approvedAt = text(h.approvedAt, 40);
    const approvedBy = text(h.approvedBy, 100);
    const pullRequest = text(h.pullRequest, 300);
    if (version) v.version = version;
    if (approvedAt) v.approvedAt = approvedAt;
    if (approvedBy) v.approvedBy = approvedBy;
    if (pullRequest) v.pullRequest = pullRequest;
    return v;
  });
}

/** The fields every record form has; undefined fields make the record unusable. */
function base(
  record: Json,
  expectedSlug: string,
): { ok: true; integration: SiteIntegration } | { ok: false; message: string } {
  const slug = record.slug;
  if (typeof slug !== "string" || !isValidSlug(slug))
    return { ok: false, message: `has no valid "slug" (lower-case letters, digits and hyphens)` };
  if (slug !== expectedSlug)
    return {
      ok: false,
      message: `says its slug is "${slug}", but it is filed as "${expectedSlug}"; the catalog files a record under its own slug`,
    };
  const stage = text(record.stage, 40);
  if (!stage) return { ok: false, message: `has no "stage"` };
  const name = text(record.name, 100) ?? slug;
  return {
    ok: true,
    integration: {
      slug,
      name,
      stage,
      repository: text(record.repository, 200) ?? "",
      legacy: true,
      description: "",
      categories: [],
      calls: [],
      components: [],
      settings: [],
      history: history(record),
      breakingChanges: [],
    },
  };
}

export async function readLegacyRecord(file: string, slug: string): Promise<RecordRead> {
  const read = await readTextFile(file, `${slug}.json`, RECORD_MAX_BYTES);
  if (!read.ok) return read;
  const parsed = parseRecord(read.text);
  if (!parsed.ok) return parsed;
  const b = base(parsed.record, slug);
  return b.ok ? { ok: true, integration: b.integration, warnings: [] } : b;
}

export async function readFolderRecord(dir: string, slug: string): Promise<RecordRead> {
  const read = await readTextFile(join(dir, "record.json"), "record.json", RECORD_MAX_BYTES);
  if (!read.ok)
    return read.missing
      ? { ok: false, message: "has no record.json" }
      : { ok: false, message: `record.json ${read.message}` };
  const parsed = parseRecord(read.text);
  if (!parsed.ok) return { ok: false, message: `record.json ${parsed.message}` };
  const record = parsed.record;
  const b = base(record, slug);
  if (!b.ok) return { ok: false, message: `record.json ${b.message}` };
  const integration = b.integration;
  const warnings: string[] = [];
  integration.legacy = false;
  const view = manifestView(record.manifest);
  integration.description = view.description ?? "";
  integration.categories = view.categories;
  integration.calls = view.calls;
  integration.components = view.components;
  integration.settings = view.settings;
  integration.breakingChanges = view.breakingChanges;
  for (const k of ["website", "supportEmail", "documentationUrl"] as const) if (view[k]) integration[k] = view[k];
  const version = text(record.version, 40) ?? view.version;
  if (version) integration.version = version;

  const files: Json = isObject(record.files) ? record.files : {};
  const named = (role: string): string | undefined => {
    const f = files[role];
    if (f === undefined) return undefined;
    if (typeof f !== "string" || !FILE_NAME.test(f)) {
      warnings.push(`files.${role} is not a plain file name inside the record folder; it is ignored`);
      return undefined;
    }
    return f;
  };
  for (const role of ["catalog", "docs"] as const) {
    const f = named(role);
    if (!f) continue;
    const r = await readTextFile(join(dir, f), f, LIMITS.docBytes);
    if (r.ok) integration[role === "catalog" ? "catalogCopy" : "docs"] = r.text;
    else warnings.push(`${f} ${r.message}; the page is built without it`);
  }
  for (const role of ["logo", "mark"] as const) {
    const f = named(role);
    if (!f) continue;
    const size = await fileSize(join(dir, f));
    if (!size.ok) {
      warnings.push(`${f} ${size.message}; a placeholder is shown`);
      continue;
    }
    const image: SiteImage = { source: join(dir, f), bytes: size.bytes };
    integration[role] = image;
  }
  return { ok: true, integration, warnings };
}
