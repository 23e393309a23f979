// The checklist as Markdown: the same rendering for the CLI, the Action's job summary and the
// App's comment (which asks for checkboxes so reviewers can tick their items).
import { STAGE_TITLES, type Stage } from "../core/vocabulary.js";
import type { ChecklistResult, CheckStatus } from "../report.js";
import { messageMarkdown } from "./escape.js";

export const STATUS_ICONS: Record<CheckStatus, string> = { pass: "✅", fail: "❌", manual: "👤", skip: "➖" };

export interface ChecklistMarkdownOptions {
  /** Render reviewer-confirmed items as `- [ ]` / `- [x]` checkboxes carrying their id. */
  checkboxes?: boolean;
  /** Heading level of the stage titles (default 4), one below whatever heads the checklist. */
  headingLevel?: number;
}

/**
 * The hidden id after a reviewer checkbox, so an edited comment can be read back. Ids are the
 * registry's own, or the App's keys, which percent-encode anything from the repository.
 */
export function checkboxMarker(id: string): string {
  return `<!-- devcenter:item ${id} -->`;
}

function line(item: ChecklistResult, options: ChecklistMarkdownOptions): string {
  // A passing item's reason (the volume run's numbers) is shown too; a reviewer item's is the generic "confirm it".
  const reason =
    item.reason && item.status !== "manual"
      ? ` — ${messageMarkdown({ message: item.reason, markdown: item.reasonMarkdown })}`
      : "";
  if (!item.automatic && options.checkboxes) {
    return `- [${item.status === "pass" ? "x" : " "}] ${item.title} _(reviewer)_ ${checkboxMarker(item.id)}`;
  }
  const who = item.automatic ? "" : " _(reviewer)_";
  return `- ${STATUS_ICONS[item.status]} ${item.title}${who}${reason}`;
}

export function renderChecklistMarkdown(
  checklist: readonly ChecklistResult[],
  options: ChecklistMarkdownOptions = {},
): string {
  const out: string[] = [];
  const stages = [...new Set(checklist.map((c) => c.stage))];
  for (const stage of stages) {
    out.push(`${"#".repeat(options.headingLevel ?? 4)} ${STAGE_TITLES[stage as Stage]}`, "");
    for (const item of checklist.filter((c) => c.stage === stage)) out.push(line(item, options));
    out.push("");
  }
  return out.join("\n");
}
