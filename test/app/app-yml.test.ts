// app.yml against what the App really does: every REST call and GraphQL query the App makes through a pull
// request's whole life (opening, duplicates, commands, ticks, replay results found by SHA, labels
// from a partner and a reviewer, a promotion with the catalog commit and the manifest mirror,
// annotations past 50, the sweep) is mapped to the permission GitHub documents for it, and every
// event handled to the permission GitHub requires before it delivers that event. The manifest must
// ask for exactly that set: nothing missing, nothing extra.
import { readFileSync } from "node:fs";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHECK_NAMES, MARKERS } from "../../src/core/vocabulary.js";
import { EVENTS } from "../../src/app/index.js";
import type { ReviewFn } from "../../src/app/types.js";
import { FakeGitHub, type LoggedRequest } from "./fake-github.js";
import {
  BOT,
  HEAD,
  OWNER,
  PARTNER,
  PR,
  REPO,
  REVIEWER,
  TEAM_REVIEWER,
  addReplayRun,
  checkRunEvent,
  commentEvent,
  harness,
  prEventNow,
  stubReview,
  tickItem,
  world,
} from "./harness.js";

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

type Level = "read" | "write";
/** REST routes → the fine-grained permission GitHub documents for them ("jwt": the App itself, none). */
const ROUTES: { method: string; path: RegExp; permission: string; level?: Level }[] = [
  { method: "GET", path: /^\/app$/, permission: "jwt" },
  { method: "GET", path: /^\/app\/installations$/, permission: "jwt" },
  { method: "GET", path: /^\/(orgs\/[^/]+|repos\/[^/]+\/[^/]+)\/installation$/, permission: "jwt" },
  { method: "GET", path: /^\/installation\/repositories$/, permission: "metadata", level: "read" },
  { method: "GET", path: /^\/orgs\/[^/]+\/teams\/[^/]+\/memberships\/[^/]+$/, permission: "members", level: "read" },
  {
    method: "GET",
    path: /^\/repos\/[^/]+\/[^/]+\/pulls(\/\d+(\/files)?)?$/,
    permission: "pull_requests",
    level: "read",
  },
  {
    method: "POST",
    path: /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/requested_reviewers$/,
    permission: "pull_requests",
    level: "write",
  },
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/pulls$/, permission: "pull_requests", level: "read" },
  // Issues endpoints on a pull request: "Issues" or "Pull requests" — the App holds the latter.
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/timeline$/, permission: "pull_requests", level: "read" },
  {
    method: "POST",
    path: /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/(comments|labels)$/,
    permission: "pull_requests",
    level: "write",
  },
  {
    method: "DELETE",
    path: /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/labels\/.+$/,
    permission: "pull_requests",
    level: "write",
  },
  {
    method: "PATCH",
    path: /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+$/,
    permission: "pull_requests",
    level: "write",
  },
  {
    method: "DELETE",
    path: /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+$/,
    permission: "pull_requests",
    level: "write",
  },
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/git\/(trees|blobs)\/[^/]+$/, permission: "contents", level: "read" },
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/contents\/.+$/, permission: "contents", level: "read" },
  { method: "PUT", path: /^\/repos\/[^/]+\/[^/]+\/contents\/.+$/, permission: "contents", level: "write" },
  // The catalog record as one commit (Git Data API): Contents read and write.
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+$/, permission: "metadata", level: "read" },
  {
    method: "GET",
    path: /^\/repos\/[^/]+\/[^/]+\/git\/(ref\/heads\/.+|commits\/[^/]+)$/,
    permission: "contents",
    level: "read",
  },
  {
    method: "POST",
    path: /^\/repos\/[^/]+\/[^/]+\/git\/(blobs|trees|commits)$/,
    permission: "contents",
    level: "write",
  },
  { method: "PATCH", path: /^\/repos\/[^/]+\/[^/]+\/git\/refs\/heads\/.+$/, permission: "contents", level: "write" },
  { method: "GET", path: /^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/check-runs$/, permission: "checks", level: "read" },
  { method: "POST", path: /^\/repos\/[^/]+\/[^/]+\/check-runs$/, permission: "checks", level: "write" },
  { method: "PATCH", path: /^\/repos\/[^/]+\/[^/]+\/check-runs\/\d+$/, permission: "checks", level: "write" },
];

/** The App's GraphQL queries → what they read (GitHub checks each object's permission as REST does). */
const QUERIES: Record<string, { permission: string; level: Level }[]> = {
  // The pull request, labels, requested reviewers, timeline, changed files; the check runs on its head.
  PullSnapshot: [
    { permission: "pull_requests", level: "read" },
    { permission: "checks", level: "read" },
  ],
  TimelinePage: [{ permission: "pull_requests", level: "read" }],
  Blobs: [{ permission: "contents", level: "read" }],
  // policy.yml and catalog records in the catalog repository.
  CatalogFiles: [{ permission: "contents", level: "read" }],
};

/** Webhook events → the permission GitHub requires before it delivers them to an App. */
const EVENT_PERMISSIONS: Record<string, string> = {
  pull_request: "pull_requests",
  pull_request_review: "pull_requests",
  issue_comment: "issues",
  check_run: "checks",
  check_suite: "checks",
};

const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as {
  default_events: string[];
  default_permissions: Record<string, Level>;
};

function permissionsOf(r: LoggedRequest): { permission: string; level?: Level }[] {
  if (r.method === "POST" && r.path === "/graphql") {
    const op = /^\s*query\s+(\w+)/.exec(String(r.body?.query ?? ""))?.[1] ?? "";
    const rules = QUERIES[op];
    if (!rules) throw new Error(`no permission known for the GraphQL query ${op || "(unnamed)"}: add it to QUERIES`);
    return rules;
  }
  const rule = ROUTES.find((x) => x.method === r.method && x.path.test(r.path));
  if (!rule)
    throw new Error(`no permission known for ${r.method} ${r.path}: add it to ROUTES (from GitHub's REST docs)`);
  return [rule];
}

describe("app.yml", () => {
  it("subscribes to exactly the events the App handles, including every action the issue lists", () => {
    const handled = new Set(EVENTS.map((e) => e.split(".")[0]!));
    expect([...manifest.default_events].sort()).toEqual([...handled].sort());
    for (const a of ["opened", "synchronize", "reopened", "ready_for_review", "edited", "labeled", "unlabeled"])
      expect(EVENTS).toContain(`pull_request.${a}`);
    expect(EVENTS).toEqual(
      expect.arrayContaining([
        "check_suite.rerequested",
        "check_run.rerequested",
        "issue_comment.created",
        "issue_comment.edited",
        "pull_request_review.submitted",
      ]),
    );
  });

  it("asks for exactly the permissions the App's API calls and events need", async () => {
    const many: ReviewFn = async (source, options) => {
      const report = await stubReview(source, options);
      for (let i = 0; i < 60; i++)
        report.diagnostics.push({
          ruleId: "spec/x",
          severity: "warning",
          message: `w${i}`,
          file: "docs/segment.md",
          line: i + 1,
        });
      report.summary.warnings += 60;
      return report;
    };
    const previous = `${JSON.stringify({ slug: "acme-analytics", name: "Acme Analytics", repository: `${OWNER}/${REPO}`, root: "", stage: "PRIVATE_BUILDING", history: [] }, null, 2)}\n`;
    const fake = new FakeGitHub(world({ catalog: { "integrations/acme-analytics.json": previous } }));
    const h = await harness(fake, { review: many });
    const all: LoggedRequest[] = [];
    const drain = () => {
      all.push(...fake.log);
      fake.clearLog();
    };
    const live = () => fake.commentsOn(OWNER, REPO, PR).find((c) => c.body.includes(MARKERS.checklist))!;

    await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
    fake.addComment(OWNER, REPO, { issue: PR, user: BOT, body: live().body, created_at: "2024-03-04T10:00:30Z" });
    await h.receive("pull_request", prEventNow(fake, "edited"));
    await h.receive(
      "issue_comment",
      commentEvent("created", { id: 61, body: "/devcenter help", sender: PARTNER, at: fake.now }),
    );
    drain();
    fake.tick(60_000);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: TEAM_REVIEWER, at: fake.now }),
    );
    const green = {
      summary: { pass: 1, unsupported: 0, fail: 0 },
      cases: [{ name: "t", type: "track", status: "pass" as const, durationMs: 1, message: "ok", group: "test-suite" }],
    };
    addReplayRun(fake, green);
    await h.receive("check_run", checkRunEvent("completed", { name: CHECK_NAMES.replay, head: HEAD, prs: [] }));
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public", PARTNER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public", sender: PARTNER }));
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));
    await h.handle.sweep!({ dryRun: false });
    drain();

    // The run really went through every kind of call the App makes.
    const kinds = new Set(
      all.map(
        (r) =>
          `${r.method} ${r.path
            .replace(/\/repos\/[^/]+\/[^/]+/, "")
            .replace(/\/\d+/g, "/N")
            .replace(/[0-9a-f]{40}/g, "SHA")}`,
      ),
    );
    for (const k of [
      "POST /git/trees",
      "POST /git/commits",
      "PATCH /git/refs/heads/main",
      "PUT /contents/integration.yml",
      "PATCH /check-runs/N",
      "DELETE /issues/comments/N",
      "DELETE /issues/N/labels/stage: public",
      "POST /pulls/N/requested_reviewers",
      "GET /commits/SHA/pulls",
      "GET /installation/repositories",
    ]) {
      expect([...kinds]).toContain(k);
    }
    expect(all.some((r) => r.path.startsWith("/orgs/") && r.path.includes("/memberships/"))).toBe(true);
    expect(
      JSON.parse(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")!).stage,
    ).toBe("PUBLIC_BETA");

    const needed: Record<string, Level> = { metadata: "read" };
    const need = (p: string, l: Level) => {
      if (needed[p] !== "write") needed[p] = l;
    };
    for (const r of all) {
      for (const rule of permissionsOf(r)) if (rule.permission !== "jwt") need(rule.permission, rule.level!);
    }
    for (const e of manifest.default_events) need(EVENT_PERMISSIONS[e]!, "read");
    expect(manifest.default_permissions).toEqual(needed);
  });
});
