// The catalog record (docs/catalog-repository.md): one folder per slug holding record.json, the
// approved manifest byte for byte, the catalog copy, the docs page, the logo and the mark. Pure:
// no file system, no GitHub (the record's files are read through a FileSource). The App (through the Git Data API) and `devcenter catalog add` (a
// local folder) write the same files from the same functions; the change check and the catalog
// site read them. A legacy one-file record (`<slug>.json`, schema 1) is read, never written.
import { LIMITS } from "../core/limits.js";
import { normalizePath, type FileSource } from "../core/source.js";
import { positionAt } from "../core/text.js";
import { CATALOG_STAGES, STAGES, type Stage } from "../core/vocabulary.js";
import type { Manifest } from "../manifest/types.js";

export const RECORD_SCHEMA = 2;
export const RECORD_FILE = "record.json";
/** Largest record.json (or legacy record) read: a manifest is at most 2 MiB, its indented JSON up to a few times that. */
export const RECORD_MAX_BYTES = 8 * 1024 * 1024;

/** The files a record folder may hold besides record.json, by what they are. */
export const RECORD_FILES = {
  manifest: "integration.yml",
  catalog: "catalog.md",
  docs: "docs.md",
  logo: "logo.svg",
  mark: "mark.svg",
} as const;
export type RecordFileKind = keyof typeof RECORD_FILES;
export const RECORD_FILE_KINDS = Object.keys(RECORD_FILES) as RecordFileKind[];

export interface CatalogHistoryEntry {
  /** The approved version (absent in records written before versions existed). */
  version?: string;
  /** The catalog's stage name after this approval. */
  stage: string;
  approvedBy: string;
  approvedAt: string;
  pullRequest: string;
  headSha: string;
  /** Approved as a breaking change (its `breakingChanges` entry is in the manifest). */
  breaking?: boolean;
}

export interface CatalogRecord {
  /** 2 for the folder form; 1 for a legacy one-file record as read. */
  schema: number;
  slug: string;
  name: string;
  /** `owner/repo` that owns this slug; another repository cannot move it. */
  repository: string;
  /** Folder of the integration inside that repository ("" = root). */
  root: string;
  /** The catalog's stage name (PRIVATE_BUILDING, PUBLIC_BETA, PUBLIC, DEPRECATED). */
  stage: string;
  version?: string;
  /** The parsed approved manifest; absent in a legacy record. */
  manifest?: Manifest;
  /** The files present in the record folder, by kind. */
  files?: Partial<Record<RecordFileKind, string>>;
  history: CatalogHistoryEntry[];
}

export type ParsedRecord = { ok: true; record: CatalogRecord } | { ok: false; message: string };

/** A slug: lower-case letters, digits and hyphens, as a record folder's name. */
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `<base>/<slug>`: the record's folder in the catalog repository (base "" = the root). */
export function recordFolder(base: string, slug: string): string {
  return base ? `${base}/${slug}` : slug;
}
export function recordPath(base: string, slug: string): string {
  return `${recordFolder(base, slug)}/${RECORD_FILE}`;
}
export function legacyRecordPath(base: string, slug: string): string {
  return `${recordFolder(base, slug)}.json`;
}

export function isValidSlug(slug: string): boolean {
  return SLUG.test(slug);
}

export function stageFromCatalog(name: string | undefined): Stage | undefined {
  return STAGES.find((s) => CATALOG_STAGES[s] === name);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export type RecordJson =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; reason: "json" | "not-object"; message: string };

/** The JSON object of a record's text; a malformed one says where (line, column) and whether it ends early. */
export function parseRecordJson(text: string): RecordJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const raw = (error as Error).message;
    const at = /at position (\d+)/.exec(raw);
    const offset = at ? Number(at[1]) : text.length;
    const truncated = offset >= text.trimEnd().length;
    const { line, column } = positionAt(text, offset);
    const message = raw.replace(/ in JSON at position \d+.*$/s, "");
    return {
      ok: false,
      reason: "json",
      message: `is not valid JSON at line ${line}, column ${column}${truncated ? " (it ends early: truncated?)" : ""}: ${message}`,
    };
  }
  return isObject(data)
    ? { ok: true, data }
    : { ok: false, reason: "not-object", message: "is not a catalog record (a JSON object)" };
}

/** The history entries of a record, each field copied only when it has its type (entries without a stage are skipped). */
export function parseHistory(value: unknown): CatalogHistoryEntry[] {
  const history: CatalogHistoryEntry[] = [];
  for (const h of Array.isArray(value) ? value : []) {
    if (!isObject(h) || typeof h.stage !== "string") continue;
    const entry: CatalogHistoryEntry = {
      stage: h.stage,
      approvedBy: str(h.approvedBy) ?? "",
      approvedAt: str(h.approvedAt) ?? "",
      pullRequest: str(h.pullRequest) ?? "",
      headSha: str(h.headSha) ?? "",
    };
    if (typeof h.version === "string") entry.version = h.version;
    if (typeof h.breaking === "boolean") entry.breaking = h.breaking;
    history.push(entry);
  }
  return history;
}

/**
 * A record from the text of record.json or a legacy `<slug>.json`; `where` names it in messages.
 * Only known fields are copied into a fresh object, so hostile keys (`__proto__`) go nowhere.
 */
export function parseRecord(text: string, where: string): ParsedRecord {
  const json = parseRecordJson(text);
  if (!json.ok && json.reason === "json")
    return { ok: false, message: `${where} ${json.message}; restore it from the catalog repository's history.` };
  if (!json.ok) return { ok: false, message: `${where} is not a catalog record (it is not a JSON object).` };
  const data = json.data;
  const schema = data.schema === undefined ? 1 : data.schema;
  if (schema !== 1 && schema !== RECORD_SCHEMA)
    return {
      ok: false,
      message: `${where} has schema ${JSON.stringify(schema)}; this devcenter reads schemas 1 and ${RECORD_SCHEMA}.`,
    };
  const missing = ["slug", "name", "repository", "stage"].filter((k) => typeof data[k] !== "string");
  if (missing.length)
    return {
      ok: false,
      message: `${where} is not a catalog record: missing or not text: ${missing.join(", ")}.`,
    };
  if (!isValidSlug(data.slug as string))
    return { ok: false, message: `${where} names the slug ${JSON.stringify(data.slug)}, which is not a valid slug.` };
  const history = parseHistory(data.history);
  const record: CatalogRecord = {
    schema: schema as number,
    slug: data.slug as string,
    name: data.name as string,
    repository: data.repository as string,
    root: str(data.root) ?? "",
    stage: data.stage as string,
    history,
  };
  if (schema === RECORD_SCHEMA) {
    if (typeof data.version === "string") record.version = data.version;
    if (isObject(data.manifest)) record.manifest = data.manifest as unknown as Manifest;
    if (isObject(data.files)) {
      const files: Partial<Record<RecordFileKind, string>> = {};
      // Only the known names: a record cannot point a reader at another path.
      for (const kind of RECORD_FILE_KINDS)
        if (data.files[kind] === RECORD_FILES[kind]) files[kind] = RECORD_FILES[kind];
      record.files = files;
    }
  }
  return { ok: true, record };
}

export function serializeRecord(record: CatalogRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Where each record file comes from in the integration (paths relative to its manifest's folder). */
export function recordSources(manifest: Manifest, manifestFile: string): Partial<Record<RecordFileKind, string>> {
  const out: Partial<Record<RecordFileKind, string>> = { manifest: manifestFile };
  if (manifest.docs?.catalog) out.catalog = manifest.docs.catalog;
  if (manifest.docs?.segment) out.docs = manifest.docs.segment;
  if (manifest.app.logo) out.logo = manifest.app.logo;
  if (manifest.app.mark) out.mark = manifest.app.mark;
  return out;
}

/**
 * The files a record keeps, read byte for byte from the integration (`source`, rooted at the
 * manifest's folder); each one the manifest names but that cannot be read is in `unread`, with why.
 */
export async function readRecordSources(
  source: FileSource,
  manifest: Manifest,
  manifestFile: string,
): Promise<{
  files: Partial<Record<RecordFileKind, Uint8Array>>;
  unread: { kind: RecordFileKind; path: string; message: string }[];
}> {
  // The largest file of each kind: the limits the review reads them with.
  const limits: Record<RecordFileKind, number> = {
    manifest: LIMITS.manifestBytes,
    catalog: LIMITS.docBytes,
    docs: LIMITS.docBytes,
    logo: LIMITS.imageBytes,
    mark: LIMITS.imageBytes,
  };
  const files: Partial<Record<RecordFileKind, Uint8Array>> = {};
  const unread: { kind: RecordFileKind; path: string; message: string }[] = [];
  for (const [kind, path] of Object.entries(recordSources(manifest, manifestFile)) as [RecordFileKind, string][]) {
    const norm = normalizePath(path);
    const read = norm.ok ? await source.read(norm.path, limits[kind]) : norm;
    if (read.ok) files[kind] = read.bytes;
    else unread.push({ kind, path, message: read.message });
  }
  return { files, unread };
}

export interface Approval {
  stage: Stage;
  approvedBy: string;
  approvedAt: string;
  pullRequest: string;
  headSha: string;
  /** Approved as a breaking change. */
  breaking?: boolean;
}

/**
 * The record after an approval (a promotion, or a new version at the same stage): the approved
 * manifest, the files present, and one more history entry. `files` lists the kinds whose bytes
 * are written alongside.
 */
export function approvedRecord(
  previous: CatalogRecord | undefined,
  fields: { manifest: Manifest; repository: string; root: string; files: readonly RecordFileKind[] } & Approval,
): CatalogRecord {
  const version = typeof fields.manifest.version === "string" ? fields.manifest.version : undefined;
  const entry: CatalogHistoryEntry = {
    ...(version ? { version } : {}),
    stage: CATALOG_STAGES[fields.stage],
    approvedBy: fields.approvedBy,
    approvedAt: fields.approvedAt,
    pullRequest: fields.pullRequest,
    headSha: fields.headSha,
    breaking: fields.breaking === true,
  };
  const files: Partial<Record<RecordFileKind, string>> = {};
  for (const kind of RECORD_FILE_KINDS) if (fields.files.includes(kind)) files[kind] = RECORD_FILES[kind];
  return {
    schema: RECORD_SCHEMA,
    slug: fields.manifest.app.slug,
    name: fields.manifest.app.name,
    repository: fields.repository,
    root: fields.root,
    stage: CATALOG_STAGES[fields.stage],
    ...(version ? { version } : {}),
    manifest: fields.manifest,
    files,
    history: [...(previous?.history ?? []), entry],
  };
}

/** One file of a record write, its path relative to the catalog repository's root. */
export interface RecordWrite {
  path: string;
  bytes: Uint8Array;
}

/**
 * Everything one approval writes: record.json and the files, under the record's folder; plus the
 * legacy one-file record to delete when one was read (the folder form replaces it).
 */
export function recordWrites(
  base: string,
  record: CatalogRecord,
  contents: Partial<Record<RecordFileKind, Uint8Array>>,
): { writes: RecordWrite[]; remove: string[] } {
  // The slug names a folder: nothing else may reach the writer (the manifest rules report it).
  if (!isValidSlug(record.slug)) throw new Error(`"${record.slug}" is not a valid slug; no record is written for it.`);
  const folder = recordFolder(base, record.slug);
  const writes: RecordWrite[] = [
    { path: `${folder}/${RECORD_FILE}`, bytes: new TextEncoder().encode(serializeRecord(record)) },
  ];
  for (const kind of RECORD_FILE_KINDS) {
    const bytes = contents[kind];
    if (record.files?.[kind] && bytes) writes.push({ path: `${folder}/${RECORD_FILES[kind]}`, bytes });
  }
  // Files an earlier version had and this one does not (a logo dropped from the manifest) go too.
  const remove = RECORD_FILE_KINDS.filter((k) => !record.files?.[k]).map((k) => `${folder}/${RECORD_FILES[k]}`);
  return { writes, remove: [...remove, legacyRecordPath(base, record.slug)] };
}

/** An approval's record and its commit message (`from`: the catalog's stage name before it, if any). */
export function approve(
  previous: CatalogRecord | undefined,
  fields: { manifest: Manifest; repository: string; root: string; files: readonly RecordFileKind[] } & Approval,
  from: string | undefined,
): { record: CatalogRecord; message: string } {
  const record = approvedRecord(previous, fields);
  return { record, message: approvalMessage(record, from, fields) };
}

/** The commit message of an approval: what changed, then trailers naming who, when and where. */
export function approvalMessage(record: CatalogRecord, from: string | undefined, a: Approval): string {
  const to = CATALOG_STAGES[a.stage];
  const what = from && from !== to ? `${from} → ${to}` : `${to}${record.version ? ` ${record.version}` : ""}`;
  return [
    `${record.slug}: ${what}${from && from !== to && record.version ? ` (${record.version})` : ""}${a.breaking ? " — breaking change" : ""}`,
    "",
    `Approved-by: ${a.approvedBy}`,
    `Approved-at: ${a.approvedAt}`,
    `Pull-request: ${a.pullRequest}`,
    `Head: ${a.headSha}`,
  ].join("\n");
}
