// The Probot app function: subscribes to the events, maps each to its pull request(s), and runs
// derive → decide → apply for each, serialised per pull request in this process. Everything the
// app needs from the outside (config, the review engine, the clock, retry timing) is injected, so
// tests and the bench run the same code the server runs.
import type { ApplicationFunction, Context, Probot } from "probot";
import { ReadSets } from "./blob-prefetch.js";
import { BlobCache } from "./tree-source.js";
import { systemClock, type Clock } from "./clock.js";
import type { AppConfig } from "./config.js";
import { targetsOf, type EventTargets, PULL_REQUEST_ACTIONS } from "./events.js";
import { DEFAULT_RETRY, withRetries, type Gh, type RetryPolicy } from "./github.js";
import { runPipeline, type PipelineDeps, type PipelineResult } from "./pipeline.js";
import { KeyedQueue } from "./queue.js";
import { soloReplicas, type Replicas } from "./replicas.js";
import { reviewerDirectory, type ReviewerDirectory } from "./reviewers.js";
import type { PolicyCache } from "./policy.js";
import type { CatalogRead } from "./catalog.js";
import type { ReviewFn, Target } from "./types.js";
import { writeQueueSnapshot } from "./queue-snapshot.js";
import { runSweep, type SweepDeps, type SweepResult } from "./sweep.js";

export interface AppDeps {
  config: AppConfig;
  review: ReviewFn;
  clock?: Clock;
  retry?: RetryPolicy;
  blobs?: BlobCache;
  queue?: KeyedQueue;
  /** Coordination with other replicas (REDIS_URL): a lock per pull request and a dedupe key per delivery. */
  replicas?: Replicas;
  /** Called after each pull request is handled (tests, bench). */
  onResult?: (result: PipelineResult) => void;
}

export interface AppHandle {
  queue: KeyedQueue;
  blobs: BlobCache;
  directory: () => ReviewerDirectory | undefined;
  sweep?: (options?: { dryRun?: boolean; repositories?: string[] }) => Promise<SweepResult>;
}

export const EVENTS = [
  ...PULL_REQUEST_ACTIONS.map((a) => `pull_request.${a}` as const),
  "pull_request_review.submitted",
  "pull_request_review.dismissed",
  "pull_request_review.edited",
  "issue_comment.created",
  "issue_comment.edited",
  "issue_comment.deleted",
  "check_suite.rerequested",
  "check_run.rerequested",
  "check_run.completed",
] as const;

export function createApp(deps: AppDeps, handle?: AppHandle): ApplicationFunction {
  return (app: Probot) => {
    const clock = deps.clock ?? systemClock;
    const retry = deps.retry ?? DEFAULT_RETRY;
    const queue = deps.queue ?? handle?.queue ?? new KeyedQueue();
    const blobs = deps.blobs ?? handle?.blobs ?? new BlobCache();
    const replicas = deps.replicas ?? soloReplicas;
    // One pull request at a time: in this process (the queue), then across replicas (the lock).
    const serial = { run: <T>(key: string, task: () => Promise<T>) => queue.run(key, () => replicas.hold(key, task)) };
    const config = deps.config;
    const operator = operatorInstallation(app, config, retry);
    const directory = reviewerDirectory(config.reviewers, { operator, now: () => clock().getTime() });
    const botLogin = ownLogin(app, config);

    // What every run shares in this process: caches, and what it has learnt about repositories.
    const shared = {
      knownIntegrations: new Set<string>(),
      readSets: new ReadSets(),
      operator,
      config,
      directory,
      review: deps.review,
      blobs,
      clock,
      catalogCache: new Map<string, { at: number; read: CatalogRead }>(),
      policyCache: new Map() as PolicyCache,
      log: (m: string) => app.log.info(m),
    };
    const pipelineDeps = (gh: Gh, login: string): PipelineDeps => ({ ...shared, gh, botLogin: login });
    const run = async (gh: Gh, target: Target, dryRun?: boolean): Promise<PipelineResult> => {
      const result = await runPipeline(
        { ...pipelineDeps(gh, await botLogin()), ...(dryRun !== undefined ? { dryRun } : {}) },
        target,
      );
      deps.onResult?.(result);
      return result;
    };

    app.on(
      [...EVENTS],
      eventHandler({
        app,
        retry,
        replicas,
        serial,
        botLogin,
        pipelineDeps,
        ...(deps.onResult ? { onResult: deps.onResult } : {}),
      }),
    );
    startSweeps({ app, config, retry, clock, serial, operator, run }, handle);
    if (handle) handle.directory = () => directory;
  };
}

/**
 * The App's installation on the operator's organisation (team lookups, catalog reads and writes):
 * its id from the configuration or asked of GitHub once (again after a failure).
 */
function operatorInstallation(app: Probot, config: AppConfig, retry: RetryPolicy): () => Promise<Gh> {
  let operatorId: Promise<number> | undefined;
  return async (): Promise<Gh> => {
    operatorId ??= (async () => {
      if (config.operatorInstallationId) return config.operatorInstallationId;
      const jwt = await app.auth();
      const where = config.catalog ?? (config.reviewers.team ? { owner: config.reviewers.team.org } : undefined);
      if (!where) throw new Error("no operator organisation: set DEVCENTER_CATALOG_REPO or DEVCENTER_REVIEWERS_TEAM");
      const { data } =
        "repo" in where
          ? await jwt.request("GET /repos/{owner}/{repo}/installation", { owner: where.owner, repo: where.repo })
          : await jwt.request("GET /orgs/{org}/installation", { org: where.owner });
      return data.id;
    })().catch((error) => {
      operatorId = undefined;
      throw error;
    });
    return withRetries((await app.auth(await operatorId)) as unknown as Gh, retry);
  };
}

/**
 * The App's own login tells its own comments, check runs and label changes from everyone else's.
 * Unknown, the App handles nothing (fails closed): guessing would let another bot's comment or a
 * workflow's check run named `devcenter` pass for the App's own.
 */
function ownLogin(app: Probot, config: AppConfig): () => Promise<string> {
  let self: Promise<string> | undefined;
  return (): Promise<string> => {
    self ??= config.botLogin
      ? Promise.resolve(config.botLogin)
      : app
          .auth()
          .then((jwt) => jwt.request("GET /app"))
          .then(({ data }) => {
            if (!data?.slug) throw new Error("GET /app answered without a slug");
            return `${data.slug}[bot]`;
          })
          .catch((error: Error) => {
            self = undefined; // ask again next time
            throw new Error(
              `devcenter does not know its own login (${error.message}); set DEVCENTER_BOT_LOGIN (e.g. my-app[bot]) or check the App's credentials. The event was not handled.`,
            );
          });
    return self;
  };
}

interface Serial {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** One webhook delivery: its pull request(s), each run once per delivery, one at a time per pull request. */
function eventHandler(o: {
  app: Probot;
  retry: RetryPolicy;
  replicas: Replicas;
  serial: Serial;
  botLogin: () => Promise<string>;
  pipelineDeps: (gh: Gh, login: string) => PipelineDeps;
  onResult?: (result: PipelineResult) => void;
}): (context: Context) => Promise<void> {
  const { app, replicas } = o;
  return async (context: Context) => {
    const login = await o.botLogin();
    const gh = withRetries(context.octokit as unknown as Gh, o.retry);
    const found: EventTargets = targetsOf(context.name, context.payload as Record<string, unknown>, login);
    if (found.ignored) {
      app.log.debug(`ignored: ${found.ignored}`);
      return;
    }
    let targets = found.targets;
    if (found.lookupSha && targets.length === 0)
      targets = await pullsForSha(gh, context.payload as Record<string, any>, found.lookupSha);
    await Promise.all(
      targets.map((target) => {
        const key = `${target.owner}/${target.repo}#${target.number}`.toLowerCase();
        return o.serial.run(key, async () => {
          // The same delivery handled already, by this replica or another: nothing left to do.
          if (await replicas.handled(context.id, key)) {
            app.log.debug(`delivery ${context.id} for ${key} already handled`);
            return;
          }
          const result = await runPipeline(o.pipelineDeps(gh, login), target, found.headHint);
          if (!result.dryRun) await replicas.markHandled(context.id, key);
          else if (result.mutations.length) app.log.info({ mutations: result.mutations.map((m) => m.kind) }, "dry run");
          o.onResult?.(result);
        });
      }),
    );
  };
}

/** The overdue sweep: on the handle (the sweep command, tests) and every `sweepEveryMinutes` when set. */
function startSweeps(
  o: {
    app: Probot;
    config: AppConfig;
    retry: RetryPolicy;
    clock: Clock;
    serial: Serial;
    operator: () => Promise<Gh>;
    run: (gh: Gh, target: Target, dryRun?: boolean) => Promise<PipelineResult>;
  },
  handle: AppHandle | undefined,
): void {
  const { app, config, retry, clock, serial, operator } = o;
  // The sweep's review queue snapshot goes to the catalog repository, through the operator installation.
  const catalog = config.catalog;
  const reviewQueue = catalog
    ? async (q: Parameters<NonNullable<SweepDeps["reviewQueue"]>>[0]) =>
        writeQueueSnapshot(await operator(), catalog, {
          ...q,
          takenAt: clock().toISOString(),
          reviewBusinessDays: config.reviewBusinessDays,
        })
    : undefined;

  // One sweep for both: on the handle (the sweep command, tests) and on the timer (options unset).
  const sweep: NonNullable<AppHandle["sweep"]> = (options = {}) => {
    const dryRun = options.dryRun ?? config.dryRun;
    return runSweep({
      app,
      retry,
      clock,
      queue: serial,
      dryRun,
      ...(options.repositories ? { repositories: options.repositories } : {}),
      ...(reviewQueue ? { reviewQueue } : {}),
      run: (gh, target) => o.run(gh, target, dryRun),
    });
  };
  if (handle) handle.sweep = sweep;
  if (config.sweepEveryMinutes > 0) {
    const sweepNow = () => sweep().catch((error) => app.log.error(error, "sweep failed"));
    setInterval(sweepNow, config.sweepEveryMinutes * 60_000).unref();
  }
}

async function pullsForSha(gh: Gh, payload: Record<string, any>, sha: string): Promise<Target[]> {
  const owner = payload.repository.owner.login;
  const repo = payload.repository.name;
  const { data } = await gh.request("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
    owner,
    repo,
    commit_sha: sha,
  });
  const sender = { login: payload.sender?.login ?? "ghost", type: payload.sender?.type ?? "User" };
  return data
    .filter((p) => p.state === "open" && p.head.sha === sha)
    .map((p) => ({
      owner,
      repo,
      number: p.number,
      trigger: { kind: "check" as const, action: payload.action, sender, sha },
      force: payload.action === "rerequested",
    }));
}
