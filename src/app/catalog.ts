// The catalog repository: the trusted record of every integration's stage, one JSON file per
// integration (`<path>/<slug>.json`), written only by the App through the contents API with the
// file's blob SHA (a concurrent writer gets 409/422 instead of silently losing an update), one
// commit per stage change naming who approved it, when, and the pull request.
import { parseDocument } from "yaml";
import { CATALOG_STAGES, STAGES, type Stage } from "../core/vocabulary.js";
import type { AppConfig } from "./config.js";
import { statusOf, type Gh } from "./github.js";

export interface CatalogHistoryEntry {
  stage: string;
  approvedBy: string;
  approvedAt: string;
  pullRequest: string;
  headSha: string;
}

export interface CatalogRecord {
  slug: string;
  name: string;
  /** `owner/repo` that owns this slug; another repository cannot move it. */
  repository: string;
  /** Folder of the integration inside that repository ("" = root). */
  root: string;
  /** The catalog's stage name (PRIVATE_BUILDING, PUBLIC_BETA, PUBLIC, DEPRECATED). */
  stage: string;
  history: CatalogHistoryEntry[];
}

export type CatalogRead =
  | { status: "found"; path: string; sha: string; record: CatalogRecord }
  | { status: "absent"; path: string }
  | { status: "error"; path: string; message: string }
  | { status: "unconfigured" };

export type CatalogConfig = NonNullable<AppConfig["catalog"]>;

export function catalogFilePath(catalog: CatalogConfig, slug: string): string {
  return `${catalog.path ? `${catalog.path}/` : ""}${slug}.json`;
}

export function stageFromCatalog(name: string | undefined): Stage | undefined {
  return STAGES.find((s) => CATALOG_STAGES[s] === name);
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export async function readCatalog(gh: Gh, catalog: CatalogConfig, slug: string): Promise<CatalogRead> {
  if (!SLUG.test(slug)) return { status: "error", path: slug, message: `"${slug}" is not a valid slug, so the catalog cannot be looked up.` };
  const path = catalogFilePath(catalog, slug);
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: catalog.owner,
      repo: catalog.repo,
      path,
      ...(catalog.branch ? { ref: catalog.branch } : {}),
    });
    if (Array.isArray(data) || data.type !== "file" || typeof data.content !== "string") {
      return { status: "error", path, message: `${catalog.owner}/${catalog.repo}/${path} is not a file.` };
    }
    const record = JSON.parse(Buffer.from(data.content, "base64").toString("utf8")) as CatalogRecord;
    if (typeof record.stage !== "string" || typeof record.repository !== "string") {
      return { status: "error", path, message: `${catalog.owner}/${catalog.repo}/${path} is not a catalog record.` };
    }
    record.history = Array.isArray(record.history) ? record.history : [];
    return { status: "found", path, sha: data.sha, record };
  } catch (error) {
    if (statusOf(error) === 404) return { status: "absent", path };
    return { status: "error", path, message: `the catalog repository could not be read (${statusOf(error) ?? (error as Error).message})` };
  }
}

/** The record after promoting to `stage`. */
export function promotedRecord(
  previous: CatalogRecord | undefined,
  fields: { slug: string; name: string; repository: string; root: string; stage: Stage } & Omit<CatalogHistoryEntry, "stage">,
): CatalogRecord {
  const entry: CatalogHistoryEntry = {
    stage: CATALOG_STAGES[fields.stage],
    approvedBy: fields.approvedBy,
    approvedAt: fields.approvedAt,
    pullRequest: fields.pullRequest,
    headSha: fields.headSha,
  };
  return {
    slug: fields.slug,
    name: fields.name,
    repository: fields.repository,
    root: fields.root,
    stage: CATALOG_STAGES[fields.stage],
    history: [...(previous?.history ?? []), entry],
  };
}

export function serializeRecord(record: CatalogRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * The manifest text with its top-level `stage` set to `stage`, formatting and comments kept;
 * undefined when the text does not parse or already says so.
 */
export function withManifestStage(text: string, stage: Stage): string | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0 || !doc.contents) return undefined;
  if (doc.get("stage") === stage) return undefined;
  // A line edit keeps everything else byte for byte when `stage:` is a plain top-level scalar.
  const line = /^stage[ \t]*:[ \t]*([^\n#]*?)[ \t]*(#[^\n]*)?$/m;
  const m = line.exec(text);
  if (m) {
    const next = text.replace(line, (_all, _value: string, comment: string | undefined) => `stage: ${stage}${comment ? ` ${comment}` : ""}`);
    const check = parseDocument(next);
    if (check.errors.length === 0 && check.get("stage") === stage) return next;
  }
  doc.set("stage", stage);
  return doc.toString();
}
