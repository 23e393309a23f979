// Plugin results reach the App as a subscription's do: the Action's `devcenter replay` check run
// carries the report (plugin load and page cases included), the App decodes it and grades the
// checklist with it — it never starts a browser or runs the plugin.
import { describe, expect, it } from "vitest";
import { review } from "../../src/review.js";
import { decodeReplayData, encodeReplayData } from "../../src/replay/report-codec.js";
import { LocalSource } from "../../src/replay/source-local.js";
import type { ReplayReport } from "../../src/replay/types.js";

const PLUGIN = "plugin"; // examples/plugin's component label (no name: its type)

const report = (over: ReplayReport["cases"]): ReplayReport => {
  const cases: ReplayReport["cases"] = [
    {
      name: "Track — user signs up",
      type: "track",
      status: "pass",
      durationMs: 20,
      message: '"Pulse Analytics" handled track in 20 ms.',
      group: "test-suite",
      component: PLUGIN,
    },
    {
      name: "signup-viewed",
      type: "track",
      status: "pass",
      durationMs: 20,
      message: "ok",
      group: "fixture",
      component: PLUGIN,
      file: "test/events/signup-viewed.json",
      line: 1,
    },
    {
      name: "Load — factory and load()",
      type: "plugin",
      status: "pass",
      durationMs: 60,
      message: "loaded in 60 ms",
      group: "plugin",
      component: PLUGIN,
    },
    ...over,
  ];
  const summary = { pass: 0, unsupported: 0, fail: 0 };
  for (const c of cases) summary[c.status]++;
  return { summary, cases };
};

async function appReview(r: ReplayReport) {
  // What the App does with the check run's text: decode, then review with that report.
  const [data] = decodeReplayData(`Replay finished.\n${encodeReplayData(r)}`);
  return review(new LocalSource("examples/plugin"), { replay: async () => data!.report });
}

describe("the App reads plugin results from the devcenter replay check run", () => {
  it("green plugin cases pass the Test Suite, fixtures and plugin items", async () => {
    const r = await appReview(report([]));
    const item = (id: string) => r.checklist.find((c) => c.id === id);
    expect(item("test-suite")).toMatchObject({ status: "pass" });
    expect(item("replay-fixtures")).toMatchObject({ status: "pass" });
    expect(item("plugin-page")).toMatchObject({ status: "pass" });
    expect(r.readyFor).toBe("public-beta");
  });

  it("a red plugin case blocks Public Beta with its reason", async () => {
    const r = await appReview(
      report([
        {
          name: "Long tasks — main thread kept free",
          type: "plugin",
          status: "fail",
          durationMs: 0,
          message:
            "1 task blocked the page's main thread for more than 200 ms, the longest 410 ms during Track — user signs up.",
          group: "plugin",
          component: PLUGIN,
        },
      ]),
    );
    expect(r.checklist.find((c) => c.id === "plugin-page")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining(
        "Long tasks — main thread kept free — 1 task blocked the page's main thread for more than 200 ms",
      ),
    });
    expect(r.readyFor).toBe("developer-preview");
  });
});
