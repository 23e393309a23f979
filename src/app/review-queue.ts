// One sweep's view of a pull request as review-queue entries (one per integration it changes):
// who has the next move, how long the submission has waited, what blocks it. Pure: it reads the
// derived state and the decision the pipeline already made, never GitHub.
import { unmetGates } from "../checks/registry.js";
import { BOT_LABELS, nextStage } from "../core/vocabulary.js";
import type { QueueEntry, QueueState } from "../core/review-queue.js";
import { businessDaysBetween } from "./clock.js";
import { newVersionOf } from "./promotion.js";
import type { Decision, DerivedState, IntegrationState } from "./types.js";

/** When the pull request was last submitted for review (ready for review, else opened). */
export function submittedAt(state: DerivedState): string {
  const ready = state.readyForReviewAt;
  return ready && (!state.convertedToDraftAt || ready >= state.convertedToDraftAt) ? ready : state.pr.createdAt;
}

/** A reviewer's latest review asked for changes and nothing was pushed since. */
function changesRequested(state: DerivedState): boolean {
  const isReviewer = (login: string) => state.reviewerStatus[login.toLowerCase()]?.reviewer === true;
  const latest = state.reviews
    .filter((r) => r.author.type !== "Bot" && isReviewer(r.author.login) && r.state !== "COMMENTED")
    .sort((a, b) => a.at.localeCompare(b.at))
    .pop();
  return latest?.state === "CHANGES_REQUESTED" && latest.at >= state.lastPushAt;
}

function stateOf(
  _state: DerivedState,
  i: IntegrationState,
  requested: boolean,
): { state: QueueState; blockedBy: string[]; target?: string } {
  const current = i.currentStage;
  // A change to a live integration asks for a new version at its own stage (as the comment says);
  // otherwise the submission is for the next stage.
  const target = current ? (newVersionOf(i) !== undefined ? current : (nextStage(current) ?? current)) : undefined;
  const unmet = target ? unmetGates(i.report, target) : [];
  const failing = unmet.filter((c) => c.automatic).map((c) => c.title);
  if (i.report.summary.errors > 0 && failing.length === 0)
    failing.push(`${i.report.summary.errors} ${i.report.summary.errors === 1 ? "error" : "errors"} in the review`);
  const at = target ? { target } : {};
  if (requested) return { state: "changes-requested", blockedBy: failing, ...at };
  if (failing.length) return { state: "blocked", blockedBy: failing, ...at };
  // The reviewer item the change check adds for a declared breaking change.
  if (unmet.some((c) => c.id === "breaking-approved")) return { state: "breaking", blockedBy: [], ...at };
  return { state: unmet.length ? "waiting" : "ready", blockedBy: [], ...at };
}

/** `title`: the pull request's title as the sweep listed it (the derived state does not keep it). */
export function queueEntries(state: DerivedState, decision: Decision | undefined, title = ""): QueueEntry[] {
  if (state.pr.state !== "open" || state.pr.draft) return [];
  const since = submittedAt(state);
  const businessDays = businessDaysBetween(new Date(since), new Date(state.now));
  const overdue = Array.isArray(decision?.botLabels)
    ? decision.botLabels.includes(BOT_LABELS.reviewOverdue)
    : state.pr.labels.includes(BOT_LABELS.reviewOverdue);
  const requested = changesRequested(state);
  const inScope = state.integrations.filter((i) => i.inScope);
  return inScope.map((i) => {
    const app = i.report.manifest?.app;
    const s = stateOf(state, i, requested);
    const entry: QueueEntry = {
      repository: `${state.repo.owner}/${state.repo.name}`,
      pullRequest: state.pr.number,
      url: state.pr.url,
      title,
      partner: state.pr.author.login,
      integration: {
        root: i.root,
        ...(typeof app?.slug === "string" ? { slug: app.slug } : {}),
        ...(typeof app?.name === "string" ? { name: app.name } : {}),
      },
      ...(i.currentStage ? { stage: i.currentStage } : {}),
      ...(s.target ? { target: s.target } : {}),
      since,
      businessDays,
      overdue,
      state: s.state,
      blockedBy: s.blockedBy,
    };
    return entry;
  });
}
