// Shared setup for the App's tests: a Probot instance wired to the fake GitHub, operator config,
// a deterministic stub of the review engine (golden files stay stable while the real engine's
// wording evolves; other tests use the real engine), and real webhook payloads from
// @octokit/webhooks-examples adjusted to the fixture repository.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Probot, ProbotOctokit } from "probot";
import { parseDocument, parse as parseYaml } from "yaml";
import { readyFor } from "../../src/checks/registry.js";
import type { Baseline, ChangeEntry, ChangeSummary } from "../../src/change/check.js";
import type { Diagnostic } from "../../src/core/diagnostic.js";
import { decodeText } from "../../src/core/text.js";
import { CHECK_NAMES, MARKERS } from "../../src/core/vocabulary.js";
import type { Report, ChecklistResult } from "../../src/report.js";
import type { AppConfig } from "../../src/app/config.js";
import { createApp, type AppHandle } from "../../src/app/index.js";
import type { PipelineResult } from "../../src/app/pipeline.js";
import { KeyedQueue } from "../../src/app/queue.js";
import { BlobCache } from "../../src/app/tree-source.js";
import { encodeReplayData } from "../../src/replay/report-codec.js";
import type { ReplayReport } from "../../src/replay/types.js";
import type { ReviewFn } from "../../src/app/types.js";
import type { CheckRunSpec, FakeGitHub, PullSpec, WorldSpec } from "./fake-github.js";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, any>[] }[];

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const PR = 2;
/** The head SHA in the example payloads. */
export const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
export const HEAD2 = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
export const PARTNER = { login: "Codertocat", type: "User" as const };
export const REVIEWER = { login: "rita", type: "User" as const };
export const TEAM_REVIEWER = { login: "tomas", type: "User" as const };
export const BOT = { login: "devcenter[bot]", type: "Bot" as const };

export function testConfig(over: Partial<AppConfig> = {}): AppConfig {
  return {
    reviewers: { logins: ["rita"], team: { org: "platform", slug: "integration-reviewers" } },
    catalog: { owner: "platform", repo: "catalog", path: "integrations" },
    manifestFile: "integration.yml",
    reviewBusinessDays: 2,
    stateSecret: "test-secret",
    botLogin: "devcenter[bot]",
    dryRun: false,
    operatorInstallationId: 2,
    sweepEveryMinutes: 0,
    ...over,
  };
}

/**
 * ProbotOctokit without retries or throttling. An object passed to `defaults` loses to the throttle
 * options Probot layers on top (and the throttle's write pacing adds seconds per test); a function
 * sees those options and can switch them off.
 */
export function testOctokit(extra: Record<string, unknown> = {}): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: Record<string, any>) => ({
    ...options,
    ...extra,
    retry: { enabled: false },
    throttle: { ...(options.throttle ?? {}), enabled: false },
  })) as typeof ProbotOctokit;
}

export interface Harness {
  probot: Probot;
  config: AppConfig;
  results: PipelineResult[];
  handle: AppHandle;
  receive(name: string, payload: Record<string, any>, id?: string): Promise<void>;
}

export interface HarnessOptions {
  config?: Partial<AppConfig>;
  review?: ReviewFn;
  /**
   * Answer the App's calls through Octokit's `fetch` (the recorder and the bench, which run outside
   * vitest); by default they go out over HTTP, where nock answers them from `fake` (net connect
   * stays disabled: each test file's `nock.disableNetConnect()`).
   */
  fetch?: boolean;
  /** Attempts per API call: 3 by default (the retry tests), 1 where a failure should show at once. */
  attempts?: number;
  /** Keep every pipeline result in `results` (default); the bench's memory run keeps none. */
  keepResults?: boolean;
}

/** The App on a Probot instance wired to `fake`: the one set-up the tests, the recorder and the bench share. */
export async function harness(fake: FakeGitHub, options: HarnessOptions = {}): Promise<Harness> {
  if (!options.fetch) fake.intercept();
  const results: PipelineResult[] = [];
  const config = testConfig(options.config);
  const handle: AppHandle = { queue: new KeyedQueue(), blobs: new BlobCache(), directory: () => undefined };
  const probot = new Probot({
    githubToken: "test",
    logLevel: "fatal",
    Octokit: testOctokit(),
    ...(options.fetch ? { request: { fetch: fake.fetch } } : {}),
  });
  await probot.load(
    createApp(
      {
        config,
        review: options.review ?? stubReview,
        clock: () => new Date(fake.now),
        retry: { attempts: options.attempts ?? 3, baseDelayMs: 0, maxDelayMs: 0, sleep: async () => {} },
        ...(options.keepResults === false ? {} : { onResult: (r: PipelineResult) => results.push(r) }),
      },
      handle,
    ),
  );
  let n = 0;
  return {
    probot,
    config,
    results,
    handle,
    receive: (name, payload, id) => probot.receive({ id: id ?? `delivery-${++n}`, name, payload } as any),
  };
}

/** The Action's `devcenter replay` check run on `head` (HEAD by default), carrying `report` for `root`. */
export function addReplayRun(
  fake: FakeGitHub,
  report: ReplayReport,
  run: Partial<CheckRunSpec> & { root?: string } = {},
): number {
  const { root, ...spec } = run;
  return fake.addCheckRun({
    name: CHECK_NAMES.replay,
    head_sha: HEAD,
    conclusion: "success",
    app: "github-actions",
    output: { text: encodeReplayData(report, root) },
    ...spec,
  });
}

/** A green replay report as the Action writes it: `pass` and `unsupported` counted, one passing track case listed. */
export function greenReplay(pass: number, unsupported: number): ReplayReport {
  return {
    summary: { pass, unsupported, fail: 0 },
    cases: [
      {
        name: "Track — user signs up",
        type: "track",
        status: "pass",
        httpStatus: 200,
        durationMs: 12,
        message: "delivered",
        group: "test-suite",
      },
    ],
  };
}

/** Ticks reviewer item `item` in the live checklist comment, as a person editing it would. */
export function tickItem(fake: FakeGitHub, item = "access-granted"): { id: number; from: string; body: string } {
  const live = fake.commentsOn(OWNER, REPO, PR).find((c) => c.body.includes(MARKERS.checklist));
  if (!live) throw new Error("no checklist comment");
  const from = live.body;
  const body = from.replace(new RegExp(`- \\[ \\] (.*<!-- devcenter:item ${item} -->)`), "- [x] $1");
  if (body === from) throw new Error(`no unticked ${item}`);
  live.body = body;
  live.updated_at = fake.now;
  return { id: live.id, from, body };
}

// ── Payloads ─────────────────────────────────────────────────────────────────────────────────

export function example(
  name: string,
  action: string,
  pick: (e: Record<string, any>) => boolean = () => true,
): Record<string, any> {
  const group = examples.find((g) => g.name === name);
  const found = group?.examples.find((e) => e.action === action && pick(e));
  if (!found) throw new Error(`no example ${name}.${action}`);
  return structuredClone(found);
}

export interface PayloadOptions {
  sender?: { login: string; type: string };
  head?: string;
  label?: string;
  updatedAt?: string;
  draft?: boolean;
  /** Another pull request of the fixture repository than PR. */
  number?: number;
}

/** A pull_request payload carrying the pull request as the fake GitHub has it now (as GitHub would). */
export function prEventNow(fake: FakeGitHub, action: string, o: PayloadOptions = {}): Record<string, any> {
  const p = fake.pull(OWNER, REPO, o.number ?? PR);
  const base = prEvent(action, { head: p.head, draft: p.draft ?? false, updatedAt: p.updated_at ?? fake.now, ...o });
  base.number = base.pull_request.number = p.number;
  base.pull_request.created_at = p.created_at;
  base.pull_request.user = { ...base.pull_request.user, login: p.user.login, type: p.user.type ?? "User" };
  base.pull_request.labels = (p.labels ?? []).map((name) => ({ id: 1, name, color: "ededed" }));
  base.pull_request.requested_reviewers = (p.requested_reviewers ?? []).map((login) => ({ login, type: "User" }));
  return base;
}

export function prEvent(action: string, o: PayloadOptions = {}): Record<string, any> {
  const base =
    action === "labeled" || action === "unlabeled"
      ? example("pull_request", action)
      : (tryExample("pull_request", action) ?? example("pull_request", "synchronize"));
  base.action = action;
  base.installation ??= { id: 1 };
  if (o.sender) base.sender = { ...base.sender, login: o.sender.login, type: o.sender.type };
  if (o.head) base.pull_request.head.sha = o.head;
  if (o.label) base.label = { ...(base.label ?? { id: 1, color: "ededed" }), name: o.label };
  if (o.updatedAt) base.pull_request.updated_at = o.updatedAt;
  if (o.draft !== undefined) base.pull_request.draft = o.draft;
  return base;
}

function tryExample(name: string, action: string) {
  try {
    return example(name, action, (e) => e.installation !== undefined) ?? example(name, action);
  } catch {
    try {
      return example(name, action);
    } catch {
      return undefined;
    }
  }
}

/** An issue_comment payload on the pull request (the examples' comments are on an issue: add `pull_request`). */
export function commentEvent(
  action: "created" | "edited",
  c: { id: number; body: string; from?: string; sender: { login: string; type: string }; at: string },
): Record<string, any> {
  const base = example("issue_comment", action);
  base.installation ??= { id: 1 };
  base.issue.number = PR;
  base.issue.pull_request = { url: `https://api.github.com/repos/${OWNER}/${REPO}/pulls/${PR}` };
  base.comment.id = c.id;
  base.comment.body = c.body;
  base.comment.updated_at = c.at;
  base.comment.user = { ...base.comment.user, login: c.sender.login, type: c.sender.type };
  base.sender = { ...base.sender, login: c.sender.login, type: c.sender.type };
  if (action === "edited") base.changes = { body: { from: c.from ?? "" } };
  return base;
}

export function checkRunEvent(
  action: "completed" | "rerequested",
  run: { name: string; head: string; prs?: number[] },
): Record<string, any> {
  const base = action === "rerequested" ? example("check_run", "rerequested") : example("check_run", "completed");
  base.installation ??= { id: 1 };
  base.repository = example("pull_request", "synchronize").repository;
  base.check_run.name = run.name;
  base.check_run.head_sha = run.head;
  base.check_run.pull_requests = (run.prs ?? [PR]).map((n) => ({
    number: n,
    head: { sha: run.head },
    base: { ref: "main" },
  }));
  return base;
}

// ── A deterministic stand-in for the review engine ───────────────────────────────────────────

/**
 * Reads integration.yml (and the docs file it names) through the FileSource like the engine does,
 * reports an error on a `description` containing TODO, and returns a fixed four-item checklist.
 * A manifest with a `version`, given an approved one (a live integration's catalog record), gets
 * a change list of its own wording (stubChange) and, for a declared breaking change, the reviewer
 * item "Breaking change approved", as the engine's change check gives them.
 */
export const stubReview: ReviewFn = async (source, options = {}) => {
  const file = options.manifestFile ?? "integration.yml";
  const diagnostics: Diagnostic[] = [];
  let manifest: any;
  const read = await source.read(file, 256 * 1024);
  if (!read.ok) diagnostics.push({ ruleId: "file/unreadable", severity: "error", message: read.message, file });
  else {
    const text = decodeText(read.bytes, file);
    if (!text.ok) diagnostics.push({ ruleId: "file/encoding", severity: "error", message: text.message, file });
    else {
      const doc = parseDocument(text.text);
      manifest = doc.toJSON();
      const lines = text.text.split("\n");
      lines.forEach((line, i) => {
        const col = line.indexOf("TODO");
        if (col >= 0)
          diagnostics.push({
            ruleId: "manifest/todo",
            severity: "error",
            message: "Replace the TODO with the real text @someone #12.",
            file,
            line: i + 1,
            column: col + 1,
            endColumn: col + 5,
          });
      });
      if (manifest?.docs?.segment) {
        const docs = await source.read(manifest.docs.segment, 1024 * 1024);
        if (!docs.ok)
          diagnostics.push({
            ruleId: "docs/missing",
            severity: "error",
            message: docs.message,
            file: manifest.docs.segment,
          });
      }
    }
  }
  const replay = manifest && options.replay ? await options.replay(manifest) : undefined;
  const baseline =
    typeof manifest?.version === "string" && typeof options.baseline === "function"
      ? await options.baseline(manifest)
      : undefined;
  const change = baseline && "manifest" in baseline ? stubChange(baseline, manifest) : undefined;
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const customers = new Set((manifest?.customers ?? []).map((c: any) => c.workspace)).size;
  const checklist: ChecklistResult[] = [
    {
      id: "manifest-valid",
      title: "integration.yml is valid",
      category: "Build",
      stage: "public-beta",
      automatic: true,
      ...(errors ? { status: "fail" as const, reason: `${errors} errors` } : { status: "pass" as const }),
    },
    {
      id: "test-suite",
      title: "Test Suite all green or yellow",
      category: "Build",
      stage: "public-beta",
      automatic: true,
      ...(replay
        ? replay.summary.fail
          ? { status: "fail" as const, reason: `${replay.summary.fail} red` }
          : { status: "pass" as const }
        : { status: "fail" as const, reason: "Replay has not run." }),
    },
    {
      id: "access-granted",
      title: "Partner access granted",
      category: "Access",
      stage: "public-beta",
      automatic: false,
      ...(options.confirmed?.has("access-granted")
        ? { status: "pass" as const }
        : { status: "manual" as const, reason: "A reviewer confirms this item." }),
    },
    {
      id: "customers",
      title: "At least 3 customers use the integration",
      category: "Public",
      stage: "public",
      automatic: true,
      ...(customers >= 3
        ? { status: "pass" as const }
        : { status: "fail" as const, reason: `${customers} customers listed` }),
    },
  ];
  if (change?.live && change.declared) {
    checklist.push({
      id: "breaking-approved",
      title: "Breaking change approved",
      category: "Review",
      stage: "public-beta",
      automatic: false,
      ...(options.confirmed?.has("breaking-approved")
        ? { status: "pass" as const }
        : { status: "manual" as const, reason: "A reviewer confirms this item." }),
    });
  }
  const report: Report = {
    root: source.label,
    manifestFile: file,
    ...(manifest ? { manifest } : {}),
    diagnostics,
    events: { files: 0, events: 0 },
    ...(replay ? { replay } : {}),
    ...(change ? { change } : {}),
    checklist,
    readyFor: readyFor(checklist, errors),
    ...(manifest?.stage ? { stage: manifest.stage } : {}),
    summary: { errors, warnings: diagnostics.length - errors },
  };
  return report;
};

/**
 * The stub's change list: each `app` field and each other top-level key that differs from the
 * approved manifest; a change to `components` is breaking, anything else a notice. Declared when
 * the major version is raised and `breakingChanges` has an entry for the new version.
 */
function stubChange(baseline: Baseline, manifest: Record<string, any>): ChangeSummary {
  const before = baseline.manifest as unknown as Record<string, any>;
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  const keys = [
    ...[...new Set([...Object.keys(before.app ?? {}), ...Object.keys(manifest.app ?? {})])]
      .filter((k) => differs(before.app?.[k], manifest.app?.[k]))
      .map((k) => `app.${k}`),
    ...[...new Set([...Object.keys(before), ...Object.keys(manifest)])].filter(
      (k) => !["app", "stage", "version", "breakingChanges"].includes(k) && differs(before[k], manifest[k]),
    ),
  ].sort();
  const changes: ChangeEntry[] = keys.map((k) =>
    k === "components"
      ? { ruleId: "change/setting-removed", breaking: true, message: "A component changed: breaking." }
      : { ruleId: "change/listing", breaking: false, message: `${k} changed.` },
  );
  const breaking = changes.filter((c) => c.breaking).length;
  const major = (v: unknown) => Number(String(v ?? "0").split(".")[0]);
  const declared =
    breaking > 0 &&
    major(manifest.version) > major(baseline.version) &&
    (manifest.breakingChanges ?? []).some((b: { version?: string }) => b.version === manifest.version);
  return {
    baseline: baseline.label,
    baselineStage: baseline.stage,
    ...(baseline.version ? { from: baseline.version } : {}),
    to: manifest.version,
    live: baseline.stage === "public-beta" || baseline.stage === "public",
    breaking,
    notices: changes.length - breaking,
    declared,
    changes,
  };
}

// ── The fixture world ────────────────────────────────────────────────────────────────────────

export const MANIFEST = `apiVersion: devcenter/v1
app:
  name: Acme Analytics
  slug: acme-analytics
  description: Product analytics for teams.
  website: https://acme.example
  supportEmail: partners@acme.example
  categories: [Analytics]
  logo: assets/logo.svg
  mark: assets/mark.svg
stage: developer-preview # recorded by the App
components:
  - type: subscription
    style: webhook
    supports: [track]
    settings: []
    webhook: { url: "http://localhost:3000" }
docs:
  segment: docs/segment.md
customers:
  - workspace: one
`;

export function integrationFiles(manifest = MANIFEST): Record<string, string> {
  return {
    "README.md": "# Acme\n",
    "integration.yml": manifest,
    "docs/segment.md": "---\ntitle: Acme Analytics Destination\n---\nAcme.\n",
    "assets/logo.svg": "<svg/>",
    "assets/mark.svg": "<svg/>",
  };
}

export function world(
  over: { files?: Record<string, string>; pull?: Partial<PullSpec>; catalog?: Record<string, string> } = {},
): WorldSpec {
  const files = over.files ?? integrationFiles();
  return {
    now: "2024-03-04T10:00:00.000Z", // a Monday
    app: { slug: "devcenter" },
    teams: { "platform/integration-reviewers": ["tomas"] },
    installations: [{ id: 1, repos: [`${OWNER}/${REPO}`] }],
    repos: [
      {
        owner: OWNER,
        name: REPO,
        defaultBranch: "master", // as in the webhook examples
        commits: { [HEAD]: files, [HEAD2]: { ...files, "README.md": "# Acme, pushed again\n" } },
        contents: { master: { "integration.yml": files["integration.yml"] ?? MANIFEST } },
        pulls: [
          {
            number: PR,
            user: PARTNER,
            head: HEAD,
            created_at: "2024-03-04T09:00:00Z",
            labels: ["bug"],
            files: [
              {
                filename: "integration.yml",
                status: "added",
                patch: "@@ -0,0 +1,3 @@\n+apiVersion: devcenter/v1\n+app:\n+  name: Acme Analytics",
              },
            ],
            ...(over.pull ?? {}),
          },
        ],
        timeline: {},
      },
      {
        owner: "platform",
        name: "catalog",
        defaultBranch: "main",
        commits: {},
        contents: { main: over.catalog ?? {} },
      },
    ],
  };
}

/** Where the catalog keeps the fixture integration's record (the folder form). */
export const RECORD_DIR = "integrations/acme-analytics";

/**
 * A live integration's catalog files: the record of version 1.0.0 (`approved`) in Public Beta, in the
 * folder form, with `kept` files beside the manifest (kind → content).
 */
export function liveCatalog(
  approved: string,
  kept: Partial<Record<"docs" | "catalog" | "logo", string>> = {},
): Record<string, string> {
  const names = { docs: "docs.md", catalog: "catalog.md", logo: "logo.svg" } as const;
  const extra = Object.entries(kept).map(([kind, text]) => [kind, names[kind as keyof typeof names], text] as const);
  const record = {
    schema: 2,
    slug: "acme-analytics",
    name: "Acme Analytics",
    repository: `${OWNER}/${REPO}`,
    root: "",
    stage: "PUBLIC_BETA",
    version: "1.0.0",
    manifest: parseYaml(approved),
    files: { manifest: "integration.yml", ...Object.fromEntries(extra.map(([kind, name]) => [kind, name])) },
    history: [
      {
        version: "1.0.0",
        stage: "PUBLIC_BETA",
        approvedBy: "rita",
        approvedAt: "2024-02-01T10:00:00.000Z",
        pullRequest: `https://github.com/${OWNER}/${REPO}/pull/1`,
        headSha: "1".repeat(40),
        breaking: false,
      },
    ],
  };
  return {
    [`${RECORD_DIR}/record.json`]: `${JSON.stringify(record, null, 2)}\n`,
    [`${RECORD_DIR}/integration.yml`]: approved,
    ...Object.fromEntries(extra.map(([, name, text]) => [`${RECORD_DIR}/${name}`, text])),
  };
}

/**
 * The files of one of the repository's examples (examples/NAME), as a commit's file map. The bench,
 * bundled into another folder, names the examples folder from where it runs.
 */
export function exampleFiles(
  name = "webhook",
  examples = new URL("../../examples/", import.meta.url),
): Record<string, string> {
  const root = fileURLToPath(new URL(`${name}/`, examples));
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir))) {
      const rel = dir ? `${dir}/${entry}` : entry;
      if (statSync(join(root, rel)).isDirectory()) walk(rel);
      else files[rel] = readFileSync(join(root, rel), "utf8");
    }
  };
  walk("");
  return files;
}
