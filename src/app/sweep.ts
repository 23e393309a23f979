// The sweep: every open, non-draft pull request on every installation, converged as if an event
// had arrived. It is what marks submissions overdue (2 business days without a reviewer's
// response → `devcenter: review overdue` and one ping) and it repairs whatever missed webhooks
// left behind. It also takes the review queue snapshot (`queue.json` in the catalog repository).
// Run it on a schedule (`npm run sweep`, or DEVCENTER_SWEEP_MINUTES in the server); `--dry-run`
// lists the mutations without making them.
import type { Probot } from "probot";
import type { QueueEntry } from "../core/review-queue.js";
import type { Clock } from "./clock.js";
import { withRetries, type Gh, type RetryPolicy } from "./github.js";
import type { PipelineResult } from "./pipeline.js";
import type { QueueWrite } from "./queue-snapshot.js";
import { queueEntries } from "./review-queue.js";
import type { Mutation, Target } from "./types.js";

export interface SweepDeps {
  app: Probot;
  retry: RetryPolicy;
  clock: Clock;
  /** One pull request at a time (in this process and, with Redis, across replicas). */
  queue: { run<T>(key: string, task: () => Promise<T>): Promise<T> };
  dryRun: boolean;
  run: (gh: Gh, target: Target) => Promise<PipelineResult>;
  /** Only these `owner/repo` (all installations' repositories when absent). */
  repositories?: string[];
  /** Writes the review queue snapshot after a real sweep (absent when no catalog is configured). */
  reviewQueue?: (o: { entries: QueueEntry[]; carryOver: (e: QueueEntry) => boolean }) => Promise<QueueWrite>;
}

export interface SweepResult {
  dryRun: boolean;
  pullRequests: number;
  results: { pullRequest: string; mutations: Mutation[] }[];
  errors: { pullRequest?: string; message: string }[];
  /** The review queue: the open submissions seen, and whether the snapshot was written. */
  queue?: { status: QueueWrite["status"] | "dry-run"; entries: number };
}

export async function runSweep(deps: SweepDeps): Promise<SweepResult> {
  const result: SweepResult = { dryRun: deps.dryRun, pullRequests: 0, results: [], errors: [] };
  const jwt = await deps.app.auth();
  const installations = (await jwt.paginate("GET /app/installations", { per_page: 100 })) as { id: number }[];
  const seen = new Set<string>();
  const entries: QueueEntry[] = [];
  // What this run could not see: the last snapshot's entries for it are kept.
  const unseen = { installations: false, repos: new Set<string>(), pulls: new Set<string>() };
  for (const installation of installations) {
    let gh: Gh;
    let repos: { name: string; owner: { login: string } }[];
    try {
      gh = withRetries((await deps.app.auth(installation.id)) as unknown as Gh, deps.retry);
      repos = (await gh.paginate("GET /installation/repositories", { per_page: 100 })) as typeof repos;
    } catch (error) {
      result.errors.push({ message: `installation ${installation.id}: ${(error as Error).message}` });
      unseen.installations = true;
      continue;
    }
    for (const r of repos) {
      const full = `${r.owner.login}/${r.name}`;
      seen.add(full.toLowerCase());
      if (deps.repositories && !deps.repositories.some((x) => x.toLowerCase() === full.toLowerCase())) continue;
      let pulls: { number: number; draft?: boolean; title?: string }[];
      try {
        pulls = (await gh.paginate("GET /repos/{owner}/{repo}/pulls", {
          owner: r.owner.login,
          repo: r.name,
          state: "open",
          per_page: 100,
        })) as typeof pulls;
      } catch (error) {
        result.errors.push({ pullRequest: full, message: (error as Error).message });
        unseen.repos.add(full.toLowerCase());
        continue;
      }
      for (const p of pulls.filter((x) => !x.draft)) {
        const id = `${full}#${p.number}`;
        result.pullRequests++;
        try {
          const target: Target = { owner: r.owner.login, repo: r.name, number: p.number, trigger: { kind: "sweep" } };
          const out = await deps.queue.run(id.toLowerCase(), () => deps.run(gh, target));
          if (out.mutations.length)
            result.results.push({ pullRequest: id, mutations: deps.dryRun ? out.mutations : out.applied });
          if (out.state) entries.push(...queueEntries(out.state, out.decision, p.title ?? ""));
        } catch (error) {
          result.errors.push({ pullRequest: id, message: (error as Error).message });
          unseen.pulls.add(id.toLowerCase());
        }
      }
    }
  }
  // A repository asked for by name that no installation reaches: say so rather than sweep nothing quietly.
  for (const asked of deps.repositories ?? []) {
    if (!seen.has(asked.toLowerCase()))
      result.errors.push({ pullRequest: asked, message: `the App is not installed on ${asked} (or cannot see it)` });
  }
  if (!deps.reviewQueue) return result;
  if (deps.dryRun) {
    result.queue = { status: "dry-run", entries: entries.length };
    return result;
  }
  const swept = (repo: string) =>
    deps.repositories === undefined || deps.repositories.some((r) => r.toLowerCase() === repo);
  const carryOver = (e: QueueEntry): boolean => {
    const repo = e.repository.toLowerCase();
    if (unseen.pulls.has(`${repo}#${e.pullRequest}`) || unseen.repos.has(repo) || !swept(repo)) return true;
    // A repository no installation listed this time: gone, unless an installation could not be read.
    return !seen.has(repo) && unseen.installations;
  };
  try {
    result.queue = await deps.reviewQueue({ entries, carryOver });
  } catch (error) {
    result.errors.push({
      message: `the review queue snapshot (queue.json in the catalog repository) could not be written: ${(error as Error).message}`,
    });
  }
  return result;
}
