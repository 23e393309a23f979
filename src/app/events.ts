// Webhook payload → which pull request(s) to converge, and the little the payload alone can say
// (who labeled, who edited which comment, which command). Everything else is read by derive.
import { CHECK_NAMES, MARKERS } from "../core/vocabulary.js";
import { iso } from "./derive.js";
import type { Actor, Command, Target, Trigger } from "./types.js";

type Loose = Record<string, any>;

export const PULL_REQUEST_ACTIONS = [
  "opened",
  "synchronize",
  "reopened",
  "ready_for_review",
  "converted_to_draft",
  "edited",
  "labeled",
  "unlabeled",
] as const;

export interface EventTargets {
  targets: Target[];
  /** The head SHA the payload names, to surface a failure on before derive knows better. */
  headHint?: string;
  /** For check events without pull request numbers: the SHA to look pull requests up by. */
  lookupSha?: string;
  /** Why the event is ignored, when it is. */
  ignored?: string;
}

const COMMAND_ASSOCIATIONS = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);

const actor = (u: Loose | undefined): Actor => ({ login: u?.login ?? "ghost", type: u?.type ?? "User" });

/** The `/devcenter …` commands in a comment, one per line, in order, without repeats. */
export function parseCommands(body: string | undefined): Command[] {
  if (!body) return [];
  const found = [...body.matchAll(/^[ \t]*\/devcenter[ \t]+(recheck|help)\b/gim)].map(
    (m) => m[1]!.toLowerCase() as Command,
  );
  return [...new Set(found)];
}

/** Which pull requests an event concerns. `self` is the App's own login (its edits are ignored). */
export function targetsOf(name: string, payload: Loose, self?: string): EventTargets {
  const owner: string = payload.repository?.owner?.login;
  const repo: string = payload.repository?.name;
  const sender = actor(payload.sender);
  const isSelf = sender.type === "Bot" && (!self || sender.login.toLowerCase() === self.toLowerCase());
  const one = (number: number, trigger: Trigger, force = false): Target => ({
    owner,
    repo,
    number,
    trigger,
    ...(force ? { force } : {}),
  });
  switch (name) {
    case "pull_request": {
      const pr = payload.pull_request;
      if (!(PULL_REQUEST_ACTIONS as readonly string[]).includes(payload.action))
        return { targets: [], ignored: `pull_request.${payload.action}` };
      if (isSelf && (payload.action === "labeled" || payload.action === "unlabeled"))
        return { targets: [], ignored: "the App's own label change" };
      const trigger: Trigger = { kind: "pull_request", action: payload.action, sender };
      if (payload.label?.name) trigger.label = payload.label.name;
      if (pr.head?.sha) trigger.headSha = pr.head.sha;
      const at = iso(pr.updated_at);
      if (at) trigger.at = at;
      return { targets: [{ ...one(pr.number, trigger), pull: pr }], headHint: pr.head?.sha };
    }
    case "pull_request_review":
      return {
        targets: [one(payload.pull_request.number, { kind: "review", action: payload.action, sender })],
        headHint: payload.pull_request.head?.sha,
      };
    case "issue_comment": {
      if (!payload.issue?.pull_request) return { targets: [], ignored: "a comment on an issue" };
      if (isSelf || sender.type === "Bot") return { targets: [], ignored: "a comment by a bot" };
      const c = payload.comment;
      const trigger: Trigger = {
        kind: "comment",
        action: payload.action,
        sender,
        commentId: c.id,
        body: c.body ?? "",
        at: iso(c.updated_at ?? c.created_at)!,
      };
      if (payload.action === "edited") {
        const from: string | undefined = payload.changes?.body?.from;
        // Only edits of the checklist comment matter (ticks); other edits change nothing.
        if (!(c.body ?? "").includes(MARKERS.checklist) && !(from ?? "").includes(MARKERS.checklist))
          return { targets: [], ignored: "an edit of another comment" };
        if (from !== undefined) trigger.from = from;
        return { targets: [one(payload.issue.number, trigger)] };
      }
      if (payload.action === "deleted") {
        // The checklist comment was deleted: its body (in the signed payload) carries the record of
        // reviewer ticks, so the comment is posted again with them. Only the App's own comment counts.
        const author = actor(c.user);
        const own = author.type === "Bot" && (!self || author.login.toLowerCase() === self.toLowerCase());
        if (!own || !(c.body ?? "").includes(MARKERS.checklist))
          return { targets: [], ignored: "a deleted comment that is not the checklist" };
        return { targets: [one(payload.issue.number, { ...trigger, body: "", from: c.body })] };
      }
      if (payload.action !== "created") return { targets: [], ignored: `issue_comment.${payload.action}` };
      const commands = parseCommands(c.body);
      // Commands come from the people of the pull request: its author and those with write access
      // (reviewers outside the repository are recognised in decide). A drive-by `/devcenter recheck`
      // is an ordinary re-review, not a forced rewrite of the check run.
      const allowed =
        COMMAND_ASSOCIATIONS.has(String(c.author_association ?? "")) ||
        sender.login.toLowerCase() === String(payload.issue.user?.login ?? "").toLowerCase();
      if (commands.length) {
        trigger.commands = commands;
        trigger.commandsAllowed = allowed;
      }
      return { targets: [one(payload.issue.number, trigger, allowed && commands.includes("recheck"))] };
    }
    case "check_suite":
    case "check_run": {
      const item = name === "check_suite" ? payload.check_suite : payload.check_run;
      const sha: string = item.head_sha;
      const trigger: Trigger = { kind: "check", action: payload.action, sender, sha };
      let force: boolean;
      if (payload.action === "rerequested") {
        if (name === "check_run" && item.name !== CHECK_NAMES.review)
          return { targets: [], ignored: `re-run of ${item.name}` };
        // Apps with checks permission also hear of re-runs of other apps' suites (a partner's
        // "Re-run all jobs" in GitHub Actions): only a re-run of the App's own check means "review again".
        const slug: string | undefined = item.app?.slug;
        const own = self?.replace(/\[bot\]$/, "");
        if (slug && own && slug.toLowerCase() !== own.toLowerCase())
          return { targets: [], ignored: `re-run of ${slug}'s ${name}` };
        force = true;
      } else if (name === "check_run" && payload.action === "completed" && item.name === CHECK_NAMES.replay) {
        force = false; // The Action's replay results arrived: refresh the comment.
      } else return { targets: [], ignored: `${name}.${payload.action}` };
      const numbers: number[] = (item.pull_requests ?? []).map((p: Loose) => p.number);
      return {
        targets: numbers.map((n) => one(n, trigger, force)),
        headHint: sha,
        ...(numbers.length === 0 ? { lookupSha: sha } : {}),
      };
    }
  }
  return { targets: [], ignored: name };
}
