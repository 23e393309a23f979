// A change to a live integration, end to end through the App with the real review engine (GitHub
// mocked by the fake, nock with net connect disabled): the approved version is read from the
// catalog record, the checklist comment leads with the change list, a declared breaking change
// adds the reviewer item "Breaking change approved" and the `devcenter: breaking change` label,
// and the current stage's label approves the new version: one catalog commit, a new history entry.
// After the approval the comment says who approved the version and when, and the next push is
// compared with the version just recorded. The docs page and catalog copy the record keeps are
// compared by content: a changed page under the same path is a notice at the key that names it.
// An unreadable catalog record is said on the checklist ("no approved version") and never crashes.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHECK_NAMES, MARKERS } from "../../src/core/vocabulary.js";
import { review } from "../../src/review.js";
import { queueEntries } from "../../src/app/review-queue.js";
import { FakeGitHub } from "./fake-github.js";
import {
  HEAD,
  HEAD2,
  OWNER,
  PARTNER,
  PR,
  RECORD_DIR,
  REPO,
  REVIEWER,
  addReplayRun,
  commentEvent,
  exampleFiles,
  harness,
  liveCatalog,
  prEventNow,
  world,
} from "./harness.js";

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const GREEN = {
  summary: { pass: 2, unsupported: 0, fail: 0 },
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
  ],
  volume: { events: 10_000, eventsPerSecond: 900, p50Ms: 2, p95Ms: 5, p99Ms: 9, errorRate: 0, passed: true },
};

/** The example in Public Beta at `version`, edited. */
function manifest(version: string, edit: (t: string) => string = (t) => t): string {
  return edit(
    exampleFiles()["integration.yml"]!.replace("stage: developer-preview", `stage: public-beta\nversion: ${version}`),
  );
}

/** The pull request at `head` (HEAD), and at `pushed` once HEAD2 is pushed. */
async function setUp(head: string, catalog: Record<string, string>, docs?: (t: string) => string, pushed?: string) {
  const files = exampleFiles();
  files["integration.yml"] = head;
  if (docs) files["docs/segment.md"] = docs(files["docs/segment.md"]!);
  const spec = world({ files, catalog });
  if (pushed) spec.repos[0]!.commits[HEAD2] = { ...files, "integration.yml": pushed };
  const fake = new FakeGitHub(spec);
  addReplayRun(fake, GREEN);
  const h = await harness(fake, { review });
  await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
  const live = () => fake.commentsOn(OWNER, REPO, PR).find((c) => c.body.includes(MARKERS.checklist))!;
  return { fake, h, live };
}

describe("a change to a live integration", () => {
  it("declared breaking change: change list first, reviewer item and label; the stage's label approves version 2.0.0 in one commit", async () => {
    const approved = manifest("1.0.0");
    const head = manifest("2.0.0", (t) =>
      t
        .replace(
          "version: 2.0.0",
          "version: 2.0.0\nbreakingChanges:\n  - version: 2.0.0\n    message: Region is now required.\n    upgradeDeadline: 2099-03-01\n    migrationGuide: docs/segment.md#migrating-to-2-0",
        )
        .replace("        type: select\n", "        type: select\n        required: true\n"),
    );
    // Pushed after the approval: a patch version with one notice.
    const pushed = head
      .replace("version: 2.0.0\n", "version: 2.0.1\n")
      .replace("categories: [Analytics]", "categories: [Analytics, CRM]");
    const { fake, h, live } = await setUp(
      head,
      liveCatalog(approved),
      (d) => `${d}\n## Migrating to 2.0\n\nSet the region of each connection before 2099-03-01.\n`,
      pushed,
    );

    // Markdown escapes (`\.`) left out, to read the comment as GitHub shows it.
    const body = live().body.replace(/\\/g, "");
    const changes = body.indexOf("Changes against the approved version 1.0.0 → 2.0.0");
    expect(changes).toBeGreaterThan(0);
    expect(changes).toBeLessThan(body.indexOf("**Checklist**"));
    expect(body).toContain("1 breaking change (declared), 0 notices");
    expect(body).toMatch(
      /💥 breaking \| `integration\.yml:\d+` \| subscription\/webhook: setting `region` is now required/,
    );
    expect(body).toContain("Breaking change approved");
    expect(body).toMatch(/Blocking approval of version `2\.0\.0` in \*\*Public Beta\*\*/);
    expect(fake.pull(OWNER, REPO, PR).labels).toContain("devcenter: breaking change");
    // The review queue shows it as a breaking change for a reviewer to approve.
    const opened = h.results.at(-1)!;
    expect(queueEntries(opened.state!, opened.decision).map((e) => e.state)).toEqual(["breaking"]);

    // A reviewer ticks every reviewer item (the breaking change among them), then applies the
    // label of the stage the integration is already in.
    fake.tick(60_000);
    const c = live();
    const from = c.body;
    c.body = from.replace(/- \[ \] (.*<!-- devcenter:item \S+ -->)/g, "- [x] $1");
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: c.id, body: c.body, from, sender: REVIEWER, at: fake.now }),
    );
    expect(h.results.at(-1)!.decision!.confirmed).toContain("breaking-approved");
    expect(live().body).toMatch(/Nothing blocks approving version `2\.0\.0` in \*\*Public Beta\*\*/);
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    fake.clearLog();
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));

    expect(
      fake.log
        .filter((r) => r.method === "POST" && r.path === "/repos/platform/catalog/git/commits")
        .map((r) => r.body.message.split("\n")[0]),
    ).toEqual(["acme-analytics: PUBLIC_BETA 2.0.0 — breaking change"]);
    const record = JSON.parse(fake.contentsOf("platform", "catalog", "main", `${RECORD_DIR}/record.json`)!);
    expect(record).toMatchObject({ stage: "PUBLIC_BETA", version: "2.0.0" });
    expect(
      record.history.map(
        (e: { version: string; stage: string; breaking: boolean; approvedBy: string }) =>
          `${e.version} ${e.stage} ${e.breaking} ${e.approvedBy}`,
      ),
    ).toEqual(["1.0.0 PUBLIC_BETA false rita", "2.0.0 PUBLIC_BETA true rita"]);
    expect(fake.contentsOf("platform", "catalog", "main", `${RECORD_DIR}/integration.yml`)).toBe(head);
    const audit = fake.commentsOn(OWNER, REPO, PR).find((x) => x.body.includes(MARKERS.audit))!.body;
    expect(audit).toContain("**Version recorded:**");
    expect(audit).toContain("`2.0.0` approved in **Public Beta**, as a breaking change");
    expect(fake.pull(OWNER, REPO, PR).labels).toContain("stage: public-beta");
    // The checklist comment says the version is approved and recorded, by whom and when.
    const approvedAt = record.history.at(-1).approvedAt as string;
    const recorded = `✅ Approved version \`2.0.0\` in **Public Beta** by \`rita\` at ${approvedAt}, and recorded in the catalog: later changes are compared with it.`;
    expect(live().body.replace(/\\/g, "")).toContain(recorded);
    expect(live().body).not.toContain("Nothing blocks approving");

    // Redelivered: the record already holds 2.0.0; nothing more is written to the catalog, and the comment still says so.
    fake.clearLog();
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));
    expect(fake.writes().filter((w) => w.path.includes("platform/catalog"))).toEqual([]);
    expect(live().body.replace(/\\/g, "")).toContain(recorded);

    // The next push is compared with the version just recorded, 2.0.0.
    fake.tick(60_000);
    fake.pull(OWNER, REPO, PR).head = HEAD2;
    await h.receive("pull_request", prEventNow(fake, "synchronize", { sender: PARTNER }));
    const next = live().body.replace(/\\/g, "");
    expect(next).toContain("Changes against the approved version 2.0.0 → 2.0.1");
    expect(next).toContain("0 breaking changes, 1 notice");
    expect(next).not.toContain("✅ Approved version");
    expect(next).toMatch(/Blocking approval of version `2\.0\.1` in \*\*Public Beta\*\*/);
  });

  it("an undeclared breaking change is an error on the line, the label is refused, the checklist says what to add", async () => {
    const approved = manifest("1.0.0");
    const head = manifest("1.1.0", (t) =>
      t.replace("        type: select\n", "        type: select\n        required: true\n"),
    );
    const { fake, h, live } = await setUp(head, liveCatalog(approved));
    expect(live().body).toContain("1 breaking change (not declared), 0 notices");
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("devcenter: breaking change");
    const run = fake.runsOn(HEAD, CHECK_NAMES.review).at(-1)!;
    expect(run.annotations.map((a: { title: string; start_line: number }) => a.title)).toEqual(
      expect.arrayContaining(["change/setting-required", "change/breaking-undeclared"]),
    );
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));
    expect(fake.pull(OWNER, REPO, PR).labels).not.toContain("stage: public-beta");
    expect(JSON.parse(fake.contentsOf("platform", "catalog", "main", `${RECORD_DIR}/record.json`)!).version).toBe(
      "1.0.0",
    );
  });

  it("the docs page and catalog copy the record keeps are compared by content: a notice at the key that names each changed one", async () => {
    const example = exampleFiles();
    const approved = manifest("1.0.0");
    const head = manifest("1.0.1");
    const catalog = liveCatalog(approved, {
      docs: example["docs/segment.md"]!,
      catalog: example["docs/catalog.md"]!,
      logo: example["assets/logo.svg"]!,
    });
    const { fake, live } = await setUp(
      head,
      catalog,
      (d) => `${d}\n## Troubleshooting\n\nNo data in Acme? Check the API key in the destination settings.\n`,
    );
    // The App asked for the approved files with the record, in the one catalog query.
    const asked = fake
      .reads()
      .filter((r) => r.path === "/graphql" && String(r.body.query).includes("CatalogFiles"))
      .flatMap((r) => Object.values(r.body.variables as Record<string, unknown>));
    expect(asked).toEqual(
      expect.arrayContaining(
        ["record.json", "docs.md", "catalog.md", "logo.svg"].map((f) => `HEAD:${RECORD_DIR}/${f}`),
      ),
    );
    const body = live().body.replace(/\\/g, "");
    const lineOf = (needle: string) => head.split("\n").findIndex((l) => l.includes(needle)) + 1;
    expect(body).toContain("0 breaking changes, 1 notice");
    expect(body).toContain(
      `| ℹ️ notice | \`integration.yml:${lineOf("segment: docs/segment.md")}\` | The docs page (docs/segment.md) changed: section "Troubleshooting" added; 2 lines added, 0 removed. |`,
    );
    expect(body).not.toContain("Nothing blocks approving version `1.0.0`");
  });

  it("10,000 approved settings: a record over GitHub's 1 MB contents limit is read through its blob, and the change listed", async () => {
    const many = (i: number) =>
      `      - label: Option ${i}\n        key: option${i}\n        type: string\n        description: Option ${i} of the Acme account, as shown in Acme's settings page.`;
    const withSettings = (version: string, skip?: number) =>
      manifest(version, (t) =>
        t.replace(
          "        default: us\n",
          `        default: us\n${Array.from({ length: 10_000 }, (_, i) => (i === skip ? undefined : many(i)))
            .filter(Boolean)
            .join("\n")}\n`,
        ),
      );
    const catalog = liveCatalog(withSettings("1.0.0"));
    expect(Buffer.byteLength(catalog[`${RECORD_DIR}/record.json`]!)).toBeGreaterThan(1024 * 1024);
    const { fake, live } = await setUp(withSettings("1.0.1", 1234), catalog);
    const body = live().body.replace(/\\/g, "");
    expect(body).toContain("Changes against the approved version 1.0.0 → 1.0.1");
    expect(body).toContain("1 breaking change (not declared), 0 notices");
    expect(body).toMatch(/setting `option1234` \("Option 1234"\) was removed/);
    expect(fake.reads().some((r) => /\/repos\/platform\/catalog\/git\/blobs\//.test(r.path))).toBe(true);
  });

  it("an unreadable catalog record: 'no approved version' on the checklist, the review still runs", async () => {
    const { fake, live } = await setUp(manifest("1.1.0"), {
      [`${RECORD_DIR}/record.json`]: '{"schema": 2, "slug": "acme-',
    });
    const body = live().body.replace(/\\/g, "");
    expect(body).toMatch(
      /⚠️ No approved version to compare with: The catalog record could not be read \(platform\/catalog\/integrations\/acme-analytics\/record\.json is not valid JSON/,
    );
    expect(body).toContain("The catalog record could not be used");
    expect(fake.runsOn(HEAD, CHECK_NAMES.review).length).toBeGreaterThan(0);
  });
});
