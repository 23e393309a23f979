// Every sentence the GitHub App writes: the checklist comment, the check run's output and the
// notes it posts. Anything that came from a pull request (names, messages, paths, logins, replay
// output) goes through escapeMarkdown / inlineCode, so it cannot add markup, links, HTML or
// @-mentions. Only operator-configured reviewer mentions are written as mentions, in the ping.
import { formatLocation, type Diagnostic } from "../core/diagnostic.js";
import { CHECK_NAMES, MARKERS, STAGE_LABELS, STAGE_TITLES, type Stage } from "../core/vocabulary.js";
import type { ChangeSummary } from "../change/check.js";
import { renderChangesMarkdown } from "../render/changes.js";
import { renderChecklistMarkdown } from "../render/checklist.js";
import { type Message, msg } from "../core/markdown.js";
import { escapeMarkdown, inlineCode, messageMarkdown } from "../render/escape.js";
import { casesTableMarkdown, countsMarkdown, replayView, volumeSentence, type VolumeView } from "../render/replay.js";
import type { ReplayReport } from "../replay/types.js";
import type { ChecklistResult } from "../report.js";
import { plural } from "../core/text.js";
import { DEFAULT_POLICY, POLICY_FILE, type Policy } from "../core/policy.js";
import { describeBar, ms } from "../policy/bars.js";

export const COMMENT_LIMIT = 65_536;
export const OUTPUT_LIMIT = 65_535;

export interface Gate {
  /** devcenter's own words (a checklist item's title, a gate's name): written as Markdown. */
  title: string;
  reason?: string;
  /** The reason as Markdown when it was built with `msg` (a checklist item's reasonMarkdown). */
  reasonMarkdown?: string;
}

export interface IntegrationView {
  root: string;
  name?: string;
  slug?: string;
  currentStage?: Stage;
  readyFor: Stage;
  next?: Stage;
  errors: number;
  warnings: number;
  /** What blocks `next`. */
  blocking: Gate[];
  /** Checklist items with keyed ids (so two integrations' checkboxes differ). */
  checklist: ChecklistResult[];
  stageEdit?: { from?: string; to?: string; allowed: Stage | undefined };
  replay?: { report: ReplayReport; untrusted: boolean; workflowFiles: string[] };
  catalogProblem?: string;
  /** A live integration's changes against the approved version (the change check). */
  change?: ChangeSummary;
  /** Why there is no approved version to compare with (an unreadable catalog record, say). */
  baselineProblem?: string;
  /** A change to a live integration: what blocks approving its new version at the current stage. */
  /** A new version of a live integration to approve; `recorded` once a reviewer approved it and the catalog holds it. */
  approval?: { stage: Stage; version?: string; blocking: Gate[]; recorded?: { by: string; at: string } };
  /** The platform policy the App graded against (the operator's policy.yml, or the built-in one). */
  policy?: Policy;
}

export interface CommentView {
  integrations: IntegrationView[];
  outOfScope: string[];
  submitted: boolean;
  draft: boolean;
  reviewers: string;
  stateMarker: string;
}

const stageName = (stage: Stage | undefined) => (stage ? STAGE_TITLES[stage] : "unknown");

export function integrationHeading(v: Pick<IntegrationView, "name" | "slug" | "root">): string {
  const name = v.name ? `**${escapeMarkdown(v.name, 100)}**` : "**Integration**";
  const slug = v.slug ? ` (${inlineCode(v.slug, { maxLength: 80 })})` : "";
  const where = v.root ? ` in ${inlineCode(`${v.root}/`)}` : "";
  return `${name}${slug}${where}`;
}

function gateLine(g: Gate): string {
  return `- ${g.title}${g.reason ? ` — ${messageMarkdown({ message: g.reason, markdown: g.reasonMarkdown })}` : ""}`;
}

export function stageEditSentence(edit: NonNullable<IntegrationView["stageEdit"]>): Message {
  const shown = edit.to && edit.to.length > 40 ? `${edit.to.slice(0, 40)}…` : edit.to;
  const to = shown ? msg`\`${shown}\`` : "nothing";
  return msg`This pull request changes \`stage\` in integration.yml by hand (to ${to}). The stage is recorded by the App when a reviewer promotes the integration with a \`stage: …\` label; set \`stage\` back to \`${edit.allowed ?? "developer-preview"}\`.`;
}

/**
 * The volume line as the App grades it: the run's figures against the App's policy, with the
 * verdict of the checklist's "Supports high data volumes" item (graded from the raw numbers), not
 * the verdict the Action's run gave itself.
 */
function gradedVolumeSentence(volume: VolumeView, v: Pick<IntegrationView, "checklist" | "policy">): string {
  const item = v.checklist.find((c) => c.id === "high-volume" || c.id.endsWith(":high-volume"));
  const met = item && item.status !== "manual" && item.status !== "skip" ? item.status === "pass" : volume.met;
  return volumeSentence({ ...volume, bar: v.policy?.volume.minEventsPerSecond ?? volume.bar, met });
}

/** Which policy the App graded against, and its bars: the check run says it, so a verdict can be traced to its bar. */
export function policySentence(policy: Policy): string {
  const built = JSON.stringify(policy) === JSON.stringify(DEFAULT_POLICY);
  const which = built
    ? "the built-in platform policy"
    : `the operator's policy (\`${POLICY_FILE}\` in the catalog repository)`;
  return `Graded against ${which}: delivery within ${ms(policy.delivery.timeoutMs)}; volume ${describeBar(policy.volume)}; Test Suite version ${escapeMarkdown(policy.testSuite.version, 40)}.`;
}

function replaySection(
  r: NonNullable<IntegrationView["replay"]>,
  maxRows: number,
  v: Pick<IntegrationView, "checklist" | "policy">,
): string[] {
  const out: string[] = [];
  const view = replayView(r.report);
  out.push(`**Replay** (from the \`${CHECK_NAMES.replay}\` check run on this commit): ${countsMarkdown(view)}`, "");
  if (r.untrusted) {
    const files = r.workflowFiles
      .slice(0, 5)
      .map((f) => inlineCode(f))
      .join(", ");
    const why = r.workflowFiles.length
      ? `This pull request changes workflow or action files (${files}${r.workflowFiles.length > 5 ? ", …" : ""})`
      : "This pull request changes more files than GitHub lists, so workflow changes cannot be ruled out";
    out.push(
      `> ⚠️ **Not trusted.** ${why}, so these results may not come from an unmodified CI run. They are shown for information and do not count toward promotion.`,
      "",
    );
  }
  out.push(...casesTableMarkdown(view.cases, { maxRows, moreWhere: "in the check run", maxMessage: 200 }));
  if (view.volume) out.push("", gradedVolumeSentence(view.volume, v));
  out.push("");
  return out;
}

function integrationSection(v: IntegrationView, maxRows: number): string[] {
  const out: string[] = [];
  const next = v.next ? ` · next: **${STAGE_TITLES[v.next]}**` : "";
  out.push(
    `### ${integrationHeading(v)}`,
    "",
    `Stage: **${stageName(v.currentStage)}**${next} · automatic checks ready for **${STAGE_TITLES[v.readyFor]}**`,
    "",
  );
  const counts =
    v.errors + v.warnings === 0
      ? "✅ No errors or warnings."
      : `${v.errors ? `❌ ${plural(v.errors, "error")}` : ""}${v.errors && v.warnings ? " · " : ""}${v.warnings ? `⚠️ ${plural(v.warnings, "warning")}` : ""} — each is annotated on its line in the **${CHECK_NAMES.review}** check run.`;
  out.push(counts, "");
  // A live integration's change list comes first: it is what the reviewer approves.
  if (v.change) out.push(renderChangesMarkdown(v.change, "integration.yml", { max: maxRows || 10 }).trimEnd(), "");
  if (v.baselineProblem)
    out.push(
      `⚠️ No approved version to compare with: ${escapeMarkdown(v.baselineProblem)}. The change check did not run.`,
      "",
    );
  if (v.approval) {
    const label = STAGE_LABELS[v.approval.stage as keyof typeof STAGE_LABELS] ?? "";
    const what = `version ${inlineCode(v.approval.version ?? "(none)", { maxLength: 40 })} in **${STAGE_TITLES[v.approval.stage]}**`;
    const recorded = v.approval.recorded;
    if (recorded)
      out.push(
        `✅ Approved ${what} by ${inlineCode(recorded.by, { maxLength: 100 })} at ${escapeMarkdown(recorded.at, 40)}, and recorded in the catalog: later changes are compared with it.`,
        "",
      );
    else if (v.approval.blocking.length === 0)
      out.push(`Nothing blocks approving ${what}: a reviewer may apply \`${label}\`.`, "");
    else out.push(`**Blocking approval of ${what}** (with \`${label}\`)`, "", ...v.approval.blocking.map(gateLine), "");
  }
  if (v.stageEdit) out.push(`❌ ${stageEditSentence(v.stageEdit).markdown}`, "");
  if (v.catalogProblem)
    out.push(
      `⚠️ The catalog record could not be used: ${escapeMarkdown(v.catalogProblem)}. Promotions are refused until this is fixed.`,
      "",
    );
  if (v.next) {
    if (v.blocking.length === 0)
      out.push(
        `Nothing blocks **${STAGE_TITLES[v.next]}**: a reviewer may apply \`${STAGE_LABELS[v.next as keyof typeof STAGE_LABELS] ?? ""}\`.`,
        "",
      );
    else {
      // The checklist below lists the next stage's items with their reasons: say those once, there.
      const listed = new Set(v.checklist.filter((c) => c.stage === v.next).map((c) => c.title));
      const others = v.blocking.filter((g) => !listed.has(g.title));
      const inList = v.blocking.length - others.length;
      const pointer = inList
        ? ` ${plural(inList, "item")} under **${STAGE_TITLES[v.next]}** in the checklist below${others.length ? ", and:" : "."}`
        : "";
      out.push(
        `**Blocking ${STAGE_TITLES[v.next]}**:${pointer}`,
        "",
        ...(others.length ? [...others.map(gateLine), ""] : []),
      );
    }
  }
  out.push("**Checklist**", "", renderChecklistMarkdown(v.checklist, { checkboxes: true }).trimEnd(), "");
  if (v.replay) out.push(...replaySection(v.replay, maxRows, v));
  return out;
}

export function renderComment(view: CommentView): string {
  for (const maxRows of [50, 10, 0]) {
    const body = composeComment(view, maxRows);
    if (body.length <= COMMENT_LIMIT) return body;
  }
  const tail = `\n\n…(shortened to fit GitHub's comment limit)\n${view.stateMarker}\n${MARKERS.checklist}`;
  return composeComment(view, 0).slice(0, COMMENT_LIMIT - tail.length) + tail;
}

function composeComment(view: CommentView, maxRows: number): string {
  const out: string[] = ["## devcenter review", ""];
  if (view.draft)
    out.push("This pull request is a draft: mark it **Ready for review** to submit it to the reviewers.", "");
  else if (view.submitted) out.push(`Submitted for review. Reviewers: ${escapeMarkdown(view.reviewers, 300)}.`, "");
  for (const v of view.integrations) out.push(...integrationSection(v, maxRows));
  if (view.outOfScope.length)
    out.push(
      `Not reviewed here (this pull request does not change them): ${view.outOfScope.map((r) => inlineCode(`${r}/`)).join(", ")}.`,
      "",
    );
  out.push(
    "---",
    `<sub>Reviewers tick the _(reviewer)_ items by editing this comment; a tick by anyone else is reverted. A reviewer promotes with \`${STAGE_LABELS["public-beta"]}\` or \`${STAGE_LABELS.public}\`. Comment \`/devcenter recheck\` to review again, \`/devcenter help\` for more.</sub>`,
    view.stateMarker,
    MARKERS.checklist,
  );
  return out.join("\n");
}

// ── Check run ────────────────────────────────────────────────────────────────────────────────

export interface CheckView {
  integrations: IntegrationView[];
  diagnostics: { root: string; items: Diagnostic[] }[];
  outOfScope: string[];
}

export function checkTitle(view: CheckView): string {
  const errors = view.integrations.reduce((n, v) => n + v.errors, 0);
  const warnings = view.integrations.reduce((n, v) => n + v.warnings, 0);
  const edits = view.integrations.filter((v) => v.stageEdit).length;
  const parts = [plural(errors, "error"), plural(warnings, "warning")];
  if (edits) parts.unshift("stage changed by hand");
  const ready = view.integrations.length === 1 ? ` · ready for ${STAGE_TITLES[view.integrations[0]!.readyFor]}` : "";
  return `${parts.join(", ")}${ready}`;
}

export function checkSummary(view: CheckView): string {
  const out: string[] = [];
  for (const v of view.integrations) {
    out.push(
      `### ${integrationHeading(v)}`,
      "",
      `Stage **${stageName(v.currentStage)}**, automatic checks ready for **${STAGE_TITLES[v.readyFor]}**. ${plural(v.errors, "error")}, ${plural(v.warnings, "warning")}.`,
      "",
    );
    if (v.stageEdit) out.push(`❌ ${stageEditSentence(v.stageEdit).markdown}`, "");
    if (v.next && v.blocking.length)
      out.push(`**Blocking ${STAGE_TITLES[v.next]}**`, "", ...v.blocking.slice(0, 50).map(gateLine), "");
    if (v.policy) out.push(policySentence(v.policy), "");
  }
  if (view.outOfScope.length)
    out.push(
      `Not reviewed (unchanged by this pull request): ${view.outOfScope.map((r) => inlineCode(`${r}/`)).join(", ")}.`,
    );
  return clip(out.join("\n"), OUTPUT_LIMIT);
}

export function checkText(view: CheckView, reserve: number): string {
  const out: string[] = [];
  for (const { root, items } of view.diagnostics) {
    if (items.length === 0) continue;
    out.push(
      `### Findings${root ? ` in ${inlineCode(`${root}/`)}` : ""}`,
      "",
      "| | Location | Rule | Message |",
      "|---|---|---|---|",
    );
    const icon = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;
    for (const d of items) {
      out.push(
        `| ${icon[d.severity]} | ${inlineCode(formatLocation(d) || "—", { inTable: true })} | ${inlineCode(d.ruleId, { inTable: true })} | ${messageMarkdown(d)} |`,
      );
    }
    out.push("");
  }
  if (out.length === 0) out.push("No findings.");
  return clip(out.join("\n"), OUTPUT_LIMIT - reserve);
}

export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = "\n\n…(shortened to fit GitHub's limit)";
  return text.slice(0, limit - note.length) + note;
}

export const ERROR_TITLE = "The review could not finish";
export function errorSummary(message: string): string {
  return clip(
    `The App could not finish the review because GitHub kept failing after several retries:\n\n${inlineCode(message, { maxLength: 300 })}\n\nNothing about the integration was decided. Use **Re-run** on this check or comment \`/devcenter recheck\` to try again.`,
    OUTPUT_LIMIT,
  );
}

// ── Notes ────────────────────────────────────────────────────────────────────────────────────

/**
 * An integration's folder as it appears in keys kept inside HTML comments (`<!-- devcenter:item KEY -->`)
 * and note markers: every character outside `A-Za-z0-9._/-` percent-encoded, so a hostile folder
 * name (git allows spaces, `<`, `>`, `!`, `@` …) can neither close the comment nor break the key.
 */
export const keyRoot = (root: string) =>
  root.replace(/[^A-Za-z0-9._/-]/gu, (c) =>
    [...Buffer.from(c, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
export const itemKey = (root: string, id: string) => (root ? `${keyRoot(root)}:${id}` : id);

const noteKey = (key: string) => `<!-- ${MARKERS.note} ${key.replace(/--+/g, "-").replace(/\s+/g, "_")} -->`;
export { noteKey };

export function labelRemovedUnauthorised(
  label: string,
  actor: string | undefined,
  reviewers: string,
  lookupError?: string,
): string {
  const who = actor
    ? `It was applied by ${inlineCode(actor)}, who is not a reviewer.`
    : "The App could not tell who applied it.";
  const failed = lookupError
    ? ` The reviewer lookup did not answer (${escapeMarkdown(lookupError)}), and a lookup that fails denies.`
    : "";
  return `${MARKERS.labelRemoved}\nThe label ${inlineCode(label)} was removed. ${who}${failed}\n\nOnly reviewers may apply stage labels: ${escapeMarkdown(reviewers, 300)}. When the checklist shows nothing blocking the next stage, a reviewer applies the label.`;
}

export function labelRemovedGates(label: string, target: Stage, unmet: { heading: string; gates: Gate[] }[]): string {
  const lines = [
    `${MARKERS.labelRemoved}`,
    `The label ${inlineCode(label)} was removed: **${STAGE_TITLES[target]}** is not reached yet. Every unmet gate:`,
    "",
  ];
  for (const group of unmet) {
    if (unmet.length > 1 || group.heading) lines.push(`**${group.heading}**`, "");
    lines.push(...group.gates.map(gateLine), "");
  }
  lines.push("Apply the label again once these are met (after the last push).");
  return clip(lines.join("\n"), COMMENT_LIMIT - 200);
}

export function tickReverted(actor: string, items: { title: string; ticked: boolean }[], reviewers: string): string {
  const list = items.map((i) => `- ${i.ticked ? "ticked" : "unticked"} “${escapeMarkdown(i.title, 200)}”`).join("\n");
  return `${MARKERS.tickReverted}\n${inlineCode(actor)} changed reviewer items in the checklist, and the change was reverted:\n\n${list}\n\nOnly reviewers (${escapeMarkdown(reviewers, 300)}) confirm these items.`;
}

export type MirrorOutcome = "written" | "already" | "absent";

export function auditNote(p: {
  heading: string;
  from: Stage;
  to: Stage;
  approvedBy: string;
  approvedAt: string;
  headSha: string;
  catalog: string;
  mirror: MirrorOutcome;
  version?: string;
  breaking?: boolean;
}): string {
  const mirror = {
    written: `\`stage: ${p.to}\` written to integration.yml on the default branch (if branch protection refuses the App, set it by hand: the check accepts this value)`,
    already: "integration.yml on the default branch already says so",
    absent: `integration.yml is not on the default branch yet; once this pull request is merged, set \`stage: ${p.to}\` (the check accepts this value)`,
  }[p.mirror];
  return [
    MARKERS.audit,
    p.from === p.to
      ? `**Version recorded:** ${p.heading} ${inlineCode(p.version ?? "(no version)", { maxLength: 40 })} approved in **${STAGE_TITLES[p.to]}**${p.breaking ? ", as a breaking change" : ""}.`
      : `**Stage recorded:** ${p.heading} moved from **${STAGE_TITLES[p.from]}** to **${STAGE_TITLES[p.to]}**${p.version ? ` at version ${inlineCode(p.version, { maxLength: 40 })}` : ""}.`,
    "",
    `- Approved by ${inlineCode(p.approvedBy)} at ${p.approvedAt}`,
    `- Reviewed commit ${inlineCode(p.headSha)}`,
    `- Catalog record: ${inlineCode(p.catalog)}`,
    `- ${mirror}`,
  ].join("\n");
}

/** `submitted`: the pull request is open and not a draft, so its author has nothing to mark. */
export function helpNote(reviewers: string, submitted = false): string {
  return [
    MARKERS.help,
    "**devcenter** reviews the integration on every push and keeps one checklist comment current.",
    "",
    "- `/devcenter recheck` — review the head commit again and write a fresh check run.",
    "- `/devcenter help` — this message.",
    "",
    `${submitted ? "This pull request is submitted for review." : "Mark the pull request **Ready for review** to submit it."} Reviewers tick the _(reviewer)_ items in the checklist comment and promote the integration with the`,
    `\`${STAGE_LABELS["public-beta"]}\` and \`${STAGE_LABELS.public}\` labels, one stage at a time. Reviewers: ${escapeMarkdown(reviewers, 300)}.`,
  ].join("\n");
}

export function overduePing(mentions: string[], days: number, submittedAt: string): string {
  const who = mentions.length ? mentions.join(" ") : "Reviewers";
  return `${MARKERS.overdue}\n${who}: this submission has waited ${plural(days, "business day")} for a reviewer's response (submitted ${submittedAt}).`;
}
