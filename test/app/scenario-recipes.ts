// How each recorded scenario's pull request got where it is: the App (stub review engine) runs
// against the fake GitHub through the events before, then the event recorded. The recorder
// (scripts/record-scenarios.ts) writes the snapshot that event read and its golden outcome.
import { CHECK_NAMES, MARKERS } from "../../src/core/vocabulary.js";
import type { AppConfig } from "../../src/app/config.js";
import type { AppHandle } from "../../src/app/index.js";
import type { PipelineResult } from "../../src/app/pipeline.js";
import { encodeReplayData } from "../../src/replay/report-codec.js";
import type { ReplayReport } from "../../src/replay/types.js";
import { FakeGitHub, type WorldSpec } from "./fake-github.js";
import {
  BOT,
  HEAD,
  HEAD2,
  MANIFEST,
  OWNER,
  PARTNER,
  PR,
  REPO,
  REVIEWER,
  TEAM_REVIEWER,
  addReplayRun,
  checkRunEvent,
  commentEvent,
  greenReplay,
  harness,
  integrationFiles,
  liveCatalog,
  prEventNow,
  tickItem,
  world,
} from "./harness.js";

export interface Stage {
  fake: FakeGitHub;
  config: AppConfig;
  handle: AppHandle;
  /** Delivers an event; the pipeline's result for the pull request (the last one if several). */
  send(name: string, payload: Record<string, any>, id?: string): Promise<PipelineResult>;
  /** Runs the overdue sweep; its result for the pull request. */
  sweep(): Promise<PipelineResult>;
}

export interface Recipe {
  name: string;
  description: string;
  world?: () => WorldSpec;
  config?: Partial<AppConfig>;
  /** Brings the pull request to the scenario and returns the result of the event to record. */
  run(stage: Stage): Promise<PipelineResult>;
}

export async function stage(recipe: Recipe): Promise<Stage> {
  const fake = new FakeGitHub(recipe.world?.() ?? world());
  const { config, handle, results, receive } = await harness(fake, { config: recipe.config, fetch: true, attempts: 1 });
  const last = (before: number): PipelineResult => {
    const r = results.slice(before).at(-1);
    if (!r) throw new Error("the event was not handled");
    return r;
  };
  return {
    fake,
    config,
    handle,
    async send(name, payload, id) {
      const before = results.length;
      await receive(name, payload, id);
      return last(before);
    },
    async sweep() {
      const before = results.length;
      await handle.sweep!();
      return last(before);
    },
  };
}

// ── Steps ────────────────────────────────────────────────────────────────────────────────────

const MINUTE = 60_000;
const GREEN = greenReplay(6, 2);

const open = (s: Stage) => s.send("pull_request", prEventNow(s.fake, "opened", { sender: PARTNER }));

/** The Action's replay results arrive on the head. */
async function replayArrives(s: Stage, report: ReplayReport = GREEN): Promise<PipelineResult> {
  s.fake.tick(MINUTE);
  const head = s.fake.pull(OWNER, REPO, PR).head;
  addReplayRun(s.fake, report, {
    head_sha: head,
    started_at: s.fake.now,
    completed_at: s.fake.now,
    output: { title: "Replay", summary: "ok", text: `results\n${encodeReplayData(report)}` },
  });
  return s.send("check_run", checkRunEvent("completed", { name: CHECK_NAMES.replay, head }));
}

/** `who` ticks `item` in the checklist comment. */
async function tick(s: Stage, who: { login: string; type: string }, item = "access-granted"): Promise<PipelineResult> {
  s.fake.tick(MINUTE);
  const { id, from, body } = tickItem(s.fake, item);
  return s.send("issue_comment", commentEvent("edited", { id, body, from, sender: who, at: s.fake.now }));
}

/** `who` applies `label`; the delivery names `head` (what they saw; the current head by default). */
async function label(
  s: Stage,
  who: { login: string; type: "User" | "Bot" },
  name = "stage: public-beta",
  o: { head?: string; at?: string } = {},
): Promise<PipelineResult> {
  s.fake.tick(MINUTE);
  s.fake.label(OWNER, REPO, PR, name, who, o.at ?? s.fake.now);
  return s.send(
    "pull_request",
    prEventNow(s.fake, "labeled", {
      label: name,
      sender: who,
      updatedAt: o.at ?? s.fake.now,
      ...(o.head ? { head: o.head } : {}),
    }),
  );
}

async function push(s: Stage, head = HEAD2): Promise<PipelineResult> {
  s.fake.tick(60 * MINUTE);
  s.fake.pull(OWNER, REPO, PR).head = head;
  return s.send("pull_request", prEventNow(s.fake, "synchronize", { head, sender: PARTNER }));
}

/** Everything a Public Beta label needs except the label. */
async function ready(s: Stage): Promise<void> {
  await open(s);
  await replayArrives(s);
  await tick(s, REVIEWER);
}

/** The manifest of the fixture in Public Beta at `version`, with `edit` applied. */
const liveManifest = (version: string, edit: (t: string) => string = (t) => t) =>
  edit(
    MANIFEST.replace(
      "stage: developer-preview # recorded by the App",
      `stage: public-beta # recorded by the App\nversion: ${version}`,
    ),
  );

/** A unified diff: one hunk per changed line when the line count is the same, else one hunk replacing the whole text. */
function linePatch(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  if (a.length !== b.length)
    return [`@@ -1,${a.length} +1,${b.length} @@`, ...a.map((l) => `-${l}`), ...b.map((l) => `+${l}`)].join("\n");
  return b
    .flatMap((line, i) => (line === a[i] ? [] : [`@@ -${i + 1},1 +${i + 1},1 @@`, `-${a[i]}`, `+${line}`]))
    .join("\n");
}

/**
 * A live integration (Public Beta, version 1.0.0 approved, its catalog record in the folder form)
 * whose pull request brings `head`: the default branch holds the approved manifest.
 */
function liveWorld(head: string): () => WorldSpec {
  const approved = liveManifest("1.0.0");
  return () => {
    const spec = worldWith({
      manifest: head,
      files: [{ filename: "integration.yml", status: "modified", patch: linePatch(approved, head) }],
      catalog: liveCatalog(approved),
    })();
    spec.repos[0]!.contents = { master: { "integration.yml": approved } };
    return spec;
  };
}

function worldWith(o: {
  manifest?: string;
  files?: { filename: string; status?: string; patch?: string; previous_filename?: string }[];
  catalog?: Record<string, string>;
  extra?: Record<string, string>;
}): () => WorldSpec {
  return () => {
    const spec = world({
      files: { ...integrationFiles(o.manifest), ...(o.extra ?? {}) },
      ...(o.catalog ? { catalog: o.catalog } : {}),
    });
    if (o.files) spec.repos[0]!.pulls![0]!.files = o.files;
    return spec;
  };
}

// ── The scenarios ────────────────────────────────────────────────────────────────────────────

export const RECIPES: Recipe[] = [
  {
    name: "01-opened",
    description:
      "The partner opens the pull request: first review (check run, checklist comment, in-review label, reviewers requested).",
    run: open,
  },
  {
    name: "02-redelivered",
    description: "The opened delivery again, its payload's labels now stale: read fresh, nothing to write.",
    run: async (s) => {
      const payload = prEventNow(s.fake, "opened", { sender: PARTNER });
      await s.send("pull_request", payload, "same");
      return s.send("pull_request", payload, "same");
    },
  },
  {
    name: "03-push-nothing-visible",
    description: "A push whose review is the same: one check run on the new head, nothing else.",
    run: async (s) => {
      await open(s);
      return push(s);
    },
  },
  {
    name: "04-label-by-non-reviewer",
    description: "The partner applies the Public Beta label: removed, with who may apply it.",
    run: async (s) => {
      await ready(s);
      return label(s, PARTNER);
    },
  },
  {
    name: "05-label-on-stale-head",
    description:
      "A reviewer labels the head they saw, but the partner pushed since: refused (label applied to an older head).",
    run: async (s) => {
      await ready(s);
      s.fake.tick(MINUTE);
      s.fake.pull(OWNER, REPO, PR).head = HEAD2;
      return label(s, REVIEWER, "stage: public-beta", { head: HEAD });
    },
  },
  {
    name: "06-tick-by-non-reviewer",
    description: "The partner ticks a reviewer item in the checklist comment: reverted, with a note.",
    run: async (s) => {
      await open(s);
      return tick(s, PARTNER);
    },
  },
  {
    name: "07-tick-by-reviewer",
    description: "A reviewer ticks their item: confirmed and signed into the comment's record.",
    run: async (s) => {
      await open(s);
      return tick(s, REVIEWER);
    },
  },
  {
    name: "08-promotion",
    description:
      "A team reviewer applies the Public Beta label after the last push with every gate met: catalog record written, manifest mirrored, audit note.",
    run: async (s) => {
      await ready(s);
      return label(s, TEAM_REVIEWER);
    },
  },
  {
    name: "09-redelivered-after-promotion",
    description: "The promoting label delivery again: the catalog already records it; nothing is written.",
    run: async (s) => {
      await ready(s);
      s.fake.tick(MINUTE);
      s.fake.label(OWNER, REPO, PR, "stage: public-beta", TEAM_REVIEWER);
      const payload = prEventNow(s.fake, "labeled", {
        label: "stage: public-beta",
        sender: TEAM_REVIEWER,
        updatedAt: s.fake.now,
      });
      await s.send("pull_request", payload, "label");
      return s.send("pull_request", payload, "label");
    },
  },
  {
    name: "10-refused-gates-unmet",
    description:
      "A reviewer applies the label before replay ran and before their item is ticked: removed, every unmet gate listed.",
    run: async (s) => {
      await open(s);
      return label(s, REVIEWER);
    },
  },
  {
    name: "11-refused-skip-a-stage",
    description:
      "A reviewer applies the Public label to a Developer Preview integration: removed (one stage at a time).",
    run: async (s) => {
      await ready(s);
      return label(s, REVIEWER, "stage: public");
    },
  },
  {
    name: "12-refused-errors-on-head",
    description: "Every checklist gate met but the review reports an error on the head: refused.",
    world: worldWith({ manifest: MANIFEST.replace("Product analytics for teams.", "TODO") }),
    run: async (s) => {
      await ready(s);
      return label(s, REVIEWER);
    },
  },
  {
    name: "13-refused-workflow-changed",
    description:
      "The pull request changes a workflow file: its replay results are not trusted, so the label is refused.",
    world: worldWith({
      extra: { ".github/workflows/ci.yml": "on: push\n" },
      files: [
        { filename: "integration.yml", status: "added", patch: "@@ -0,0 +1,1 @@\n+apiVersion: devcenter/v1" },
        { filename: ".github/workflows/ci.yml", status: "added", patch: "@@ -0,0 +1,1 @@\n+on: push" },
      ],
    }),
    run: async (s) => {
      await ready(s);
      return label(s, REVIEWER);
    },
  },
  {
    name: "14-refused-stage-edited-by-hand",
    description:
      "The pull request sets `stage: public-beta` in the manifest itself: the check fails and the label is refused.",
    world: worldWith({
      manifest: MANIFEST.replace("stage: developer-preview # recorded by the App", "stage: public-beta"),
      files: [
        {
          filename: "integration.yml",
          status: "modified",
          patch: "@@ -11,1 +11,1 @@\n-stage: developer-preview # recorded by the App\n+stage: public-beta",
        },
      ],
    }),
    run: async (s) => {
      await ready(s);
      return label(s, REVIEWER);
    },
  },
  {
    name: "15-refused-label-before-push",
    description:
      "The label delivery arrives late: it was applied before the head it names was pushed (the App's first check run on it).",
    run: async (s) => {
      await ready(s);
      const before = new Date(Date.parse(s.fake.now) + 30_000).toISOString();
      await push(s);
      await replayArrives(s);
      return label(s, REVIEWER, "stage: public-beta", { at: before });
    },
  },
  {
    name: "16-refused-catalog-other-repository",
    description:
      "The slug is recorded in the catalog for another repository: the label is refused, the catalog problem named.",
    world: worldWith({
      catalog: {
        "integrations/acme-analytics.json": JSON.stringify({
          slug: "acme-analytics",
          name: "Acme",
          repository: "someone/else",
          root: "",
          stage: "PRIVATE_BUILDING",
          history: [],
        }),
      },
    }),
    run: async (s) => {
      await ready(s);
      return label(s, REVIEWER);
    },
  },
  {
    name: "17-two-deliveries-at-once",
    description:
      "Two replicas (no Redis) each posted a checklist comment for the same delivery: the next event keeps the first and deletes the other.",
    run: async (s) => {
      await open(s);
      const live = s.fake.commentsOn(OWNER, REPO, PR).find((c) => c.body.includes(MARKERS.checklist))!;
      s.fake.addComment(OWNER, REPO, { issue: PR, user: BOT, body: live.body, created_at: s.fake.now });
      s.fake.tick(MINUTE);
      s.fake.addComment(OWNER, REPO, {
        id: 77_001,
        issue: PR,
        user: PARTNER,
        body: "any news?",
        created_at: s.fake.now,
      });
      return s.send(
        "issue_comment",
        commentEvent("created", { id: 77_001, body: "any news?", sender: PARTNER, at: s.fake.now }),
      );
    },
  },
  {
    name: "18-overdue-sweep",
    description:
      "No reviewer responded within two business days: the sweep adds the overdue label and pings the reviewers once.",
    run: async (s) => {
      await open(s);
      s.fake.tick(3 * 24 * 60 * MINUTE);
      return s.sweep();
    },
  },
  {
    name: "19-help-command",
    description: "The partner asks `/devcenter help`: one note with the commands.",
    run: async (s) => {
      await open(s);
      s.fake.tick(MINUTE);
      s.fake.addComment(OWNER, REPO, {
        id: 77_002,
        issue: PR,
        user: PARTNER,
        body: "/devcenter help",
        created_at: s.fake.now,
      });
      return s.send(
        "issue_comment",
        commentEvent("created", { id: 77_002, body: "/devcenter help", sender: PARTNER, at: s.fake.now }),
      );
    },
  },
  {
    name: "20-replay-results-arrive",
    description:
      "The Action's `devcenter replay` check run completes on the head: the comment and check run show the results.",
    run: async (s) => {
      await open(s);
      return replayArrives(s);
    },
  },
  {
    name: "21-live-integration-change",
    description:
      "A live integration's change: version 1.1.0 of an integration in Public Beta (record in the folder form, 1.0.0 approved) changes its description. The change list is a notice; a reviewer applies `stage: public-beta`, the stage it is already in: the new version is recorded (one catalog commit), the label stays.",
    world: liveWorld(
      liveManifest("1.1.0", (t) =>
        t.replace(
          "description: Product analytics for teams.",
          "description: Product analytics for teams, with cohorts.",
        ),
      ),
    ),
    run: async (s) => {
      await ready(s);
      return label(s, REVIEWER);
    },
  },
  {
    name: "22-live-integration-breaking-change",
    description:
      'A declared breaking change to a live integration: version 2.0.0 with its `breakingChanges` entry changes a component. The reviewer item "Breaking change approved" and the breaking-change label; once a reviewer ticks it, the current stage\'s label records 2.0.0 as a breaking change.',
    world: liveWorld(
      liveManifest("2.0.0", (t) =>
        t
          .replace("    supports: [track]", "    supports: [track, identify]")
          .replace(
            "docs:\n",
            "breakingChanges: [{ version: 2.0.0, message: Identify calls are sent., upgradeDeadline: 2099-03-01, migrationGuide: docs/segment.md }]\ndocs:\n",
          ),
      ),
    ),
    run: async (s) => {
      await ready(s);
      await tick(s, REVIEWER, "breaking-approved");
      return label(s, REVIEWER);
    },
  },
];
