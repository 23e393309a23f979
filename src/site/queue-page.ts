// The review queue page: every open submission from the App's last snapshot, what needs a
// reviewer first, and when the snapshot was taken. A missing, older or unreadable snapshot is said
// on the page (and warned by the build), never a failed build.
import { STAGE_TITLES, type Stage } from "../core/vocabulary.js";
import { QUEUE_STATES, REVIEWERS_TURN, type QueueEntry, type QueueRead } from "../core/review-queue.js";
import { html, safeUrl, type Html } from "./html.js";
import { page } from "./layout.js";

const when = (iso: string) => iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
const days = (n: number) => `${n} business ${n === 1 ? "day" : "days"}`;
/** A stage as the snapshot names it (devcenter's names), for people. */
const title = (stage: string | undefined) =>
  stage && stage in STAGE_TITLES ? STAGE_TITLES[stage as Stage] : (stage ?? "");

function row(e: QueueEntry, sla: number): Html {
  const url = safeUrl(e.url);
  const pr = `${e.repository}#${e.pullRequest}`;
  const name = e.integration.name ?? e.integration.slug ?? (e.integration.root || e.repository);
  const heading = e.target ? `${title(e.stage)} → ${title(e.target)}` : "";
  return html`<tr><th scope="row">${name}${heading ? html`<br><span class="muted">${heading}</span>` : ""}</th><td>${url ? html`<a href="${url}" rel="nofollow noopener">${pr}</a>` : pr}${e.title ? html`<br><span class="muted">${e.title}</span>` : ""}</td><td>${e.partner}</td><td${e.overdue ? html` class="late"` : ""}>${days(e.businessDays)} of ${sla}${e.overdue ? " (overdue)" : ""}</td><td>${QUEUE_STATES[e.state]}${e.blockedBy.length ? html`<ul>${e.blockedBy.map((b) => html`<li>${b}</li>`)}</ul>` : ""}</td></tr>
`;
}

export function queuePage(read: QueueRead | { ok: false; kind: "missing"; message: string }): string {
  let body: Html;
  if (!read.ok) {
    const note =
      read.kind === "missing"
        ? "No queue snapshot yet: the App's sweep writes queue.json to the catalog repository on its next run."
        : `The queue snapshot ${read.message}.`;
    body = html`<h1>Review queue</h1><p>${note}</p>${"takenAt" in read && read.takenAt ? html`<p class="muted">That snapshot was taken ${when(read.takenAt)}.</p>` : ""}`;
  } else {
    const s = read.snapshot;
    const reviewers = s.entries.filter((e) => REVIEWERS_TURN.includes(e.state)).length;
    body = html`<h1>Review queue</h1>
<p>Snapshot taken <time datetime="${s.takenAt}">${when(s.takenAt)}</time>. ${s.entries.length} open ${s.entries.length === 1 ? "submission" : "submissions"}, ${reviewers} waiting for a reviewer. Review time: ${days(s.reviewBusinessDays)}.</p>
${
  s.entries.length
    ? html`<div class="wrap"><table><caption class="muted">What needs a reviewer first</caption><thead><tr><th scope="col">Integration</th><th scope="col">Pull request</th><th scope="col">Partner</th><th scope="col">Waiting</th><th scope="col">State</th></tr></thead><tbody>
${s.entries.map((e) => row(e, s.reviewBusinessDays))}</tbody></table></div>`
    : html`<p>Nothing is waiting for review.</p>`
}`;
  }
  return page({ title: "Review queue", base: "../", section: "queue", body });
}
