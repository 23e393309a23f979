// One run of read → derive → decide → apply for one pull request, with the fault handling around it:
// a catalog write that lost a race is re-derived once; a failure that outlives the retries is
// written on the check run (when the head is known) and rethrown for the logs.
import { CHECK_NAMES } from "../core/vocabulary.js";
import { ERROR_TITLE, errorSummary } from "./text.js";
import { execute, plan } from "./apply.js";
import { decide } from "./decide.js";
import { deriveState } from "./derive.js";
import { statusOf, type Gh } from "./github.js";
import type { ReviewerDirectory } from "./reviewers.js";
import {
  blobReader,
  readPullSnapshot,
  readSetKey,
  type PullSnapshot,
  type ReadDeps,
  type ReadProgress,
} from "./snapshot.js";
import type { Decision, DerivedState, Mutation, ReviewFn, Target } from "./types.js";

export interface PipelineDeps extends ReadDeps {
  directory: ReviewerDirectory;
  review: ReviewFn;
  /** `<slug>[bot]`: comments and check runs by this account are the App's own. */
  botLogin?: string;
  log?: (message: string) => void;
  /**
   * Repositories this process has seen hold an integration (`owner/repo`, lower case): a failure
   * that keeps the App from even reading the tree there is still surfaced on the check run.
   * A hint, not state: after a restart such a failure is only logged until the next good read.
   */
  knownIntegrations?: Set<string>;
  /** Plan only; overrides config.dryRun when set. */
  dryRun?: boolean;
}

export interface PipelineResult {
  target: Target;
  /** What was read (the last read, when the pull request moved and it was read again). */
  snapshot?: PullSnapshot;
  /** Undefined when the repository holds no integration: nothing was written. */
  state?: DerivedState;
  decision?: Decision;
  mutations: Mutation[];
  applied: Mutation[];
  stale: boolean;
  dryRun: boolean;
}

export async function runPipeline(deps: PipelineDeps, target: Target, headHint?: string): Promise<PipelineResult> {
  const dryRun = deps.dryRun ?? deps.config.dryRun;
  let conflictRetried = false;
  const done: Mutation[] = [];
  for (;;) {
    let state: DerivedState | undefined;
    const progress: ReadProgress = {};
    try {
      const snapshot = await readPullSnapshot(deps, target, progress);
      if (progress.integration) remember(deps.knownIntegrations, repoKey(target));
      if (!snapshot) return { target, mutations: [], applied: [], stale: false, dryRun };
      state = await deriveState(snapshot, {
        fetchBlob: blobReader(deps.gh, target.owner, target.repo, deps.blobs),
        directory: deps.directory,
        review: deps.review,
        now: deps.clock(),
        config: deps.config,
        ...(deps.botLogin ? { botLogin: deps.botLogin } : {}),
        onReviewed: (root, paths) => deps.readSets?.set(readSetKey(target.owner, target.repo, root), paths),
      });
      const decision = decide(state, { stateSecret: deps.config.stateSecret });
      const mutations = plan(state, decision);
      for (const line of decision.log) deps.log?.(`${target.owner}/${target.repo}#${target.number}: ${line}`);
      if (dryRun) return { target, snapshot, state, decision, mutations, applied: [], stale: false, dryRun };
      const executed = await execute(
        { gh: deps.gh, operator: deps.operator, ...(deps.log ? { log: deps.log } : {}) },
        state,
        mutations,
      );
      const stale = executed.stale;
      done.push(...executed.applied);
      const applied = [...done];
      return { target, snapshot, state, decision, mutations, applied, stale, dryRun };
    } catch (error) {
      const status = statusOf(error);
      // 409/422 on a contents write: someone else wrote first. Read again and converge.
      if (
        (status === 409 || status === 422) &&
        !conflictRetried &&
        /contents|sha/i.test(
          String((error as Error).message) + String((error as { request?: { url?: string } }).request?.url),
        )
      ) {
        deps.log?.(`conflict writing contents (${status}); deriving again`);
        conflictRetried = true;
        target = { ...target };
        delete target.pull;
        continue;
      }
      // Surfaced only where the App has business: a repository whose tree was seen to hold an
      // integration (a failure before that is logged and thrown; GitHub records a failed delivery).
      if (progress.integration) remember(deps.knownIntegrations, repoKey(target));
      const known = deps.knownIntegrations?.has(repoKey(target)) === true || progress.integration === true;
      if (known && !dryRun && (status === undefined || status >= 500 || status === 403 || status === 429)) {
        // Comment events name no commit: the head is read (once, with the usual retries) to say so there.
        const sha =
          state?.pr.headSha ?? headHint ?? target.pull?.head?.sha ?? (await headOf(deps.gh, target, deps.log));
        if (sha) await surface(deps.gh, target, sha, error, deps.log);
      }
      throw error;
    }
  }
}

async function headOf(gh: Gh, target: Target, log?: (m: string) => void): Promise<string | undefined> {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner: target.owner,
      repo: target.repo,
      pull_number: target.number,
    });
    return data.head.sha;
  } catch (error) {
    log?.(`could not read the pull request to surface the failure: ${(error as Error).message}`);
    return undefined;
  }
}

async function surface(gh: Gh, target: Target, sha: string, error: unknown, log?: (m: string) => void): Promise<void> {
  try {
    await gh.request("POST /repos/{owner}/{repo}/check-runs", {
      owner: target.owner,
      repo: target.repo,
      name: CHECK_NAMES.review,
      head_sha: sha,
      status: "completed",
      // Not "neutral": a required check that is neutral lets a pull request merge unreviewed.
      conclusion: "failure",
      output: { title: ERROR_TITLE, summary: errorSummary((error as Error)?.message ?? String(error)) },
    });
  } catch (second) {
    log?.(`could not surface the failure on the check run: ${(second as Error).message}`);
  }
}

const repoKey = (t: Target): string => `${t.owner}/${t.repo}`.toLowerCase();
const MAX_KNOWN = 10_000;

function remember(known: Set<string> | undefined, key: string): void {
  if (!known || known.has(key)) return;
  if (known.size >= MAX_KNOWN) known.delete(known.values().next().value!); // oldest first: bounded memory
  known.add(key);
}
