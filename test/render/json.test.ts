// `devcenter review --format json`: the replay cases read the same as `devcenter replay --format json`.
import { describe, expect, it } from "vitest";
import { reportToJson } from "../../src/render/json.js";
import { replayJson } from "../../src/render/replay.js";
import type { ReplayReport } from "../../src/replay/types.js";
import type { Report } from "../../src/report.js";

const replay: ReplayReport = {
  summary: { pass: 2, unsupported: 0, fail: 1 },
  cases: [
    {
      name: "Track",
      type: "track",
      status: "pass",
      httpStatus: 200,
      durationMs: 3,
      message: "delivered",
      component: "subscription/webhook",
      group: "test-suite",
    },
    {
      name: "Identify",
      type: "identify",
      status: "pass",
      durationMs: 1,
      message: "returned",
      component: "subscription/function",
      group: "test-suite",
      requests: 1,
    },
    {
      name: "Slow answer",
      type: "probe",
      status: "fail",
      durationMs: 5000,
      message: "timed out",
      component: "subscription/webhook",
      group: "probe",
      retryable: true,
    },
  ],
};

const report: Report = {
  root: ".",
  manifestFile: "integration.yml",
  diagnostics: [],
  events: { files: 0, events: 0 },
  replay,
  checklist: [],
  readyFor: "developer-preview",
  summary: { errors: 0, warnings: 0 },
};

describe("review --format json: replay cases", () => {
  it("every case has httpStatus, null for function handlers and timeouts, as `replay --format json` gives it", () => {
    const json = JSON.parse(JSON.stringify(reportToJson(report))) as { replay: { cases: Record<string, unknown>[] } };
    expect(json.replay.cases.map((c) => c.httpStatus)).toEqual([200, null, null]);
    for (const c of json.replay.cases) expect(Object.keys(c)).toContain("httpStatus");
    expect(json.replay.cases).toEqual((JSON.parse(replayJson(replay)) as { cases: unknown[] }).cases);
  });

  it("leaves the report's own cases untouched", () => {
    reportToJson(report);
    expect("httpStatus" in replay.cases[1]!).toBe(false);
  });

  it("no replay, no replay key", () => {
    expect(reportToJson({ ...report, replay: undefined })).not.toHaveProperty("replay");
  });
});
