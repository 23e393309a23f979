// The App's behaviour, one property per test, against the fake GitHub through nock with real
// network disabled and real webhook payloads.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BOT_LABELS, CHECK_NAMES, MARKERS } from "../../src/core/vocabulary.js";
import { encodeState } from "../../src/app/state-token.js";
import type { ReviewFn } from "../../src/app/types.js";
import { review } from "../../src/review.js";
import { FakeGitHub } from "./fake-github.js";
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
  example,
  exampleFiles,
  harness,
  integrationFiles,
  prEventNow,
  stubReview,
  tickItem,
  world,
} from "./harness.js";

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const live = (fake: FakeGitHub) => fake.commentsOn(OWNER, REPO, PR).filter((c) => c.body.includes(MARKERS.checklist));
const GREEN = {
  summary: { pass: 8, unsupported: 0, fail: 0 },
  cases: [
    {
      name: "Page — anonymous user visits the home page",
      type: "page",
      status: "pass" as const,
      durationMs: 3,
      message: "ok",
      group: "test-suite",
    },
  ],
};

async function opened(fake: FakeGitHub, options: Parameters<typeof harness>[1] = {}) {
  const h = await harness(fake, options);
  await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
  fake.clearLog();
  return h;
}

describe("the test set-up", () => {
  it("has real network off: a request nothing intercepts is refused by nock, not sent", async () => {
    const fake = new FakeGitHub(world());
    fake.intercept();
    await expect(fetch("https://example.com/")).rejects.toThrow(/Nock: Disallowed net connect|NetConnectNotAllowed/);
    await expect(fetch("https://api.github.com/app").then((r) => r.status)).resolves.toBe(200);
  });
});

describe("submission, reviews and check-suite re-runs (real webhook payloads)", () => {
  it("a draft is not a submission; ready_for_review labels it and requests the reviewers, once", async () => {
    const fake = new FakeGitHub(world({ pull: { draft: true } }));
    const h = await opened(fake);
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain(BOT_LABELS.inReview);
    expect(fake.writes().some((w) => w.path.endsWith("/requested_reviewers"))).toBe(false);
    expect(live(fake)[0]!.body).toContain("This pull request is a draft");
    fake.tick(60_000);
    fake.pull(OWNER, REPO, PR).draft = false;
    fake.timelineOf(OWNER, REPO, PR).push({ event: "ready_for_review", actor: PARTNER, created_at: fake.now });
    const ready = prEventNow(fake, "ready_for_review", { sender: PARTNER });
    await h.receive("pull_request", ready);
    expect(fake.pull(OWNER, REPO, PR).labels).toContain(BOT_LABELS.inReview);
    expect(fake.pull(OWNER, REPO, PR).requested_reviewers).toEqual(["rita"]);
    expect(live(fake)[0]!.body).toContain("Submitted for review");
    fake.clearLog();
    await h.receive("pull_request", ready);
    expect(fake.writes()).toEqual([]);
  });

  it("a reviewer's tick is a response: no overdue label or ping after it", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    fake.tick(60 * 60_000);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    fake.now = "2024-03-07T09:00:00.000Z"; // two business days after the submission
    await h.handle.sweep!({ dryRun: false });
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain(BOT_LABELS.reviewOverdue);
    expect(fake.commentsOn(OWNER, REPO, PR).some((c) => c.body.includes(MARKERS.overdue))).toBe(false);
  });

  it("a team reviewer's reply among many drive-by comments is found (one roster read, not a lookup each)", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    fake.tick(60_000);
    for (let i = 0; i < 30; i++)
      fake.addComment(OWNER, REPO, {
        issue: PR,
        user: { login: `aa-drive-by-${i}`, type: "User" },
        body: "+1",
        created_at: fake.now,
      });
    fake.addComment(OWNER, REPO, {
      issue: PR,
      user: TEAM_REVIEWER,
      body: "Looking at it today.",
      created_at: fake.now,
    });
    fake.now = "2024-03-07T09:00:00.000Z";
    fake.clearLog();
    await h.handle.sweep!({ dryRun: false });
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain(BOT_LABELS.reviewOverdue);
    expect(fake.log.filter((r) => r.path.includes("/memberships/"))).toHaveLength(0);
  });

  it("a reviewer's pull_request_review clears `review overdue`", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    fake.now = "2024-03-07T09:00:00.000Z"; // Thursday: overdue since Wednesday 09:00
    await h.handle.sweep!({ dryRun: false });
    expect(fake.pull(OWNER, REPO, PR).labels).toContain(BOT_LABELS.reviewOverdue);
    fake.tick(60_000);
    fake
      .timelineOf(OWNER, REPO, PR)
      .push({ event: "reviewed", actor: TEAM_REVIEWER, created_at: fake.now, state: "commented" });
    const review = example("pull_request_review", "submitted", (e) => e.installation !== undefined);
    review.sender = { ...review.sender, login: TEAM_REVIEWER.login, type: "User" };
    review.pull_request.head.sha = HEAD;
    await h.receive("pull_request_review", review);
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain(BOT_LABELS.reviewOverdue);
    expect(fake.pull(OWNER, REPO, PR).labels).toContain(BOT_LABELS.inReview);
  });

  it("check_suite.rerequested (Re-run all checks) writes a fresh check run on the suite's head", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const suite = example("check_suite", "rerequested", (e) => e.installation !== undefined);
    expect(suite.check_suite.head_sha).toBe(HEAD);
    await h.receive("check_suite", suite);
    expect(fake.runsOn(HEAD, "devcenter")).toHaveLength(2);
    expect(fake.writes().map((w) => `${w.method} ${w.path}`)).toEqual([`POST /repos/${OWNER}/${REPO}/check-runs`]);
  });
});

describe("repositories without an integration", () => {
  it("does nothing and writes nothing", async () => {
    const fake = new FakeGitHub(world({ files: { "README.md": "# Not an integration\n", "src/index.js": "1" } }));
    const h = await harness(fake);
    await h.receive("pull_request", prEventNow(fake, "opened"));
    await h.receive("pull_request", prEventNow(fake, "synchronize"));
    await h.receive(
      "issue_comment",
      commentEvent("created", { id: 7, body: "/devcenter recheck", sender: PARTNER, at: fake.now }),
    );
    expect(fake.writes()).toEqual([]);
    expect(h.results.every((r) => r.state === undefined && r.mutations.length === 0)).toBe(true);
  });

  it("writes nothing even when GitHub keeps failing there (no failure check run on a repository that is not an integration)", async () => {
    const fake = new FakeGitHub(world({ files: { "README.md": "# Not an integration\n" } }));
    const h = await harness(fake);
    fake.failures.push({ match: (_m, p) => p.includes("/git/trees/"), status: 502, times: 1000 });
    await expect(h.receive("pull_request", prEventNow(fake, "opened"))).rejects.toThrow();
    await expect(
      h.receive(
        "issue_comment",
        commentEvent("created", { id: 8, body: "/devcenter recheck", sender: PARTNER, at: fake.now }),
      ),
    ).rejects.toThrow();
    expect(fake.log.filter((r) => r.path.includes("/git/trees/")).length).toBeGreaterThan(2);
    expect(fake.writes()).toEqual([]);
  });
});

describe("the App's own identity", () => {
  it("is learnt from GET /app when DEVCENTER_BOT_LOGIN is unset", async () => {
    const fake = new FakeGitHub(world());
    const h = await harness(fake, { config: { botLogin: undefined } });
    await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
    expect(live(fake)).toHaveLength(1);
    expect(fake.log.some((r) => r.method === "GET" && r.path === "/app")).toBe(true);
  });

  it("unknown (GET /app keeps failing), the App handles nothing and writes nothing: it fails closed", async () => {
    const fake = new FakeGitHub(world());
    const h = await harness(fake, { config: { botLogin: undefined } });
    fake.failures.push({ match: (_m, p) => p === "/app", status: 500, times: 1000 });
    await expect(h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }))).rejects.toThrow(
      /does not know its own login .*set DEVCENTER_BOT_LOGIN/,
    );
    expect(fake.writes()).toEqual([]);
  });
});

describe("persistent failures", () => {
  it("a tree that cannot be read, in a repository seen to hold an integration, is surfaced on the check run", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    fake.pull(OWNER, REPO, PR).head = HEAD2;
    fake.failures.push({ match: (_m, p) => p.includes("/git/trees/"), status: 502, times: 1000 });
    await expect(h.receive("pull_request", prEventNow(fake, "synchronize", { sender: PARTNER }))).rejects.toThrow();
    const [run] = fake.runsOn(HEAD2, "devcenter");
    expect(run).toMatchObject({ conclusion: "failure" });
  });
});

describe("stage labels", () => {
  it("removes a label applied by someone who is not a reviewer, and says who may apply it", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", PARTNER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: PARTNER }));
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");
    const note = fake.commentsOn(OWNER, REPO, PR).find((c) => c.body.includes(MARKERS.labelRemoved))!;
    expect(note.body).toContain("`Codertocat`, who is not a reviewer");
    expect(note.body).toContain("integration\\-reviewers team and rita");
    expect(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")).toBeUndefined();
  });

  it("a label re-applied by a partner is not credited to the reviewer who applied it just before, while the timeline lags", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    fake.tick(10_000);
    fake.pull(OWNER, REPO, PR).labels = fake.pull(OWNER, REPO, PR).labels!.filter((l) => l !== "stage: public-beta");
    fake
      .timelineOf(OWNER, REPO, PR)
      .push({ event: "unlabeled", actor: REVIEWER, created_at: fake.now, label: "stage: public-beta" });
    fake.tick(20_000);
    // The partner adds it again; the webhook arrives before the timeline lists that event.
    fake.pull(OWNER, REPO, PR).labels!.push("stage: public-beta");
    await h.receive(
      "pull_request",
      prEventNow(fake, "labeled", { label: "stage: public-beta", sender: PARTNER, updatedAt: fake.now }),
    );
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");
    expect(fake.commentsOn(OWNER, REPO, PR).find((c) => c.body.includes(MARKERS.labelRemoved))!.body).toContain(
      "`Codertocat`, who is not a reviewer",
    );
  });

  it("denies when the team lookup fails", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    fake.failures.push({ match: (_m, p) => p.includes("/teams/"), status: 500, times: 100 });
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", TEAM_REVIEWER);
    await h.receive(
      "pull_request",
      prEventNow(fake, "labeled", { label: "stage: public-beta", sender: TEAM_REVIEWER }),
    );
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");
    expect(fake.commentsOn(OWNER, REPO, PR).at(-1)!.body).toContain("a lookup that fails denies");
  });

  it("promotes when every gate holds: catalog written with the file's blob SHA, one commit naming approver, time and pull request", async () => {
    const previous = `${JSON.stringify({ slug: "acme-analytics", name: "Acme Analytics", repository: `${OWNER}/${REPO}`, root: "", stage: "PRIVATE_BUILDING", history: [] }, null, 2)}\n`;
    const fake = new FakeGitHub(world({ catalog: { "integrations/acme-analytics.json": previous } }));
    addReplayRun(fake, GREEN);
    const h = await opened(fake);
    fake.tick(60_000);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    fake.clearLog();
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));
    // One commit on the catalog's branch (Git Data API), fast-forwarded: record.json and the files
    // it keeps from the approved head; the legacy one-file record it was read from is removed.
    const refs = fake.log.filter((r) => r.method === "PATCH" && r.path.startsWith("/repos/platform/catalog/git/refs/"));
    expect(refs.map((r) => [r.path, r.body.force, r.status])).toEqual([
      ["/repos/platform/catalog/git/refs/heads/main", false, 200],
    ]);
    const tree = fake.log.find((r) => r.method === "POST" && r.path === "/repos/platform/catalog/git/trees")!;
    expect(
      tree.body.tree
        .map((e: { path: string; sha: string | null }) => `${e.path}${e.sha === null ? " (removed)" : ""}`)
        .sort(),
    ).toEqual([
      "integrations/acme-analytics.json (removed)",
      // The harness's manifest names no catalog copy (docs.catalog): no catalog.md.
      ...["docs.md", "integration.yml", "logo.svg", "mark.svg", "record.json"].map(
        (f) => `integrations/acme-analytics/${f}`,
      ),
    ]);
    const commit = fake.log.find((r) => r.method === "POST" && r.path === "/repos/platform/catalog/git/commits")!;
    expect(commit.body.message).toMatch(
      /^acme-analytics: PRIVATE_BUILDING → PUBLIC_BETA\n\nApproved-by: rita\nApproved-at: 2024-03-04T10:02:00.000Z\nPull-request: https:\/\/github.com\/Codertocat\/Hello-World\/pull\/2\nHead: ec26c3e/,
    );
    expect(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics.json")).toBeUndefined();
    expect(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/integration.yml")).toBe(
      fake.world.repos[0]!.commits[HEAD]!["integration.yml"],
    );
    const record = JSON.parse(
      fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")!,
    );
    expect(record).toMatchObject({
      schema: 2,
      stage: "PUBLIC_BETA",
      manifest: { app: { slug: "acme-analytics" } },
      history: [{ approvedBy: "rita", stage: "PUBLIC_BETA" }],
    });
    expect(fake.commentsOn(OWNER, REPO, PR).some((c) => c.body.includes(MARKERS.audit))).toBe(true);
    expect(fake.pull(OWNER, REPO, PR).labels).toContain("stage: public-beta");
  });

  it("writes the catalog record on DEVCENTER_CATALOG_BRANCH when it is set, where it was read", async () => {
    const previous = `${JSON.stringify({ slug: "acme-analytics", name: "Acme Analytics", repository: `${OWNER}/${REPO}`, root: "", stage: "PRIVATE_BUILDING", history: [] }, null, 2)}\n`;
    const w = world();
    w.repos[1]!.contents = { records: { "integrations/acme-analytics.json": previous } };
    const fake = new FakeGitHub(w);
    addReplayRun(fake, GREEN);
    const h = await harness(fake, {
      config: { catalog: { owner: "platform", repo: "catalog", path: "integrations", branch: "records" } },
    });
    await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
    fake.tick(60_000);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));
    expect(
      JSON.parse(fake.contentsOf("platform", "catalog", "records", "integrations/acme-analytics/record.json")!),
    ).toMatchObject({ stage: "PUBLIC_BETA" });
    expect(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")).toBeUndefined();
    expect(fake.pull(OWNER, REPO, PR).labels).toContain("stage: public-beta");
  });

  it("refuses a label applied before the last push", async () => {
    const fake = new FakeGitHub(world());
    addReplayRun(fake, GREEN, { head_sha: HEAD2 });
    const h = await opened(fake);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    // The label goes on, and the push lands before the App hears of the label.
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    const labeled = prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }); // names HEAD
    fake.tick(60_000);
    fake.pull(OWNER, REPO, PR).head = HEAD2;
    await h.receive("pull_request", prEventNow(fake, "synchronize", { sender: PARTNER }));
    // The push is not the label's delivery: nothing is promoted on it.
    expect(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")).toBeUndefined();
    await h.receive("pull_request", labeled);
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");
    expect(fake.commentsOn(OWNER, REPO, PR).at(-1)!.body).toContain("Label applied after the last push");
  });

  it("refuses a label whose head moved before the App heard of it, even to a commit the App checked earlier", async () => {
    const fake = new FakeGitHub(world());
    addReplayRun(fake, GREEN, { head_sha: HEAD2 });
    // HEAD2 was the head once before (reviewed then; a force push went back since): its first
    // check run is older than the label, so "applied after the last push" cannot see this push.
    fake.addCheckRun({
      name: CHECK_NAMES.review,
      head_sha: HEAD2,
      conclusion: "success",
      app: "devcenter",
      started_at: "2024-03-01T09:00:00Z",
      completed_at: "2024-03-01T09:00:01Z",
    });
    const h = await opened(fake);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    const labeled = prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }); // names HEAD
    fake.tick(5_000);
    fake.pull(OWNER, REPO, PR).head = HEAD2; // the fast-forward lands first
    await h.receive("pull_request", labeled);
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");
    expect(fake.commentsOn(OWNER, REPO, PR).at(-1)!.body).toContain("Label applied to the head under review");
    expect(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")).toBeUndefined();
  });

  it("a stage label that came back without a labeled event (another label renamed to it) is credited to nobody", async () => {
    const fake = new FakeGitHub(world());
    addReplayRun(fake, GREEN);
    const h = await opened(fake);
    // A reviewer labels too early: refused and removed.
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");
    // The reviewer ticks the missing item later, without labeling again.
    fake.tick(60_000);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    // The partner renames the label `bug` (on the pull request) to `stage: public-beta`: no labeled event.
    fake.tick(60_000);
    const pull = fake.pull(OWNER, REPO, PR);
    pull.labels = (pull.labels ?? []).map((l) => (l === "bug" ? "stage: public-beta" : l));
    await h.receive(
      "issue_comment",
      commentEvent("created", { id: 90, body: "any news?", sender: PARTNER, at: fake.now }),
    );
    expect(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")).toBeUndefined();
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");
  });

  it("promotes only on the label's own delivery: an event handled before it (out of order) promotes nothing", async () => {
    const fake = new FakeGitHub(world());
    addReplayRun(fake, GREEN);
    const h = await opened(fake);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    const labeled = prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER });
    await h.receive(
      "issue_comment",
      commentEvent("created", { id: 91, body: "thanks", sender: PARTNER, at: fake.now }),
    );
    expect(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")).toBeUndefined();
    expect(fake.pull(OWNER, REPO, PR).labels).toContain("stage: public-beta"); // left for its own delivery
    await h.receive("pull_request", labeled);
    expect(
      JSON.parse(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")!),
    ).toMatchObject({ stage: "PUBLIC_BETA" });
  });

  it("does not trust replay results when the pull request changes workflow files", async () => {
    const fake = new FakeGitHub(world());
    fake
      .pull(OWNER, REPO, PR)
      .files!.push({ filename: ".github/workflows/devcenter.yml", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b" });
    addReplayRun(fake, GREEN);
    const h = await opened(fake);
    expect(live(fake)[0]!.body).toContain("**Not trusted.**");
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");
    expect(fake.commentsOn(OWNER, REPO, PR).at(-1)!.body).toContain("Replay results are trusted");
  });

  it("does not trust replay results, nor promote, when the pull request changes more files than GitHub lists", async () => {
    const fake = new FakeGitHub(world());
    // 3,000 files sorting before `.github/`: GitHub's list stops there, a workflow change could follow.
    fake.pull(OWNER, REPO, PR).files = Array.from({ length: 3000 }, (_, i) => ({
      filename: `-pad/${String(i).padStart(4, "0")}.txt`,
      status: "added",
      patch: "@@ -0,0 +1 @@\n+x",
    }));
    addReplayRun(fake, GREEN);
    const h = await opened(fake);
    expect(live(fake)[0]!.body).toContain("changes more files than GitHub lists");
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");
    const note = fake.commentsOn(OWNER, REPO, PR).at(-1)!.body;
    expect(note).toContain("Replay results are trusted");
    expect(note).toContain("Every changed file can be read");
  });
});

describe("checklist ticks", () => {
  it("reverts a tick by someone who is not a reviewer, with a note", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const before = live(fake)[0]!.body;
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: PARTNER, at: fake.now }),
    );
    expect(live(fake)[0]!.body).toBe(before);
    const note = fake.commentsOn(OWNER, REPO, PR).find((c) => c.body.includes(MARKERS.tickReverted))!;
    expect(note.body).toContain("`Codertocat` changed reviewer items");
    expect(note.body).toContain("ticked “Partner access granted”");
    // The App's own edit comes back as an event: nothing more happens.
    fake.clearLog();
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: before, from: t.body, sender: BOT, at: fake.now }),
    );
    expect(fake.log).toEqual([]);
  });

  it("ignores a forged record of confirmed items", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const c = live(fake)[0]!;
    const from = c.body;
    c.body = from
      .replace(
        /<!-- devcenter:state \S+ -->/,
        encodeState("guessed-secret", { owner: OWNER, repo: REPO, number: PR }, ["access-granted"]),
      )
      .replace("- [ ] Partner", "- [x] Partner");
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: c.id, body: c.body, from, sender: PARTNER, at: fake.now }),
    );
    expect(live(fake)[0]!.body).toBe(from);
  });

  it("restores reviewer ticks when someone else edits the signed record out of the comment", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    const ticked = live(fake)[0]!.body;
    expect(ticked).toContain("- [x] Partner access granted");
    fake.tick(60_000);
    const c = live(fake)[0]!;
    c.body = ticked.replace(/<!-- devcenter:state \S+ -->\n?/, "");
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: c.id, body: c.body, from: ticked, sender: PARTNER, at: fake.now }),
    );
    expect(live(fake)[0]!.body).toBe(ticked);
  });

  it("posts the checklist again, ticks kept, when someone deletes it", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    const ticked = live(fake)[0]!;
    fake.tick(60_000);
    (fake as any).comments.delete(ticked.id);
    const deleted = commentEvent("created", { id: ticked.id, body: ticked.body, sender: PARTNER, at: fake.now });
    deleted.action = "deleted";
    deleted.comment.user = { ...deleted.comment.user, login: BOT.login, type: "Bot" };
    await h.receive("issue_comment", deleted);
    const again = live(fake);
    expect(again).toHaveLength(1);
    expect(again[0]!.id).not.toBe(ticked.id);
    expect(again[0]!.body).toBe(ticked.body);
    // A deleted comment of anyone else's, even one quoting a record, is ignored.
    fake.clearLog();
    deleted.comment.user = { ...deleted.comment.user, login: PARTNER.login, type: "User" };
    await h.receive("issue_comment", deleted);
    expect(fake.log).toEqual([]);
  });

  it("ignores an older record pasted back from the comment's edit history: a withdrawn tick stays withdrawn", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    const s1 = live(fake)[0]!.body; // ticked, record S1
    fake.tick(60_000);
    const c = live(fake)[0]!;
    c.body = s1.replace("- [x] Partner access granted", "- [ ] Partner access granted");
    c.updated_at = fake.now;
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: c.id, body: c.body, from: s1, sender: REVIEWER, at: fake.now }),
    );
    const s2 = live(fake)[0]!.body; // unticked, record S2
    expect(s2).toContain("- [ ] Partner access granted");
    // The partner pastes S1 (record and tick) back in.
    fake.tick(60_000);
    c.body = s1;
    c.updated_at = fake.now;
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: c.id, body: s1, from: s2, sender: PARTNER, at: fake.now }),
    );
    expect(live(fake)[0]!.body).toBe(s2);
    expect(h.results.at(-1)!.decision!.confirmed).toEqual([]);
  });

  it("an older record planted with the checklist marker in another of the App's comments does not become the live comment", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    // A note of the App's, older than what follows (a partner's unauthorised label is explained).
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", PARTNER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: PARTNER }));
    const note = fake.commentsOn(OWNER, REPO, PR).find((c) => c.body.includes(MARKERS.labelRemoved))!;
    // The reviewer ticks (record R1), then unticks (R2).
    fake.tick(60_000);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    const r1 = live(fake).find((c) => c.id === t.id)!.body;
    fake.tick(60_000);
    const c = live(fake).find((x) => x.id === t.id)!;
    const from = c.body;
    c.body = from.replace("- [x] Partner access granted", "- [ ] Partner access granted");
    c.updated_at = fake.now;
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: c.id, body: c.body, from, sender: REVIEWER, at: fake.now }),
    );
    // The partner deletes the checklist; the App posts it again, now newer than the note.
    fake.tick(60_000);
    const before = live(fake).find((x) => x.id === t.id)!;
    (fake as any).comments.delete(before.id);
    const deleted = commentEvent("created", { id: before.id, body: before.body, sender: PARTNER, at: fake.now });
    deleted.action = "deleted";
    deleted.comment.user = { ...deleted.comment.user, login: BOT.login, type: "Bot" };
    await h.receive("issue_comment", deleted);
    const reposted = live(fake)[0]!;
    expect(reposted.id).not.toBe(t.id);
    // The partner plants R1 and the checklist marker in the older note.
    fake.tick(60_000);
    const noteFrom = note.body;
    note.body = r1;
    note.updated_at = fake.now;
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: note.id, body: r1, from: noteFrom, sender: PARTNER, at: fake.now }),
    );
    expect(h.results.at(-1)!.decision!.confirmed).toEqual([]);
    const checklists = live(fake);
    expect(checklists).toHaveLength(1);
    expect(checklists[0]!.id).toBe(reposted.id);
    expect(checklists[0]!.body).toContain("- [ ] Partner access granted");
  });

  it("ticks of two items a few seconds apart, delivered in reverse order, both count", async () => {
    const fake = new FakeGitHub(world({ files: exampleFiles() }));
    const h = await opened(fake, { review }); // the real engine: several reviewer items
    const first = tickItem(fake);
    const e1 = commentEvent("edited", {
      id: first.id,
      body: first.body,
      from: first.from,
      sender: REVIEWER,
      at: fake.now,
    });
    fake.tick(2_000);
    const second = tickItem(fake, "partner-test");
    const e2 = commentEvent("edited", {
      id: second.id,
      body: second.body,
      from: second.from,
      sender: REVIEWER,
      at: fake.now,
    });
    await h.receive("issue_comment", e2);
    await h.receive("issue_comment", e1);
    const body = live(fake)[0]!.body;
    expect(body).toContain("- [x] Partner access granted");
    expect(body).toContain("- [x] Partner test in a real workspace");
  });

  it.each(["in order", "the later first"] as const)(
    "two quick clicks by a reviewer are two edits, and both ticks count (handled %s)",
    async (order) => {
      const fake = new FakeGitHub(world({ files: exampleFiles() }));
      const h = await opened(fake, { review }); // the real engine: several reviewer items
      const first = tickItem(fake);
      const second = tickItem(fake, "partner-test"); // on top of the first, in the same second
      const e1 = commentEvent("edited", {
        id: first.id,
        body: first.body,
        from: first.from,
        sender: REVIEWER,
        at: fake.now,
      });
      const e2 = commentEvent("edited", {
        id: second.id,
        body: second.body,
        from: second.from,
        sender: REVIEWER,
        at: fake.now,
      });
      for (const e of order === "in order" ? [e1, e2] : [e2, e1]) await h.receive("issue_comment", e);
      const body = live(fake)[0]!.body;
      expect(body, order).toContain("- [x] Partner access granted");
      expect(body, order).toContain("- [x] Partner test in a real workspace");
    },
  );

  it("a redelivered older edit does not undo a later one", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const t = tickItem(fake);
    const tickEvent = commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now });
    await h.receive("issue_comment", tickEvent);
    fake.tick(60_000);
    const c = live(fake)[0]!;
    const from = c.body;
    c.body = from.replace("- [x] Partner access granted", "- [ ] Partner access granted");
    c.updated_at = fake.now;
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: c.id, body: c.body, from, sender: REVIEWER, at: fake.now }),
    );
    await h.receive("issue_comment", tickEvent); // GitHub redelivers the first edit
    expect(live(fake)[0]!.body).toContain("- [ ] Partner access granted");
  });

  it("keeps ticks in the live comment when another event re-renders it", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: TEAM_REVIEWER, at: fake.now }),
    );
    fake.tick(60_000);
    fake.pull(OWNER, REPO, PR).head = HEAD2;
    await h.receive("pull_request", prEventNow(fake, "synchronize"));
    expect(live(fake)[0]!.body).toContain("- [x] Partner access granted");
  });
});

describe("the live comment", () => {
  it("is found among more than 100 comments; a duplicate is deleted", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const original = live(fake)[0]!;
    for (let i = 0; i < 150; i++)
      fake.addComment(OWNER, REPO, {
        issue: PR,
        user: PARTNER,
        body: `comment ${i} @someone`,
        created_at: `2024-03-04T10:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z`,
      });
    // A second replica raced and posted its own copy late in the thread.
    const dup = fake.addComment(OWNER, REPO, {
      issue: PR,
      user: BOT,
      body: original.body,
      created_at: "2024-03-04T10:59:00Z",
    });
    fake.tick(60 * 60_000);
    await h.receive("pull_request", prEventNow(fake, "edited"));
    // The timeline's further pages, read with the query's cursor.
    const pages = fake.log.filter((r) => r.path === "/graphql" && /query TimelinePage/.test(r.body?.query ?? ""));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(fake.log.some((r) => r.method === "DELETE" && r.path.endsWith(`/comments/${dup}`))).toBe(true);
    expect(live(fake).map((c) => c.id)).toEqual([original.id]);
    expect(fake.log.filter((r) => r.method === "POST" && r.path.endsWith("/comments"))).toEqual([]);
  });

  it("escapes untrusted text and echoes no @-mentions", async () => {
    const manifest = MANIFEST.replace(
      "name: Acme Analytics",
      'name: "@octocat <img src=x> [link](https://evil.example) #1"',
    ).replace("description: Product analytics for teams.", "description: TODO");
    const fake = new FakeGitHub(world({ files: integrationFiles(manifest) }));
    await opened(fake);
    const body = live(fake)[0]!.body;
    expect(body).not.toMatch(/(^|[^\u200d])@octocat/);
    expect(body).toContain("@\u200doctocat");
    expect(body).not.toMatch(/(^|[^\\])<img/);
    expect(body).not.toMatch(/(^|[^\\])\[link\]\(/);
    const run = fake.runsOn(HEAD, "devcenter")[0]!;
    expect(run.output!.text).not.toMatch(/@someone/);
  });
});

describe("heads", () => {
  it("a delivery for an older head writes that head's check run but never the newer pull request's comment", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const stalePayload = prEventNow(fake, "synchronize");
    fake.tick(60_000);
    fake.pull(OWNER, REPO, PR).head = HEAD2;
    fake.pull(OWNER, REPO, PR).files!.push({ filename: "integration.yml", patch: "@@ -1,1 +1,1 @@\n-x\n+y" });
    await h.receive("pull_request", prEventNow(fake, "synchronize"));
    const newest = live(fake)[0]!.body;
    fake.clearLog();
    await h.receive("pull_request", stalePayload);
    expect(live(fake)[0]!.body).toBe(newest);
    expect(fake.writes().filter((w) => w.path.includes("/comments") || w.path.includes("/labels"))).toEqual([]);
  });

  it("when the head moves while an event is handled, pull-request writes are left to the newer event", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    let moved = false;
    // The push lands while the App writes its check run and re-reads the pull request before the rest.
    fake.beforeRequest = (method, path) => {
      if (!moved && method === "GET" && path.endsWith(`/pulls/${PR}`)) {
        moved = true;
        fake.pull(OWNER, REPO, PR).head = HEAD2;
      }
    };
    const before = live(fake)[0]!.body;
    // `/devcenter recheck` writes a check run; the help answer is a pull-request write.
    await h.receive(
      "issue_comment",
      commentEvent("created", { id: 77, body: "/devcenter recheck\n/devcenter help", sender: PARTNER, at: fake.now }),
    );
    const r = h.results.at(-1)!;
    expect(r.mutations.map((m) => m.kind)).toEqual(["check-run", "comment-create"]);
    expect(r.stale).toBe(true);
    expect(r.applied.map((m) => m.kind)).toEqual(["check-run"]);
    expect(live(fake)[0]!.body).toBe(before);
    expect(fake.commentsOn(OWNER, REPO, PR)).toHaveLength(1);
  });
});

describe("concurrency and redelivery", () => {
  it("serialises concurrent events for one pull request: one comment, converged", async () => {
    const fake = new FakeGitHub(world());
    const h = await harness(fake);
    const payload = prEventNow(fake, "opened");
    await Promise.all([
      h.receive("pull_request", payload, "a"),
      h.receive("pull_request", payload, "b"),
      h.receive("pull_request", prEventNow(fake, "edited"), "c"),
      h.receive(
        "issue_comment",
        commentEvent("created", { id: 9, body: "looks good", sender: PARTNER, at: fake.now }),
        "d",
      ),
    ]);
    expect(live(fake)).toHaveLength(1);
    expect(fake.runsOn(HEAD, "devcenter")).toHaveLength(1);
    expect(fake.writes().filter((w) => w.path.endsWith("/labels"))).toHaveLength(1);
    expect(h.handle.queue.size).toBe(0);
    fake.clearLog();
    await h.receive("pull_request", payload, "a");
    expect(fake.writes()).toEqual([]);
  });
});

describe("check runs", () => {
  it("annotates diagnostics 50 per request, columns only on single-line annotations", async () => {
    const many: ReviewFn = async (source, options) => {
      const report = await stubReview(source, options);
      for (let i = 0; i < 120; i++) {
        report.diagnostics.push({
          ruleId: "spec/x",
          severity: "warning",
          message: `finding ${i}`,
          file: "docs/segment.md",
          line: i + 1,
          column: 2,
          ...(i % 2 ? { endLine: i + 3 } : {}),
        });
      }
      report.summary.warnings = 120;
      return report;
    };
    const fake = new FakeGitHub(world());
    const h = await harness(fake, { review: many });
    await h.receive("pull_request", prEventNow(fake, "opened"));
    const posts = fake.log.filter((r) => r.method !== "GET" && r.path.includes("/check-runs"));
    expect(posts.map((p) => `${p.method} ${p.body.output.annotations.length}`)).toEqual([
      "POST 50",
      "PATCH 50",
      "PATCH 20",
    ]);
    const all = posts.flatMap((p) => p.body.output.annotations);
    expect(all.filter((a: any) => a.start_line !== a.end_line && a.start_column !== undefined)).toEqual([]);
    expect(all.filter((a: any) => a.start_line === a.end_line && a.start_column === 2)).toHaveLength(60);
  });

  it("fails the check when the pull request edits `stage` by hand, annotating the line", async () => {
    const fake = new FakeGitHub(
      world({ files: integrationFiles(MANIFEST.replace("stage: developer-preview", "stage: public")) }),
    );
    fake.pull(OWNER, REPO, PR).files = [
      {
        filename: "integration.yml",
        status: "modified",
        patch:
          "@@ -9,3 +9,3 @@\n   logo: assets/logo.svg\n   mark: assets/mark.svg\n-stage: developer-preview # recorded by the App\n+stage: public # recorded by the App",
      },
    ];
    await opened(fake);
    const run = fake.runsOn(HEAD, "devcenter")[0]!;
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toContainEqual(
      expect.objectContaining({ path: "integration.yml", start_line: 11, title: "app/stage-edited" }),
    );
    expect(live(fake)[0]!.body).toContain("changes `stage` in integration.yml by hand");
  });

  it("a changed manifest whose diff GitHub omits (no patch) is judged by its `stage` against the catalog", async () => {
    const fake = new FakeGitHub(
      world({ files: integrationFiles(MANIFEST.replace("stage: developer-preview", "stage: public")) }),
    );
    fake.pull(OWNER, REPO, PR).files = [{ filename: "integration.yml", status: "modified" }];
    await opened(fake);
    expect(fake.runsOn(HEAD, "devcenter")[0]!.conclusion).toBe("failure");
    expect(fake.runsOn(HEAD, "devcenter")[0]!.annotations).toContainEqual(
      expect.objectContaining({ path: "integration.yml", title: "app/stage-edited" }),
    );
    // The same omitted diff with the recorded stage is fine.
    nock.cleanAll();
    const ok = new FakeGitHub(world());
    ok.pull(OWNER, REPO, PR).files = [{ filename: "integration.yml", status: "modified" }];
    await opened(ok);
    expect(ok.runsOn(HEAD, "devcenter")[0]!.conclusion).toBe("success");
  });

  it("/devcenter recheck writes a fresh check run even when nothing changed; /devcenter help answers once", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    await h.receive(
      "issue_comment",
      commentEvent("created", { id: 50, body: "/devcenter recheck", sender: PARTNER, at: fake.now }),
    );
    expect(fake.runsOn(HEAD, "devcenter")).toHaveLength(2);
    const help = commentEvent("created", { id: 51, body: "thanks!\n/devcenter help", sender: PARTNER, at: fake.now });
    await h.receive("issue_comment", help);
    await h.receive("issue_comment", help);
    expect(fake.commentsOn(OWNER, REPO, PR).filter((c) => c.body.includes(MARKERS.help))).toHaveLength(1);
  });

  it("commands from a drive-by commenter (no write access, not the author, not a reviewer) are not run", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    const event = commentEvent("created", {
      id: 52,
      body: "/devcenter recheck\n/devcenter help",
      sender: { login: "stranger", type: "User" },
      at: fake.now,
    });
    event.comment.author_association = "NONE";
    await h.receive("issue_comment", event);
    expect(fake.runsOn(HEAD, "devcenter")).toHaveLength(1);
    expect(fake.commentsOn(OWNER, REPO, PR).filter((c) => c.body.includes(MARKERS.help))).toHaveLength(0);
  });

  it("re-run requested on the check: a fresh check run", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    await h.receive("check_run", checkRunEvent("rerequested", { name: CHECK_NAMES.review, head: HEAD }));
    expect(fake.runsOn(HEAD, "devcenter")).toHaveLength(2);
  });
});

describe("faults", () => {
  it("retries GitHub 5xx and secondary rate limits", async () => {
    const fake = new FakeGitHub(world());
    fake.failures.push({ match: (_m, p) => p.endsWith("/timeline"), status: 502, times: 2 });
    fake.failures.push({
      match: (m, p) => m === "POST" && p.endsWith("/comments"),
      status: 403,
      times: 1,
      headers: { "retry-after": "1" },
      message: "You have exceeded a secondary rate limit",
    });
    await opened(fake);
    expect(live(fake)).toHaveLength(1);
  });

  it("surfaces a persistent failure on the check run", async () => {
    const fake = new FakeGitHub(world());
    const h = await harness(fake);
    fake.failures.push({ match: (_m, p) => p === "/graphql", status: 503, times: 1000 });
    await expect(h.receive("pull_request", prEventNow(fake, "opened"))).rejects.toThrow();
    const run = fake.runsOn(HEAD, "devcenter")[0]!;
    expect(run.conclusion).toBe("failure");
    expect(run.output!.title).toBe("The review could not finish");
    expect(fake.commentsOn(OWNER, REPO, PR)).toEqual([]);
  });

  it("surfaces a persistent failure on the check run for a comment event too (the payload names no commit)", async () => {
    const fake = new FakeGitHub(world());
    const h = await opened(fake);
    fake.failures.push({ match: (_m, p) => p === "/graphql", status: 502, times: 1000 });
    await expect(
      h.receive(
        "issue_comment",
        commentEvent("created", { id: 70, body: "/devcenter recheck", sender: PARTNER, at: fake.now }),
      ),
    ).rejects.toThrow();
    const run = fake.runsOn(HEAD, "devcenter").at(-1)!;
    expect(run.conclusion).toBe("failure");
    expect(run.output!.title).toBe("The review could not finish");
  });

  it("a catalog write that loses a race is derived again and converges", async () => {
    const fake = new FakeGitHub(world());
    addReplayRun(fake, GREEN);
    const h = await opened(fake);
    const t = tickItem(fake);
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
    );
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    // Another replica records the same promotion between our read and our write.
    let raced = false;
    fake.beforeRequest = (method, path) => {
      if (!raced && method === "POST" && path === "/repos/platform/catalog/git/trees") {
        raced = true;
        const record = {
          schema: 2,
          slug: "acme-analytics",
          name: "Acme Analytics",
          repository: `${OWNER}/${REPO}`,
          root: "",
          stage: "PUBLIC_BETA",
          history: [
            {
              stage: "PUBLIC_BETA",
              approvedBy: "rita",
              approvedAt: fake.now,
              pullRequest: `https://github.com/${OWNER}/${REPO}/pull/${PR}`,
              headSha: HEAD,
            },
          ],
        };
        (fake as any)
          .repo("platform", "catalog")
          .contents.get("main")
          .set("integrations/acme-analytics/record.json", `${JSON.stringify(record, null, 2)}\n`);
      }
    };
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));
    // The branch moved between our read and our commit: the fast-forward is refused (422), the
    // event is derived again, finds the promotion recorded, and writes nothing more to the catalog.
    expect(
      fake.log.filter((r) => r.method === "PATCH" && r.path.includes("platform/catalog/git/refs")).map((r) => r.status),
    ).toEqual([422]);
    expect(fake.commentsOn(OWNER, REPO, PR).filter((c) => c.body.includes(MARKERS.audit))).toHaveLength(1);
    expect(live(fake)[0]!.body).toContain("Stage: **Public Beta**");
  });
});

describe("several integrations in one repository", () => {
  it("reviews the ones the pull request touches, with checkbox keys per integration", async () => {
    const files: Record<string, string> = { "README.md": "# Integrations\n" };
    for (const [dir, slug] of [
      ["integrations/acme", "acme-analytics"],
      ["integrations/beacon", "beacon-crm"],
    ] as const) {
      for (const [path, text] of Object.entries(
        integrationFiles(
          MANIFEST.replace("acme-analytics", slug).replace(
            "description: Product analytics for teams.",
            dir.endsWith("beacon") ? "description: TODO" : "description: ok",
          ),
        ),
      )) {
        if (path !== "README.md") files[`${dir}/${path}`] = text;
      }
    }
    const fake = new FakeGitHub(world({ files }));
    fake.pull(OWNER, REPO, PR).files = [
      {
        filename: "integrations/beacon/integration.yml",
        status: "modified",
        patch: "@@ -4 +4 @@\n-  description: x\n+  description: TODO",
      },
    ];
    await opened(fake);
    const body = live(fake)[0]!.body;
    expect(body).toContain("in `integrations/beacon/`");
    expect(body).toContain("<!-- devcenter:item integrations/beacon:access-granted -->");
    expect(body).toContain("Not reviewed here (this pull request does not change them): `integrations/acme/`");
    const run = fake.runsOn(HEAD, "devcenter")[0]!;
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        path: "integrations/beacon/integration.yml",
        start_line: 5,
        start_column: 16,
        title: "manifest/todo",
      }),
    );
  });
});

describe("the real review engine", () => {
  it("annotates fixture and docs lines on the check run", async () => {
    const files = exampleFiles("webhook");
    files["test/events/order-completed.json"] = files["test/events/order-completed.json"]!.replace(
      '"revenue": 25',
      '"revenue": "lots"',
    );
    files["docs/segment.md"] = files["docs/segment.md"]!.replace("title: Acme Analytics Destination\n", "");
    const fake = new FakeGitHub(world({ files }));
    const { review } = await import("../../src/review.js");
    const h = await harness(fake, { review });
    await h.receive("pull_request", prEventNow(fake, "opened"));
    const run = fake.runsOn(HEAD, "devcenter")[0]!;
    expect(run.conclusion).toBe("failure");
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        path: "test/events/order-completed.json",
        start_line: 11,
        end_line: 11,
        annotation_level: "failure",
        title: "spec/revenue-number",
      }),
    );
    expect(run.annotations).toContainEqual(
      expect.objectContaining({
        path: "docs/segment.md",
        start_line: 1,
        annotation_level: "failure",
        title: "docs/front-matter",
      }),
    );
  });

  it("reviews the webhook example through the git tree API", async () => {
    const { readdirSync, readFileSync, statSync } = await import("node:fs");
    const { join } = await import("node:path");
    const root = new URL("../../examples/webhook/", import.meta.url).pathname;
    const files: Record<string, string> = {};
    const walk = (dir: string) => {
      for (const name of readdirSync(join(root, dir))) {
        const rel = dir ? `${dir}/${name}` : name;
        if (statSync(join(root, rel)).isDirectory()) walk(rel);
        else files[rel] = readFileSync(join(root, rel), "utf8");
      }
    };
    walk("");
    const fake = new FakeGitHub(world({ files }));
    const { review } = await import("../../src/review.js");
    const h = await harness(fake, { review });
    await h.receive("pull_request", prEventNow(fake, "opened"));
    const r = h.results[0]!;
    expect(r.state!.integrations[0]!.report.manifest?.app.slug).toBeTruthy();
    expect(r.state!.integrations[0]!.report.summary.errors).toBe(0);
    const run = fake.runsOn(HEAD, "devcenter")[0]!;
    expect(run.conclusion).toBe("success");
    expect(live(fake)[0]!.body).toContain("Partner access granted");
    // Blobs came from the API together, in one query (each checked against its SHA); a second event reads none.
    const blobQueries = fake.log.filter((x) => x.path === "/graphql" && /query Blobs/.test(x.body?.query ?? ""));
    expect(blobQueries).toHaveLength(1);
    expect(Object.keys(blobQueries[0]!.body.variables).filter((k) => /^o\d+$/.test(k)).length).toBeGreaterThan(2);
    expect(fake.log.filter((x) => x.path.includes("/git/blobs/"))).toEqual([]);
    fake.clearLog();
    await h.receive("pull_request", prEventNow(fake, "edited"));
    expect(fake.log.filter((x) => x.path.includes("/git/blobs/") || /query Blobs/.test(x.body?.query ?? ""))).toEqual(
      [],
    );
    expect(fake.writes()).toEqual([]);
  });
});
