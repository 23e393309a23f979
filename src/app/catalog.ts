// The catalog repository as the App reads and writes it: one record folder per slug
// (src/catalog/record.ts, docs/catalog-repository.md), read — the folder form first, then a legacy
// one-file record — from one GraphQL query with policy.yml (operator-reads.ts), or through the
// contents API for what that query cannot give exactly; written as ONE commit through the Git Data API
// (blobs, a tree on the branch's head, a commit, a fast-forward of the branch). The commit is
// refused when the record changed since it was read, or when the branch moved under it: a
// concurrent writer gets a conflict instead of silently losing an update.
import { parseDocument } from "yaml";
import type { Stage } from "../core/vocabulary.js";
import { baselineFromRecord, recordFilePaths } from "../catalog/baseline.js";
import { APPROVED_FILES, type ApprovedFileKind, type ApprovedFiles } from "../change/contents.js";
import type { BaselineInput } from "../change/check.js";
import {
  isValidSlug,
  legacyRecordPath,
  parseRecord,
  recordFolder,
  recordPath,
  readRecordSources,
  RECORD_FILE,
  RECORD_FILES,
  stageFromCatalog,
  type CatalogRecord,
  type RecordFileKind,
} from "../catalog/record.js";
import type { FileSource } from "../core/source.js";
import type { Manifest } from "../manifest/types.js";
import type { FileAnswer } from "./catalog-query.js";
import type { AppConfig } from "./config.js";
import { statusOf, type Gh } from "./github.js";

export { stageFromCatalog };
export type { CatalogHistoryEntry, CatalogRecord } from "../catalog/record.js";

export type CatalogRead =
  /**
   * `path` is the file read (record.json, or a legacy `<slug>.json`), `sha` its blob SHA; `approved`,
   * for a live record, the docs page, catalog copy and logos it keeps (base64 by kind): the change
   * check compares their content.
   */
  | {
      status: "found";
      path: string;
      sha: string;
      record: CatalogRecord;
      approved?: Partial<Record<ApprovedFileKind, string>>;
    }
  | { status: "absent"; path: string }
  | { status: "error"; path: string; message: string }
  | { status: "unconfigured" };

export type CatalogConfig = NonNullable<AppConfig["catalog"]>;

// biome-ignore lint/suspicious/noExplicitAny: GitHub's responses, read field by field and checked
type Loose = Record<string, any>;

export async function readCatalog(gh: Gh, catalog: CatalogConfig, slug: string): Promise<CatalogRead> {
  if (!isValidSlug(slug))
    return {
      status: "error",
      path: slug,
      message: `"${slug}" is not a valid slug, so the catalog cannot be looked up.`,
    };
  const where = (path: string) => `${catalog.owner}/${catalog.repo}/${path}`;
  for (const path of [recordPath(catalog.path, slug), legacyRecordPath(catalog.path, slug)]) {
    try {
      const { data } = (await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner: catalog.owner,
        repo: catalog.repo,
        path,
        ...(catalog.branch ? { ref: catalog.branch } : {}),
      })) as { data: Loose };
      if (Array.isArray(data) || data.type !== "file" || typeof data.content !== "string")
        return { status: "error", path, message: `${where(path)} is not a file.` };
      const parsed = parseRecord(await fileText(gh, catalog, data), where(path));
      if (!parsed.ok) return { status: "error", path, message: parsed.message };
      const approved =
        path === recordPath(catalog.path, slug)
          ? await readApproved(gh, catalog, recordFolder(catalog.path, slug), parsed.record)
          : undefined;
      return { status: "found", path, sha: data.sha, record: parsed.record, ...(approved ? { approved } : {}) };
    } catch (error) {
      if (statusOf(error) === 404) continue;
      return {
        status: "error",
        path,
        message: `the catalog repository could not be read (${statusOf(error) ?? (error as Error).message})`,
      };
    }
  }
  return { status: "absent", path: recordPath(catalog.path, slug) };
}

/** A file's text from a contents answer; over 1 MB the contents API leaves `content` empty (encoding "none"), so its blob is read. */
async function fileText(gh: Gh, catalog: CatalogConfig, data: Loose): Promise<string> {
  if (data.encoding !== "none" || typeof data.sha !== "string")
    return Buffer.from(data.content, "base64").toString("utf8");
  const { data: blob } = (await gh.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
    owner: catalog.owner,
    repo: catalog.repo,
    file_sha: data.sha,
  })) as { data: Loose };
  return Buffer.from(String(blob.content ?? ""), "base64").toString("utf8");
}

/**
 * The record from the catalog query's answers for its two forms (catalog-query.ts), folder first as
 * readCatalog reads them; undefined when it must be read by REST: GraphQL could not give a file
 * exactly, or it does not parse (a symlink, which only the contents API follows, reads as its path).
 */
export function recordOfAnswers(
  catalog: CatalogConfig,
  slug: string,
  answers: ReadonlyMap<string, FileAnswer>,
): CatalogRead | undefined {
  for (const path of [recordPath(catalog.path, slug), legacyRecordPath(catalog.path, slug)]) {
    const answer = answers.get(path);
    if (answer?.kind === "absent") continue;
    if (answer?.kind === "not-a-file")
      return { status: "error", path, message: `${catalog.owner}/${catalog.repo}/${path} is not a file.` };
    if (answer?.kind !== "text") return undefined;
    const parsed = parseRecord(answer.text, `${catalog.owner}/${catalog.repo}/${path}`);
    if (!parsed.ok) return undefined;
    const approved =
      path === recordPath(catalog.path, slug) ? approvedOfAnswers(catalog, slug, parsed.record, answers) : undefined;
    return { status: "found", path, sha: answer.sha, record: parsed.record, ...(approved ? { approved } : {}) };
  }
  return { status: "absent", path: recordPath(catalog.path, slug) };
}

/** Whether the change check compares with a record's approved files: it is live and keeps its manifest. */
function comparesFiles(record: CatalogRecord): boolean {
  const stage = stageFromCatalog(record.stage);
  return record.manifest !== undefined && (stage === "public-beta" || stage === "public");
}

/** The approved files a record folder may keep (docs.md, catalog.md, logo.svg, mark.svg), asked for in the catalog query with the record. */
export function approvedFilePaths(catalog: CatalogConfig, slug: string): string[] {
  return APPROVED_FILES.map(({ kind }) => `${recordFolder(catalog.path, slug)}/${RECORD_FILES[kind]}`);
}

/** A live record's approved files from the query's answers; one GraphQL could not give exactly is left out (compared by its path only). */
function approvedOfAnswers(
  catalog: CatalogConfig,
  slug: string,
  record: CatalogRecord,
  answers: ReadonlyMap<string, FileAnswer>,
): Partial<Record<ApprovedFileKind, string>> | undefined {
  if (!comparesFiles(record)) return undefined;
  const out: Partial<Record<ApprovedFileKind, string>> = {};
  for (const [kind, name] of Object.entries(recordFilePaths(record)) as [ApprovedFileKind, string][]) {
    const answer = answers.get(`${recordFolder(catalog.path, slug)}/${name}`);
    if (answer?.kind === "text") out[kind] = Buffer.from(answer.text, "utf8").toString("base64");
  }
  return Object.keys(out).length ? out : undefined;
}

/** A live record's approved files, side by side; a file that cannot be read is left out (its content is then not compared). */
async function readApproved(
  gh: Gh,
  catalog: CatalogConfig,
  folder: string,
  record: CatalogRecord,
): Promise<Partial<Record<ApprovedFileKind, string>> | undefined> {
  if (!comparesFiles(record)) return undefined;
  const out: Partial<Record<ApprovedFileKind, string>> = {};
  await Promise.all(
    (Object.entries(recordFilePaths(record)) as [ApprovedFileKind, string][]).map(async ([kind, name]) => {
      try {
        const ref = catalog.branch ? { ref: catalog.branch } : {};
        const { data } = (await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
          owner: catalog.owner,
          repo: catalog.repo,
          path: `${folder}/${name}`,
          ...ref,
        })) as { data: Loose };
        if (!Array.isArray(data) && data.type === "file" && typeof data.content === "string")
          out[kind] = data.content.replace(/\s/g, "");
      } catch {
        // Left out: the change check then compares this file by its path only.
      }
    }),
  );
  return Object.keys(out).length ? out : undefined;
}

/** One approval's commit to the catalog repository. */
export interface CatalogCommit {
  /** `owner/repo` */
  repo: string;
  branch?: string;
  /** The record's folder, and the file read before (its blob SHA; none when there was no record). */
  folder: string;
  read: { path: string; sha?: string };
  /** Files to write (path from the repository's root, content base64). */
  files: { path: string; content: string }[];
  /** Files to delete if present (the legacy one-file record, files the new version no longer has). */
  remove: string[];
  message: string;
}

class CatalogConflict extends Error {
  readonly status = 409;
  constructor(message: string) {
    super(message);
  }
}

/**
 * Writes one approval as one commit. Conflicts (409) are thrown for the pipeline to read again and
 * converge: the record's blob SHA differs from the one read, or the branch moved meanwhile.
 */
export async function commitCatalog(gh: Gh, c: CatalogCommit): Promise<{ commit: string }> {
  const [owner, repo] = c.repo.split("/") as [string, string];
  const branch =
    c.branch ??
    ((await gh.request("GET /repos/{owner}/{repo}", { owner, repo })) as { data: Loose }).data.default_branch;
  const { data: ref } = (await gh.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
    owner,
    repo,
    ref: `heads/${branch}`,
  })) as { data: Loose };
  const head: string = ref.object.sha;
  const blobAt = async (path: string): Promise<string | undefined> => {
    try {
      const { data } = (await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner,
        repo,
        path,
        ref: head,
      })) as { data: Loose };
      return Array.isArray(data) ? "(folder)" : data.sha;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  };
  const listing = async (): Promise<Map<string, string>> => {
    try {
      const { data } = (await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner,
        repo,
        path: c.folder,
        ref: head,
      })) as { data: Loose };
      return new Map(Array.isArray(data) ? data.map((e: Loose) => [e.path as string, e.sha as string]) : []);
    } catch (error) {
      if (statusOf(error) === 404) return new Map();
      throw error;
    }
  };
  // 1. The record is still the one the decision was made on (the contents API's sha check, by hand).
  const present = await listing();
  const recordFile = `${c.folder}/${RECORD_FILE}`;
  const now = c.read.path === recordFile ? present.get(recordFile) : await blobAt(c.read.path);
  if (now !== c.read.sha || (c.read.path !== recordFile && present.has(recordFile))) {
    throw new CatalogConflict(
      `${c.repo}/${c.read.path} changed since it was read (sha ${c.read.sha ?? "none"} → ${now ?? "none"}); read again before writing (catalog contents conflict).`,
    );
  }
  // The legacy record to delete if present; when it is the file read, `now` says so already.
  const legacyGone = await Promise.all(
    c.remove
      .filter((p) => !p.startsWith(`${c.folder}/`))
      .map(async (p) => ((p === c.read.path ? now : await blobAt(p)) ? p : undefined)),
  );
  // 2. Blobs, one tree on the head's tree, one commit, the branch fast-forwarded (never forced).
  const { data: commit } = (await gh.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
    owner,
    repo,
    commit_sha: head,
  })) as { data: Loose };
  const tree: { path: string; mode: "100644"; type: "blob"; sha: string | null }[] = [];
  for (const f of c.files) {
    const { data: blob } = (await gh.request("POST /repos/{owner}/{repo}/git/blobs", {
      owner,
      repo,
      content: f.content,
      encoding: "base64",
    })) as { data: Loose };
    tree.push({ path: f.path, mode: "100644", type: "blob", sha: blob.sha });
  }
  for (const p of c.remove)
    if (present.has(p) || legacyGone.includes(p)) tree.push({ path: p, mode: "100644", type: "blob", sha: null });
  const { data: newTree } = (await gh.request("POST /repos/{owner}/{repo}/git/trees", {
    owner,
    repo,
    base_tree: commit.tree.sha,
    tree,
  })) as { data: Loose };
  const { data: made } = (await gh.request("POST /repos/{owner}/{repo}/git/commits", {
    owner,
    repo,
    message: c.message,
    tree: newTree.sha,
    parents: [head],
  })) as { data: Loose };
  try {
    await gh.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
      owner,
      repo,
      ref: `heads/${branch}`,
      sha: made.sha,
      force: false,
    });
  } catch (error) {
    if (statusOf(error) === 422)
      throw new CatalogConflict(
        `${c.repo}@${branch} moved while the record was written (not a fast-forward); read again before writing (catalog contents conflict).`,
      );
    throw error;
  }
  return { commit: made.sha };
}

/** The files a record keeps, read from the approved head (base64 by kind); unreadable ones are left out. */
export async function readRecordFiles(
  source: FileSource,
  manifest: Manifest,
  manifestFile: string,
): Promise<Partial<Record<RecordFileKind, string>>> {
  const { files } = await readRecordSources(source, manifest, manifestFile);
  return Object.fromEntries(
    Object.entries(files).map(([kind, bytes]) => [kind, Buffer.from(bytes).toString("base64")]),
  );
}

/** What the change check compares with: the approved version the catalog records for a live integration. */
export function baselineOf(read: CatalogRead, repository: string, where: string): BaselineInput | undefined {
  if (read.status === "error")
    return {
      problem: `The catalog record could not be read (${read.message.replace(/\.$/, "")}), so there is no approved version to compare with`,
    };
  if (read.status !== "found" || read.record.repository.toLowerCase() !== repository.toLowerCase()) return undefined;
  const stage = stageFromCatalog(read.record.stage);
  if (stage !== "public-beta" && stage !== "public") return undefined;
  const files: ApprovedFiles | undefined =
    read.approved &&
    Object.fromEntries(
      Object.entries(read.approved).map(([k, b64]) => [k, new Uint8Array(Buffer.from(b64, "base64"))]),
    );
  return baselineFromRecord(read.record, `catalog ${where}/${read.path}`, files);
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
    const next = text.replace(
      line,
      (_all, _value: string, comment: string | undefined) => `stage: ${stage}${comment ? ` ${comment}` : ""}`,
    );
    const check = parseDocument(next);
    if (check.errors.length === 0 && check.get("stage") === stage) return next;
  }
  doc.set("stage", stage);
  return doc.toString();
}
