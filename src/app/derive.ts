// deriveState: one pull request's snapshot (snapshot.ts) interpreted into the state decide reasons
// about — who commented, labeled and reviewed when, which integrations the pull request touches
// and what the review engine says of each, the App's own check run and comments. No GitHub call:
// the blobs the review reads, the reviewer directory, the review engine and the time come in as
// arguments, so a recorded snapshot replays to the same state (test/fixtures/app/snapshots/).
import { CHECK_NAMES, MANIFEST_FILE, MARKERS, STAGE_LABELS, type Stage } from "../core/vocabulary.js";
import { DEFAULT_POLICY } from "../core/policy.js";
import type { ReplayReport } from "../replay/types.js";
import type { Report } from "../report.js";
import { baselineOf, readRecordFiles, stageFromCatalog, type CatalogRead } from "./catalog.js";
import type { AppConfig } from "./config.js";
import { decodeReplayData } from "../replay/report-codec.js";
import type { ReviewerDirectory, ReviewerStatus } from "./reviewers.js";
import {
  inScopeRoots,
  manifestRoots,
  MAX_FILES,
  type PullSnapshot,
  type SnapshotFile,
  type TimelineEntry,
} from "./snapshot.js";
import { TreeSource, type BlobFetcher } from "./tree-source.js";
import { stageEditOfChange } from "./stage-edit.js";
import { LIMITS } from "../core/limits.js";
import type {
  Actor,
  CommentInfo,
  DerivedState,
  IntegrationState,
  LabelEvent,
  ReplayInfo,
  ReviewFn,
  ReviewInfo,
  StageEdit,
} from "./types.js";

export interface DeriveStateDeps {
  /** Blob bytes by SHA (the review reads the head's files through it). */
  fetchBlob: BlobFetcher;
  directory: ReviewerDirectory;
  review: ReviewFn;
  now: Date;
  config: AppConfig;
  /** `<slug>[bot]`: comments and check runs by this account are the App's own. */
  botLogin?: string;
  /** Told which files each integration's review read (fetched ahead next time). */
  onReviewed?: (root: string, readPaths: ReadonlySet<string>) => void;
}

/** Files whose change makes the partner's CI (and so the replay results) untrusted. */
export function isWorkflowFile(path: string): boolean {
  return /^\.github\/(workflows|actions)\//.test(path) || /(^|\/)action\.ya?ml$/.test(path);
}

const STAGE_LABEL_NAMES = new Set<string>(Object.values(STAGE_LABELS));
/** Responders checked for a reviewer among them (the team's roster answers them in one call). */
const MAX_RESPONDER_LOOKUPS = 200;

const actorOf = (u: { login?: string; type?: string } | null | undefined): Actor => ({
  login: u?.login ?? "ghost",
  type: u?.type ?? "User",
});

export async function deriveState(snapshot: PullSnapshot, deps: DeriveStateDeps): Promise<DerivedState> {
  const { config } = deps;
  const { pull } = snapshot;
  const now = deps.now;
  const manifestName = config.manifestFile || MANIFEST_FILE;
  const roots = manifestRoots(snapshot.tree.entries, manifestName);
  const files = snapshot.files;
  const changed = files.map((f) => f.filename);
  const workflowFiles = [
    ...new Set(
      files.flatMap((f) =>
        [f.filename, f.previous_filename].filter((p): p is string => typeof p === "string" && isWorkflowFile(p)),
      ),
    ),
  ].sort();

  const isOurs = (a: Actor) =>
    a.type === "Bot" && (!deps.botLogin || a.login.toLowerCase() === deps.botLogin.toLowerCase());
  const { comments, labelEvents, reviews, readyForReviewAt, convertedToDraftAt, lastForcePushAt } = timelineOf(
    snapshot.timeline,
    isOurs,
  );
  const trigger = snapshot.trigger;
  withTriggerLabel(labelEvents, trigger);

  // Check runs on the head: the App's own, and the Action's replay results.
  const appSlug = deps.botLogin?.replace(/\[bot\]$/, "");
  const { latestOwn, ownStarts, replayByRoot } = checkRunsOf(snapshot, appSlug);
  // The last push happened no later than the App's first check run on this head, created when the
  // push's `synchronize` arrived (GitHub sets its time; nothing a partner could backdate, unlike a
  // commit's dates); the runs the App re-creates later on the same head (a tick, a replay result)
  // say nothing about the push. A force push back to an older head is in the timeline. With
  // neither, "now" is the safe bound: a label counts only if applied after it.
  const lastPushAt = maxIso(ownStarts[0] ?? now.toISOString(), lastForcePushAt)!;

  // Stage labels on the pull request → promotion may happen: read fresh.
  const labels: string[] = pull.labels.map((l) => l.name).sort();
  const promotionInPlay = labels.some((l) => STAGE_LABEL_NAMES.has(l));

  // The integrations: review each in scope.
  const inScope = new Set(inScopeRoots(roots, changed));
  const integrations: IntegrationState[] = [];
  for (const root of roots.filter((r) => inScope.has(r)))
    integrations.push(
      await reviewIntegration(snapshot, deps, { root, manifestName, replay: replayByRoot.get(root), promotionInPlay }),
    );

  const reviewerStatus = await reviewerStatuses(deps, {
    labels,
    labelEvents,
    reviews,
    comments,
    trigger,
    since: readyForReviewAt ?? iso(pull.created_at)!,
    author: pull.user?.login,
  });

  const state: DerivedState = {
    now: now.toISOString(),
    settings: settingsOf(deps, snapshot.owner, pull.user?.login ?? ""),
    repo: {
      owner: snapshot.owner,
      name: snapshot.repo,
      defaultBranch: pull.base.repo?.default_branch ?? pull.base.ref,
    },
    trigger,
    force: snapshot.force,
    snapshot: snapshot.source,
    pr: pullOf(snapshot, labels),
    files: { count: files.length, truncated: files.length >= MAX_FILES, workflowFiles },
    treeTruncated: snapshot.tree.truncated,
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
    state.checkRun = {
      id: latestOwn.id,
      status: latestOwn.status,
      conclusion: latestOwn.conclusion ?? null,
      ...(digest ? { digest } : {}),
    };
  }
  return state;
}

/** The timeline can lag the webhook by a moment: the labeled event that triggered this run counts. */
function withTriggerLabel(labelEvents: LabelEvent[], trigger: PullSnapshot["trigger"]): void {
  if (!(trigger.kind === "pull_request" && trigger.action === "labeled" && trigger.label && trigger.at)) return;
  const floor = new Date(Date.parse(trigger.at) - 60_000).toISOString();
  // Only the sender's own event counts as "seen": an earlier application by someone else (say a
  // reviewer, before the label was removed) must not lend its authority to this one.
  const seen = labelEvents.some(
    (e) =>
      e.label === trigger.label &&
      e.action === "labeled" &&
      e.at >= floor &&
      e.actor.login.toLowerCase() === trigger.sender.login.toLowerCase(),
  );
  if (!seen) labelEvents.push({ label: trigger.label, action: "labeled", actor: trigger.sender, at: trigger.at });
}

/** The App's own check runs on the head (newest first, and when each started) and the Action's replay results by folder. */
function checkRunsOf(snapshot: PullSnapshot, appSlug: string | undefined) {
  const headSha = snapshot.pull.head.sha;
  const runs = snapshot.checkRuns;
  const own = runs
    .filter((r) => r.name === CHECK_NAMES.review && r.head_sha === headSha && (!appSlug || r.app?.slug === appSlug))
    .sort((a, b) => b.id - a.id);
  const replayRuns = runs
    .filter((r) => r.name === CHECK_NAMES.replay && r.head_sha === headSha && r.status === "completed")
    .sort((a, b) => String(a.completed_at ?? "").localeCompare(String(b.completed_at ?? "")) || a.id - b.id);
  const replayByRoot = new Map<string, ReplayInfo>();
  for (const run of replayRuns) {
    for (const { root, report } of decodeReplayData(run.output?.text)) {
      replayByRoot.set(root, {
        report,
        writer: run.app?.slug ?? "unknown",
        ...(run.html_url ? { url: run.html_url } : {}),
      });
    }
  }
  const ownStarts = appSlug
    ? own
        .map((r) => iso(r.started_at))
        .filter((x): x is string => !!x)
        .sort()
    : [];
  return { latestOwn: own[0], ownStarts, replayByRoot };
}

/** One integration in scope: the review of its folder at the head, its catalog record and stage, how the pull request edits its `stage`. */
async function reviewIntegration(
  snapshot: PullSnapshot,
  deps: DeriveStateDeps,
  o: { root: string; manifestName: string; replay: ReplayInfo | undefined; promotionInPlay: boolean },
): Promise<IntegrationState> {
  const { config, now } = deps;
  const { owner, repo, pull } = snapshot;
  const { root, manifestName, replay, promotionInPlay } = o;
  const headSha = pull.head.sha;
  const entries = snapshot.tree.entries;
  const manifestPath = root ? `${root}/${manifestName}` : manifestName;
  const source = new TreeSource(
    `${owner}/${repo}@${headSha.slice(0, 7)}${root ? `:${root}` : ""}`,
    root,
    entries,
    deps.fetchBlob,
  );
  // The operator's bars: the checklist grades the Action's raw replay results against them.
  const report: Report = await deps.review(source, {
    manifestFile: manifestName,
    policy: snapshot.policy?.policy ?? DEFAULT_POLICY,
    replay: async () => replay?.report as ReplayReport | undefined,
    // A live integration's approved version, from its catalog record: the change check.
    baseline: async (manifest) =>
      config.catalog
        ? baselineOf(
            catalogOf(snapshot, config, manifest.app.slug),
            `${owner}/${repo}`,
            `${config.catalog.owner}/${config.catalog.repo}`,
          )
        : undefined,
    now,
  });
  if (snapshot.policy?.problem)
    report.diagnostics.push({ ruleId: "app/policy-unusable", severity: "warning", message: snapshot.policy.problem });
  deps.onReviewed?.(root, source.readPaths);
  if (snapshot.tree.truncated) {
    report.diagnostics.push({
      ruleId: "app/tree-truncated",
      severity: "warning",
      message:
        "The repository has more files than GitHub lists in one tree, so some files may be missing from this review; keep the integration's folder small.",
    });
  }
  const slug = report.manifest?.app?.slug;
  const catalog = catalogOf(snapshot, config, slug);
  const currentStage = stageOf(catalog, `${owner}/${repo}`);
  const file = snapshot.files.find((f) => f.filename === manifestPath);
  // A manifest that is a symlink changes through its target, which the file list names instead:
  // its `stage` is compared with the catalog whatever the diff says.
  const symlink = entries.some((e) => e.path === manifestPath && e.mode === "120000");
  const stageEdit = symlink
    ? stageAgainstCatalog(report.manifest?.stage)
    : file
      ? await stageEditOf(source, manifestName, file, report.manifest?.stage)
      : undefined;
  const integration: IntegrationState = {
    root,
    manifestPath,
    inScope: true,
    report,
    catalog,
    ...(currentStage ? { currentStage } : {}),
  };
  if (replay) integration.replay = replay;
  if (stageEdit) integration.stageEdit = stageEdit;
  const onDefault = snapshot.defaultBranch[manifestPath];
  if (promotionInPlay && onDefault) integration.defaultBranchManifest = onDefault;
  // What the catalog record keeps from the approved head, read only when an approval may happen.
  if (promotionInPlay && report.manifest)
    integration.recordFiles = await readRecordFiles(source, report.manifest, manifestName);
  return integration;
}

/** The operator's settings as the state carries them (who reviews, the catalog, the review time). */
function settingsOf(deps: DeriveStateDeps, owner: string, author: string): DerivedState["settings"] {
  const { config } = deps;
  return {
    reviewBusinessDays: config.reviewBusinessDays,
    reviewersDescription: deps.directory.describe(),
    reviewerMentions: deps.directory.mentions(),
    reviewerRequests: deps.directory.requestable(owner, author),
    ...(config.catalog
      ? {
          catalog: {
            repo: `${config.catalog.owner}/${config.catalog.repo}`,
            path: config.catalog.path,
            ...(config.catalog.branch ? { branch: config.catalog.branch } : {}),
          },
        }
      : {}),
  };
}

/** The pull request as the state carries it. */
function pullOf(snapshot: PullSnapshot, labels: string[]): DerivedState["pr"] {
  const { owner, repo, number, pull } = snapshot;
  return {
    number,
    url: pull.html_url,
    state: pull.state,
    merged: pull.merged === true,
    draft: pull.draft === true,
    author: actorOf(pull.user),
    headSha: pull.head.sha,
    headRepo: pull.head.repo?.full_name ?? `${owner}/${repo}`,
    baseRef: pull.base.ref,
    createdAt: iso(pull.created_at)!,
    labels,
    requestedReviewers: (pull.requested_reviewers ?? []).map((u) => u.login.toLowerCase()).sort(),
    requestedTeams: (pull.requested_teams ?? []).map((t) => t.slug).sort(),
  };
}

/** The timeline read: comments, labels, reviews, readiness, force pushes. */
function timelineOf(timeline: readonly TimelineEntry[], isOurs: (a: Actor) => boolean) {
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
        comments.push({
          id: item.id ?? 0,
          author,
          createdAt: iso(item.created_at)!,
          updatedAt: iso(item.updated_at ?? item.created_at)!,
          ours,
          ...(ours ? { body: item.body! } : {}),
        });
        break;
      }
      case "labeled":
      case "unlabeled":
        if (item.label?.name)
          labelEvents.push({
            label: item.label.name,
            action: item.event,
            actor: actorOf(item.actor),
            at: iso(item.created_at)!,
          });
        break;
      case "reviewed":
        reviews.push({
          author: actorOf(item.user ?? item.actor),
          at: iso(item.submitted_at ?? item.created_at)!,
          state: String(item.state ?? "").toLowerCase(),
        });
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
  return { comments, labelEvents, reviews, readyForReviewAt, convertedToDraftAt, lastForcePushAt };
}

/**
 * Whose authority matters: whoever applied a stage label now on the pull request, whoever edited
 * the checklist comment (fresh lookups); people who responded to the submission (cached).
 */
async function reviewerStatuses(
  deps: DeriveStateDeps,
  o: {
    labels: string[];
    labelEvents: LabelEvent[];
    reviews: ReviewInfo[];
    comments: CommentInfo[];
    trigger: PullSnapshot["trigger"];
    since: string;
    author: string | undefined;
  },
): Promise<Record<string, ReviewerStatus>> {
  const reviewerStatus: Record<string, ReviewerStatus> = {};
  const lookup = async (login: string, fresh: boolean) => {
    const key = login.toLowerCase();
    if (reviewerStatus[key] && (!fresh || reviewerStatus[key].reviewer)) return;
    reviewerStatus[key] = await deps.directory.isReviewer(login, { fresh });
  };
  for (const label of o.labels.filter((l) => STAGE_LABEL_NAMES.has(l))) {
    const last = latestLabeled(o.labelEvents, label);
    if (last && last.actor.type !== "Bot") await lookup(last.actor.login, true);
  }
  if (o.trigger.kind === "comment" && o.trigger.action === "edited" && o.trigger.sender.type !== "Bot")
    await lookup(o.trigger.sender.login, true);
  const responders = new Set<string>();
  for (const r of o.reviews) if (r.at >= o.since) responders.add(r.author.login);
  for (const c of o.comments)
    if (!c.ours && c.createdAt >= o.since && c.author.type !== "Bot") responders.add(c.author.login);
  // Whoever applied a stage label since, even one removed again because gates failed: a response.
  for (const e of o.labelEvents)
    if (e.action === "labeled" && e.at >= o.since && e.actor.type !== "Bot" && STAGE_LABEL_NAMES.has(e.label))
      responders.add(e.actor.login);
  if (o.author) responders.delete(o.author);
  // One reviewer among them is enough. Most likely first — configured reviewers (no lookup needed),
  // then those who submitted a review or applied a stage label, then commenters — so a crowd of
  // drive-by comments cannot use up the lookups before the reviewer's.
  const configured = new Set(deps.config.reviewers.logins);
  const strong = new Set([...o.reviews.map((r) => r.author.login), ...o.labelEvents.map((e) => e.actor.login)]);
  const rank = (l: string) => (configured.has(l.toLowerCase()) ? 0 : strong.has(l) ? 1 : 2);
  const ordered = [...responders].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const login of ordered.slice(0, MAX_RESPONDER_LOOKUPS)) {
    await lookup(login, false);
    if (reviewerStatus[login.toLowerCase()]?.reviewer) break;
  }

  return reviewerStatus;
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
async function stageEditOf(
  source: TreeSource,
  name: string,
  file: SnapshotFile,
  headStage: unknown,
): Promise<StageEdit | undefined> {
  const read = await source.read(name, LIMITS.manifestBytes);
  const edit = read.ok ? await stageEditOfChange(new TextDecoder().decode(read.bytes), file, name) : "unknown";
  if (edit !== "unknown") return edit;
  return file.status !== "removed" ? stageAgainstCatalog(headStage) : undefined;
}

/** The head's `stage` as set (decide accepts it when it equals the stage the catalog records). */
function stageAgainstCatalog(headStage: unknown): StageEdit | undefined {
  return typeof headStage === "string" ? { to: headStage } : undefined;
}

/** The snapshot's catalog record for `slug`, or why there is none. */
function catalogOf(snapshot: PullSnapshot, config: AppConfig, slug: string | undefined): CatalogRead {
  if (!config.catalog) return { status: "unconfigured" };
  if (!slug) return { status: "error", path: "", message: "the manifest has no valid app.slug" };
  return (
    snapshot.catalogs[slug] ?? { status: "error", path: slug, message: `the catalog record of "${slug}" was not read` }
  );
}

function stageOf(catalog: CatalogRead, repository: string): Stage | undefined {
  if (catalog.status === "absent") return "developer-preview";
  if (catalog.status !== "found") return undefined;
  if (catalog.record.repository.toLowerCase() !== repository.toLowerCase()) return undefined;
  return stageFromCatalog(catalog.record.stage);
}

function maxIso(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a >= b ? a : b;
}

/** GitHub writes `…:00Z`, Date writes `…:00.000Z`: one form, so strings compare as times. */
export function iso(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
