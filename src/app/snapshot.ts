// readPullSnapshot: everything the App reads from GitHub about one pull request, and nothing it
// concludes. The webhook only says which pull request (and, for edits and labels, who did what);
// the rest is read fresh, so any event, replayed or redelivered, leads to the same snapshot.
// derive.ts interprets a snapshot; a scenario test replays a recorded one without GitHub.
//
// Three round trips at most, the reads in each issued together (a push that changes nothing
// costs three calls: blobs come from the cache):
//   1. one GraphQL query (pull-query.ts): the pull request, labels, requested reviewers, timeline,
//      changed files and the check runs on its head; with it, the git tree of the head the event
//      names (no manifest in the tree → stop: the App does nothing);
//   2. the files the review will read (blob-prefetch.ts), the REST file list when a patch or a
//      renamed file's old name is needed, the default-branch manifest while a stage label is on;
//   3. one GraphQL query on the catalog repository (operator-reads.ts): the operator's policy.yml
//      and each manifest's catalog record by the slug the manifest names, both cached. When the
//      manifests are cached (a push that did not change them) it goes with step 2: two round trips.
// apply.ts re-reads the pull request before writing to it, so nothing decided here for an older
// head overwrites a newer one.
import type { RestEndpointMethodTypes as Rest } from "@octokit/rest";
import { parse } from "yaml";
import { LIMITS } from "../core/limits.js";
import { MANIFEST_FILE, STAGE_LABELS } from "../core/vocabulary.js";
import type { CatalogRead } from "./catalog.js";
import { readOperatorFiles, type OperatorReadDeps } from "./operator-reads.js";
import type { OperatorPolicy } from "./policy.js";
import { statusOf, type Gh } from "./github.js";
import { blobsToPrefetch, prefetchBlobs, type ReadSets } from "./blob-prefetch.js";
import { readPull } from "./pull-query.js";
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
export type SnapshotFile = Pick<FileData, "filename" | "status"> &
  Partial<Pick<FileData, "patch" | "previous_filename">>;

/** A check run on the head (Octokit's `check-run`), its output's text only. */
export interface SnapshotCheckRun
  extends Pick<CheckRunData, "id" | "name" | "head_sha" | "status" | "conclusion" | "started_at" | "completed_at"> {
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
  /** Where `pull` came from: always read fresh ("payload" is what earlier recordings may say). */
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
  /** The operator's policy (policy.yml in the catalog repository); absent in snapshots recorded before it: the built-in one. */
  policy?: OperatorPolicy;
}

export interface ReadDeps extends OperatorReadDeps {
  /** The files each integration's last review read, fetched ahead next time. */
  readSets?: ReadSets;
  gh: Gh;
  blobs: BlobCache;
}

/** What the read has learnt so far, for the caller to read when it fails part-way. */
export interface ReadProgress {
  /** The tree at the head was read and holds at least one integration. */
  integration?: boolean;
}

export const MAX_FILES = 3000;
const STAGE_LABEL_NAMES = new Set<string>(Object.values(STAGE_LABELS));

/** The snapshot of one pull request; undefined when the head holds no integration (the App does nothing). */
export async function readPullSnapshot(
  deps: ReadDeps,
  target: Target,
  progress: ReadProgress = {},
): Promise<PullSnapshot | undefined> {
  const { gh, config } = deps;
  const { owner, repo, number } = target;
  const manifestName = config.manifestFile || MANIFEST_FILE;
  const readTree = async (sha: string) =>
    (await gh.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { owner, repo, tree_sha: sha, recursive: "1" }))
      .data;

  // 1. The pull request, its timeline, files and check runs in one query; the tree of the head the
  //    event names alongside (read again if the pull request has moved on since).
  const guess = target.pull?.head?.sha ?? (target.trigger.kind === "check" ? target.trigger.sha : undefined);
  const [pullRead, guessRead] = await Promise.allSettled([
    readPull(gh, owner, repo, number),
    guess ? readTree(guess) : undefined,
  ]);
  const guessed = guessRead.status === "fulfilled" ? guessRead.value : undefined;
  // An integration seen in the tree is known even when the pull request could not be read: the failure is surfaced there.
  if (guessed && manifestRoots(guessed.tree as TreeEntry[], manifestName).length > 0) progress.integration = true;
  if (pullRead.status === "rejected") throw pullRead.reason;
  const read = pullRead.value;
  if (!read) throw Object.assign(new Error(`${owner}/${repo}#${number}: no such pull request`), { status: 404 });
  const pull = read.pull;
  const headSha = pull.head.sha;
  const tree = guessed && guess === headSha ? guessed : await readTree(headSha);
  const entries = tree.tree.map((e) => ({
    path: e.path,
    mode: e.mode,
    type: e.type as TreeEntry["type"],
    sha: e.sha,
    ...(e.size !== undefined ? { size: e.size } : {}),
  }));
  const roots = manifestRoots(entries, manifestName);
  if (roots.length === 0) return undefined;
  progress.integration = true;

  // 2. Side by side: the files the review will read (blob-prefetch.ts), the file list by REST when
  //    GraphQL's is not enough (a manifest's patch, a renamed file's old name, over 100 files) and,
  //    while a stage label is on, the default-branch manifests.
  const labels = pull.labels.map((l) => l.name);
  const promotionInPlay = labels.some((l) => STAGE_LABEL_NAMES.has(l));
  const fetchBlob = blobReader(gh, owner, repo, deps.blobs);
  const defaultRef = pull.base.repo?.default_branch ?? pull.base.ref;
  const scope = inScopeRoots(
    roots,
    (read.files ?? []).map((f) => f.filename),
  );
  const manifestPaths = new Set(scope.map((root) => (root ? `${root}/${manifestName}` : manifestName)));
  const restFiles =
    !read.files ||
    read.files.some(
      (f) =>
        f.status === "renamed" ||
        f.status === "copied" ||
        (manifestPaths.has(f.filename) && f.status !== "added" && f.status !== "removed"),
    );
  const defaultBranch: Record<string, DefaultBranchManifest> = {};
  // 3. The operator's policy.yml and the catalog record of each manifest in scope, by its slug, in
  //    one query (fresh while a promotion may happen). It starts with step 2 when the manifests
  //    are cached (a push that did not change them), or once step 2 has fetched them.
  const fresh = promotionInPlay || target.force === true;
  const operatorFiles = async (changed: readonly SnapshotFile[]) => {
    const slugs = await Promise.all(
      inScopeRoots(
        roots,
        changed.map((f) => f.filename),
      ).map((root) => slugIn(deps, target, entries, root, manifestName)),
    );
    return readOperatorFiles(deps, [...new Set(slugs.filter((s): s is string => s !== undefined))], fresh);
  };
  const early =
    !restFiles && scope.every((root) => manifestCached(entries, root, manifestName, deps.blobs))
      ? operatorFiles(read.files!)
      : undefined;
  const [files, , , earlyRead] = await Promise.all([
    restFiles ? listFiles(gh, owner, repo, number) : read.files!,
    prefetchBlobs(
      gh,
      owner,
      repo,
      scope.flatMap((root) =>
        blobsToPrefetch(entries, root, deps.blobs, deps.readSets?.get(readSetKey(owner, repo, root))),
      ),
      deps.blobs,
      fetchBlob,
    ),
    promotionInPlay
      ? Promise.all(
          [...manifestPaths].map(
            async (path) => (defaultBranch[path] = await readDefault(gh, owner, repo, path, defaultRef)),
          ),
        )
      : undefined,
    early,
  ]);
  const { policy, catalogs } = earlyRead ?? (await operatorFiles(files));

  return {
    owner,
    repo,
    number,
    trigger: target.trigger,
    force: target.force === true,
    source: "fresh",
    pull,
    tree: { truncated: tree.truncated === true, entries },
    files,
    timeline: read.timeline,
    checkRuns: read.checkRuns,
    catalogs,
    defaultBranch,
    policy,
  };
}

async function listFiles(gh: Gh, owner: string, repo: string, number: number): Promise<SnapshotFile[]> {
  const out: SnapshotFile[] = [];
  for await (const page of gh.paginate.iterator("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  })) {
    out.push(...page.data.map(fileOf));
    if (out.length >= MAX_FILES) break;
  }
  return out;
}

/** The key under which the files a review read are remembered. */
export const readSetKey = (owner: string, repo: string, root: string) => `${owner}/${repo}:${root}`;

// What the snapshot keeps of a REST file entry: the fields its type names.

function fileOf(f: SnapshotFile): SnapshotFile {
  return {
    filename: f.filename,
    status: f.status,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previous_filename !== undefined ? { previous_filename: f.previous_filename } : {}),
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
  const touched = roots.filter((root) =>
    changed.some((f) =>
      root === "" ? !f.startsWith("integrations/") || roots.length === 1 : f.startsWith(`${root}/`),
    ),
  );
  return touched.length > 0 ? touched : [...roots];
}

/** A blob by SHA, through the process-wide cache. */
export function blobReader(
  gh: Gh,
  owner: string,
  repo: string,
  blobs: BlobCache,
): (sha: string) => Promise<Uint8Array> {
  return async (sha) => {
    const hit = blobs.get(sha);
    if (hit) return hit;
    const { data } = await gh.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { owner, repo, file_sha: sha });
    const bytes = new Uint8Array(Buffer.from(data.content, (data.encoding as BufferEncoding) ?? "base64"));
    blobs.set(sha, bytes);
    return bytes;
  };
}

/** Whether the manifest in `root` is a file whose bytes are cached (its slug is known without a call). */
function manifestCached(entries: readonly TreeEntry[], root: string, manifestName: string, blobs: BlobCache): boolean {
  const path = root ? `${root}/${manifestName}` : manifestName;
  const entry = entries.find((e) => e.path === path);
  return entry !== undefined && entry.mode !== "120000" && blobs.has(entry.sha);
}

/** `app.slug` as the manifest in `root` writes it (the catalog is looked up by it); undefined when unreadable. */
async function slugIn(
  deps: ReadDeps,
  target: Target,
  entries: readonly TreeEntry[],
  root: string,
  manifestName: string,
): Promise<string | undefined> {
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

async function readDefault(
  gh: Gh,
  owner: string,
  repo: string,
  path: string,
  ref: string,
): Promise<DefaultBranchManifest> {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, ref });
    if (Array.isArray(data) || !("content" in data) || typeof data.content !== "string")
      return { error: `${path} on ${ref} is not a file` };
    return { sha: data.sha, text: Buffer.from(data.content, "base64").toString("utf8") };
  } catch (error) {
    if (statusOf(error) === 404) return { missing: true };
    return { error: `${path} on ${ref} could not be read (${statusOf(error) ?? "network error"})` };
  }
}
