// Who counts as a reviewer: the operator's list of logins and/or the active members of one team,
// looked up with the App's installation on the operator's organisation. Authorisation lookups
// (a stage label, a ticked box) are made fresh; a lookup that fails denies. Non-critical questions
// (did a reviewer respond to this submission?) may use a short-lived cache.
import type { AppConfig } from "./config.js";
import { statusOf, type Gh } from "./github.js";

export type ReviewerStatus = { reviewer: true } | { reviewer: false; error?: string };

export interface ReviewerDirectory {
  /** Who may apply stage labels and tick items, in words (no @-mentions). */
  describe(): string;
  /** The operator-configured reviewers as @-mentions, for pings. */
  mentions(): string[];
  isReviewer(login: string, options?: { fresh?: boolean }): Promise<ReviewerStatus>;
  /** Reviewers to request on a pull request in `owner`'s repository. */
  requestable(owner: string, author: string): { reviewers: string[]; teams: string[] };
}

export interface DirectoryOptions {
  operator: () => Promise<Gh>;
  now?: () => number;
  ttlMs?: number;
}

export function reviewerDirectory(config: AppConfig["reviewers"], options: DirectoryOptions): ReviewerDirectory {
  const logins = new Set(config.logins.map((l) => l.toLowerCase()));
  const team = config.team;
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 60_000;
  const cache = new Map<string, { at: number; status: ReviewerStatus }>();
  // The team's members in one paginated read, for the questions that may be a little stale (did a
  // reviewer respond?): however many people comment, that costs one call per minute, not one each.
  let roster: { at: number; members: Promise<Set<string> | undefined> } | undefined;
  const teamMembers = (): Promise<Set<string> | undefined> => {
    if (!team) return Promise.resolve(undefined);
    if (roster && now() - roster.at < ttl) return roster.members;
    const members = options
      .operator()
      .then((gh) =>
        gh.paginate("GET /orgs/{org}/teams/{team_slug}/members", {
          org: team.org,
          team_slug: team.slug,
          per_page: 100,
        }),
      )
      .then((list) => new Set((list as { login: string }[]).map((m) => m.login.toLowerCase())))
      .catch(() => undefined); // the per-login lookup below still answers
    roster = { at: now(), members };
    return members;
  };

  return {
    describe() {
      const parts: string[] = [];
      if (team) parts.push(`members of the ${team.org}/${team.slug} team`);
      if (logins.size) parts.push([...logins].sort().join(", "));
      return parts.length ? parts.join(" and ") : "nobody (the operator has not configured reviewers)";
    },
    mentions() {
      return [...(team ? [`@${team.org}/${team.slug}`] : []), ...[...logins].sort().map((l) => `@${l}`)];
    },
    requestable(owner, author) {
      return {
        reviewers: [...logins].filter((l) => l !== author.toLowerCase()).sort(),
        // A team can be requested only on a repository of its own organisation.
        teams: team && team.org.toLowerCase() === owner.toLowerCase() ? [team.slug] : [],
      };
    },
    async isReviewer(login, { fresh = false } = {}) {
      const key = login.toLowerCase();
      if (key.endsWith("[bot]")) return { reviewer: false };
      if (logins.has(key)) return { reviewer: true };
      if (!team) return { reviewer: false };
      if (!fresh) {
        const members = await teamMembers();
        if (members) return members.has(key) ? { reviewer: true } : { reviewer: false };
      }
      const hit = cache.get(key);
      if (!fresh && hit && now() - hit.at < ttl) return hit.status;
      let status: ReviewerStatus;
      try {
        const gh = await options.operator();
        const { data } = await gh.request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", {
          org: team.org,
          team_slug: team.slug,
          username: login,
        });
        status = data.state === "active" ? { reviewer: true } : { reviewer: false };
      } catch (error) {
        if (statusOf(error) === 404) status = { reviewer: false };
        else
          return { reviewer: false, error: `the reviewer team lookup failed (${statusOf(error) ?? "network error"})` };
      }
      if (cache.size > 1000) cache.clear();
      cache.set(key, { at: now(), status });
      return status;
    },
  };
}
