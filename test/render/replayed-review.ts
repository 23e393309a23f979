// A review of a folder with replay run in the same process, as the Action runs it: its report is
// what the Markdown tests render (the replay cases keep their Markdown form).
import { runReplay } from "../../src/replay/run.js";
import { LocalSource } from "../../src/replay/source-local.js";
import type { Report } from "../../src/report.js";
import { review } from "../../src/review.js";

export function reviewWithReplay(dir: string, env: Record<string, string | undefined> = {}): Promise<Report> {
  return review(new LocalSource(dir), { replay: (manifest) => runReplay(manifest, new LocalSource(dir), { env }) });
}
