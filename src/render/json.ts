// `devcenter review --format json`: the report as other tools read it. Keep keys stable.
import { DEFAULT_POLICY } from "../core/policy.js";
import type { ReplayCase, ReplayReport } from "../replay/types.js";
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
    diagnostics: report.diagnostics,
    checklist: report.checklist,
    ...(report.replay ? { replay: replayToJson(report.replay) } : {}),
    ...(report.change ? { change: report.change } : {}),
  };
}

/**
 * The replay results as `devcenter replay --format json` gives them: every case has `httpStatus`,
 * `null` when there was no HTTP answer (a function handler, a timeout), in the same key order.
 */
function replayToJson(replay: ReplayReport): object {
  return { ...replay, cases: replay.cases.map(caseToJson) };
}

function caseToJson(c: ReplayCase): object {
  const { name, type, status, httpStatus, durationMs, message, ...rest } = c;
  return { name, type, status, httpStatus: httpStatus ?? null, durationMs, message, ...rest };
}
