// One replay view (issue 9 part 3): every front door renders replay results through
// src/render/replay.ts, so the 🟢🟡🔴 map, the counts and the volume line read the same everywhere.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replaySummaryMarkdown } from "../../action/check-run.js";
import { renderReportMarkdown } from "../../src/render/markdown.js";
import { replayJson, replayMarkdown, replayText, replayView, volumeSentence } from "../../src/render/replay.js";
import { renderReportText } from "../../src/render/text.js";
import { PLAIN } from "../../src/render/style.js";
import type { Report } from "../../src/report.js";
import type { ReplayReport } from "../../src/replay/types.js";

const replay: ReplayReport = {
  summary: { pass: 1, unsupported: 0, fail: 1 },
  cases: [
    { name: "track ok", type: "track", status: "pass", httpStatus: 200, durationMs: 4, message: "delivered" },
    {
      name: "identify *bold*",
      type: "identify",
      status: "fail",
      httpStatus: 500,
      durationMs: 7,
      message: "HTTP 500 <b>",
      file: "fixtures/a.json",
      line: 3,
    },
  ],
  // No minEventsPerSecond: the bar is DEFAULT_VOLUME's.
  volume: { events: 300, eventsPerSecond: 812.4, p50Ms: 2, p95Ms: 5, p99Ms: 9, errorRate: 0, passed: true },
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("one replay view", () => {
  const line = volumeSentence(replayView(replay).volume!);

  it("has one volume line, with the default bar when the manifest names none", () => {
    expect(line).toBe(
      "Volume: 300 events at 812 events/s (bar ≥ 100), p50 2 ms, p95 5 ms, p99 9 ms, 0.00% errors — meets the bar.",
    );
    expect(
      volumeSentence(replayView({ ...replay, volume: { ...replay.volume!, events: 0, passed: false } }).volume!),
    ).toBe("Volume: did not run (see the red case above).");
  });

  it("says it the same way in the replay command's text and Markdown, the review's text and Markdown, and the check run", () => {
    const report = {
      root: ".",
      diagnostics: [],
      checklist: [],
      replay,
      summary: { errors: 0, warnings: 0 },
      events: { files: 0, events: 0 },
      readyFor: "developer-preview",
    } as unknown as Report;
    for (const out of [
      replayText(replay, PLAIN),
      replayMarkdown(replay),
      renderReportText(report),
      renderReportMarkdown(report),
      replaySummaryMarkdown(replay),
    ]) {
      expect(out).toContain(line);
    }
  });

  it("escapes what came from the partner's code in every Markdown table, and keeps the JSON contract", () => {
    for (const md of [replayMarkdown(replay), replaySummaryMarkdown(replay)]) {
      expect(md).toContain("`identify *bold*`");
      expect(md).toContain("HTTP 500 \\<b\\>");
    }
    const json = JSON.parse(replayJson({ ...replay, volume: undefined }));
    expect(Object.keys(json.cases[0])).toEqual(["name", "type", "status", "httpStatus", "durationMs", "message"]);
    expect(json.cases[1]).toMatchObject({ file: "fixtures/a.json", line: 3 });
  });

  it("writes the 🟢🟡🔴 map once and never hard-codes the volume bar", () => {
    const sources = [...files("src"), ...files("action").filter((f) => !f.includes("dist"))];
    const withMap = sources.filter((f) => /🟢/.test(readFileSync(f, "utf8")));
    expect(withMap).toEqual([join("src", "render", "replay.ts")]);
    for (const f of sources) expect(readFileSync(f, "utf8"), f).not.toMatch(/minEventsPerSecond \?\? \d/);
  });
});

describe("output that reads right (issue 14 part 3)", () => {
  const red: ReplayReport = {
    summary: { pass: 0, unsupported: 0, fail: 3 },
    cases: [
      {
        name: "order-completed",
        type: "track",
        status: "fail",
        httpStatus: 503,
        durationMs: 4,
        message: "HTTP 503: down",
        retryable: true,
        file: "test/events/order-completed.json",
        line: 7,
      },
      {
        name: "Identify — anonymous user",
        type: "identify",
        status: "fail",
        httpStatus: 500,
        durationMs: 4,
        message: "HTTP 500: down",
        retryable: true,
      },
      {
        name: "Page",
        type: "page",
        status: "fail",
        httpStatus: 400,
        durationMs: 4,
        message: "HTTP 400: bad",
        retryable: false,
      },
    ],
  };

  it("text names a fixture case's file and line", () => {
    expect(replayText(red, PLAIN)).toMatch(/order-completed .*track {2}test\/events\/order-completed\.json:7/);
    const report = {
      root: ".",
      diagnostics: [],
      checklist: [],
      replay: red,
      summary: { errors: 0, warnings: 0 },
      events: { files: 0, events: 0 },
      readyFor: "developer-preview",
    } as unknown as Report;
    expect(renderReportText(report)).toContain(
      "✗ order-completed (HTTP 503) test/events/order-completed.json:7: HTTP 503: down",
    );
  });

  it("says once per run whether the platform retries the red answers, not on every case", () => {
    for (const out of [replayText(red, PLAIN), replayMarkdown(red), replaySummaryMarkdown(red)]) {
      expect(out.match(/for up to 4 hours/g)).toHaveLength(1);
      expect(out).toContain(
        "The platform retries 2 of the 3 red answers (timeouts, 429 and 5xx) for up to 4 hours; the others are not retried.",
      );
    }
    const green: ReplayReport = { summary: { pass: 1, unsupported: 0, fail: 0 }, cases: [replay.cases[0]!] };
    expect(replayText(green, PLAIN)).not.toContain("retries");
  });
});

describe("case names in Markdown (issue 14)", () => {
  it("are code spans with no invisible character, so a name copied from a table is the name replay gave", () => {
    const r: ReplayReport = {
      summary: { pass: 1, unsupported: 0, fail: 0 },
      cases: [{ name: "more#0", type: "track", status: "pass", durationMs: 1, message: "ok" }],
    };
    for (const md of [
      replayMarkdown(r),
      replaySummaryMarkdown({ ...r, cases: [{ ...r.cases[0]!, status: "fail" }] }),
    ]) {
      expect(md).toContain("`more#0`");
      expect(md).not.toMatch(/[\u200b-\u200d\u2060\ufeff]/);
    }
  });
});
