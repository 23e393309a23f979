// Scenario fixtures: a pull request's recorded API state (world.json) and a sequence of events.
// After each step the derived state, the decision and the mutations are compared with golden
// files. Regenerate after an intended change with `UPDATE_GOLDEN=1 npx vitest run test/app`, and
// read the diff. Time is injected (the fake's clock, UTC ISO strings), so nothing depends on the
// machine's time zone.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHECK_NAMES } from "../../src/core/vocabulary.js";
import { encodeReplayData } from "../../src/replay/report-codec.js";
import type { PipelineResult } from "../../src/app/pipeline.js";
import { FakeGitHub, type WorldSpec } from "./fake-github.js";
import {
  HEAD,
  HEAD2,
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
  prEventNow,
  tickItem,
  type Harness,
} from "./harness.js";

const DIR = fileURLToPath(new URL("../fixtures/app/scenarios/", import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === "1";

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

function golden(scenario: string, step: string, result: PipelineResult | undefined): void {
  const dir = join(DIR, scenario, "golden");
  mkdirSync(dir, { recursive: true });
  const parts = {
    state: result?.state ?? null,
    decision: result?.decision ?? null,
    mutations: result?.mutations ?? [],
  };
  for (const [kind, value] of Object.entries(parts)) {
    const file = join(dir, `${step}.${kind}.json`);
    const text = `${JSON.stringify(value, null, 2)}\n`;
    if (UPDATE) writeFileSync(file, text);
    else {
      expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
      expect(text, `${scenario}/${step}.${kind}`).toBe(readFileSync(file, "utf8"));
    }
  }
}

function load(scenario: string): WorldSpec {
  return JSON.parse(readFileSync(join(DIR, scenario, "world.json"), "utf8")) as WorldSpec;
}

async function step(
  h: Harness,
  name: string,
  payload: Record<string, unknown>,
  event: string,
): Promise<PipelineResult | undefined> {
  const before = h.results.length;
  await h.receive(event, payload, name);
  expect(h.results.length - before).toBeLessThanOrEqual(1);
  return h.results[before];
}

describe("scenario: submission to Public Beta", () => {
  const S = "submission-to-public-beta";
  it("converges at every step and matches the golden files", async () => {
    const fake = new FakeGitHub(load(S));
    const h = await harness(fake);

    // 1. The partner opens the pull request: check run, comment, in-review label, reviewers.
    const opened = prEventNow(fake, "opened", { sender: PARTNER });
    let r = await step(h, "01-opened", opened, "pull_request");
    golden(S, "01-opened", r);
    expect(r!.applied.map((m) => m.kind)).toEqual(["check-run", "labels-add", "reviewers-request", "comment-create"]);

    // 2. The same delivery again: nothing to write.
    fake.clearLog();
    r = await step(h, "02-redelivered", opened, "pull_request");
    golden(S, "02-redelivered", r);
    expect(fake.writes()).toEqual([]);

    // 3. A push that changes nothing visible: one check run on the new head, ≤ 4 calls (issue 13):
    //    the pull request's query, the tree, one query for policy.yml and both forms of the
    //    catalog record (their caches expired in the hour), the check run.
    fake.tick(60 * 60 * 1000);
    fake.pull(OWNER, REPO, PR).head = HEAD2;
    fake.clearLog();
    r = await step(h, "03-push", prEventNow(fake, "synchronize", { head: HEAD2, sender: PARTNER }), "pull_request");
    golden(S, "03-push", r);
    expect(fake.writes().map((w) => `${w.method} ${w.path}`)).toEqual([`POST /repos/${OWNER}/${REPO}/check-runs`]);
    expect(fake.log.length).toBeLessThanOrEqual(4);

    // 4. A reviewer ticks their item by editing the comment: accepted and signed.
    fake.tick(60 * 1000);
    const tick = tickItem(fake);
    r = await step(
      h,
      "04-reviewer-tick",
      commentEvent("edited", { id: tick.id, body: tick.body, from: tick.from, sender: REVIEWER, at: fake.now }),
      "issue_comment",
    );
    golden(S, "04-reviewer-tick", r);
    expect(r!.decision!.confirmed).toEqual(["access-granted"]);

    // 5. The Action's replay check run arrives on the head: the comment shows it.
    fake.tick(60 * 1000);
    const report = greenReplay(6, 2);
    addReplayRun(fake, report, {
      head_sha: HEAD2,
      started_at: fake.now,
      completed_at: fake.now,
      output: { title: "Replay", summary: "ok", text: `results\n${encodeReplayData(report)}` },
    });
    r = await step(h, "05-replay", checkRunEvent("completed", { name: CHECK_NAMES.replay, head: HEAD2 }), "check_run");
    golden(S, "05-replay", r);

    // 6. A reviewer (team member) applies the stage label after the last push: promoted.
    fake.tick(60 * 1000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", TEAM_REVIEWER);
    const labeled = prEventNow(fake, "labeled", {
      label: "stage: public-beta",
      sender: TEAM_REVIEWER,
      head: HEAD2,
      updatedAt: fake.now,
    });
    r = await step(h, "06-promoted", labeled, "pull_request");
    golden(S, "06-promoted", r);
    const record = JSON.parse(
      fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")!,
    );
    expect(record.stage).toBe("PUBLIC_BETA");
    expect(record.history[0].approvedBy).toBe("tomas");
    expect(fake.contentsOf(OWNER, REPO, "master", "integration.yml")).toContain(
      "stage: public-beta # recorded by the App",
    );

    // 7. The label event redelivered: the catalog already says so; nothing is written.
    fake.clearLog();
    r = await step(h, "07-redelivered", labeled, "pull_request");
    golden(S, "07-redelivered", r);
    expect(fake.writes()).toEqual([]);
  });
});

describe("scenario: denied stage labels", () => {
  const S = "denied-labels";
  it("removes labels from non-reviewers and from reviewers whose gates fail, explaining each", async () => {
    const fake = new FakeGitHub(load(S));
    const h = await harness(fake);
    await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }), "setup");

    // 1. The partner applies the label: removed, with who may apply it.
    fake.tick(60 * 60 * 1000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", PARTNER);
    let r = await step(
      h,
      "01-partner-label",
      prEventNow(fake, "labeled", { label: "stage: public-beta", sender: PARTNER, updatedAt: fake.now }),
      "pull_request",
    );
    golden(S, "01-partner-label", r);
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");

    // 2. A reviewer applies it, but replay has not run and their item is unticked: removed, every gate listed.
    fake.tick(60 * 1000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    r = await step(
      h,
      "02-gates-unmet",
      prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER, updatedAt: fake.now }),
      "pull_request",
    );
    golden(S, "02-gates-unmet", r);
    const note = fake.commentsOn(OWNER, REPO, PR).at(-1)!.body;
    expect(note).toContain("Test Suite all green or yellow");
    expect(note).toContain("Partner access granted");

    // 3. A reviewer skips a stage: removed (one stage at a time).
    fake.tick(60 * 1000);
    fake.label(OWNER, REPO, PR, "stage: public", REVIEWER);
    r = await step(
      h,
      "03-skip-a-stage",
      prEventNow(fake, "labeled", { label: "stage: public", sender: REVIEWER, updatedAt: fake.now }),
      "pull_request",
    );
    golden(S, "03-skip-a-stage", r);
    expect(fake.commentsOn(OWNER, REPO, PR).at(-1)!.body).toContain("One stage at a time");
    expect(fake.pull(OWNER, REPO, PR).labels).toEqual(["bug", "devcenter: in review"]);
    expect(HEAD).toBeTruthy();
  });
});

describe("scenario: a tick's re-created check run does not date the last push", () => {
  it("promotes on a label applied after the push, though the tick's delivery re-created the App's check run after the label", async () => {
    const fake = new FakeGitHub(load("submission-to-public-beta"));
    const report = greenReplay(8, 0);
    addReplayRun(fake, report, {
      started_at: fake.now,
      completed_at: fake.now,
      output: { title: "Replay", summary: "ok", text: encodeReplayData(report) },
    });
    const h = await harness(fake);

    // 1. The pull request opens (its head's arrival): the App's first check run on HEAD.
    const pushedAt = fake.now;
    let r = await step(h, "opened", prEventNow(fake, "opened", { sender: PARTNER }), "pull_request");
    expect(r!.state!.lastPushAt).toBe(new Date(pushedAt).toISOString());

    // 2. A reviewer ticks their item, then applies the stage label; the tick's delivery is handled
    //    after the label went on, and (the checklist changed) re-creates the check run on HEAD.
    fake.tick(60_000);
    const tick = tickItem(fake);
    const edited = commentEvent("edited", {
      id: tick.id,
      body: tick.body,
      from: tick.from,
      sender: REVIEWER,
      at: fake.now,
    });
    fake.tick(30_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", TEAM_REVIEWER);
    const labeled = prEventNow(fake, "labeled", {
      label: "stage: public-beta",
      sender: TEAM_REVIEWER,
      updatedAt: fake.now,
    });
    fake.tick(30_000);
    r = await step(h, "tick", edited, "issue_comment");
    expect(r!.decision!.confirmed).toEqual(["access-granted"]);
    expect(fake.runsOn(HEAD, CHECK_NAMES.review).map((c) => new Date(c.started_at!).toISOString())).toEqual(
      [pushedAt, fake.now].map((t) => new Date(t).toISOString()),
    );

    // 3. The label's delivery: judged against the push (the first run), not the re-created run.
    fake.tick(10_000);
    r = await step(h, "labeled", labeled, "pull_request");
    expect(r!.state!.lastPushAt).toBe(new Date(pushedAt).toISOString());
    expect(fake.pull(OWNER, REPO, PR).labels).toContain("stage: public-beta");
    expect(
      JSON.parse(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")!).stage,
    ).toBe("PUBLIC_BETA");
  });
});
