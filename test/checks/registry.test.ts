import { describe, expect, it } from "vitest";
import { CHECKS, evaluateChecklist, readyFor, unmetGates, type CheckInput } from "../../src/checks/registry.js";
import type { Manifest } from "../../src/manifest/types.js";
import type { ReplayReport } from "../../src/replay/types.js";
import { DEFAULT_POLICY, type Policy } from "../../src/core/policy.js";

const manifest: Manifest = {
  apiVersion: "devcenter/v1",
  app: {
    name: "Acme",
    slug: "acme",
    description: "d",
    website: "https://acme.example",
    supportEmail: "s@acme.example",
    categories: ["Analytics"],
    logo: "l.svg",
    mark: "m.svg",
  },
  stage: "developer-preview",
  components: [
    {
      type: "subscription",
      style: "webhook",
      supports: ["track"],
      settings: [],
      webhook: { url: "http://127.0.0.1:1/" },
    },
  ],
  docs: { segment: "docs/segment.md", catalog: "docs/catalog.md" },
  launch: {
    documentationUrl: "https://acme.example/docs",
    integrationsPageUrl: "https://acme.example/integrations",
    blogPostUrl: "https://acme.example/blog",
    testAccount: { loginUrl: "https://app.acme.example", usernameSecret: "U", passwordSecret: "P" },
  },
};

const greenReplay: ReplayReport = {
  summary: { pass: 2, unsupported: 1, fail: 0 },
  cases: [
    { name: "Page", type: "page", status: "pass", durationMs: 1, message: "", group: "test-suite" },
    { name: "Screen", type: "screen", status: "unsupported", durationMs: 1, message: "", group: "test-suite" },
    { name: "Wrong key", type: "probe", status: "pass", durationMs: 1, message: "", group: "probe" },
  ],
  volume: { events: 10_000, eventsPerSecond: 500, p50Ms: 1, p95Ms: 2, p99Ms: 3, errorRate: 0, passed: true },
};

function input(over: Partial<CheckInput> = {}): CheckInput {
  return {
    root: ".",
    manifestFile: "integration.yml",
    manifest,
    diagnostics: [],
    events: { files: 1, events: 3 },
    replay: greenReplay,
    summary: { errors: 0, warnings: 0 },
    ...over,
  };
}

describe("checklist registry", () => {
  it("has unique ids, and every automatic entry can be evaluated", () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CHECKS) expect(Boolean(c.evaluate)).toBe(c.automatic);
  });

  it("a clean integration with green replay is ready for Public Beta, reviewer items pending", () => {
    const checklist = evaluateChecklist(input());
    // The plugin item does not apply to a subscription-only integration: skipped, which counts as passing.
    expect(checklist.find((c) => c.id === "plugin-page")).toMatchObject({ status: "skip" });
    expect(
      checklist
        .filter((c) => c.automatic && c.stage === "public-beta" && c.id !== "plugin-page")
        .every((c) => c.status === "pass"),
    ).toBe(true);
    expect(checklist.filter((c) => !c.automatic).every((c) => c.status === "manual")).toBe(true);
    expect(readyFor(checklist)).toBe("public-beta");
    expect(unmetGates({ checklist }, "public-beta").map((c) => c.id)).toEqual([
      "access-granted",
      "partner-test",
      "reviewer-test",
      "docs-accurate",
    ]);
  });

  it("reviewer ticks turn manual items into passes; Public also needs OAuth and 3 customers", () => {
    const all = new Set(CHECKS.filter((c) => !c.automatic).map((c) => c.id));
    const checklist = evaluateChecklist(input(), all);
    expect(unmetGates({ checklist }, "public-beta")).toEqual([]);
    expect(unmetGates({ checklist }, "public").map((c) => c.id)).toEqual(["oauth", "customers"]);
    const pub = evaluateChecklist(
      input({
        manifest: {
          ...manifest,
          oauth: { clientId: "c", redirectUris: ["https://a.example/cb"], scope: "destination/acme" },
          customers: [{ workspace: "a" }, { workspace: "b" }, { workspace: "B" }],
        },
      }),
      all,
    );
    expect(pub.find((c) => c.id === "customers")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("2 customers"),
    });
  });

  it("plugin components: the plugin item reads the plugin cases and the plugin's setup failures; fixtures apply to plugins", () => {
    const withPlugin: Manifest = {
      ...manifest,
      components: [
        {
          type: "plugin",
          name: "Acme plugin",
          entry: "dist/p.js",
          global: "Acme",
          settings: [{ label: "API Key", key: "apiKey", type: "string" }],
        },
      ],
    };
    const cases = (over: ReplayReport["cases"]): ReplayReport => ({
      summary: { pass: 1, unsupported: 0, fail: 0 },
      cases: [
        {
          name: "Track",
          type: "track",
          status: "pass",
          durationMs: 1,
          message: "",
          group: "test-suite",
          component: "Acme plugin",
        },
        ...over,
      ],
    });
    const green = evaluateChecklist(
      input({
        manifest: withPlugin,
        replay: cases([
          {
            name: "Load — factory and load()",
            type: "plugin",
            status: "pass",
            durationMs: 5,
            message: "",
            group: "plugin",
            component: "Acme plugin",
          },
        ]),
      }),
    );
    expect(green.find((c) => c.id === "plugin-page")).toMatchObject({ status: "pass" });
    expect(green.find((c) => c.id === "replay-fixtures")).toMatchObject({
      status: "skip",
      reason: "No fixture, probe and fault cases apply to this integration.",
    });
    const heavy = evaluateChecklist(
      input({
        manifest: withPlugin,
        replay: cases([
          {
            name: "Size — the plugin's script gzipped",
            type: "plugin",
            status: "fail",
            durationMs: 0,
            message: "dist/p.js is 140.0 KB gzipped",
            group: "plugin",
            component: "Acme plugin",
          },
        ]),
      }),
    );
    expect(heavy.find((c) => c.id === "plugin-page")).toMatchObject({
      status: "fail",
      reason:
        "1 of 1 plugin load and page case red, first: Size — the plugin's script gzipped — dist/p.js is 140.0 KB gzipped.",
    });
    const noBrowser = evaluateChecklist(
      input({
        manifest: withPlugin,
        replay: {
          summary: { pass: 0, unsupported: 0, fail: 1 },
          cases: [
            {
              name: "Start the browser",
              type: "setup",
              status: "fail",
              durationMs: 0,
              message: "No Chromium was found on PATH.",
              group: "setup",
              component: "Acme plugin",
            },
          ],
        },
      }),
    );
    for (const id of ["plugin-page", "test-suite", "replay-fixtures"])
      expect(noBrowser.find((c) => c.id === id)?.reason, id).toContain(
        "Replay could not set up Acme plugin: Start the browser — No Chromium was found on PATH",
      );
    expect(readyFor(noBrowser)).toBe("developer-preview");
  });

  it("red replay, missing replay and errors block with reasons", () => {
    const red = evaluateChecklist(
      input({
        replay: {
          ...greenReplay,
          cases: [
            { name: "Track", type: "track", status: "fail", durationMs: 1, message: "HTTP 500", group: "test-suite" },
          ],
        },
      }),
    );
    expect(red.find((c) => c.id === "test-suite")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("Track — HTTP 500"),
    });
    expect(readyFor(red)).toBe("developer-preview");
    const none = evaluateChecklist(input({ replay: undefined }));
    expect(none.find((c) => c.id === "test-suite")?.reason).toMatch(/Replay has not run/);
    const broken = evaluateChecklist(
      input({
        diagnostics: [
          { ruleId: "spec/type-missing", severity: "error", message: "no type", file: "test/events/a.json", line: 1 },
        ],
      }),
    );
    expect(broken.find((c) => c.id === "spec-fixtures")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("test/events/a.json:1"),
    });
    const noManifest = evaluateChecklist(input({ manifest: undefined }));
    expect(readyFor(noManifest)).toBe("developer-preview");
  });
});

describe("files the manifest names", () => {
  const onManifest = (path: string, ruleId = "file/missing") => ({
    ruleId,
    severity: "error" as const,
    message: `${path}: does not exist`,
    file: "integration.yml",
    line: 3,
    path,
  });

  it("a missing or unusable docs page, catalog copy or fixtures folder fails its item (and the manifest's), never 'skip' or 'pass'", () => {
    const checklist = evaluateChecklist(
      input({
        diagnostics: [
          onManifest("/docs/segment"),
          onManifest("/docs/catalog", "file/too-large"),
          onManifest("/components/0/fixtures"),
        ],
        events: { files: 0, events: 0 },
        summary: { errors: 3, warnings: 0 },
      }),
    );
    const status = (id: string) => checklist.find((c) => c.id === id)!.status;
    expect(status("platform-docs")).toBe("fail");
    expect(status("catalog-copy")).toBe("fail");
    expect(status("spec-fixtures")).toBe("fail");
    expect(status("manifest-valid")).toBe("fail");
    expect(readyFor(checklist, 3)).toBe("developer-preview");
  });

  it("no fixtures at all is still a skip", () => {
    expect(
      evaluateChecklist(input({ events: { files: 0, events: 0 } })).find((c) => c.id === "spec-fixtures")!.status,
    ).toBe("skip");
  });

  it("a review with any error is ready for nothing further, whichever item it belongs to", () => {
    const checklist = evaluateChecklist(input());
    expect(readyFor(checklist, 0)).toBe("public-beta");
    expect(readyFor(checklist, 1)).toBe("developer-preview");
  });
});

describe("high-volume item", () => {
  it("is skipped for an integration without subscriptions", () => {
    const streamOnly: Manifest = {
      ...manifest,
      components: [{ type: "stream", emits: ["track"], start: "node s.js" }],
    };
    const checklist = evaluateChecklist(input({ manifest: streamOnly, replay: { ...greenReplay, volume: undefined } }));
    expect(checklist.find((c) => c.id === "high-volume")).toMatchObject({ status: "skip" });
  });

  it("fails below the bar with the measured rate", () => {
    const slow = {
      ...greenReplay,
      volume: { ...greenReplay.volume!, eventsPerSecond: 42, passed: false, minEventsPerSecond: 100 },
    };
    expect(evaluateChecklist(input({ replay: slow })).find((c) => c.id === "high-volume")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("42 events/s"),
    });
  });
});

describe("graded against the platform's policy from the raw results, not the run's own verdict (issue 8)", () => {
  const loosePolicy: Policy = {
    ...DEFAULT_POLICY,
    delivery: { timeoutMs: 600_000 },
    volume: { ...DEFAULT_POLICY.volume, events: 1, minEventsPerSecond: 0.5 },
  };
  const item = (over: Partial<CheckInput>, id: string) => evaluateChecklist(input(over)).find((c) => c.id === id)!;

  it("a passing volume item quotes the numbers and the bar", () => {
    expect(item({}, "high-volume")).toEqual(
      expect.objectContaining({
        status: "pass",
        reason:
          "Measured 10,000 events at 500 events/s, p95 2 ms, no red answers; the platform needs 10,000 events at up to 20 in flight, 100 events/s, p95 ≤ 1,000 ms, no red answers.",
      }),
    );
  });

  it("a volume run that says it passed but measured fewer events than the policy asks does not satisfy the gate", () => {
    const replay = {
      ...greenReplay,
      volume: { ...greenReplay.volume!, events: 1, eventsPerSecond: 1, p95Ms: 900, passed: true },
      policy: loosePolicy,
    };
    const r = item({ replay }, "high-volume");
    expect(r.status).toBe("fail");
    expect(r.reason).toMatch(
      /^Volume replay missed the bar: 1 event measured, fewer than the 10,000 the platform asks for; 1 events\/s is below 100 events\/s; the run was made under a looser policy \(a volume floor of 1 event \(the platform's is 10,000\); a bar of 0\.5 events\/s \(the platform's is 100\)\)\. Measured 1 event at 1 events\/s/,
    );
    expect(readyFor(evaluateChecklist(input({ replay })))).toBe("developer-preview");
  });

  it("a run made under a longer delivery timeout does not satisfy the replay gates, even all green", () => {
    const replay = { ...greenReplay, policy: loosePolicy, timeoutMs: 600_000 };
    for (const id of ["test-suite", "replay-fixtures"]) {
      expect(item({ replay }, id)).toMatchObject({
        status: "fail",
        reason:
          "The replay ran under a looser policy than the platform's: it waited up to 600,000 ms for an answer, longer than the platform's 5,000 ms delivery timeout. Run it again under the platform's policy.",
      });
    }
  });

  it("a green case slower than the platform's timeout counts as red (a run from an older Action says nothing of its timeout)", () => {
    const replay = {
      ...greenReplay,
      cases: greenReplay.cases.map((c, i) => (i === 0 ? { ...c, durationMs: 10_012 } : c)),
    };
    expect(item({ replay }, "test-suite")).toMatchObject({
      status: "fail",
      reason:
        "1 of 2 Test Suite cases red, first: Page — answered after 10,012 ms, past the platform's 5,000 ms delivery timeout.",
    });
  });

  it("a run that sent another Test Suite version than the policy names does not count", () => {
    const v2: Policy = { ...DEFAULT_POLICY, testSuite: { version: "2" } };
    expect(item({ policy: v2, replay: { ...greenReplay, testSuiteVersion: "1" } }, "test-suite")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("it sent Test Suite version 1, the platform's is 2"),
    });
  });

  it("the operator's stricter policy is what counts", () => {
    const strict: Policy = { ...DEFAULT_POLICY, volume: { ...DEFAULT_POLICY.volume, minEventsPerSecond: 1_000 } };
    expect(item({ policy: strict }, "high-volume")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("500 events/s is below 1,000 events/s"),
    });
    expect(
      item({ policy: strict, replay: { ...greenReplay, policy: DEFAULT_POLICY } }, "high-volume").reason,
    ).toContain("the run was made under a looser policy (a bar of 100 events/s (the platform's is 1,000))");
  });
});

describe("high-volume reasons say what actually failed", () => {
  const vol = (over: Partial<NonNullable<ReplayReport["volume"]>>) => ({
    ...greenReplay,
    volume: { ...greenReplay.volume!, minEventsPerSecond: 100, ...over },
  });
  const reason = (replay: ReplayReport) =>
    evaluateChecklist(input({ replay })).find((c) => c.id === "high-volume")!.reason!;

  it("fast but with red answers: the red answers, not 'below the bar'", () => {
    const r = reason(vol({ eventsPerSecond: 3850, errorRate: 0.399, passed: false }));
    expect(r).toContain("39.9%");
    expect(r).toContain("red");
    expect(r).not.toMatch(/below/);
    expect(r).not.toContain("3850");
  });

  it("slow and clean: the rate against the bar", () => {
    const r = reason(vol({ eventsPerSecond: 42, errorRate: 0, passed: false }));
    expect(r).toContain("42 events/s is below 100 events/s");
    expect(r).not.toContain("answers were red");
  });

  it("slow, red and stopped early: all three", () => {
    const replay = vol({ events: 250, eventsPerSecond: 40, errorRate: 0.8, passed: false });
    replay.cases = [
      ...replay.cases,
      {
        name: "Volume — high data volumes",
        type: "track",
        group: "volume",
        status: "fail",
        durationMs: 0,
        message:
          "250 events at 40 events/s — misses the bar: below 100 events/s; red answers. Stopped early, after 250 events: 200 answers were red, so the bar was already missed.",
        component: "subscription/webhook",
      },
    ];
    const r = reason(replay);
    expect(r).toContain("40 events/s is below 100 events/s");
    expect(r).toContain("80% of 250 answers were red");
    expect(r).toContain("stopped early, after 250 events: 200 answers were red");
  });

  it("a volume run that could not start names the setup failure", () => {
    const replay: ReplayReport = {
      summary: { pass: 0, unsupported: 0, fail: 1 },
      cases: [
        {
          name: "Start the webhook endpoint",
          type: "setup",
          group: "setup",
          status: "fail",
          durationMs: 0,
          message: "`node server.js` exited with code 1.\nEvery case needs a running endpoint, so none was sent.",
          component: "subscription/webhook",
        },
      ],
      volume: { events: 0, eventsPerSecond: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, errorRate: 0, passed: false },
    };
    expect(reason(replay)).toBe(
      "Volume replay could not run: Start the webhook endpoint — `node server.js` exited with code 1 (more in the replay results).",
    );
  });

  it("no replay results and a `volume` bar in the manifest: does not ask to set one", () => {
    const withBar: Manifest = {
      ...manifest,
      components: [
        {
          ...(manifest.components[0] as Extract<Manifest["components"][number], { style: "webhook" }>),
          volume: { events: 100 },
        },
      ],
    };
    const r = evaluateChecklist(input({ manifest: withBar, replay: undefined })).find((c) => c.id === "high-volume")!
      .reason!;
    expect(r).toMatch(/Replay has not run/);
    expect(r).not.toMatch(/set (a )?`volume`/);
  });
});

describe("replay that could not set up (a red 'setup' case)", () => {
  const setupOnly = (name: string, message: string, component = "subscription/webhook"): ReplayReport => ({
    summary: { pass: 0, unsupported: 0, fail: 1 },
    cases: [{ name, type: "setup", group: "setup", status: "fail", durationMs: 0, message, component }],
  });

  it("a webhook server that never started fails the Test Suite and fixtures items with its message, not 'no cases apply'", () => {
    const checklist = evaluateChecklist(
      input({
        replay: setupOnly(
          "Start the webhook endpoint",
          "`node server.js` exited with code 1: EADDRINUSE.\nEvery case needs a running endpoint, so none was sent.",
        ),
      }),
    );
    for (const id of ["test-suite", "replay-fixtures"]) {
      const c = checklist.find((i) => i.id === id)!;
      expect(c.status, id).toBe("fail");
      expect(c.reason, id).toBe(
        "Replay could not set up subscription/webhook: Start the webhook endpoint — `node server.js` exited with code 1: EADDRINUSE (more in the replay results).",
      );
    }
    expect(readyFor(checklist)).toBe("developer-preview");
  });

  it("fixtures that could not be loaded fail the fixtures item only: the Test Suite ran", () => {
    const replay: ReplayReport = {
      summary: { pass: 1, unsupported: 0, fail: 1 },
      cases: [
        {
          name: "Fixtures",
          type: "setup",
          group: "setup",
          status: "fail",
          durationMs: 0,
          message: "test/events is not a folder.",
          component: "subscription/webhook",
        },
        {
          name: "Track",
          type: "track",
          group: "test-suite",
          status: "pass",
          durationMs: 1,
          message: "",
          component: "subscription/webhook",
        },
        {
          name: "Wrong key",
          type: "probe",
          group: "probe",
          status: "pass",
          durationMs: 1,
          message: "",
          component: "subscription/webhook",
        },
      ],
    };
    const checklist = evaluateChecklist(input({ replay }));
    expect(checklist.find((c) => c.id === "test-suite")!.status).toBe("pass");
    expect(checklist.find((c) => c.id === "replay-fixtures")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("Fixtures — test/events is not a folder."),
    });
  });

  it("a stream that could not run fails the Test Suite item; the fixtures item (subscriptions only) stays skipped", () => {
    const streamOnly: Manifest = {
      ...manifest,
      components: [{ type: "stream", emits: ["track"], start: "node s.js" }],
    };
    const checklist = evaluateChecklist(
      input({
        manifest: streamOnly,
        replay: setupOnly("Stream replay", "Stream replay stopped with an error: boom", "stream"),
      }),
    );
    expect(checklist.find((c) => c.id === "test-suite")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("Stream replay — Stream replay stopped with an error: boom"),
    });
    expect(checklist.find((c) => c.id === "replay-fixtures")!.status).toBe("skip");
  });
});

describe("replay-fixtures item", () => {
  it("is skipped for an integration without subscriptions, even when replay did not run", () => {
    const stream = {
      ...manifest,
      components: [{ type: "stream" as const, supports: ["track" as const], start: "node stream.js" }],
    } as unknown as Manifest;
    const item = evaluateChecklist(input({ manifest: stream, replay: undefined })).find(
      (c) => c.id === "replay-fixtures",
    )!;
    expect(item).toMatchObject({ status: "skip", reason: expect.stringContaining("apply to subscriptions") });
  });
});

describe("messages that tell a partner to run a command (issue 14 part 1)", () => {
  it("say `npx devcenter …`, the form that works in a partner's repository", async () => {
    const { readFileSync } = await import("node:fs");
    for (const file of ["src/checks/registry.ts", "src/manifest/load.ts", "src/cli/commands/review.ts"]) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/\b(run|e\.g\.) \\?`devcenter /);
      expect(text, file).not.toMatch(/\\`devcenter init\\` writes/);
    }
  });
});
