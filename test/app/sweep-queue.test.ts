// The sweep's review queue snapshot: queue.json in the catalog repository, one commit per run and
// only when the queue changed; an older snapshot replaced; entries of repositories the run did not
// sweep carried over; the catalog site shows what the App wrote. GitHub's API is the fake (nock).
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QUEUE_SCHEMA, parseQueue, type QueueSnapshot } from "../../src/core/review-queue.js";
import { businessDaysBetween } from "../../src/app/clock.js";
import { buildSite } from "../../src/site/build.js";
import { FakeGitHub } from "./fake-github.js";
import { OWNER, PARTNER, PR, REPO, harness, prEventNow, world } from "./harness.js";

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const queueWrites = (fake: FakeGitHub) => fake.writes().filter((w) => w.path.endsWith("/contents/queue.json"));
const snapshotOf = (fake: FakeGitHub): QueueSnapshot => {
  const read = parseQueue(fake.contentsOf("platform", "catalog", "main", "queue.json")!);
  if (!read.ok) throw new Error(read.message);
  return read.snapshot;
};

describe("the sweep's review queue snapshot", () => {
  it("writes queue.json once per change: the submission, its partner, business days against the SLA, its state and what blocks it", async () => {
    const fake = new FakeGitHub(world()); // opened Monday 2024-03-04 09:00 UTC
    const h = await harness(fake);
    await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));

    fake.now = "2024-03-05T12:00:00.000Z"; // Tuesday
    fake.clearLog();
    const dry = await h.handle.sweep!({ dryRun: true });
    expect(dry.queue).toEqual({ status: "dry-run", entries: 1 });
    expect(queueWrites(fake)).toEqual([]);

    const first = await h.handle.sweep!({ dryRun: false });
    expect(first.errors).toEqual([]);
    expect(first.queue).toEqual({ status: "written", entries: 1 });
    const writes = queueWrites(fake);
    expect(writes.map((w) => [w.method, w.path, w.body.message])).toEqual([
      ["PUT", "/repos/platform/catalog/contents/queue.json", "devcenter: review queue snapshot (1 open submission)"],
    ]);
    expect(snapshotOf(fake)).toEqual({
      schema: QUEUE_SCHEMA,
      takenAt: "2024-03-05T12:00:00.000Z",
      reviewBusinessDays: 2,
      entries: [
        {
          repository: `${OWNER}/${REPO}`,
          pullRequest: PR,
          url: `https://github.com/${OWNER}/${REPO}/pull/${PR}`,
          title: expect.any(String),
          partner: PARTNER.login,
          integration: { root: "", slug: "acme-analytics", name: "Acme Analytics" },
          stage: "developer-preview",
          target: "public-beta",
          since: "2024-03-04T09:00:00.000Z",
          businessDays: 1,
          overdue: false,
          state: "blocked",
          blockedBy: ["Test Suite all green or yellow"],
        },
      ],
    });

    // Nothing changed but the clock: no commit.
    fake.tick(60 * 60_000);
    fake.clearLog();
    expect((await h.handle.sweep!({ dryRun: false })).queue).toEqual({ status: "unchanged", entries: 1 });
    expect(queueWrites(fake)).toEqual([]);

    // Wednesday 09:00: two business days, overdue. One more commit.
    fake.now = "2024-03-06T09:00:00.000Z";
    fake.clearLog();
    expect((await h.handle.sweep!({ dryRun: false })).queue).toEqual({ status: "written", entries: 1 });
    expect(queueWrites(fake)).toHaveLength(1);
    expect(snapshotOf(fake).entries[0]).toMatchObject({ businessDays: 2, overdue: true });
  });

  it("replaces an older snapshot, and keeps the entries of repositories a --repo sweep did not look at", async () => {
    const older = JSON.stringify({ takenAt: "2024-01-01T00:00:00Z", items: [] });
    const fake = new FakeGitHub(world({ catalog: { "queue.json": older } }));
    const h = await harness(fake);
    await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
    const result = await h.handle.sweep!({ dryRun: false });
    expect(result.errors).toEqual([]);
    expect(result.queue).toEqual({ status: "written", entries: 1 });
    expect(snapshotOf(fake).schema).toBe(QUEUE_SCHEMA);

    // An entry from another repository, then a sweep of this one only: the other entry stays.
    const snapshot = snapshotOf(fake);
    const other = {
      ...snapshot.entries[0]!,
      repository: "partners/elsewhere",
      url: "https://github.com/partners/elsewhere/pull/9",
      pullRequest: 9,
    };
    fake
      .repo("platform", "catalog")
      .contents.get("main")!
      .set("queue.json", JSON.stringify({ ...snapshot, entries: [...snapshot.entries, other] }));
    fake.tick(60_000);
    const only = await h.handle.sweep!({ dryRun: false, repositories: [`${OWNER}/${REPO}`] });
    expect(only.errors).toEqual([]);
    expect(
      snapshotOf(fake)
        .entries.map((e) => `${e.repository}#${e.pullRequest}`)
        .sort(),
    ).toEqual([`${OWNER}/${REPO}#${PR}`, "partners/elsewhere#9"]);
    // A full sweep that no longer sees that repository drops it.
    fake.tick(60_000);
    await h.handle.sweep!({ dryRun: false });
    expect(snapshotOf(fake).entries.map((e) => `${e.repository}#${e.pullRequest}`)).toEqual([`${OWNER}/${REPO}#${PR}`]);
  });

  it("the catalog site shows the snapshot the App wrote", async () => {
    const fake = new FakeGitHub(world());
    const h = await harness(fake);
    await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
    fake.now = "2024-03-06T09:00:00.000Z";
    await h.handle.sweep!({ dryRun: false });
    const dir = await mkdtemp(join(tmpdir(), "devcenter-queue-site-"));
    try {
      await mkdir(join(dir, "catalog"));
      await writeFile(
        join(dir, "catalog", "queue.json"),
        fake.contentsOf("platform", "catalog", "main", "queue.json")!,
      );
      const built = await buildSite({ catalog: join(dir, "catalog"), out: join(dir, "site") });
      expect(built.warnings.filter((w) => w.file === "queue.json")).toEqual([]);
      const page = await readFile(join(dir, "site", "queue", "index.html"), "utf8");
      expect(page).toContain(
        'Snapshot taken <time datetime="2024-03-06T09:00:00.000Z">2024-03-06 09:00 UTC</time>. 1 open submission, 0 waiting for a reviewer. Review time: 2 business days.',
      );
      expect(page).toContain(
        `<td class="late">2 business days of 2 (overdue)</td><td>Blocked by automatic items<ul><li>Test Suite all green or yellow</li></ul></td>`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("business days between two times", () => {
  it("counts whole Monday–Friday days (UTC), as the overdue rule does", () => {
    const d = (s: string) => new Date(s);
    expect(businessDaysBetween(d("2024-03-04T09:00:00Z"), d("2024-03-05T08:59:59Z"))).toBe(0);
    expect(businessDaysBetween(d("2024-03-04T09:00:00Z"), d("2024-03-05T09:00:00Z"))).toBe(1);
    expect(businessDaysBetween(d("2024-03-08T15:00:00Z"), d("2024-03-12T15:00:00Z"))).toBe(2); // Friday → Tuesday
    expect(businessDaysBetween(d("2024-03-04T09:00:00Z"), d("2025-03-04T09:00:00Z"))).toBe(261);
    expect(businessDaysBetween(d("2024-03-05T09:00:00Z"), d("2024-03-04T09:00:00Z"))).toBe(0);
  });
});
