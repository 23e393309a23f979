// readPullSnapshot: everything the App reads from GitHub about one pull request, and nothing it
// concludes. The webhook only says which pull request (and, for edits and labels, who did what);
// the rest is read fresh, so any event, replayed or redelivered, leads to the same snapshot.
// derive.ts interprets a snapshot; a scenario test replays a recorded one without GitHub.
//
// Reads (independent ones issued together):
//   1. the pull request (from the webhook payload when it carries one: apply re-reads it before
//      any pull-request write and starts over from a fresh read if it changed) and the git tree
//      at the head, recursive (no manifest → stop: the App does nothing);
//   2. the files changed, the issue timeline (every page) and the check runs on the head;
//   3. the manifests in scope (blobs, cached by SHA) for their slugs, then each slug's catalog
//      record (operator's installation) and, while a stage label is on, the default-branch manifest.
import type { RestEndpointMethodTypes as Rest } from "@octokit/rest";
import { parse } from "yaml";
import { LIMITS } from "../core/limits.js";
import { MANIFEST_FILE, STAGE_LABELS } from "../core/vocabulary.js";
import { readCatalog, type CatalogRead } from "./catalog.js";
import type { Clock } from "./clock.js";
import type { AppConfig } from "./config.js";
import { statusOf, type Gh } from "./github.js";
import { TreeSource, type BlobCache, type TreeEntry } from "./tree-source.js";
import type { Target } from "./types.js";

type PullData = Rest["pulls"]["get"]["response"]["data"];
type FileData = Rest["pulls"]["listFiles"]["response"]["data"][number];
type CheckRunData = Rest["checks"]["listForRef"]["response"]["data"]["check_runs"][number];
type Person = Pick<NonNullable<PullData["user"]>, "login" | "type">;

/** The fields of GitHub's pull request (Octokit's `pull-request` schema) that the App reads. */
export interface SnapshotPull extends Pick<PullData, "number" | "html_url" | "state" | "created_at"> {
  draft?: boolean;
  merged?: boolean;
  user: Person | null;
  labels: Pick<PullData["labels"][number], "name">[];
  requested_reviewers?: Pick<Person, "login">[] | null;
  requested_teams?: Pick<NonNullable<PullData["requested_teams"]>[number], "slug">[] | null;
  head: { sha: string; repo: { full_name: string } | null };
  base: { ref: string; repo: { default_branch?: string } | null };
}

/** A changed file (Octokit's `diff-entry`): `patch` is absent from large or binary diffs. */
export type SnapshotFile = Pick<FileData, "filename" | "status"> & Partial<Pick<FileData, "patch" | "previous_filename">>;

/** A check run on the head (Octokit's `check-run`), its output's text only. */
export interface SnapshotCheckRun extends Pick<CheckRunData, "id" | "name" | "head_sha" | "status" | "conclusion" | "started_at" | "completed_at"> {
  html_url?: string | null;
  app: { slug?: string } | null;
  output: { text: string | null };
}

/**
 * One item of the issue timeline (the union of Octokit's `timeline-*-event` schemas, narrowed to
 * the fields the App reads: the commenter is `user` on comments and reviews, `actor` elsewhere).
 */
export interface TimelineEntry {
  event: string;
  id?: number;
  actor?: Person | null;
  user?: Person | null;
  created_at?: string;
  updated_at?: string;
  submitted_at?: string;
  body?: string | null;
  label?: { name: string };
  state?: string;
}

export type DefaultBranchManifest = { sha: string; text: string } | { missing: true } | { error: string };

export interface PullSnapshot {
  owner: string;
  repo: string;
  number: number;
  trigger: Target["trigger"];
  force: boolean;
  /** Where `pull` came from: the webhook payload (verified before writes) or a read. */
  source: "payload" | "fresh";
  pull: SnapshotPull;
  tree: { truncated: boolean; entries: TreeEntry[] };
  files: SnapshotFile[];
  timeline: TimelineEntry[];
  checkRuns: SnapshotCheckRun[];
  /** Catalog records by slug, for the manifests in scope. */
  catalogs: Record<string, CatalogRead>;
  /** Manifests on the default branch by path, read only while a stage label is on the pull request. */
  defaultBranch: Record<string, DefaultBranchManifest>;
}

export interface ReadDeps {
  gh: Gh;
  /** The App's installation on the operator's organisation (catalog reads). */
  operator: () => Promise<Gh>;
  config: AppConfig;
  blobs: BlobCache;
  clock: Clock;
  /** Catalog reads for display may be this old; promotions always read fresh. */
  catalogCache?: Map<string, { at: number; read: CatalogRead }>;
  catalogTtlMs?: number;
}

/** What the read has learnt so far, for the caller to read when it fails part-way. */
export interface ReadProgress {
  /** The tree at the head was read and holds at least one integration. */
  integration?: boolean;
}

export const MAX_FILES = 3000;
const STAGE_LABEL_NAMES = new Set<string>(Object.values(STAGE_LABELS));

/** The snapshot of one pull request; undefined when the head holds no integration (the App does nothing). */
export async function readPullSnapshot(deps: ReadDeps, target: Target, progress: ReadProgress = {}): Promise<PullSnapshot | undefined> {
  const { gh, config } = deps;
  const { owner, repo, number } = target;
  const manifestName = config.manifestFile || MANIFEST_FILE;

  const pull = pullOf((target.pull as SnapshotPull | undefined) ?? (await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: number })).data);
  const headSha = pull.head.sha;
  const { data: tree } = await gh.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { owner, repo, tree_sha: headSha, recursive: "1" });
  const entries = tree.tree.map((e) => ({ path: e.path, mode: e.mode, type: e.type as TreeEntry["type"], sha: e.sha, ...(e.size !== undefined ? { size: e.size } : {}) }));
  const roots = manifestRoots(entries, manifestName);
  if (roots.length === 0) return undefined;
  progress.integration = true;

  const [files, timeline, checkRuns] = await Promise.all([
    (async () => {
      const out: SnapshotFile[] = [];
      for await (const page of gh.paginate.iterator("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { owner, repo, pull_number: number, per_page: 100 })) {
        out.push(...page.data.map(fileOf));
        if (out.length >= MAX_FILES) break;
      }
      return out;
    })(),
    gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", { owner, repo, issue_number: number, per_page: 100 }).then((items) => items.map((item) => timelineEntryOf(item as TimelineEntry))),
    // Every run, not GitHub's default (the newest of each name): the App's first run on the head dates its push.
    gh.paginate("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { owner, repo, ref: headSha, filter: "all", per_page: 100 }).then((runs) => runs.map(checkRunOf)),
  ]);

  // The slugs of the manifests in scope (their catalog records), read through the blob cache the review uses next.
  const labels = pull.labels.map((l) => l.name);
  const promotionInPlay = labels.some((l) => STAGE_LABEL_NAMES.has(l));
  const fresh = promotionInPlay || target.force === true;
  const catalogs: Record<string, CatalogRead> = {};
  const defaultBranch: Record<string, DefaultBranchManifest> = {};
  const defaultRef = pull.base.repo?.default_branch ?? pull.base.ref;
  await Promise.all(
    inScopeRoots(roots, files.map((f) => f.filename)).map(async (root) => {
      const manifestPath = root ? `${root}/${manifestName}` : manifestName;
      const [slug, onDefault] = await Promise.all([
        slugIn(deps, target, entries, root, manifestName),
        promotionInPlay ? readDefault(gh, owner, repo, manifestPath, defaultRef) : undefined,
      ]);
      if (onDefault) defaultBranch[manifestPath] = onDefault;
      if (slug !== undefined && !(slug in catalogs)) catalogs[slug] = await catalogFor(deps, slug, fresh);
    }),
  );

  return {
    owner,
    repo,
    number,
    trigger: target.trigger,
    force: target.force === true,
    source: target.pull ? "payload" : "fresh",
    pull,
    tree: { truncated: tree.truncated === true, entries },
    files,
    timeline,
    checkRuns,
    catalogs,
    defaultBranch,
  };
}

// What the snapshot keeps of each response: the fields its types name, so a recorded snapshot
// holds what the App read and nothing else.

function pullOf(p: SnapshotPull): SnapshotPull {
  const person = (u: Person | null | undefined) => (u ? { login: u.login, type: u.type } : null);
  return {
    number: p.number,
    html_url: p.html_url,
    state: p.state,
    created_at: p.created_at,
    draft: p.draft === true,
    merged: p.merged === true,
    user: person(p.user),
    labels: p.labels.map((l) => ({ name: l.name })),
    requested_reviewers: (p.requested_reviewers ?? []).map((u) => ({ login: u.login })),
    requested_teams: (p.requested_teams ?? []).map((t) => ({ slug: t.slug })),
    head: { sha: p.head.sha, repo: p.head.repo ? { full_name: p.head.repo.full_name } : null },
    base: { ref: p.base.ref, repo: p.base.repo ? { ...(p.base.repo.default_branch ? { default_branch: p.base.repo.default_branch } : {}) } : null },
  };
}

function fileOf(f: SnapshotFile): SnapshotFile {
  return { filename: f.filename, status: f.status, ...(f.patch !== undefined ? { patch: f.patch } : {}), ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}) };
}

function timelineEntryOf(item: TimelineEntry): TimelineEntry {
  const person = (u: Person | null | undefined) => (u ? { login: u.login, type: u.type } : null);
  const out: TimelineEntry = { event: item.event };
  if (item.id !== undefined) out.id = item.id;
  if (item.actor !== undefined) out.actor = person(item.actor);
  if (item.user !== undefined) out.user = person(item.user);
  if (item.created_at !== undefined) out.created_at = item.created_at;
  if (item.updated_at !== undefined) out.updated_at = item.updated_at;
  if (item.submitted_at !== undefined) out.submitted_at = item.submitted_at;
  if (item.label?.name !== undefined) out.label = { name: item.label.name };
  if (item.state !== undefined) out.state = item.state;
  // Bodies are kept for the App's own comments only (its markers and signed record); others' text is not read.
  if (item.event === "commented" && typeof item.body === "string" && item.body.includes("<!-- devcenter:")) out.body = item.body;
  return out;
}

function checkRunOf(r: CheckRunData): SnapshotCheckRun {
  return {
    id: r.id,
    name: r.name,
    head_sha: r.head_sha,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.started_at,
    completed_at: r.completed_at,
    html_url: r.html_url,
    app: r.app ? { ...(r.app.slug ? { slug: r.app.slug } : {}) } : null,
    output: { text: r.output.text },
  };
}

/** The folders holding a manifest: the repository's root, or `integrations/<name>/`. */
export function manifestRoots(entries: readonly TreeEntry[], manifestName: string): string[] {
  const nested = new RegExp(`^integrations/[^/]+/${manifestName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  return entries
    .filter((e) => e.type === "blob" && (e.path === manifestName || nested.test(e.path)))
    .map((e) => e.path.slice(0, e.path.length - manifestName.length).replace(/\/$/, ""))
    .sort();
}

/** The integrations the pull request changes files in (all of them when it changes none). */
export function inScopeRoots(roots: readonly string[], changed: readonly string[]): string[] {
  const touched = roots.filter((root) => changed.some((f) => (root === "" ? !f.startsWith("integrations/") || roots.length === 1 : f.startsWith(`${root}/`))));
  return touched.length > 0 ? touched : [...roots];
}

/** A blob by SHA, through the process-wide cache. */
export function blobReader(gh: Gh, owner: string, repo: string, blobs: BlobCache): (sha: string) => Promise<Uint8Array> {
  return async (sha) => {
    const hit = blobs.get(sha);
    if (hit) return hit;
    const { data } = await gh.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { owner, repo, file_sha: sha });
    const bytes = new Uint8Array(Buffer.from(data.content, (data.encoding as BufferEncoding) ?? "base64"));
    blobs.set(sha, bytes);
    return bytes;
  };
}

/** `app.slug` as the manifest in `root` writes it (the catalog is looked up by it); undefined when unreadable. */
async function slugIn(deps: ReadDeps, target: Target, entries: readonly TreeEntry[], root: string, manifestName: string): Promise<string | undefined> {
  // Through a TreeSource: a symlinked manifest is followed as the review follows it.
  const source = new TreeSource("slug", root, entries, blobReader(deps.gh, target.owner, target.repo, deps.blobs));
  const read = await source.read(manifestName, LIMITS.manifestBytes).catch(() => undefined);
  if (!read?.ok) return undefined;
  try {
    const data: unknown = parse(new TextDecoder().decode(read.bytes), { maxAliasCount: LIMITS.yamlAliases });
    const slug = (data as { app?: { slug?: unknown } } | null)?.app?.slug;
    return typeof slug === "string" ? slug : undefined;
  } catch {
    return undefined; // the review reports what is wrong with the manifest
  }
}

async function catalogFor(deps: ReadDeps, slug: string, fresh: boolean): Promise<CatalogRead> {
  const catalog = deps.config.catalog;
  if (!catalog) return { status: "unconfigured" };
  const key = `${catalog.owner}/${catalog.repo}/${slug}`;
  const cached = deps.catalogCache?.get(key);
  const nowMs = deps.clock().getTime();
  if (!fresh && cached && nowMs - cached.at < (deps.catalogTtlMs ?? 60_000)) return cached.read;
  let read: CatalogRead;
  try {
    read = await readCatalog(await deps.operator(), catalog, slug);
  } catch (error) {
    read = { status: "error", path: slug, message: `the App could not reach the catalog repository (${(error as Error).message})` };
  }
  if (deps.catalogCache && read.status !== "error") {
    if (deps.catalogCache.size > 5000) deps.catalogCache.clear();
    deps.catalogCache.set(key, { at: nowMs, read });
  }
  return read;
}

async function readDefault(gh: Gh, owner: string, repo: string, path: string, ref: string): Promise<DefaultBranchManifest> {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, ref });
    if (Array.isArray(data) || !("content" in data) || typeof data.content !== "string") return { error: `${path} on ${ref} is not a file` };
    return { sha: data.sha, text: Buffer.from(data.content, "base64").toString("utf8") };
  } catch (error) {
    if (statusOf(error) === 404) return { missing: true };
    return { error: `${path} on ${ref} could not be read (${statusOf(error) ?? "network error"})` };
  }
}
