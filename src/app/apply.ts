// apply: the difference between what the pull request shows and what decide wants, as a list of
// mutations (a dry run stops there), then the writes, in an order that keeps every step safe to
// repeat: the check run for its own SHA first; then, only if the head has not moved meanwhile, the
// catalog and the manifest mirror, labels, reviewers, the live comment, duplicate deletions and
// notes. An event that changes nothing visible produces no mutation at all.
import { BOT_LABELS, CHECK_NAMES, MARKERS } from "../core/vocabulary.js";
import type { Gh } from "./github.js";
import type { Decision, DerivedState, Mutation, Note } from "./types.js";
import { recordFolder, recordWrites, type RecordFileKind } from "../catalog/record.js";
import { commitCatalog } from "./catalog.js";

const BOT_LABEL_SET = new Set<string>(Object.values(BOT_LABELS));
const NOTE_KEY = new RegExp(`<!-- ${MARKERS.note} (\\S+) -->`);
export const ANNOTATIONS_PER_REQUEST = 50;

export function plan(state: DerivedState, decision: Decision): Mutation[] {
  const out: Mutation[] = [];

  // 1. Check run on the head SHA: only when the result differs (or a re-run was asked for).
  //    It shows the stage after this event's promotions, so it follows them when there are any.
  const run = decision.checkRun;
  const checkRun: Mutation[] =
    state.force || !state.checkRun || state.checkRun.status !== "completed" || state.checkRun.digest !== run.digest
      ? [
          {
            kind: "check-run",
            headSha: run.headSha,
            name: CHECK_NAMES.review,
            conclusion: run.conclusion,
            title: run.title,
            summary: run.summary,
            text: run.text,
            annotations: run.annotations,
          },
        ]
      : [];
  if (decision.promotions.length === 0) out.push(...checkRun);

  // 2. Promotions: catalog record, then the manifest mirror.
  const catalogRepo = state.settings.catalog?.repo ?? "";
  // Written to the branch it is read from (DEVCENTER_CATALOG_BRANCH), or the blob SHA would not match.
  const catalogBranch = state.settings.catalog?.branch;
  for (const p of decision.promotions) {
    if (p.catalog) {
      // One commit: record.json and the approved files; the legacy file and files dropped since, removed.
      const base = state.settings.catalog?.path ?? "";
      const contents = Object.fromEntries(
        Object.entries(p.catalog.files).map(([k, b64]) => [k, new Uint8Array(Buffer.from(b64, "base64"))]),
      ) as Partial<Record<RecordFileKind, Uint8Array>>;
      const { writes, remove } = recordWrites(base, p.catalog.record, contents);
      out.push({
        kind: "catalog-write",
        commit: {
          repo: catalogRepo,
          ...(catalogBranch ? { branch: catalogBranch } : {}),
          folder: recordFolder(base, p.catalog.record.slug),
          read: p.catalog.read,
          files: writes.map((w) => ({ path: w.path, content: Buffer.from(w.bytes).toString("base64") })),
          remove,
          message: p.catalog.message,
        },
      });
    }
    if (p.mirror)
      out.push({
        kind: "manifest-mirror",
        repo: `${state.repo.owner}/${state.repo.name}`,
        path: p.mirror.path,
        sha: p.mirror.sha,
        content: p.mirror.content,
        message: p.mirror.message,
        branch: state.repo.defaultBranch,
      });
  }
  if (decision.promotions.length > 0) out.push(...checkRun);

  // 3. Labels: stage labels that must go (explanation first, so a failed removal is retried
  //    without a second note); bot labels to converge (the bot's namespace only).
  const ours = state.comments.filter((c) => c.ours);
  const byKey = new Map<string, number[]>();
  for (const c of [...ours].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id)) {
    const m = c.body?.match(NOTE_KEY);
    if (m) byKey.set(m[1]!, [...(byKey.get(m[1]!) ?? []), c.id]);
  }
  const posted = new Set<string>(byKey.keys());
  const note = (n: Note) => {
    const k = NOTE_KEY.exec(n.body)?.[1];
    if (!k || posted.has(k)) return;
    posted.add(k);
    out.push({ kind: "comment-create", body: n.body, purpose: `note ${k}` });
  };
  const present = new Set(state.pr.labels);
  for (const r of decision.removeLabels) {
    if (!present.has(r.label)) continue;
    note(r.note);
    out.push({ kind: "label-remove", label: r.label });
  }
  if (decision.botLabels !== "leave") {
    const want = new Set(decision.botLabels);
    const add = [...want].filter((l) => !present.has(l)).sort();
    if (add.length) out.push({ kind: "labels-add", labels: add });
    for (const l of [...present].filter((x) => BOT_LABEL_SET.has(x) && !want.has(x)).sort())
      out.push({ kind: "label-remove", label: l });
  }

  // 4. Reviewers, on submission.
  if (decision.requestReviewers) out.push({ kind: "reviewers-request", ...decision.requestReviewers });

  // 5. The live comment: edit only when the text differs; delete duplicates.
  const live = decision.liveCommentId === undefined ? undefined : ours.find((c) => c.id === decision.liveCommentId);
  if (!live) out.push({ kind: "comment-create", body: decision.comment.body, purpose: "checklist" });
  else if (live.body !== decision.comment.body)
    out.push({ kind: "comment-update", id: live.id, body: decision.comment.body });
  for (const c of ours) {
    if (live && c.id !== live.id && c.body?.includes(MARKERS.checklist))
      out.push({ kind: "comment-delete", id: c.id, reason: "duplicate checklist comment" });
  }

  // 6. Notes, each once (by key); later duplicates of a note are deleted.
  for (const ids of byKey.values())
    for (const id of ids.slice(1)) out.push({ kind: "comment-delete", id, reason: "duplicate note" });
  for (const n of decision.notes) note(n);
  return out;
}

export interface ExecuteDeps {
  gh: Gh;
  operator: () => Promise<Gh>;
  log?: (message: string) => void;
}

export interface ExecuteResult {
  applied: Mutation[];
  /** The pull request changed while this event was handled: its writes were not made. */
  stale: boolean;
  drift?: string;
}

/** How the pull request now differs from the one decided on, if it does. */
export function driftOf(state: DerivedState, pull: Record<string, any>): string | undefined {
  if (pull.head?.sha !== state.pr.headSha) return `head moved from ${state.pr.headSha} to ${pull.head?.sha}`;
  if (pull.state !== state.pr.state) return `pull request is now ${pull.state}`;
  if ((pull.draft === true) !== state.pr.draft) return "draft state changed";
  const labels = ((pull.labels ?? []) as { name: string }[]).map((l) => l.name).sort();
  if (labels.join("\n") !== state.pr.labels.join("\n")) return "labels changed";
  return undefined;
}

export async function execute(
  deps: ExecuteDeps,
  state: DerivedState,
  mutations: readonly Mutation[],
): Promise<ExecuteResult> {
  const { gh } = deps;
  const owner = state.repo.owner;
  const repo = state.repo.name;
  const applied: Mutation[] = [];
  const write = async (m: Mutation) => {
    if (await writeOne(deps, state, m)) applied.push(m);
  };
  // A result computed for an older head never overwrites a newer one: the pull request is re-read
  // before anything but the check run (which is for its own SHA) is written. The check run, when
  // it comes first, is written while that read is under way.
  const lead = mutations[0]?.kind === "check-run" ? mutations[0] : undefined;
  const rest = lead ? mutations.slice(1) : mutations;
  const guard = async (): Promise<string | undefined> => {
    if (rest.length === 0) return undefined;
    const { data: pull } = await gh.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      owner,
      repo,
      pull_number: state.pr.number,
    });
    return driftOf(state, pull as unknown as Record<string, any>);
  };
  const [drift] = await Promise.all([guard(), lead ? write(lead) : undefined]);
  if (drift) {
    deps.log?.(`${drift}: not writing to the pull request from this snapshot`);
    return { applied, stale: true, drift };
  }
  // Promotions first, in order (catalog record, manifest mirror, then the check run showing them);
  // then the independent lanes side by side, each in its own order: labels (a removal's
  // explanation before the removal), reviewers, comments (the checklist, its duplicates, notes).
  let i = 0;
  for (
    ;
    i < rest.length &&
    (rest[i]!.kind === "catalog-write" || rest[i]!.kind === "manifest-mirror" || rest[i]!.kind === "check-run");
    i++
  )
    await write(rest[i]!);
  const lanes = new Map<string, Mutation[]>();
  const after = rest.slice(i);
  after.forEach((m, k) => {
    const explains =
      m.kind === "comment-create" &&
      after[k + 1]?.kind === "label-remove" &&
      m.purpose.startsWith("note label-removed");
    const lane =
      m.kind.startsWith("label") || explains ? "labels" : m.kind === "reviewers-request" ? "reviewers" : "comments";
    lanes.set(lane, [...(lanes.get(lane) ?? []), m]);
  });
  await Promise.all(
    [...lanes.values()].map(async (lane) => {
      for (const m of lane) await write(m);
    }),
  );
  return { applied, stale: false };
}

/** Makes one write; false when it was refused and that is fine (the manifest mirror under branch protection). */
async function writeOne(deps: ExecuteDeps, state: DerivedState, m: Mutation): Promise<boolean> {
  const { gh } = deps;
  const owner = state.repo.owner;
  const repo = state.repo.name;
  const issue = { owner, repo, issue_number: state.pr.number };
  switch (m.kind) {
    case "check-run": {
      const first = m.annotations.slice(0, ANNOTATIONS_PER_REQUEST);
      const output = { title: m.title, summary: m.summary, text: m.text };
      const { data } = await gh.request("POST /repos/{owner}/{repo}/check-runs", {
        owner,
        repo,
        name: m.name,
        head_sha: m.headSha,
        status: "completed",
        conclusion: m.conclusion as "success" | "failure" | "neutral",
        output: { ...output, annotations: first },
      });
      for (let i = ANNOTATIONS_PER_REQUEST; i < m.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
        await gh.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
          owner,
          repo,
          check_run_id: data.id,
          output: { ...output, annotations: m.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST) },
        });
      }
      break;
    }
    case "catalog-write":
      await commitCatalog(await deps.operator(), m.commit);
      break;
    case "manifest-mirror":
      try {
        await gh.request("PUT /repos/{owner}/{repo}/contents/{path}", {
          owner,
          repo,
          path: m.path,
          message: m.message,
          content: Buffer.from(m.content, "utf8").toString("base64"),
          sha: m.sha,
          branch: m.branch,
        });
      } catch (error) {
        // The catalog is the record; the mirror is a courtesy that branch protection may refuse.
        const status = (error as { status?: number }).status;
        if (status === undefined || status >= 500) throw error;
        deps.log?.(`manifest mirror refused (${status}): ${(error as Error).message}`);
        return false;
      }
      break;
    case "label-remove":
      try {
        await gh.request("DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", {
          ...issue,
          name: m.label,
        });
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error;
      }
      break;
    case "labels-add":
      await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { ...issue, labels: m.labels });
      break;
    case "reviewers-request":
      try {
        await gh.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
          owner,
          repo,
          pull_number: state.pr.number,
          reviewers: m.reviewers,
          team_reviewers: m.teams,
        });
      } catch (error) {
        // Reviewers who are not collaborators cannot be requested; the label and the comment still say it is in review.
        if ((error as { status?: number }).status !== 422) throw error;
        deps.log?.(`reviewers could not be requested: ${(error as Error).message}`);
      }
      break;
    case "comment-create":
      await gh.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { ...issue, body: m.body });
      break;
    case "comment-update":
      await gh.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner,
        repo,
        comment_id: m.id,
        body: m.body,
      });
      break;
    case "comment-delete":
      try {
        await gh.request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", {
          owner,
          repo,
          comment_id: m.id,
        });
      } catch (error) {
        if ((error as { status?: number }).status !== 404) throw error;
      }
      break;
  }
  return true;
}
