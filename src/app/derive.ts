// derive: everything about one pull request, read from GitHub into one state object. The webhook
// only says which pull request (and, for edits and labels, who did what); the rest is read fresh,
// so any event, replayed or redelivered, leads to the same state.
//
// Reads, in order (a push that changes nothing costs four or five; blobs come from the cache):
//   1. the pull request                      (head SHA, draft, labels, requested reviewers) — taken
//      from the webhook payload when it carries one; apply re-reads it before any pull-request
//      write and starts over from a fresh read if it changed (optimistic concurrency)
//   2. the git tree at the head, recursive   (no manifest → stop: the App does nothing)
//   3. the files changed                     (workflow files, hand edits of `stage`)
//   4. the issue timeline, every page        (all comments, who applied which label when, reviews, ready-for-review)
//   5. the check runs on the head            (the App's own result, the Action's `devcenter replay`)
//   + blobs the review reads (LRU by SHA), the catalog record (operator's installation),
//     the default-branch manifest while a stage label is on the pull request, reviewer lookups.
import { CHECK_NAMES, MANIFEST_FILE, MARKERS, STAGE_LABELS, type Stage } from "../core/vocabulary.js";
import type { ReplayReport } from "../replay/types.js";
import type { Report } from "../report.js";
import { readCatalog, stageFromCatalog, type CatalogRead } from "./catalog.js";
import type { Clock } from "./clock.js";
import type { AppConfig } from "./config.js";
import { statusOf, type Gh } from "./github.js";
import { decodeReplayData } from "./replay-data.js";
import type { ReviewerDirectory, ReviewerStatus } from "./reviewers.js";
import { TreeSource, type BlobCache, type TreeEntry } from "./tree-source.js";
import { stageEditOfChange } from "./stage-edit.js";
import { LIMITS } from "../core/limits.js";
import type { Actor, CommentInfo, DerivedState, IntegrationState, LabelEvent, ReplayInfo, ReviewFn, ReviewInfo, StageEdit, Target } from "./types.js";

export interface DeriveDeps {
  gh: Gh;
  /** The App's installation on the operator's organisation (catalog reads). */
  operator: () => Promise<Gh>;
  config: AppConfig;
  directory: ReviewerDirectory;
  review: ReviewFn;
  blobs: BlobCache;
  clock: Clock;
  /** `<slug>[bot]`: comments and check runs by this account are the App's own. */
  botLogin?: string;
  /** Catalog reads for display may be this old; promotions always read fresh. */
  catalogCache?: Map<string, { at: number; read: CatalogRead }>;
  catalogTtlMs?: number;
}

/** Files whose change makes the partner's CI (and so the replay results) untrusted. */
export function isWorkflowFile(path: string): boolean {
  return /^\.github\/(workflows|actions)\//.test(path) || /(^|\/)action\.ya?ml$/.test(path);
}

const STAGE_LABEL_NAMES = new Set<string>(Object.values(STAGE_LABELS));
const MAX_FILES = 3000;
/** Responders checked for a reviewer among them (the team's roster answers them in one call). */
const MAX_RESPONDER_LOOKUPS = 200;

type Loose = Record<string, any>;

const actorOf = (u: Loose | null | undefined): Actor => ({ login: u?.login ?? "ghost", type: u?.type ?? "User" });

/** What derive has learnt so far, for the caller to read when derive fails part-way. */
export interface DeriveProgress {
  /** The tree at the head was read and holds at least one integration. */
  integration?: boolean;
}

export async function derive(deps: DeriveDeps, target: Target, progress: DeriveProgress = {}): Promise<DerivedState | undefined> {
  const { gh, config } = deps;
  const { owner, repo, number } = target;
  const now = deps.clock();

  // 1. The pull request.
  const pull: Loose = target.pull ?? ((await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: number })) as { data: Loose }).data;
  const headSha: string = pull.head.sha;

  // 2. The tree at the head; find the manifests.
  const { data: tree } = (await gh.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", { owner, repo, tree_sha: headSha, recursive: "1" })) as {
    data: { tree: TreeEntry[]; truncated: boolean };
  };
  const manifestName = config.manifestFile || MANIFEST_FILE;
  const roots = tree.tree
    .filter((e) => e.type === "blob" && (e.path === manifestName || new RegExp(`^integrations/[^/]+/${escapeRe(manifestName)}$`).test(e.path)))
    .map((e) => e.path.slice(0, e.path.length - manifestName.length).replace(/\/$/, ""))
    .sort();
  if (roots.length === 0) return undefined;
  progress.integration = true;

  // 3. Files changed.
  const files: Loose[] = [];
  for await (const page of gh.paginate.iterator("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { owner, repo, pull_number: number, per_page: 100 })) {
    files.push(...(page.data as Loose[]));
    if (files.length >= MAX_FILES) break;
  }
  const changed = files.map((f) => f.filename as string);
  const workflowFiles = [...new Set(files.flatMap((f) => [f.filename, f.previous_filename].filter((p): p is string => typeof p === "string" && isWorkflowFile(p))))].sort();

  // 4. The timeline: comments, labels, reviews, readiness, force pushes.
  const timeline = (await gh.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", { owner, repo, issue_number: number, per_page: 100 })) as Loose[];
  const isOurs = (a: Actor) => a.type === "Bot" && (!deps.botLogin || a.login.toLowerCase() === deps.botLogin.toLowerCase());
  const comments: CommentInfo[] = [];
  const labelEvents: LabelEvent[] = [];
  const reviews: ReviewInfo[] = [];
  let readyForReviewAt: string | undefined;
  let convertedToDraftAt: string | undefined;
  let lastForcePushAt: string | undefined;
  for (const item of timeline) {
    switch (item.event) {
      case "commented": {
        const author = actorOf(item.user ?? item.actor);
        const ours = isOurs(author) && typeof item.body === "string" && item.body.includes("<!-- devcenter:");
        comments.push({ id: item.id, author, createdAt: iso(item.created_at)!, updatedAt: iso(item.updated_at ?? item.created_at)!, ours, ...(ours ? { body: item.body } : {}) });
        break;
      }
      case "labeled":
      case "unlabeled":
        if (item.label?.name) labelEvents.push({ label: item.label.name, action: item.event, actor: actorOf(item.actor), at: iso(item.created_at)! });
        break;
      case "reviewed":
        reviews.push({ author: actorOf(item.user ?? item.actor), at: iso(item.submitted_at ?? item.created_at)!, state: String(item.state ?? "").toLowerCase() });
        break;
      case "ready_for_review":
        readyForReviewAt = maxIso(readyForReviewAt, iso(item.created_at));
        break;
      case "convert_to_draft":
        convertedToDraftAt = maxIso(convertedToDraftAt, iso(item.created_at));
        break;
      case "head_ref_force_pushed":
        lastForcePushAt = maxIso(lastForcePushAt, iso(item.created_at));
        break;
    }
  }
  // The timeline can lag the webhook by a moment: the labeled event that triggered this run counts.
  const trigger = target.trigger;
  if (trigger.kind === "pull_request" && trigger.action === "labeled" && trigger.label && trigger.at) {
    const floor = new Date(Date.parse(trigger.at) - 60_000).toISOString();
    // Only the sender's own event counts as "seen": an earlier application by someone else (say a
    // reviewer, before the label was removed) must not lend its authority to this one.
    const seen = labelEvents.some((e) => e.label === trigger.label && e.action === "labeled" && e.at >= floor && e.actor.login.toLowerCase() === trigger.sender.login.toLowerCase());
    if (!seen) labelEvents.push({ label: trigger.label, action: "labeled", actor: trigger.sender, at: trigger.at });
  }

  // 5. Check runs on the head: the App's own, and the Action's replay results.
  // Every run, not GitHub's default (the newest of each name): the App's first run on the head dates its push.
  const runs = (await gh.paginate("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { owner, repo, ref: headSha, filter: "all", per_page: 100 })) as Loose[];
  const appSlug = deps.botLogin?.replace(/\[bot\]$/, "");
  const own = runs
    .filter((r) => r.name === CHECK_NAMES.review && r.head_sha === headSha && (!appSlug || r.app?.slug === appSlug))
    .sort((a, b) => (b.id as number) - (a.id as number));
  const latestOwn = own[0];
  const replayRuns = runs
    .filter((r) => r.name === CHECK_NAMES.replay && r.head_sha === headSha && r.status === "completed")
    .sort((a, b) => String(a.completed_at ?? "").localeCompare(String(b.completed_at ?? "")) || (a.id as number) - (b.id as number));
  const replayByRoot = new Map<string, ReplayInfo>();
  for (const run of replayRuns) {
    for (const { root, report } of decodeReplayData(run.output?.text)) {
      replayByRoot.set(root, { report, writer: run.app?.slug ?? "unknown", ...(run.html_url ? { url: run.html_url } : {}) });
    }
  }
  // The last push happened no later than the App's first check run on this head, created when the
  // push's `synchronize` arrived (GitHub sets its time; nothing a partner could backdate, unlike a
  // commit's dates); the runs the App re-creates later on the same head (a tick, a replay result)
  // say nothing about the push. A force push back to an older head is in the timeline. With
  // neither, "now" is the safe bound: a label counts only if applied after it.
  const ownStarts = appSlug ? own.map((r) => iso(r.started_at as string | undefined)).filter((x): x is string => !!x).sort() : [];
  const lastPushAt = maxIso(ownStarts[0] ?? now.toISOString(), lastForcePushAt)!;

  // Stage labels on the pull request → promotion may happen: read fresh.
  const labels: string[] = (pull.labels ?? []).map((l: Loose) => l.name as string).sort();
  const promotionInPlay = labels.some((l) => STAGE_LABEL_NAMES.has(l));

  // The integrations: review each in scope.
  const touched = roots.filter((root) => changed.some((f) => root === "" ? !f.startsWith("integrations/") || roots.length === 1 : f.startsWith(`${root}/`)));
  const inScope = new Set(touched.length > 0 ? touched : roots);
  const fetchBlob = async (sha: string): Promise<Uint8Array> => {
    const hit = deps.blobs.get(sha);
    if (hit) return hit;
    const { data } = (await gh.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", { owner, repo, file_sha: sha })) as { data: Loose };
    const bytes = new Uint8Array(Buffer.from(data.content as string, (data.encoding as BufferEncoding) ?? "base64"));
    deps.blobs.set(sha, bytes);
    return bytes;
  };
  const integrations: IntegrationState[] = [];
  for (const root of roots.filter((r) => inScope.has(r))) {
    const manifestPath = root ? `${root}/${manifestName}` : manifestName;
    const source = new TreeSource(`${owner}/${repo}@${headSha.slice(0, 7)}${root ? `:${root}` : ""}`, root, tree.tree, fetchBlob);
    const replay = replayByRoot.get(root);
    const report: Report = await deps.review(source, {
      manifestFile: manifestName,
      replay: async () => replay?.report as ReplayReport | undefined,
    });
    if (tree.truncated) {
      report.diagnostics.push({
        ruleId: "app/tree-truncated",
        severity: "warning",
        message: "The repository has more files than GitHub lists in one tree, so some files may be missing from this review; keep the integration's folder small.",
      });
    }
    const slug = report.manifest?.app?.slug;
    const catalog = await catalogFor(deps, slug, promotionInPlay || target.force === true);
    const currentStage = stageOf(catalog, `${owner}/${repo}`);
    const file = files.find((f) => f.filename === manifestPath);
    // A manifest that is a symlink changes through its target, which the file list names instead:
    // its `stage` is compared with the catalog whatever the diff says.
    const symlink = tree.tree.some((e) => e.path === manifestPath && e.mode === "120000");
    const stageEdit = symlink
      ? stageAgainstCatalog(report.manifest?.stage)
      : file
        ? await stageEditOf(source, manifestName, file, report.manifest?.stage)
        : undefined;
    const integration: IntegrationState = { root, manifestPath, inScope: true, report, catalog, ...(currentStage ? { currentStage } : {}) };
    if (replay) integration.replay = replay;
    if (stageEdit) integration.stageEdit = stageEdit;
    if (promotionInPlay) integration.defaultBranchManifest = await readDefault(gh, owner, repo, manifestPath, pull.base.repo?.default_branch ?? pull.base.ref);
    integrations.push(integration);
  }

  // Whose authority matters: whoever applied a stage label now on the pull request, whoever edited
  // the checklist comment (fresh lookups); people who responded to the submission (cached).
  const reviewerStatus: Record<string, ReviewerStatus> = {};
  const lookup = async (login: string, fresh: boolean) => {
    const key = login.toLowerCase();
    if (reviewerStatus[key] && (!fresh || reviewerStatus[key].reviewer)) return;
    reviewerStatus[key] = await deps.directory.isReviewer(login, { fresh });
  };
  for (const label of labels.filter((l) => STAGE_LABEL_NAMES.has(l))) {
    const last = latestLabeled(labelEvents, label);
    if (last && last.actor.type !== "Bot") await lookup(last.actor.login, true);
  }
  if (trigger.kind === "comment" && trigger.action === "edited" && trigger.sender.type !== "Bot") await lookup(trigger.sender.login, true);
  const since = readyForReviewAt ?? iso(pull.created_at)!;
  const responders = new Set<string>();
  for (const r of reviews) if (r.at >= since) responders.add(r.author.login);
  for (const c of comments) if (!c.ours && c.createdAt >= since && c.author.type !== "Bot") responders.add(c.author.login);
  // Whoever applied a stage label since, even one removed again because gates failed: a response.
  for (const e of labelEvents) if (e.action === "labeled" && e.at >= since && e.actor.type !== "Bot" && STAGE_LABEL_NAMES.has(e.label)) responders.add(e.actor.login);
  responders.delete(pull.user?.login);
  // One reviewer among them is enough. Most likely first — configured reviewers (no lookup needed),
  // then those who submitted a review or applied a stage label, then commenters — so a crowd of
  // drive-by comments cannot use up the lookups before the reviewer's.
  const configured = new Set(config.reviewers.logins);
  const strong = new Set([...reviews.map((r) => r.author.login), ...labelEvents.map((e) => e.actor.login)]);
  const rank = (l: string) => (configured.has(l.toLowerCase()) ? 0 : strong.has(l) ? 1 : 2);
  const ordered = [...responders].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const login of ordered.slice(0, MAX_RESPONDER_LOOKUPS)) {
    await lookup(login, false);
    if (reviewerStatus[login.toLowerCase()]?.reviewer) break;
  }

  const state: DerivedState = {
    now: now.toISOString(),
    settings: {
      reviewBusinessDays: config.reviewBusinessDays,
      reviewersDescription: deps.directory.describe(),
      reviewerMentions: deps.directory.mentions(),
      reviewerRequests: deps.directory.requestable(owner, pull.user?.login ?? ""),
      ...(config.catalog
        ? { catalog: { repo: `${config.catalog.owner}/${config.catalog.repo}`, path: config.catalog.path, ...(config.catalog.branch ? { branch: config.catalog.branch } : {}) } }
        : {}),
    },
    repo: { owner, name: repo, defaultBranch: pull.base.repo?.default_branch ?? pull.base.ref },
    trigger,
    force: target.force === true,
    snapshot: target.pull ? "payload" : "fresh",
    pr: {
      number,
      url: pull.html_url,
      state: pull.state,
      merged: pull.merged === true,
      draft: pull.draft === true,
      author: actorOf(pull.user),
      headSha,
      headRepo: pull.head.repo?.full_name ?? `${owner}/${repo}`,
      baseRef: pull.base.ref,
      createdAt: iso(pull.created_at)!,
      labels,
      requestedReviewers: (pull.requested_reviewers ?? []).map((u: Loose) => String(u.login).toLowerCase()).sort(),
      requestedTeams: (pull.requested_teams ?? []).map((t: Loose) => String(t.slug)).sort(),
    },
    files: { count: files.length, truncated: files.length >= MAX_FILES, workflowFiles },
    treeTruncated: tree.truncated === true,
    integrations,
    outOfScope: roots.filter((r) => !inScope.has(r)),
    comments,
    labelEvents,
    reviews,
    lastPushAt,
    reviewerStatus,
  };
  if (readyForReviewAt) state.readyForReviewAt = readyForReviewAt;
  if (convertedToDraftAt) state.convertedToDraftAt = convertedToDraftAt;
  if (latestOwn) {
    const digest = digestOf(latestOwn.output?.text);
    state.checkRun = { id: latestOwn.id, status: latestOwn.status, conclusion: latestOwn.conclusion ?? null, ...(digest ? { digest } : {}) };
  }
  return state;
}

/**
 * Who put `label` on the pull request: its latest `labeled` event — unless the label was removed
 * after that (then it came back without one, e.g. another label renamed to this name, and nobody
 * can be credited with it).
 */
export function latestLabeled(events: readonly LabelEvent[], label: string): LabelEvent | undefined {
  let last: LabelEvent | undefined;
  let removedAt = "";
  for (const e of events) {
    if (e.label !== label) continue;
    if (e.action === "labeled" && (!last || e.at >= last.at)) last = e;
    if (e.action === "unlabeled" && e.at > removedAt) removedAt = e.at;
  }
  // A tie means removed: the App can take a label off within the second it went on; a person cannot
  // put it back that fast.
  return last && removedAt >= last.at ? undefined : last;
}

const DIGEST = new RegExp(`<!-- ${MARKERS.digest} ([a-f0-9]{16,64}) -->`);
export function digestOf(text: string | undefined | null): string | undefined {
  return text ? DIGEST.exec(text)?.[1] : undefined;
}

/**
 * The manifest's `stage` as the pull request changes it, compared on the parsed files (see
 * stage-edit.ts). GitHub leaves `patch` out of large or binary diffs: then the head's `stage` is
 * reported as set, and decide accepts it only when it equals the stage the catalog records.
 */
async function stageEditOf(source: TreeSource, name: string, file: Loose, headStage: unknown): Promise<StageEdit | undefined> {
  const read = await source.read(name, LIMITS.manifestBytes);
  const edit = read.ok ? await stageEditOfChange(new TextDecoder().decode(read.bytes), file, name) : "unknown";
  if (edit !== "unknown") return edit;
  return file.status !== "removed" ? stageAgainstCatalog(headStage) : undefined;
}

/** The head's `stage` as set (decide accepts it when it equals the stage the catalog records). */
function stageAgainstCatalog(headStage: unknown): StageEdit | undefined {
  return typeof headStage === "string" ? { to: headStage } : undefined;
}

function stageOf(catalog: CatalogRead, repository: string): Stage | undefined {
  if (catalog.status === "absent") return "developer-preview";
  if (catalog.status !== "found") return undefined;
  if (catalog.record.repository.toLowerCase() !== repository.toLowerCase()) return undefined;
  return stageFromCatalog(catalog.record.stage);
}

async function catalogFor(deps: DeriveDeps, slug: string | undefined, fresh: boolean): Promise<CatalogRead> {
  const catalog = deps.config.catalog;
  if (!catalog) return { status: "unconfigured" };
  if (!slug) return { status: "error", path: "", message: "the manifest has no valid `app.slug`" };
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

async function readDefault(gh: Gh, owner: string, repo: string, path: string, ref: string): Promise<IntegrationState["defaultBranchManifest"]> {
  try {
    const { data } = (await gh.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, ref })) as { data: Loose };
    if (Array.isArray(data) || typeof data.content !== "string") return { error: `${path} on ${ref} is not a file` };
    return { sha: data.sha, text: Buffer.from(data.content, "base64").toString("utf8") };
  } catch (error) {
    if (statusOf(error) === 404) return { missing: true };
    return { error: `${path} on ${ref} could not be read (${statusOf(error) ?? "network error"})` };
  }
}

function maxIso(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a >= b ? a : b;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** GitHub writes `…:00Z`, Date writes `…:00.000Z`: one form, so strings compare as times. */
export function iso(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
