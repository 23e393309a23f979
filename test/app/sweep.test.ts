// The overdue sweep: a submission without a reviewer's response for 2 business days gets the
// overdue label and one ping; the dry run lists the same mutations without making them; a
// reviewer's response clears the label.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BOT_LABELS, MARKERS } from "../../src/core/vocabulary.js";
import { FakeGitHub } from "./fake-github.js";
import { OWNER, PARTNER, PR, REPO, TEAM_REVIEWER, commentEvent, harness, prEventNow, world } from "./harness.js";

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe("overdue sweep", () => {
  it("marks a waiting submission overdue after 2 business days, once, and a reviewer's response clears it", async () => {
    const fake = new FakeGitHub(world()); // opened Monday 2024-03-04 09:00 UTC
    const h = await harness(fake);
    await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
    expect(fake.pull(OWNER, REPO, PR).labels).toContain(BOT_LABELS.inReview);

    // Tuesday: not yet.
    fake.now = "2024-03-05T12:00:00.000Z";
    let result = await h.handle.sweep!({ dryRun: true });
    expect(result.results).toEqual([]);

    // Wednesday 09:00: due. The dry run says what would happen and does nothing.
    fake.now = "2024-03-06T09:00:00.000Z";
    fake.clearLog();
    result = await h.handle.sweep!({ dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.results).toHaveLength(1);
    expect(result.results[0]!.pullRequest).toBe(`${OWNER}/${REPO}#${PR}`);
    expect(result.results[0]!.mutations.map((m) => m.kind)).toEqual(["labels-add", "comment-create"]);
    expect(fake.writes()).toEqual([]);

    // The real sweep: label and ping, mentioning the operator's reviewers.
    result = await h.handle.sweep!({ dryRun: false });
    expect(result.errors).toEqual([]);
    expect(fake.pull(OWNER, REPO, PR).labels).toContain(BOT_LABELS.reviewOverdue);
    const ping = fake.commentsOn(OWNER, REPO, PR).find((c) => c.body.includes(MARKERS.overdue))!;
    expect(ping.body).toContain("@platform/integration-reviewers @rita");

    // Again: nothing new.
    fake.clearLog();
    result = await h.handle.sweep!({ dryRun: false });
    expect(result.results).toEqual([]);
    expect(fake.writes()).toEqual([]);

    // A reviewer answers: the overdue label goes.
    fake.tick(60_000);
    fake.addComment(OWNER, REPO, { issue: PR, user: TEAM_REVIEWER, body: "Looking at it now.", created_at: fake.now });
    await h.receive(
      "issue_comment",
      commentEvent("created", { id: 4242, body: "Looking at it now.", sender: TEAM_REVIEWER, at: fake.now }),
    );
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain(BOT_LABELS.reviewOverdue);
    expect(fake.pull(OWNER, REPO, PR).labels).toContain(BOT_LABELS.inReview);
  });

  it("counts business days: submitted Friday afternoon, due Tuesday afternoon", async () => {
    const w = world();
    w.now = "2024-03-08T15:00:00.000Z"; // Friday
    w.repos[0]!.pulls![0]!.created_at = "2024-03-08T15:00:00Z";
    const fake = new FakeGitHub(w);
    const h = await harness(fake);
    await h.receive("pull_request", prEventNow(fake, "opened"));
    fake.now = "2024-03-11T23:00:00.000Z"; // Monday night: one business day
    expect((await h.handle.sweep!({ dryRun: true })).results).toEqual([]);
    fake.now = "2024-03-12T15:00:00.000Z"; // Tuesday 15:00
    expect((await h.handle.sweep!({ dryRun: true })).results).toHaveLength(1);
  });
});

describe("the sweep's command line", () => {
  it("checks its flags: a mistyped --dry-run or a bare --repo is a usage error, never a real run", async () => {
    const { parseSweepArgs } = await import("../../src/app/sweep-main.js");
    expect(parseSweepArgs(["--dry-run"])).toEqual({ dryRun: true });
    expect(parseSweepArgs(["--repo", "acme/a,acme/b"])).toEqual({ dryRun: false, repositories: ["acme/a", "acme/b"] });
    expect(parseSweepArgs(["--help"])).toEqual({ help: true });
    expect(parseSweepArgs(["--dryrun"])).toMatchObject({ error: expect.stringContaining("--dryrun") });
    expect(parseSweepArgs(["--repo"])).toMatchObject({ error: expect.any(String) });
    expect(parseSweepArgs(["--repo", "not a repo"])).toMatchObject({
      error: '--repo takes owner/name[,owner/name…], not "not a repo"',
    });
  });

  it("the built dist/sweep.js refuses an unknown flag with exit 2 before it reads any credentials", async () => {
    const { spawnSync } = await import("node:child_process");
    const run = spawnSync(process.execPath, ["dist/sweep.js", "--dryrun"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^devcenter sweep: .*--dryrun/);
    expect(run.stderr).toContain("Usage: npm run sweep");
  });

  it("a repository asked for by name that the App is not installed on is reported, not swept quietly", async () => {
    const fake = new FakeGitHub(world());
    const h = await harness(fake);
    const result = await h.handle.sweep!({ dryRun: true, repositories: ["acme/other"] });
    expect(result.errors).toEqual([
      { pullRequest: "acme/other", message: "the App is not installed on acme/other (or cannot see it)" },
    ]);
  });
});
