// `devcenter review --format json`: the report as other tools read it. Keep keys stable.
import { withoutMarkdown } from "../core/diagnostic.js";
import { DEFAULT_POLICY } from "../core/policy.js";
import { changeSummaryJson } from "./changes.js";
import { replayToJson } from "./replay.js";
import type { Report } from "../report.js";
import { VERSION } from "../version.js";

export function reportToJson(report: Report): object {
  return {
    tool: { name: "devcenter", version: VERSION },
    root: report.root,
    manifest: report.manifestFile,
    app: report.manifest ? { name: report.manifest.app.name, slug: report.manifest.app.slug } : null,
    stage: report.stage ?? null,
    readyFor: report.readyFor,
    // The bars the checklist graded against: what "ready" means in this report.
    policy: report.policy ?? DEFAULT_POLICY,
    summary: { ...report.summary, fixtureFiles: report.events.files, fixtureEvents: report.events.events },
    // The Markdown forms of messages are for Markdown renderers: the JSON contract keeps its keys.
    diagnostics: report.diagnostics.map(withoutMarkdown),
    checklist: report.checklist.map(withoutMarkdown),
    ...(report.replay ? { replay: { ...report.replay, ...replayToJson(report.replay) } } : {}),
    ...(report.change ? { change: changeSummaryJson(report.change) } : {}),
  };
}
