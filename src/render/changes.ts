// The change list of a live integration (src/change): as text for `devcenter diff` and review, and
// as Markdown for `--format markdown`, the job summary and the App's checklist comment. Everything
// from the repository (messages quote setting keys and labels) is escaped in Markdown; the messages'
// own words keep their Markdown (src/core/markdown.ts).
import type { ChangeSummary } from "../change/check.js";
import { withoutMarkdown } from "../core/diagnostic.js";
import { STAGE_TITLES } from "../core/vocabulary.js";
import { escapeMarkdown, inlineCode, messageMarkdown } from "./escape.js";
import type { Style } from "./style.js";

/** "2 breaking changes (declared), 3 notices" */
export function changeCount(c: ChangeSummary): string {
  const b = `${c.breaking} breaking change${c.breaking === 1 ? "" : "s"}${c.breaking && c.live ? (c.declared ? " (declared)" : " (not declared)") : ""}`;
  return `${b}, ${c.notices} notice${c.notices === 1 ? "" : "s"}`;
}

function heading(c: ChangeSummary): string {
  const versions = c.from || c.to ? ` ${c.from ?? "(no version)"} → ${c.to ?? "(no version)"}` : "";
  return `Changes against the approved version${versions} (${c.baseline}, ${STAGE_TITLES[c.baselineStage]})`;
}

/** The change list as JSON output shows it: without the Markdown form of its messages. */
export function changeSummaryJson(c: ChangeSummary): ChangeSummary {
  return { ...c, changes: c.changes.map(withoutMarkdown) };
}

/** One line: against what, and how many changes of each kind. */
export function changeHeadline(c: ChangeSummary): string {
  return `${heading(c)}: ${changeCount(c)}`;
}

export function renderChangesText(c: ChangeSummary, file: string, style: Style, max = 200): string {
  const lines = [style.bold(changeHeadline(c))];
  if (c.changes.length === 0) lines.push("  No change to the manifest.");
  for (const e of c.changes.slice(0, max)) {
    const where = `${file}${e.line ? `:${e.line}:${e.column ?? 1}` : ""}`;
    const kind = e.breaking ? style.red("breaking") : style.dim("notice  ");
    lines.push(`  ${where}  ${kind}  ${e.message}  ${style.dim(e.ruleId)}`);
  }
  if (c.changes.length > max) lines.push(`  …and ${c.changes.length - max} more changes.`);
  return lines.join("\n");
}

export function renderChangesMarkdown(c: ChangeSummary, file: string, { headingLevel = 4, max = 100 } = {}): string {
  const out = [`${"#".repeat(headingLevel)} ${escapeMarkdown(heading(c))}`, "", `**${changeCount(c)}**`, ""];
  if (c.changes.length === 0) out.push("No change to the manifest.", "");
  else {
    out.push("| | Where | Change |", "|---|---|---|");
    for (const e of c.changes.slice(0, max)) {
      out.push(
        `| ${e.breaking ? "💥 breaking" : "ℹ️ notice"} | ${inlineCode(`${file}${e.line ? `:${e.line}` : ""}`, { inTable: true })} | ${messageMarkdown(e)} |`,
      );
    }
    if (c.changes.length > max) out.push("", `…and ${c.changes.length - max} more changes.`);
    out.push("");
  }
  return out.join("\n");
}
