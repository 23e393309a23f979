// Promotion to Public with the real review engine and the real check registry: from Public Beta,
// a reviewer's `stage: public` is refused while the manifest lacks the OAuth configuration and 3
// customers (every unmet gate named), and accepted after a push that adds them and a label applied
// after that push: catalog record PUBLIC written with the blob SHA, `stage: public` mirrored on
// the default branch, audit comment.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MARKERS } from "../../src/core/vocabulary.js";
import { review } from "../../src/review.js";
import { FakeGitHub } from "./fake-github.js";
import {
  HEAD2,
  OWNER,
  PARTNER,
  PR,
  REPO,
  REVIEWER,
  addReplayRun,
  commentEvent,
  exampleFiles,
  harness,
  prEventNow,
  world,
} from "./harness.js";

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const GREEN = {
  summary: { pass: 2, unsupported: 1, fail: 0 },
  cases: [
    {
      name: "Track — user signs up",
      type: "track",
      status: "pass" as const,
      durationMs: 3,
      message: "delivered",
      httpStatus: 200,
      group: "test-suite",
    },
    {
      name: "Screen — user opens the app",
      type: "screen",
      status: "unsupported" as const,
      durationMs: 1,
      message: "not supported",
      httpStatus: 501,
      group: "test-suite",
    },
  ],
  volume: { events: 10_000, eventsPerSecond: 900, p50Ms: 2, p95Ms: 5, p99Ms: 9, errorRate: 0, passed: true },
};

const PUBLIC_READY = `
oauth:
  clientId: acme-segment
  redirectUris: [https://app.acme.example/oauth/segment]
  scope: destination/acme-analytics
customers:
  - workspace: northwind
  - workspace: contoso
  - workspace: initech
`;

describe("promotion to Public (real engine and registry)", () => {
  it("refuses without OAuth and 3 customers, naming both; promotes once a later push adds them", async () => {
    const files = exampleFiles();
    // In Public Beta already: the App mirrored the stage into the manifest when it promoted.
    // A live integration has a version (issue 11); the legacy record below keeps none, nor a manifest.
    files["integration.yml"] = files["integration.yml"]!.replace(
      "stage: developer-preview",
      "stage: public-beta\nversion: 1.0.0",
    );
    const w = world({ files });
    const readyManifest = files["integration.yml"]! + PUBLIC_READY;
    w.repos[0]!.commits[HEAD2] = { ...files, "integration.yml": readyManifest };
    const previous = `${JSON.stringify({ slug: "acme-analytics", name: "Acme Analytics", repository: `${OWNER}/${REPO}`, root: "", stage: "PUBLIC_BETA", history: [{ stage: "PUBLIC_BETA", approvedBy: "rita", approvedAt: "2024-02-01T10:00:00.000Z", pullRequest: `https://github.com/${OWNER}/${REPO}/pull/1`, headSha: "1".repeat(40) }] }, null, 2)}\n`;
    w.repos[1]!.contents = { main: { "integrations/acme-analytics.json": previous } };
    const fake = new FakeGitHub(w);
    addReplayRun(fake, GREEN);
    const h = await harness(fake, { review });
    const live = () => fake.commentsOn(OWNER, REPO, PR).find((c) => c.body.includes(MARKERS.checklist))!;

    await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
    expect(live().body).toContain("Stage: **Public Beta** · next: **Public**");

    // A reviewer ticks every reviewer item in one edit.
    fake.tick(60_000);
    const c = live();
    const from = c.body;
    c.body = from.replace(/- \[ \] (.*<!-- devcenter:item \S+ -->)/g, "- [x] $1");
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: c.id, body: c.body, from, sender: REVIEWER, at: fake.now }),
    );
    expect(h.results.at(-1)!.decision!.confirmed.length).toBeGreaterThanOrEqual(3);

    // `stage: public` now: refused, and the note names exactly the two Public requirements.
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public", REVIEWER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public", sender: REVIEWER }));
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public");
    const note = fake.commentsOn(OWNER, REPO, PR).find((x) => x.body.includes(MARKERS.labelRemoved))!.body;
    const gates = note.split("\n").filter((l) => l.startsWith("- "));
    expect(gates).toHaveLength(2);
    expect(gates[0]).toMatch(/^- Enable with Segment \\?\(OAuth\\?\) configured — /);
    expect(gates[1]).toMatch(/^- At least 3 customers use the integration — 0 customers listed/);
    expect(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics.json")).toBe(previous);

    // The partner pushes OAuth and customers; replay runs on the new head; the reviewer labels again.
    fake.tick(60 * 60_000);
    fake.pull(OWNER, REPO, PR).head = HEAD2;
    fake.pull(OWNER, REPO, PR).files = [
      {
        filename: "integration.yml",
        status: "modified",
        patch: "@@ -50,0 +51,8 @@\n+oauth:\n+  clientId: acme-segment",
      },
    ];
    await h.receive("pull_request", prEventNow(fake, "synchronize", { sender: PARTNER }));
    addReplayRun(fake, GREEN, { head_sha: HEAD2 });
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public", REVIEWER);
    fake.clearLog();
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public", sender: REVIEWER }));

    // One commit replaces the legacy one-file record with the record folder.
    expect(
      fake.log
        .filter((r) => r.method === "PATCH" && r.path === "/repos/platform/catalog/git/refs/heads/main")
        .map((r) => r.status),
    ).toEqual([200]);
    expect(fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics.json")).toBeUndefined();
    const record = JSON.parse(
      fake.contentsOf("platform", "catalog", "main", "integrations/acme-analytics/record.json")!,
    );
    expect(record.stage).toBe("PUBLIC");
    expect(record.version).toBe("1.0.0");
    expect(record.history.map((e: { stage: string }) => e.stage)).toEqual(["PUBLIC_BETA", "PUBLIC"]);
    expect(record.history[1]).toMatchObject({
      approvedBy: "rita",
      headSha: HEAD2,
      pullRequest: `https://github.com/${OWNER}/${REPO}/pull/${PR}`,
    });
    expect(fake.contentsOf(OWNER, REPO, "master", "integration.yml")).toMatch(/^stage: public$/m);
    const audit = fake.commentsOn(OWNER, REPO, PR).find((x) => x.body.includes(MARKERS.audit))!.body;
    expect(audit).toContain("from **Public Beta** to **Public**");
    expect(fake.pull(OWNER, REPO, PR).labels).toContain("stage: public");
    expect(live().body).toContain("Stage: **Public**");
  });
});
