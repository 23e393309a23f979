// The App's small pieces, each on its own.
import { describe, expect, it } from "vitest";
import { MARKERS } from "../../src/core/vocabulary.js";
import { withManifestStage } from "../../src/app/catalog.js";
import { addBusinessDays } from "../../src/app/clock.js";
import { configFromEnv } from "../../src/app/config.js";
import { annotationsFor, tickedKeys } from "../../src/app/decide.js";
import { isWorkflowFile } from "../../src/app/derive.js";
import { reversePatch, stageEditOfChange } from "../../src/app/stage-edit.js";
import { parseCommands, targetsOf } from "../../src/app/events.js";
import { retryDelay } from "../../src/app/github.js";
import { KeyedQueue } from "../../src/app/queue.js";
import { decodeReplayData, encodeReplayData } from "../../src/replay/report-codec.js";
import { decodeState, encodeState, newerState } from "../../src/app/state-token.js";
import { TreeSource, type TreeEntry } from "../../src/app/tree-source.js";
import { example } from "./harness.js";

const REPORT = {
  summary: { pass: 1, unsupported: 1, fail: 0 },
  cases: [
    {
      name: "Track — user signs up",
      type: "track",
      status: "pass" as const,
      httpStatus: 200,
      durationMs: 5,
      message: "ok",
      group: "test-suite",
    },
    {
      name: "Screen — user opens the mobile app",
      type: "screen",
      status: "unsupported" as const,
      httpStatus: 501,
      durationMs: 2,
      message: "not supported",
    },
  ],
  volume: { events: 1000, eventsPerSecond: 500, p50Ms: 1, p95Ms: 3, p99Ms: 5, errorRate: 0, passed: true },
};

describe("replay data marker", () => {
  it("round-trips a report, per integration root", () => {
    const text = `Replay finished.\n${encodeReplayData(REPORT)}\n${encodeReplayData({ ...REPORT, summary: { pass: 0, unsupported: 0, fail: 2 } }, "integrations/beacon")}`;
    expect(text).toContain(`<!-- ${MARKERS.replayData} `);
    const decoded = decodeReplayData(text);
    expect(decoded.map((d) => d.root)).toEqual(["", "integrations/beacon"]);
    expect(decoded[0]!.report).toEqual(REPORT);
    expect(decoded[1]!.report.summary.fail).toBe(2);
  });

  it("drops malformed data and clips what it keeps", () => {
    const bad = (v: unknown) => `<!-- ${MARKERS.replayData} ${Buffer.from(JSON.stringify(v)).toString("base64")} -->`;
    expect(decodeReplayData(bad({ summary: { pass: -1, unsupported: 0, fail: 0 }, cases: [] }))).toEqual([]);
    expect(
      decodeReplayData(
        bad({
          summary: { pass: 1, unsupported: 0, fail: 0 },
          cases: [{ name: "x", type: "track", status: "green", message: "" }],
        }),
      ),
    ).toEqual([]);
    expect(decodeReplayData(`<!-- ${MARKERS.replayData} not-base64!! -->`)).toEqual([]);
    const odd = decodeReplayData(
      bad({
        summary: { pass: 1, unsupported: 0, fail: 0 },
        cases: [{ name: "x".repeat(2000), type: "<script>", status: "pass", message: "m", durationMs: "slow" }],
      }),
    );
    expect(odd[0]!.report.cases[0]!.name.length).toBeLessThanOrEqual(501);
    expect(odd[0]!.report.cases[0]!.type).toBe("unknown");
    expect(odd[0]!.report.cases[0]!.durationMs).toBe(0);
  });
});

describe("signed record of confirmed items", () => {
  const pr = { owner: "o", repo: "r", number: 1 };
  it("verifies its own signature, bound to the pull request", () => {
    const marker = encodeState("k", pr, ["b", "a", "a"]);
    expect(decodeState("k", pr, `x\n${marker}\n`)).toEqual({ valid: true, confirmed: ["a", "b"], at: "", itemAt: {} });
    expect(decodeState("other", pr, marker).valid).toBe(false);
    expect(decodeState("k", { ...pr, number: 2 }, marker).valid).toBe(false);
    expect(decodeState("k", pr, marker.replace(/ (\w)/, " X")).valid).toBe(false);
    expect(decodeState("k", pr, undefined)).toEqual({ valid: false, confirmed: [], at: "", itemAt: {} });
  });

  it("orders records by the reviewer edit they last took in; a forged one never wins", () => {
    const older = decodeState("k", pr, encodeState("k", pr, ["a"], "2024-03-04T10:00:00.000Z"));
    const newer = decodeState("k", pr, encodeState("k", pr, [], "2024-03-04T10:05:00.000Z"));
    expect(newerState(older, newer)).toBe(newer);
    expect(newerState(newer, older)).toBe(newer);
    const forged = decodeState("other-key", pr, encodeState("other-key", pr, ["a"], "2099-01-01T00:00:00.000Z"));
    expect(newerState(newer, { ...forged, valid: false })).toBe(newer);
  });
});

describe("business days", () => {
  const at = (s: string) => addBusinessDays(new Date(s), 2).toISOString();
  it("skips weekends, in UTC", () => {
    expect(at("2024-03-04T10:00:00Z")).toBe("2024-03-06T10:00:00.000Z"); // Mon → Wed
    expect(at("2024-03-07T10:00:00Z")).toBe("2024-03-11T10:00:00.000Z"); // Thu → Mon
    expect(at("2024-03-08T15:00:00Z")).toBe("2024-03-12T15:00:00.000Z"); // Fri → Tue
    expect(at("2024-03-09T15:00:00Z")).toBe("2024-03-13T00:00:00.000Z"); // Sat → counts from Mon 00:00
  });
});

describe("keyed queue", () => {
  it("runs one key at a time, keys side by side, and forgets settled keys", async () => {
    const q = new KeyedQueue();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a1 = q.run("a", async () => {
      order.push("a1 start");
      await gate;
      order.push("a1 end");
    });
    const a2 = q.run("a", async () => {
      order.push("a2");
    });
    const b = q.run("b", async () => {
      order.push("b");
    });
    await b;
    expect(order).toEqual(["a1 start", "b"]);
    release();
    await Promise.all([a1, a2]);
    expect(order).toEqual(["a1 start", "b", "a1 end", "a2"]);
    const failing = q.run("a", async () => {
      throw new Error("boom");
    });
    await expect(failing).rejects.toThrow("boom");
    await q.run("a", async () => order.push("after failure"));
    await q.idle();
    expect(q.size).toBe(0);
  });
});

describe("retry policy", () => {
  const p = { baseDelayMs: 100, maxDelayMs: 10_000 };
  it("retries 5xx, network errors and secondary limits; not other 4xx", () => {
    expect(retryDelay({ status: 502 }, 1, p)).toBe(100);
    expect(retryDelay({ status: 500 }, 3, p)).toBe(400);
    expect(retryDelay(new Error("socket hang up"), 1, p)).toBe(100);
    expect(
      retryDelay(
        {
          status: 403,
          message: "You have exceeded a secondary rate limit",
          response: { headers: { "retry-after": "7" } },
        },
        1,
        p,
      ),
    ).toBe(7000);
    expect(retryDelay({ status: 429 }, 2, p)).toBe(200);
    expect(retryDelay({ status: 403, message: "Resource not accessible by integration" }, 1, p)).toBeUndefined();
    expect(retryDelay({ status: 404 }, 1, p)).toBeUndefined();
    expect(retryDelay({ status: 422 }, 1, p)).toBeUndefined();
  });
});

describe("manifest stage", () => {
  it("finds a hand edit of `stage` on the parsed manifests before and after, with its line", async () => {
    const after = "apiVersion: devcenter/v1\nmark: x\nstage: public\nother: y\n";
    const patch =
      "@@ -1,4 +1,4 @@\n apiVersion: devcenter/v1\n mark: x\n-stage: developer-preview\n+stage: public\n other: y";
    expect(await stageEditOfChange(after, { status: "modified", patch }, "integration.yml")).toEqual({
      from: "developer-preview",
      to: "public",
      line: 3,
    });
    // A nested `stage` is not the manifest's.
    expect(
      await stageEditOfChange(
        "a:\n  stage: y\n",
        { status: "modified", patch: "@@ -1,2 +1,2 @@\n a:\n-  stage: x\n+  stage: y" },
        "integration.yml",
      ),
    ).toBeUndefined();
    expect(
      await stageEditOfChange(
        "name: b\n",
        { status: "modified", patch: "@@ -1 +1 @@\n-name: a\n+name: b" },
        "integration.yml",
      ),
    ).toBeUndefined();
  });

  it("sees `stage` changed however it is written: JSON style, quoted key, flow mapping, a new file", async () => {
    const json = '{"apiVersion": "devcenter/v1", "stage": "public"}\n';
    const jsonPatch =
      '@@ -1 +1 @@\n-{"apiVersion": "devcenter/v1", "stage": "developer-preview"}\n+{"apiVersion": "devcenter/v1", "stage": "public"}';
    expect(await stageEditOfChange(json, { status: "modified", patch: jsonPatch }, "integration.yml")).toMatchObject({
      from: "developer-preview",
      to: "public",
    });
    const flow = "app: {name: a, slug: a}\n{stage: public}\n";
    expect(
      await stageEditOfChange(
        "{apiVersion: devcenter/v1, stage: public}\n",
        {
          status: "modified",
          patch: "@@ -1 +1 @@\n-{apiVersion: devcenter/v1}\n+{apiVersion: devcenter/v1, stage: public}",
        },
        "integration.yml",
      ),
    ).toMatchObject({ to: "public" });
    expect(flow).toBeTruthy();
    expect(
      await stageEditOfChange(
        '"stage": public\n',
        { status: "added", patch: '@@ -0,0 +1 @@\n+"stage": public' },
        "integration.yml",
      ),
    ).toMatchObject({ to: "public", line: 1 });
    // A new manifest at the first stage sets nothing by hand.
    expect(
      await stageEditOfChange("stage: developer-preview\n", { status: "added" }, "integration.yml"),
    ).toBeUndefined();
    // Moving the line or re-quoting the value is not a change.
    const moved = "stage: 'developer-preview'\napiVersion: devcenter/v1\n";
    expect(
      await stageEditOfChange(
        moved,
        {
          status: "modified",
          patch: "@@ -1,2 +1,2 @@\n+stage: 'developer-preview'\n apiVersion: devcenter/v1\n-stage: developer-preview",
        },
        "integration.yml",
      ),
    ).toBeUndefined();
  });

  it("cannot tell without a patch, or when the patch does not match the head", async () => {
    expect(await stageEditOfChange("stage: public\n", { status: "modified" }, "integration.yml")).toBe("unknown");
    // A renamed or copied manifest's patch is against the file it came from.
    expect(
      await stageEditOfChange(
        "stage: public\n",
        { status: "renamed", patch: "@@ -1 +1 @@\n stage: public" },
        "integration.yml",
      ),
    ).toBe("unknown");
    expect(
      await stageEditOfChange(
        "stage: public\n",
        { status: "modified", patch: "@@ -1 +1 @@\n-stage: x\n+stage: something-else" },
        "integration.yml",
      ),
    ).toBe("unknown");
  });

  it("rebuilds the file before the change from the head and the patch", () => {
    const after = "a\nB\nc\nd\nE\nf\n";
    const patch = "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -4,3 +4,3 @@\n d\n-e\n+E\n f";
    expect(reversePatch(after, patch)).toBe("a\nb\nc\nd\ne\nf\n");
    expect(reversePatch("x\n", "@@ -1,2 +1 @@\n x\n-y")).toBe("x\ny\n");
  });

  it("rewrites only the stage line, keeping comments", () => {
    const text = "apiVersion: devcenter/v1\n# the stage\nstage: developer-preview # set by the App\ncomponents: []\n";
    expect(withManifestStage(text, "public-beta")).toBe(
      "apiVersion: devcenter/v1\n# the stage\nstage: public-beta # set by the App\ncomponents: []\n",
    );
    expect(withManifestStage("stage: public-beta\n", "public-beta")).toBeUndefined();
    expect(withManifestStage("stage: [unclosed\n", "public")).toBeUndefined();
    expect(withManifestStage("app: {}\n", "public")).toContain("stage: public");
  });
});

describe("events", () => {
  it("reads commands, one per line", () => {
    expect(parseCommands("/devcenter recheck")).toEqual(["recheck"]);
    expect(parseCommands("please\n  /devcenter HELP\n/devcenter recheck\n/devcenter help")).toEqual([
      "help",
      "recheck",
    ]);
    expect(parseCommands("not /devcenter recheck")).toEqual([]);
  });

  it("maps real payloads to pull requests, ignoring issues, bots and other check runs", () => {
    const sync = example("pull_request", "synchronize");
    expect(targetsOf("pull_request", sync).targets.map((t) => t.number)).toEqual([2]);
    expect(targetsOf("issue_comment", example("issue_comment", "created")).ignored).toBe("a comment on an issue");
    const rerun = example("check_run", "rerequested");
    expect(targetsOf("check_run", rerun).ignored).toMatch(/re-run of/);
    const suite = example("check_suite", "rerequested");
    const t = targetsOf("check_suite", suite);
    expect(t.targets[0]?.force).toBe(true);
    // A re-run of another app's suite (GitHub Actions) is not a request to review again; the App's own is.
    suite.check_suite.app = { ...suite.check_suite.app, slug: "github-actions" };
    expect(targetsOf("check_suite", suite, "devcenter[bot]").ignored).toMatch(/re-run of github-actions/);
    suite.check_suite.app.slug = "devcenter";
    expect(targetsOf("check_suite", suite, "devcenter[bot]").targets[0]?.force).toBe(true);
    const closed = example("pull_request", "closed");
    expect(targetsOf("pull_request", closed).ignored).toBe("pull_request.closed");
  });

  it("knows workflow files", () => {
    expect(isWorkflowFile(".github/workflows/ci.yml")).toBe(true);
    expect(isWorkflowFile(".github/actions/setup/action.yml")).toBe(true);
    expect(isWorkflowFile("tools/action.yaml")).toBe(true);
    expect(isWorkflowFile("docs/workflows.md")).toBe(false);
  });
});

describe("checklist comment", () => {
  it("reads ticked boxes by item key", () => {
    const body =
      "- [x] A _(reviewer)_ <!-- devcenter:item a -->\n- [ ] B _(reviewer)_ <!-- devcenter:item integrations/x:b -->\n- [x] not an item";
    expect([...tickedKeys(body)]).toEqual([
      ["a", true],
      ["integrations/x:b", false],
    ]);
  });
});

describe("annotations", () => {
  it("puts columns only on single-line annotations and paths under the root", () => {
    const a = annotationsFor("integrations/x", [
      { ruleId: "r", severity: "error", message: "m", file: "integration.yml", line: 3, column: 5, endColumn: 9 },
      { ruleId: "r", severity: "warning", message: "m", file: "docs/a.md", line: 3, column: 5, endLine: 6 },
      { ruleId: "r", severity: "info", message: "m", file: "f.json" },
      { ruleId: "r", severity: "error", message: "no file" },
    ]);
    expect(a).toEqual([
      {
        path: "integrations/x/integration.yml",
        start_line: 3,
        end_line: 3,
        start_column: 5,
        end_column: 9,
        annotation_level: "failure",
        message: "m",
        title: "r",
      },
      {
        path: "integrations/x/docs/a.md",
        start_line: 3,
        end_line: 6,
        annotation_level: "warning",
        message: "m",
        title: "r",
      },
      {
        path: "integrations/x/f.json",
        start_line: 1,
        end_line: 1,
        annotation_level: "notice",
        message: "m",
        title: "r",
      },
    ]);
  });
});

describe("tree source", () => {
  const tree: TreeEntry[] = [
    { path: "integrations/x/integration.yml", mode: "100644", type: "blob", sha: "m", size: 10 },
    { path: "integrations/x/docs", mode: "040000", type: "tree", sha: "d" },
    { path: "integrations/x/docs/a.md", mode: "100644", type: "blob", sha: "a", size: 5 },
    { path: "integrations/x/big.json", mode: "100644", type: "blob", sha: "big", size: 50_000_000 },
    { path: "integrations/x/link.md", mode: "120000", type: "blob", sha: "l1", size: 7 },
    { path: "integrations/x/out.md", mode: "120000", type: "blob", sha: "l2", size: 20 },
    { path: "integrations/y/integration.yml", mode: "100644", type: "blob", sha: "other", size: 3 },
  ];
  const blobs: Record<string, string> = { m: "apiVersion", a: "# A", l1: "docs/a.md", l2: "../y/integration.yml" };
  const fetched: string[] = [];
  const source = () =>
    new TreeSource(
      "t",
      "integrations/x",
      tree,
      async (sha) => (fetched.push(sha), new TextEncoder().encode(blobs[sha]!)),
      { maxBlobs: 5 },
    );

  it("reads lazily, follows symlinks inside the root, refuses the rest", async () => {
    const s = source();
    expect((await s.list("", 100)).ok && ((await s.list("", 100)) as any).files).toEqual([
      "big.json",
      "docs/a.md",
      "integration.yml",
      "link.md",
      "out.md",
    ]);
    expect(fetched).toEqual([]);
    const link = await s.read("link.md", 1000);
    expect(link.ok && new TextDecoder().decode(link.bytes)).toBe("# A");
    expect((await s.read("out.md", 1000)) as any).toMatchObject({ ok: false, reason: "symlink-out" });
    expect((await s.read("big.json", 5 * 1024 * 1024)) as any).toMatchObject({ ok: false, reason: "too-large" });
    expect(fetched).not.toContain("big");
    expect((await s.read("../y/integration.yml", 100)) as any).toMatchObject({ ok: false, reason: "escapes" });
    expect(await s.kind("docs")).toBe("dir");
    expect(await s.kind("link.md")).toBe("file");
    expect((await s.read("docs", 10)) as any).toMatchObject({ reason: "not-a-file" });
  });

  it("stops at its blob budget", async () => {
    const s = source();
    for (let i = 0; i < 5; i++) await s.read("integration.yml", 100);
    expect((await s.read("integration.yml", 100)) as any).toMatchObject({ ok: false, reason: "unreadable" });
  });
});

describe("operator config", () => {
  it("reads reviewers and the catalog from the environment, and says what is missing", () => {
    const { config, problems } = configFromEnv({
      DEVCENTER_REVIEWERS: "@Rita, tomas",
      DEVCENTER_REVIEWERS_TEAM: "platform/reviewers",
      DEVCENTER_CATALOG_REPO: "platform/catalog",
      WEBHOOK_SECRET: "s",
    });
    expect(config.reviewers).toEqual({ logins: ["rita", "tomas"], team: { org: "platform", slug: "reviewers" } });
    expect(config.catalog).toEqual({ owner: "platform", repo: "catalog", path: "integrations" });
    expect(config.stateSecret).toBe("s");
    expect(problems).toEqual([]);
    const empty = configFromEnv({});
    expect(empty.problems.join(" ")).toMatch(
      /No reviewers configured.*DEVCENTER_CATALOG_REPO is not set.*signed with a public key.*WEBHOOK_SECRET is not set/,
    );
  });

  it("warns about WEBHOOK_SECRET even when the ticks have their own key, and about numbers it cannot use", () => {
    const base = { DEVCENTER_REVIEWERS: "rita", DEVCENTER_CATALOG_REPO: "platform/catalog" };
    expect(configFromEnv({ ...base, DEVCENTER_STATE_SECRET: "k" }).problems).toEqual([
      expect.stringMatching(
        /^WEBHOOK_SECRET is not set: Probot then accepts deliveries signed with the public secret "development"/,
      ),
    ]);
    const bad = configFromEnv({
      ...base,
      WEBHOOK_SECRET: "s",
      DEVCENTER_REVIEW_DAYS: "two",
      DEVCENTER_SWEEP_MINUTES: "-5",
      DEVCENTER_OPERATOR_INSTALLATION_ID: "0",
    });
    expect(bad.config.reviewBusinessDays).toBe(2);
    expect(bad.config.sweepEveryMinutes).toBe(0);
    expect(bad.config.operatorInstallationId).toBeUndefined();
    expect(bad.problems).toEqual([
      'DEVCENTER_REVIEW_DAYS must be a whole number, not "two"; using 2.',
      'DEVCENTER_OPERATOR_INSTALLATION_ID must be a whole number of at least 1, not "0"; using none.',
      'DEVCENTER_SWEEP_MINUTES must be a whole number, not "-5"; using 0.',
    ]);
    // Empty means unset.
    expect(configFromEnv({ ...base, WEBHOOK_SECRET: "s", DEVCENTER_REVIEW_DAYS: "" }).config.reviewBusinessDays).toBe(
      2,
    );
  });
});

describe("the checklist comment says things once (issue 14)", () => {
  it("in Public Beta, each Public blocker appears once (in the checklist), and the line above points at it", async () => {
    const { readFileSync } = await import("node:fs");
    const mutations = JSON.parse(
      readFileSync("test/fixtures/app/scenarios/submission-to-public-beta/golden/06-promoted.mutations.json", "utf8"),
    ) as { kind: string; body?: string }[];
    const comment = mutations.find((m) => m.kind === "comment-update")!.body!;
    expect(comment.match(/At least 3 customers use the integration/g)).toHaveLength(1);
    expect(comment).toContain("**Blocking Public**: 1 item under **Public** in the checklist below.");
  });

  it("/devcenter help on a submitted pull request does not ask its author to mark it ready", async () => {
    const { helpNote } = await import("../../src/app/text.js");
    expect(helpNote("rita", true)).not.toContain("Ready for review");
    expect(helpNote("rita", true)).toContain("This pull request is submitted for review.");
    expect(helpNote("rita", false)).toContain("Mark the pull request **Ready for review** to submit it.");
  });
});
