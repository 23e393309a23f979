import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeReplayData } from "../../src/replay/report-codec.js";
import type { ReplayCase, ReplayReport } from "../../src/replay/types.js";
import { CHECK_OUTPUT_LIMIT, replayCheckRun, replayDataWithin, replaySummaryMarkdown } from "../../action/check-run.js";
import { createCheckRun, headSha, runUrl } from "../../action/github.js";
import { decide } from "../../action/result.js";

const kase = (i: number, status: ReplayCase["status"], message = "ok"): ReplayCase => ({
  name: `case ${i}`,
  type: "track",
  status,
  durationMs: 3,
  message,
});

function replay(cases: ReplayCase[]): ReplayReport {
  const summary = { pass: 0, unsupported: 0, fail: 0 };
  for (const c of cases) summary[c.status]++;
  return { summary, cases };
}

describe("the replay check run", () => {
  const sha = "a".repeat(40);

  it("carries the report for the App, decodable with the App's own decoder", () => {
    const r = replay([kase(1, "pass"), kase(2, "unsupported", "Event not supported"), kase(3, "fail", "HTTP 500")]);
    const body = replayCheckRun(
      r,
      "integrations/acme",
      sha,
      "https://github.com/o/r/actions/runs/1",
      new Date(Date.UTC(2024, 0, 1)),
    );
    expect(body).toMatchObject({
      name: "devcenter replay",
      head_sha: sha,
      status: "completed",
      conclusion: "failure",
      completed_at: "2024-01-01T00:00:00.000Z",
      details_url: "https://github.com/o/r/actions/runs/1",
      output: { title: "Replay: 1 green, 1 yellow, 1 red" },
    });
    expect(decodeReplayData(body.output.text)).toEqual([{ root: "integrations/acme", report: r }]);
    expect(body.output.summary).toContain("| 🔴 | `case 3` | `track` |  | 3 ms | HTTP 500 |");
    expect(body.output.summary).not.toContain("case 1");
  });

  it("succeeds when nothing is red, fails when the volume run is below the bar", () => {
    const green = replay([kase(1, "pass"), kase(2, "unsupported")]);
    expect(replayCheckRun(green, "", sha, undefined, new Date()).conclusion).toBe("success");
    const slow = {
      ...green,
      volume: {
        events: 100,
        eventsPerSecond: 20,
        p50Ms: 1,
        p95Ms: 2,
        p99Ms: 3,
        errorRate: 0,
        minEventsPerSecond: 100,
        passed: false,
      },
    };
    expect(replayCheckRun(slow, "", sha, undefined, new Date()).conclusion).toBe("failure");
  });

  it("keeps the marker within GitHub's 65,535 characters, red cases first", () => {
    const cases = Array.from({ length: 2000 }, (_, i) => kase(i, i % 100 === 7 ? "fail" : "pass", "x".repeat(60)));
    const r = replay(cases);
    const { text, kept } = replayDataWithin(r, "");
    expect(text.length).toBeLessThanOrEqual(CHECK_OUTPUT_LIMIT);
    expect(kept).toBeLessThan(2000);
    const [decoded] = decodeReplayData(text);
    expect(decoded!.report.summary).toEqual(r.summary);
    expect(decoded!.report.cases.filter((c) => c.status === "fail")).toHaveLength(20);
    // The summary counts describe the whole run, the visible summary stays within the limit too.
    expect(
      replaySummaryMarkdown(replay(cases.map((c) => ({ ...c, status: "fail" as const })))).length,
    ).toBeLessThanOrEqual(CHECK_OUTPUT_LIMIT);
  });
});

describe("decide", () => {
  const summary = (errors: number, warnings: number) => ({ summary: { errors, warnings } });
  it("fails on errors, on warnings only when asked, and on red replay cases", () => {
    expect(decide(summary(0, 3), "error").result).toBe("pass");
    expect(decide(summary(0, 3), "warning").result).toBe("fail");
    // A warning of the Action's own (golden files written on the runner) counts like the review's.
    expect(decide(summary(0, 0), "warning", 1).result).toBe("fail");
    expect(decide(summary(0, 0), "error", 1).result).toBe("pass");
    expect(decide(summary(1, 0), "error").result).toBe("fail");
    expect(decide({ ...summary(0, 0), replay: replay([kase(1, "fail")]) }, "error")).toEqual({
      result: "fail",
      errors: 0,
      warnings: 0,
      red: 1,
    });
    expect(decide({ ...summary(0, 0), replay: replay([kase(1, "unsupported")]) }, "error").result).toBe("pass");
  });
});

describe("headSha and runUrl", () => {
  const dir = mkdtempSync(join(tmpdir(), "devcenter-event-"));
  it("takes the pull request's head, not the merge commit", async () => {
    const event = join(dir, "pr.json");
    writeFileSync(event, JSON.stringify({ pull_request: { head: { sha: "b".repeat(40) } } }));
    expect(await headSha({ GITHUB_EVENT_PATH: event, GITHUB_SHA: "c".repeat(40) })).toBe("b".repeat(40));
  });
  it("falls back to GITHUB_SHA for pushes and unreadable events", async () => {
    const event = join(dir, "push.json");
    writeFileSync(event, JSON.stringify({ after: "d".repeat(40) }));
    expect(await headSha({ GITHUB_EVENT_PATH: event, GITHUB_SHA: "c".repeat(40) })).toBe("c".repeat(40));
    expect(await headSha({ GITHUB_EVENT_PATH: join(dir, "missing.json"), GITHUB_SHA: "c".repeat(40) })).toBe(
      "c".repeat(40),
    );
    expect(await headSha({})).toBeUndefined();
  });
  it("links the workflow run", () => {
    expect(runUrl({ GITHUB_REPOSITORY: "o/r", GITHUB_RUN_ID: "42" })).toBe("https://github.com/o/r/actions/runs/42");
    expect(runUrl({})).toBeUndefined();
  });
});

describe("createCheckRun against a local API", () => {
  let server: Server;
  let url = "";
  const seen: { method?: string; url?: string; auth?: string; body: unknown }[] = [];
  let answer: { status: number; body: unknown } = { status: 201, body: {} };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    server = createServer(async (req: IncomingMessage, res) => {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body: JSON.parse(raw) });
      res.writeHead(answer.status, { "Content-Type": "application/json" }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const addr = server.address() as { port: number };
    url = `http://127.0.0.1:${addr.port}/`;
  });
  afterAll(async () => {
    nock.enableNetConnect();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const body = replayCheckRun(replay([kase(1, "pass")]), "", "a".repeat(40), undefined, new Date(0));

  it("POSTs to /repos/{repo}/check-runs with the token as a bearer", async () => {
    answer = { status: 201, body: { id: 7, html_url: "https://github.com/o/r/runs/7" } };
    const result = await createCheckRun({ GITHUB_API_URL: url, GITHUB_REPOSITORY: "o/r" }, "t0ken", body);
    expect(result).toEqual({ ok: true, id: 7, url: "https://github.com/o/r/runs/7" });
    expect(seen.at(-1)).toEqual({
      method: "POST",
      url: "/repos/o/r/check-runs",
      auth: "Bearer t0ken",
      body: JSON.parse(JSON.stringify(body)),
    });
  });

  it("calls 403 and 404 forbidden, anything else failed, and never repeats the token", async () => {
    answer = { status: 403, body: { message: "Resource not accessible by integration" } };
    const forbidden = await createCheckRun({ GITHUB_API_URL: url, GITHUB_REPOSITORY: "o/r" }, "t0ken", body);
    expect(forbidden).toEqual({
      ok: false,
      reason: "forbidden",
      status: 403,
      detail: "HTTP 403: Resource not accessible by integration",
    });
    answer = { status: 422, body: { message: "Invalid request" } };
    const failed = await createCheckRun({ GITHUB_API_URL: url, GITHUB_REPOSITORY: "o/r" }, "t0ken", body);
    expect(failed).toMatchObject({ ok: false, reason: "failed", status: 422 });
    expect(JSON.stringify([forbidden, failed])).not.toContain("t0ken");
  });

  it("reports a server that is not there", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const result = await createCheckRun(
      { GITHUB_API_URL: `http://127.0.0.1:${port}`, GITHUB_REPOSITORY: "o/r" },
      "t0ken",
      body,
    );
    expect(result).toMatchObject({ ok: false, reason: "failed" });
  });
});
