// The two Markdown outputs the Action writes for a replay: its job summary (no findings listed)
// and the replay section of its check run — what the Markdown tests render and inspect.
import { replaySummaryMarkdown } from "../../action/check-run.js";
import { buildSummary } from "../../action/summary.js";
import type { ReplayReport } from "../../src/replay/types.js";
import type { Report } from "../../src/report.js";

export function actionOutputs(report: Report, replay: ReplayReport): Record<"job summary" | "check run", string> {
  const none = { error: 0, warning: 0, notice: 0 };
  return {
    "job summary": buildSummary(report, { shown: [], hidden: none, total: none }, "/tmp/report.json"),
    "check run": replaySummaryMarkdown(replay),
  };
}
