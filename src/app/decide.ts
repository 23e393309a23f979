// decide: a pure function from the derived state to the outcome the pull request should show —
// the check run, the checklist comment, the bot labels, stage labels to remove (each with its
// explanation), notes, reviewer requests and promotions. No I/O, no clock (time comes in the state).
import { msg } from "../core/markdown.js";
import { createHash } from "node:crypto";
import { compareDiagnostics, countBySeverity, type Diagnostic } from "../core/diagnostic.js";
import {
  BOT_LABELS,
  CHECK_NAMES,
  MARKERS,
  PROMOTION_PATH,
  STAGE_LABELS,
  STAGE_TITLES,
  nextStage,
  type Stage,
} from "../core/vocabulary.js";
import { unmetGates } from "../checks/registry.js";
import type { ChecklistResult } from "../report.js";
import {
  checkSummary,
  checkText,
  checkTitle,
  helpNote,
  integrationHeading,
  itemKey,
  keyRoot,
  labelRemovedGates,
  labelRemovedUnauthorised,
  noteKey,
  overduePing,
  renderComment,
  stageEditSentence,
  tickReverted,
  type Gate,
  type IntegrationView,
} from "./text.js";
import { addBusinessDays } from "./clock.js";
import { latestLabeled } from "./derive.js";
import { convergePromoted, newVersionOf, promote, recordedVersion } from "./promotion.js";
import { decodeState, encodeState, newerState, type SignedState } from "./state-token.js";
import type {
  Annotation,
  CommentInfo,
  Decision,
  DerivedState,
  DesiredCheckRun,
  IntegrationState,
  LabelRemoval,
  Note,
  Promotion,
} from "./types.js";

export interface DecideOptions {
  stateSecret: string;
}

const STAGE_BY_LABEL = new Map<string, Stage>(
  Object.entries(STAGE_LABELS).map(([stage, label]) => [label, stage as Stage]),
);
const pathIndex = (s: Stage) => (PROMOTION_PATH as readonly Stage[]).indexOf(s);

/**
 * The live checklist comment among the App's comments carrying the checklist marker. Partners can
 * edit any comment in their repository, the App's too, and could plant the marker and an old
 * record in one of the App's notes: so the comment holding the newest valid record wins (a forged
 * or older one never does), then the oldest.
 */
export function liveComment(state: DerivedState, secret: string): { comment?: CommentInfo; record: SignedState } {
  const pr = { owner: state.repo.owner, repo: state.repo.name, number: state.pr.number };
  const candidates = state.comments
    .filter((c) => c.ours && c.body?.includes(MARKERS.checklist))
    .map((comment) => ({ comment, record: decodeState(secret, pr, comment.body) }));
  candidates.sort(
    (a, b) =>
      Number(b.record.valid) - Number(a.record.valid) ||
      b.record.at.localeCompare(a.record.at) ||
      a.comment.createdAt.localeCompare(b.comment.createdAt) ||
      a.comment.id - b.comment.id,
  );
  return candidates[0] ?? { record: decodeState(secret, pr, undefined) };
}

/** Keys of ticked reviewer checkboxes in a checklist comment body. */
export function tickedKeys(body: string | undefined): Map<string, boolean> {
  const out = new Map<string, boolean>();
  if (!body) return out;
  for (const m of body.matchAll(/^\s*[-*] \[([ xX])\] .*<!-- devcenter:item (\S+) -->\s*$/gm))
    out.set(m[2]!, m[1] !== " ");
  return out;
}

export function decide(state: DerivedState, options: DecideOptions): Decision {
  const log: string[] = [];
  const notes: Note[] = [];
  const pr = { owner: state.repo.owner, repo: state.repo.name, number: state.pr.number };
  const trigger = state.trigger;
  const { comment: live, record } = liveComment(state, options.stateSecret);
  const reviewerItems = reviewerItemsOf(state);
  const { confirmed, recordAt, itemAt } = confirmedItems(state, options.stateSecret, {
    live,
    record,
    reviewerItems,
    notes,
    log,
  });

  // ── Per integration: the checklist as confirmed. ──────────────────────────────────────────────
  // Replay results come from the partner's CI: not trusted when the pull request changes its
  // workflows, or changes more files than GitHub lists (a workflow change could hide among them).
  const untrustedReplay = state.files.workflowFiles.length > 0 || state.files.truncated;
  const checklists = new Map<string, ChecklistResult[]>();
  for (const i of state.integrations) {
    checklists.set(
      i.root,
      i.report.checklist.map((c) =>
        !c.automatic && confirmed.has(itemKey(i.root, c.id)) ? withoutReason({ ...c, status: "pass" as const }) : c,
      ),
    );
  }

  const { promotions, removeLabels } = stageLabels(state, checklists, untrustedReplay, log);

  // ── Per integration, as the pull request will show it (after this event's promotions). ────────
  const promotedTo = new Map(promotions.map((p) => [p.root, p.to] as const));
  const views: IntegrationView[] = [];
  for (const i of state.integrations)
    views.push(
      integrationView(
        state,
        i,
        checklists.get(i.root)!,
        promotedTo.get(i.root) ?? i.currentStage,
        untrustedReplay,
        promotions,
      ),
    );

  // ── Submission, review time, reviewer requests. ──────────────────────────────────────────────
  const { botLabels, requestReviewers } = submission(state, recordAt, notes);

  // ── Commands. ────────────────────────────────────────────────────────────────────────────────
  const mayCommand =
    trigger.kind === "comment" &&
    (trigger.commandsAllowed === true || state.reviewerStatus[trigger.sender.login.toLowerCase()]?.reviewer === true);
  if (
    trigger.kind === "comment" &&
    trigger.action === "created" &&
    trigger.commands?.includes("help") &&
    trigger.sender.type !== "Bot" &&
    mayCommand
  ) {
    notes.push({
      key: `help:${trigger.commentId}`,
      body: helpNote(state.settings.reviewersDescription, state.pr.state === "open" && !state.pr.draft),
    });
  }

  // ── The check run and the comment. ───────────────────────────────────────────────────────────
  const checkRun = desiredCheckRun(state, views);
  const outOfScope = state.outOfScope;
  // Keep confirmations of items that exist, and of integrations not reviewed in this event.
  const owned = (k: string) =>
    state.integrations.some((i) => (i.root ? k.startsWith(`${keyRoot(i.root)}:`) : !k.includes(":")));
  const kept = [...confirmed].filter((k) => reviewerItems.has(k) || !owned(k));
  const keptAt = Object.fromEntries(Object.entries(itemAt).filter(([k]) => reviewerItems.has(k) || !owned(k)));
  const stateMarker = encodeState(options.stateSecret, pr, kept, recordAt, keptAt);
  const body = renderComment({
    integrations: views,
    outOfScope,
    submitted: state.pr.state === "open" && !state.pr.draft,
    draft: state.pr.draft,
    reviewers: state.settings.reviewersDescription,
    stateMarker,
  });
  for (const p of promotions) notes.push(p.audit);

  return {
    checkRun,
    comment: { body },
    ...(live ? { liveCommentId: live.id } : {}),
    botLabels,
    removeLabels: removeLabels.map((r) => ({ label: r.label, note: keyed(r.note) })),
    notes: notes.map(keyed),
    ...(requestReviewers ? { requestReviewers } : {}),
    promotions,
    confirmed: kept.sort(),
    log,
  };
}

/** Reviewer items (key → title) of every integration reviewed. */
function reviewerItemsOf(state: DerivedState): Map<string, string> {
  const reviewerItems = new Map<string, string>();
  for (const i of state.integrations)
    for (const c of i.report.checklist) if (!c.automatic) reviewerItems.set(itemKey(i.root, c.id), c.title);
  return reviewerItems;
}

/**
 * Reviewer-confirmed items: the signed record, changed only by a reviewer's edit of the live
 * comment (a tick by anyone else is reverted with a note).
 */
function confirmedItems(
  state: DerivedState,
  secret: string,
  o: {
    live: CommentInfo | undefined;
    record: SignedState;
    reviewerItems: Map<string, string>;
    notes: Note[];
    log: string[];
  },
): { confirmed: Set<string>; recordAt: string; itemAt: Record<string, string> } {
  const { live, record, reviewerItems, notes, log } = o;
  const trigger = state.trigger;
  const pr = { owner: state.repo.owner, repo: state.repo.name, number: state.pr.number };
  let signed = record;
  // The comment was edited (or deleted): the body before that edit, as GitHub's signed webhook
  // reports it, carries the App's record too. The newer of the two counts, so neither removing the
  // record nor pasting back an older one from the comment's edit history changes what is confirmed.
  const editedLive =
    trigger.kind === "comment" && trigger.action === "edited" && live !== undefined && trigger.commentId === live.id;
  const deletedLive = trigger.kind === "comment" && trigger.action === "deleted" && live === undefined;
  if ((editedLive || deletedLive) && trigger.kind === "comment" && trigger.from) {
    signed = newerState(signed, decodeState(secret, pr, trigger.from));
  }
  const confirmed = new Set(signed.confirmed);
  let recordAt = signed.at;
  const itemAt = { ...signed.itemAt };
  if (editedLive && trigger.kind === "comment" && trigger.sender.type !== "Bot") {
    // Each edit's own change (before → after, from the signed payload) is applied, in order, even
    // when a later edit exists: two quick clicks are two edits, and both ticks count. An edit older
    // than the record (a redelivery) is not applied again.
    const before = tickedKeys(trigger.from);
    const after = tickedKeys(trigger.body);
    const changed = [...reviewerItems.keys()].filter((k) => after.has(k) && (before.get(k) ?? false) !== after.get(k));
    const status = state.reviewerStatus[trigger.sender.login.toLowerCase()];
    if (changed.length && status?.reviewer) {
      // Per item: an edit older than the item's own last change is a redelivery, not applied again.
      const fresh = changed.filter((k) => trigger.at >= (itemAt[k] ?? ""));
      for (const k of fresh) {
        after.get(k) ? confirmed.add(k) : confirmed.delete(k);
        itemAt[k] = trigger.at;
      }
      if (trigger.at > recordAt) recordAt = trigger.at;
      if (fresh.length)
        log.push(`reviewer ${trigger.sender.login} ${fresh.map((k) => `${after.get(k) ? "+" : "-"}${k}`).join(" ")}`);
      if (fresh.length < changed.length)
        log.push(
          `reviewer ${trigger.sender.login}'s edit at ${trigger.at} is older than the record of ${changed.filter((k) => !fresh.includes(k)).join(", ")}: not applied again`,
        );
    } else if (changed.length) {
      notes.push({
        key: `tick:${trigger.commentId}:${trigger.at}`,
        body: tickReverted(
          trigger.sender.login,
          changed.map((k) => ({ title: reviewerItems.get(k)!, ticked: after.get(k)! })),
          state.settings.reviewersDescription,
        ),
      });
      log.push(
        `ticks by ${trigger.sender.login} (not a reviewer${status && !status.reviewer && status.error ? `: ${status.error}` : ""}) reverted`,
      );
    }
  }
  return { confirmed, recordAt, itemAt };
}

/** Stage labels: who applied them, and whether the gates hold (promotions, or removals with their explanation). */
function stageLabels(
  state: DerivedState,
  checklists: Map<string, ChecklistResult[]>,
  untrustedReplay: boolean,
  log: string[],
): { promotions: Promotion[]; removeLabels: LabelRemoval[] } {
  const trigger = state.trigger;
  const promotions: Promotion[] = [];
  const removeLabels: LabelRemoval[] = [];
  for (const label of state.pr.labels) {
    const target = STAGE_BY_LABEL.get(label);
    if (!target) continue;
    const event = latestLabeled(state.labelEvents, label);
    const status = event ? state.reviewerStatus[event.actor.login.toLowerCase()] : undefined;
    const keyBase = `label-removed:${label}:${event?.at ?? "unknown"}`;
    if (!event || event.actor.type === "Bot" || !status?.reviewer) {
      const error = status && !status.reviewer ? status.error : undefined;
      removeLabels.push({
        label,
        note: {
          key: keyBase,
          body: labelRemovedUnauthorised(label, event?.actor.login, state.settings.reviewersDescription, error),
        },
      });
      log.push(`${label}: applied by ${event?.actor.login ?? "unknown"}, not a reviewer → removed`);
      continue;
    }
    const scope = state.integrations;
    // The current stage's label on a changed live integration approves its new version.
    const versions = scope.filter((i) => i.currentStage === target && newVersionOf(i) !== undefined);
    // Already there: make sure the record is mirrored and announced (convergence after a partial write).
    const pending = [
      ...scope.filter((i) => !(i.currentStage && pathIndex(i.currentStage) >= pathIndex(target))),
      ...versions,
    ];
    for (const i of scope.filter((x) => !pending.includes(x))) {
      const p = convergePromoted(state, i, target);
      if (p) promotions.push(p);
    }
    if (pending.length === 0) continue;
    // A promotion is decided on the reviewer's own `labeled` delivery, at the head it names; any
    // other event (a comment, a push, the sweep) could see a head the reviewer never labeled.
    if (!(trigger.kind === "pull_request" && trigger.action === "labeled" && trigger.label === label)) {
      log.push(
        `${label}: not promoting on a ${trigger.kind} event; a promotion is decided on the label's own delivery`,
      );
      continue;
    }
    const unmet: { heading: string; gates: Gate[] }[] = [];
    for (const i of pending) {
      // trigger.headSha: the head the reviewer saw when labeling.
      const gates = promotionGates(state, i, checklists.get(i.root)!, target, event.at, {
        untrustedReplay,
        labeledHead: trigger.headSha,
      });
      if (gates.length)
        unmet.push({ heading: scope.length > 1 ? integrationHeading({ root: i.root, ...nameOf(i) }) : "", gates });
    }
    if (unmet.length) {
      removeLabels.push({ label, note: { key: keyBase, body: labelRemovedGates(label, target, unmet) } });
      log.push(`${label}: ${unmet.reduce((n, u) => n + u.gates.length, 0)} unmet gates → removed`);
      continue;
    }
    for (const i of pending) promotions.push(promote(state, i, target, event.actor.login, event.at));
    log.push(
      `${label}: ${versions.length ? "approving the new version of" : "promoting"} ${pending.map((i) => i.report.manifest?.app.slug).join(", ")} ${versions.length ? "in" : "to"} ${target}`,
    );
  }
  return { promotions, removeLabels };
}

/** One integration as the pull request will show it, at `current` (its stage after this event's promotions). */
function integrationView(
  state: DerivedState,
  i: IntegrationState,
  checklist: ChecklistResult[],
  current: Stage | undefined,
  untrustedReplay: boolean,
  promotions: Promotion[],
): IntegrationView {
  const next = current ? nextStage(current) : undefined;
  const { errors, warnings } = countBySeverity(i.report.diagnostics);
  const view: IntegrationView = {
    root: i.root,
    readyFor: i.report.readyFor,
    errors,
    warnings,
    blocking: next ? gatesFor(state, i, checklist, next, { untrustedReplay }) : [],
    checklist: checklist.map((c) => ({ ...c, id: itemKey(i.root, c.id) })),
  };
  const name = i.report.manifest?.app?.name;
  const slug = i.report.manifest?.app?.slug;
  if (typeof name === "string") view.name = name;
  if (typeof slug === "string") view.slug = slug;
  if (current) view.currentStage = current;
  if (next) view.next = next;
  if (handEdited(i)) view.stageEdit = { ...i.stageEdit, allowed: i.currentStage };
  if (i.replay)
    view.replay = { report: i.replay.report, untrusted: untrustedReplay, workflowFiles: state.files.workflowFiles };
  if (i.report.policy) view.policy = i.report.policy;
  const problem = catalogProblem(state, i);
  if (problem) view.catalogProblem = problem;
  if (i.report.change) view.change = i.report.change;
  const baselineProblem = i.report.diagnostics.find((d) => d.ruleId === "change/baseline");
  if (baselineProblem) view.baselineProblem = baselineProblem.message.replace(/; the change check did not run\.$/, "");
  const version = newVersionOf(i);
  const recorded = recordedVersion(
    state,
    i,
    promotions.find((p) => p.root === i.root),
  );
  if (recorded && current)
    view.approval = {
      stage: current,
      version: recorded.version,
      blocking: [],
      recorded: { by: recorded.by, at: recorded.at },
    };
  else if (version !== undefined && current)
    view.approval = { stage: current, version, blocking: gatesFor(state, i, checklist, current, { untrustedReplay }) };
  return view;
}

/**
 * The submission's labels (in review, overdue: pinging reviewers into `notes`) and the reviewers to
 * request. `recordAt` is when a reviewer last ticked an item, which counts as a response.
 */
function submission(
  state: DerivedState,
  recordAt: string,
  notes: Note[],
): { botLabels: string[] | "leave"; requestReviewers?: Decision["requestReviewers"] } {
  if (state.pr.state !== "open") return { botLabels: "leave" };
  const labels: string[] = [];
  if (state.integrations.some((i) => i.report.change?.live && i.report.change.declared))
    labels.push(BOT_LABELS.breakingChange);
  let requestReviewers: Decision["requestReviewers"];
  if (!state.pr.draft) {
    labels.push(BOT_LABELS.inReview);
    const since =
      state.readyForReviewAt && (!state.convertedToDraftAt || state.readyForReviewAt >= state.convertedToDraftAt)
        ? state.readyForReviewAt
        : state.pr.createdAt;
    // A reviewer's tick counts as a response too: the signed record holds when the last one was made.
    const responded = recordAt >= since || respondedSince(state, since);
    const due = addBusinessDays(new Date(since), state.settings.reviewBusinessDays).toISOString();
    if (!responded && state.now >= due) {
      labels.push(BOT_LABELS.reviewOverdue);
      notes.push({
        key: `overdue:${since}`,
        body: overduePing(state.settings.reviewerMentions, state.settings.reviewBusinessDays, since),
      });
    }
    if (!state.pr.labels.includes(BOT_LABELS.inReview)) {
      const want = state.settings.reviewerRequests;
      const reviewers = want.reviewers.filter((r) => !state.pr.requestedReviewers.includes(r));
      const teams = want.teams.filter((t) => !state.pr.requestedTeams.includes(t));
      if (reviewers.length || teams.length) requestReviewers = { reviewers, teams };
    }
  }
  return { botLabels: labels, ...(requestReviewers ? { requestReviewers } : {}) };
}

const keyed = (n: Note): Note => ({ key: n.key, body: `${n.body}\n${noteKey(n.key)}` });

function withoutReason(c: ChecklistResult): ChecklistResult {
  const { reason: _drop, reasonMarkdown: _dropMarkdown, ...rest } = c;
  return rest;
}

function nameOf(i: IntegrationState): { name?: string; slug?: string } {
  const app = i.report.manifest?.app;
  return {
    ...(typeof app?.name === "string" ? { name: app.name } : {}),
    ...(typeof app?.slug === "string" ? { slug: app.slug } : {}),
  };
}

function handEdited(i: IntegrationState): boolean {
  if (!i.stageEdit) return false;
  // Setting `stage` to what the catalog records is a sync, not a promotion by hand.
  return i.stageEdit.to === undefined || i.stageEdit.to !== (i.currentStage ?? "developer-preview");
}

function catalogProblem(state: DerivedState, i: IntegrationState): string | undefined {
  const c = i.catalog;
  if (c.status === "unconfigured") return "the operator has not configured a catalog repository";
  if (c.status === "error") return c.message.replace(/\.$/, "");
  if (
    c.status === "found" &&
    c.record.repository.toLowerCase() !== `${state.repo.owner}/${state.repo.name}`.toLowerCase()
  ) {
    return `the slug is recorded for another repository (${c.record.repository})`;
  }
  return undefined;
}

/** What stands between this integration and `target`, as far as the head commit shows. */
function gatesFor(
  state: DerivedState,
  i: IntegrationState,
  checklist: ChecklistResult[],
  target: Stage,
  o: { untrustedReplay: boolean },
): Gate[] {
  const gates: Gate[] = unmetGates({ checklist }, target).map((c) => ({
    title: `${c.title}${c.automatic ? "" : " (reviewer)"}`,
    ...(c.status === "manual"
      ? { reason: "a reviewer ticks this item" }
      : c.reason
        ? { reason: c.reason, ...(c.reasonMarkdown ? { reasonMarkdown: c.reasonMarkdown } : {}) }
        : {}),
  }));
  const { errors } = countBySeverity(i.report.diagnostics);
  if (errors > 0)
    gates.push({
      title: "No errors on the head commit",
      reason: `the review reports ${errors} error${errors === 1 ? "" : "s"}`,
    });
  if (handEdited(i)) {
    const said = stageEditSentence({ ...i.stageEdit, allowed: i.currentStage });
    gates.push({ title: "`stage` is not changed by hand", reason: said.text, reasonMarkdown: said.markdown });
  }
  if (o.untrustedReplay && i.replay) {
    const said =
      state.files.workflowFiles.length > 0
        ? msg`this pull request changes workflow or action files; merge those changes separately first`
        : msg`this pull request changes more files than GitHub lists (${state.files.count}+), so a change to workflow files or to \`stage\` could go unseen; split it up`;
    gates.push({ title: "Replay results are trusted", reason: said.text, reasonMarkdown: said.markdown });
  }
  if (state.files.truncated)
    gates.push({
      title: "Every changed file can be read",
      reason: `GitHub lists at most ${state.files.count} changed files of a pull request; split this one so the whole change is reviewed`,
    });
  const problem = catalogProblem(state, i);
  if (problem) gates.push({ title: "The catalog record is usable", reason: problem });
  return gates;
}

function promotionGates(
  state: DerivedState,
  i: IntegrationState,
  checklist: ChecklistResult[],
  target: Stage,
  labeledAt: string,
  o: { untrustedReplay: boolean; labeledHead?: string },
): Gate[] {
  const gates: Gate[] = [];
  const current = i.currentStage;
  if (!current)
    gates.push({
      title: "The current stage is known",
      reason: catalogProblem(state, i) ?? "the catalog record could not be read",
    });
  else if (pathIndex(current) < 0)
    gates.push({ title: "On the promotion path", reason: `${STAGE_TITLES[current]} integrations are not promoted` });
  else if (nextStage(current) !== target && !(current === target && newVersionOf(i))) {
    gates.push({
      title: "One stage at a time",
      reason: `the integration is in ${STAGE_TITLES[current]}; the next stage is ${STAGE_TITLES[nextStage(current) ?? current]}`,
    });
  }
  gates.push(...gatesFor(state, i, checklist, target, o));
  // A push between the label and this event (a fast-forward to a commit reviewed before, say)
  // leaves no newer trace in lastPushAt: the head the label was applied to must still be the head.
  if (o.labeledHead && o.labeledHead !== state.pr.headSha) {
    gates.push({
      title: "Label applied to the head under review",
      reason: `the label was applied to ${o.labeledHead.slice(0, 7)}; the pull request has moved to ${state.pr.headSha.slice(0, 7)} since`,
    });
  }
  if (!(labeledAt > state.lastPushAt)) {
    gates.push({
      title: "Label applied after the last push",
      reason: `the label was applied at ${labeledAt}; the head commit was pushed at or after ${state.lastPushAt}`,
    });
  }
  if (!i.report.manifest?.app?.slug)
    gates.push({ title: "The manifest names the app", reason: "`app.slug` is missing" });
  const dbm = i.defaultBranchManifest;
  if (dbm && "error" in dbm)
    gates.push({ title: "The manifest on the default branch can be updated", reason: dbm.error });
  // Dedupe by title: the registry and the App may both name an item.
  const seen = new Set<string>();
  return gates.filter((g) => (seen.has(g.title) ? false : (seen.add(g.title), true)));
}

function respondedSince(state: DerivedState, since: string): boolean {
  const isReviewer = (login: string) => state.reviewerStatus[login.toLowerCase()]?.reviewer === true;
  if (state.reviews.some((r) => r.at >= since && r.author.type !== "Bot" && isReviewer(r.author.login))) return true;
  if (
    state.comments.some((c) => !c.ours && c.createdAt >= since && c.author.type !== "Bot" && isReviewer(c.author.login))
  )
    return true;
  return state.labelEvents.some((e) => e.at >= since && e.actor.type !== "Bot" && isReviewer(e.actor.login));
}

// ── Check run ──────────────────────────────────────────────────────────────────────────────────

const LEVEL = { error: "failure", warning: "warning", info: "notice" } as const;
export const MAX_ANNOTATIONS = 1000;

export function annotationsFor(root: string, diagnostics: readonly Diagnostic[]): Annotation[] {
  const out: Annotation[] = [];
  for (const d of diagnostics) {
    if (!d.file) continue;
    const start = d.line && d.line > 0 ? d.line : 1;
    const end = d.endLine && d.endLine >= start ? d.endLine : start;
    const a: Annotation = {
      path: root ? `${root}/${d.file}` : d.file,
      start_line: start,
      end_line: end,
      annotation_level: LEVEL[d.severity],
      message: d.message.length > 4000 ? `${d.message.slice(0, 4000)}…` : d.message,
      title: d.ruleId,
    };
    // GitHub accepts columns only on single-line annotations.
    if (start === end && d.column && d.column > 0) {
      a.start_column = d.column;
      a.end_column = d.endColumn && d.endColumn >= d.column ? d.endColumn : d.column;
    }
    out.push(a);
  }
  return out;
}

function desiredCheckRun(state: DerivedState, views: IntegrationView[]): DesiredCheckRun {
  const diagnostics = state.integrations.map((i) => ({
    root: i.root,
    items: [...i.report.diagnostics].sort(compareDiagnostics),
  }));
  const annotations: Annotation[] = [];
  for (const { root, items } of diagnostics) annotations.push(...annotationsFor(root, items));
  for (const i of state.integrations) {
    if (!handEdited(i)) continue;
    annotations.push({
      path: i.manifestPath,
      start_line: i.stageEdit?.line ?? 1,
      end_line: i.stageEdit?.line ?? 1,
      annotation_level: "failure",
      title: "app/stage-edited",
      message: stageEditSentence({ ...i.stageEdit, allowed: i.currentStage }).text.replace(/`/g, ""),
    });
  }
  const view = { integrations: views, diagnostics, outOfScope: state.outOfScope };
  const failed = views.some((v) => v.errors > 0 || v.stageEdit);
  const title = checkTitle(view);
  const summary = checkSummary(view);
  const reserve = 120;
  const text0 = checkText(view, reserve);
  const kept = annotations.slice(0, MAX_ANNOTATIONS);
  const extra =
    annotations.length > kept.length
      ? `\n\n${annotations.length - kept.length} more findings are listed above but not annotated.`
      : "";
  const conclusion = failed ? ("failure" as const) : ("success" as const);
  const digest = createHash("sha256")
    .update(JSON.stringify({ name: CHECK_NAMES.review, conclusion, title, summary, text: text0 + extra, kept }))
    .digest("hex")
    .slice(0, 32);
  return {
    headSha: state.pr.headSha,
    conclusion,
    title,
    summary,
    text: `${text0}${extra}\n\n<!-- ${MARKERS.digest} ${digest} -->`,
    annotations: kept,
    digest,
  };
}
