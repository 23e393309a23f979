// Recorded scenarios: a pull request's snapshot as readPullSnapshot read it, with everything else
// deriveState asked for (the blobs the review read, the reviewer directory's answers, the time),
// replayed without GitHub into golden state, decision and mutations — as mergebot's fixture
// folders are. One folder per scenario under test/fixtures/app/snapshots/:
//   snapshot.json   what was read
//   context.json    what it was interpreted with (description, now, config, directory, blobs)
//   state.json, decision.json, mutations.json   the golden outcome
// `npx tsx scripts/record-scenarios.ts [name…]` records them (scenario-recipes.ts says how each
// pull request got there); snapshots.test.ts replays them.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AppConfig } from "../../src/app/config.js";
import { plan } from "../../src/app/apply.js";
import { decide } from "../../src/app/decide.js";
import { deriveState, type DeriveStateDeps } from "../../src/app/derive.js";
import type { ReviewerDirectory, ReviewerStatus } from "../../src/app/reviewers.js";
import type { PullSnapshot } from "../../src/app/snapshot.js";
import type { Decision, DerivedState, Mutation } from "../../src/app/types.js";
import { stubReview } from "./harness.js";

export const SNAPSHOTS = fileURLToPath(new URL("../fixtures/app/snapshots/", import.meta.url));

export interface RecordedContext {
  description: string;
  now: string;
  botLogin?: string;
  config: AppConfig;
  directory: {
    describe: string;
    mentions: string[];
    /** `owner/author` → the reviewers requestable there. */
    requestable: Record<string, { reviewers: string[]; teams: string[] }>;
    /** Lower-cased login → the answer (`fresh` lookups and cached ones answered alike here). */
    reviewers: Record<string, ReviewerStatus>;
  };
  /** Blob SHA → base64 bytes, for every file the review read. */
  blobs: Record<string, string>;
}

export interface Outcome {
  state: DerivedState;
  decision: Decision;
  mutations: Mutation[];
}

/** deriveState → decide → plan on a recorded snapshot: no GitHub, no clock. */
export async function replaySnapshot(snapshot: PullSnapshot, context: RecordedContext): Promise<Outcome> {
  const state = await deriveState(snapshot, replayDeps(context));
  const decision = decide(state, { stateSecret: context.config.stateSecret });
  return { state, decision, mutations: plan(state, decision) };
}

function replayDeps(context: RecordedContext): DeriveStateDeps {
  const d = context.directory;
  const directory: ReviewerDirectory = {
    describe: () => d.describe,
    mentions: () => d.mentions,
    requestable: (owner, author) => d.requestable[`${owner}/${author}`.toLowerCase()] ?? { reviewers: [], teams: [] },
    isReviewer: async (login) => {
      const status = d.reviewers[login.toLowerCase()];
      if (!status) throw new Error(`the recording has no reviewer answer for ${login}: record the scenario again`);
      return status;
    },
  };
  return {
    fetchBlob: async (sha) => {
      const b64 = context.blobs[sha];
      if (b64 === undefined) throw new Error(`the recording has no blob ${sha}: record the scenario again`);
      return new Uint8Array(Buffer.from(b64, "base64"));
    },
    directory,
    review: stubReview,
    now: new Date(context.now),
    config: context.config,
    ...(context.botLogin ? { botLogin: context.botLogin } : {}),
  };
}

/**
 * Interprets `snapshot` as the live App did, noting every blob and reviewer answer asked for, and
 * writes the scenario's folder. `live` is what the App derived: the recording must replay to it.
 */
export async function recordSnapshot(
  name: string,
  description: string,
  snapshot: PullSnapshot,
  live: DerivedState,
  source: {
    now: string;
    botLogin?: string;
    config: AppConfig;
    directory: ReviewerDirectory;
    blob: (sha: string) => Uint8Array | undefined;
  },
): Promise<Outcome> {
  const context: RecordedContext = {
    description,
    now: source.now,
    ...(source.botLogin ? { botLogin: source.botLogin } : {}),
    config: source.config,
    directory: {
      describe: source.directory.describe(),
      mentions: source.directory.mentions(),
      requestable: {},
      reviewers: {},
    },
    blobs: {},
  };
  const author = snapshot.pull.user?.login ?? "";
  context.directory.requestable[`${snapshot.owner}/${author}`.toLowerCase()] = source.directory.requestable(
    snapshot.owner,
    author,
  );
  const deps: DeriveStateDeps = {
    ...replayDeps(context),
    fetchBlob: async (sha) => {
      const bytes = source.blob(sha);
      if (!bytes) throw new Error(`blob ${sha} is not in the fake GitHub`);
      context.blobs[sha] = Buffer.from(bytes).toString("base64");
      return bytes;
    },
  };
  deps.directory = {
    ...deps.directory,
    isReviewer: async (login, options) => {
      const status = await source.directory.isReviewer(login, { fresh: true, ...options });
      context.directory.reviewers[login.toLowerCase()] = status;
      return status;
    },
  };
  await deriveState(snapshot, deps);
  const outcome = await replaySnapshot(snapshot, context);
  if (JSON.stringify(outcome.state) !== JSON.stringify(live))
    throw new Error(`${name}: the recording does not replay to the state the App derived`);
  const dir = join(SNAPSHOTS, name);
  mkdirSync(dir, { recursive: true });
  const write = (file: string, value: unknown) => writeFileSync(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
  write("snapshot.json", snapshot);
  write("context.json", context);
  write("state.json", outcome.state);
  write("decision.json", outcome.decision);
  write("mutations.json", outcome.mutations);
  return outcome;
}

export function readRecorded(name: string): {
  snapshot: PullSnapshot;
  context: RecordedContext;
  golden: Record<keyof Outcome, string>;
} {
  const dir = join(SNAPSHOTS, name);
  const text = (file: string) => readFileSync(join(dir, file), "utf8");
  return {
    snapshot: JSON.parse(text("snapshot.json")) as PullSnapshot,
    context: JSON.parse(text("context.json")) as RecordedContext,
    golden: { state: text("state.json"), decision: text("decision.json"), mutations: text("mutations.json") },
  };
}
