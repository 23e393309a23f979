// The `devcenter replay` check run: what the Action tells the App about replay. The App reads the
// ReplayReport back from the hidden marker in output.text (src/replay/report-codec.ts).
import { encodeReplayData } from "../src/replay/report-codec.js";
import { CHECK_NAMES } from "../src/core/vocabulary.js";
import { casesTableMarkdown, replayView, volumeSentence } from "../src/render/replay.js";
import type { ReplayCase, ReplayReport } from "../src/replay/types.js";
import type { CheckRunRequest } from "./github.js";
import { replayTitle } from "./messages.js";

/** GitHub's limit on a check run's output.summary and output.text, in characters. */
export const CHECK_OUTPUT_LIMIT = 65_535;

/**
 * The marker for `replay`, within the limit: when every case does not fit, red cases are kept
 * first, then yellow, then green (the summary counts always describe the whole run).
 */
export function replayDataWithin(
  replay: ReplayReport,
  root: string,
  limit = CHECK_OUTPUT_LIMIT,
): { text: string; kept: number } {
  const full = encodeReplayData(replay, root);
  if (full.length <= limit) return { text: full, kept: replay.cases.length };
  const rank = { fail: 0, unsupported: 1, pass: 2 } as const;
  const ordered = replay.cases
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank[a.c.status] - rank[b.c.status] || a.i - b.i);
  const keep = (n: number): ReplayCase[] =>
    ordered
      .slice(0, n)
      .sort((a, b) => a.i - b.i)
      .map((x) => x.c);
  // Largest n whose encoding fits.
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (encodeReplayData({ ...replay, cases: keep(mid) }, root).length <= limit) lo = mid;
    else hi = mid - 1;
  }
  return { text: encodeReplayData({ ...replay, cases: keep(lo) }, root), kept: lo };
}

/** The check run's visible summary: counts, volume, and the cases that were not green. */
export function replaySummaryMarkdown(replay: ReplayReport, limit = CHECK_OUTPUT_LIMIT): string {
  const lines: string[] = [`**${replayTitle(replay)}** (${replay.cases.length} cases)`, ""];
  const view = replayView(replay);
  if (view.volume) lines.push(volumeSentence(view.volume), "");
  const notGreen = view.cases.filter((c) => c.status !== "pass");
  // The Action's own replay: its messages keep their Markdown here (the App escapes them whole).
  if (notGreen.length) lines.push(...casesTableMarkdown(notGreen, { maxMessage: 500, ownMarkdown: true }));
  else lines.push("Every case was delivered.");
  lines.push("", "The full table is in the workflow run's job summary.");
  let text = lines.join("\n");
  if (text.length > limit) {
    const note = "\n\n… cut to fit GitHub's limit; the full table is in the workflow run's job summary.";
    text = text.slice(0, text.lastIndexOf("\n", limit - note.length)) + note;
  }
  return text;
}

export function replayCheckRun(
  replay: ReplayReport,
  root: string,
  headSha: string,
  detailsUrl: string | undefined,
  now: Date,
): CheckRunRequest {
  const data = replayDataWithin(replay, root);
  return {
    name: CHECK_NAMES.replay,
    head_sha: headSha,
    status: "completed",
    conclusion: replay.summary.fail > 0 || replay.volume?.passed === false ? "failure" : "success",
    completed_at: now.toISOString(),
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
    // Lets the App tell apart the reports of several integrations in one repository.
    external_id: root || ".",
    output: { title: replayTitle(replay), summary: replaySummaryMarkdown(replay), text: data.text },
  };
}
