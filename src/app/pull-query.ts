// One GraphQL query for what five REST reads gave (as DefinitelyTyped's mergebot reads a pull
// request): the pull request with its labels and requested reviewers, its timeline, the files it
// changes and the check runs on its head. The answer is turned into the snapshot's shapes (the
// REST fields the App reads), so derive.ts does not care how it was read. Pages beyond the first
// (a timeline of more than 100 items, more than 100 files) are read with the same query's cursors.
import type { Gh } from "./github.js";
import type { SnapshotCheckRun, SnapshotFile, SnapshotPull, TimelineEntry } from "./snapshot.js";

const PAGE = 100;

const TIMELINE_ITEMS = `
  __typename
  ... on IssueComment { databaseId author { __typename login } body createdAt updatedAt }
  ... on LabeledEvent { actor { __typename login } label { name } createdAt }
  ... on UnlabeledEvent { actor { __typename login } label { name } createdAt }
  ... on PullRequestReview { author { __typename login } state submittedAt createdAt }
  ... on ReadyForReviewEvent { createdAt }
  ... on ConvertToDraftEvent { createdAt }
  ... on HeadRefForcePushedEvent { createdAt }`;

const TIMELINE_TYPES =
  "[ISSUE_COMMENT, LABELED_EVENT, UNLABELED_EVENT, PULL_REQUEST_REVIEW, READY_FOR_REVIEW_EVENT, CONVERT_TO_DRAFT_EVENT, HEAD_REF_FORCE_PUSHED_EVENT]";

export const PULL_QUERY = `query PullSnapshot($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      number url state merged isDraft createdAt
      author { __typename login }
      headRefOid
      headRepository { nameWithOwner }
      baseRefName
      baseRepository { defaultBranchRef { name } }
      labels(first: ${PAGE}) { nodes { name } }
      reviewRequests(first: ${PAGE}) { nodes { requestedReviewer { __typename ... on User { login } ... on Team { slug } } } }
      files(first: ${PAGE}) { totalCount pageInfo { hasNextPage } nodes { path changeType } }
      timelineItems(first: ${PAGE}, itemTypes: ${TIMELINE_TYPES}) { pageInfo { hasNextPage endCursor } nodes { ${TIMELINE_ITEMS} } }
      commits(last: 1) {
        nodes {
          commit {
            oid
            checkSuites(first: ${PAGE}) {
              nodes {
                app { slug }
                checkRuns(first: ${PAGE}, filterBy: { checkType: ALL }) {
                  nodes { databaseId name status conclusion startedAt completedAt permalink text }
                }
              }
            }
          }
        }
      }
    }
  }
}`;

export const TIMELINE_PAGE_QUERY = `query TimelinePage($owner: String!, $repo: String!, $number: Int!, $after: String!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      timelineItems(first: ${PAGE}, after: $after, itemTypes: ${TIMELINE_TYPES}) { pageInfo { hasNextPage endCursor } nodes { ${TIMELINE_ITEMS} } }
    }
  }
}`;

// The answer's shape: GitHub's GraphQL schema, narrowed to the fields queried.
interface Login {
  __typename: string;
  login: string;
}
interface TimelineNode {
  __typename: string;
  databaseId?: number | null;
  author?: Login | null;
  actor?: Login | null;
  body?: string;
  label?: { name: string };
  state?: string;
  createdAt?: string;
  updatedAt?: string;
  submittedAt?: string | null;
}
interface Timeline {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (TimelineNode | null)[] | null;
}
interface CheckRunNode {
  databaseId: number | null;
  name: string;
  status: string;
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  permalink: string;
  text: string | null;
}
export interface PullQueryAnswer {
  repository: {
    pullRequest: {
      number: number;
      url: string;
      state: "OPEN" | "CLOSED" | "MERGED";
      merged: boolean;
      isDraft: boolean;
      createdAt: string;
      author: Login | null;
      headRefOid: string;
      headRepository: { nameWithOwner: string } | null;
      baseRefName: string;
      baseRepository: { defaultBranchRef: { name: string } | null } | null;
      labels: { nodes: ({ name: string } | null)[] | null } | null;
      reviewRequests: {
        nodes: ({ requestedReviewer: { __typename: string; login?: string; slug?: string } | null } | null)[] | null;
      } | null;
      files: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean };
        nodes: ({ path: string; changeType: string } | null)[] | null;
      } | null;
      timelineItems: Timeline;
      commits: {
        nodes:
          | ({
              commit: {
                oid: string;
                checkSuites: {
                  nodes:
                    | ({
                        app: { slug: string } | null;
                        checkRuns: { nodes: (CheckRunNode | null)[] | null } | null;
                      } | null)[]
                    | null;
                } | null;
              };
            } | null)[]
          | null;
      };
    } | null;
  } | null;
}

export interface PullRead {
  pull: SnapshotPull;
  timeline: TimelineEntry[];
  checkRuns: SnapshotCheckRun[];
  /** The changed files as GraphQL lists them (no patch, no previous name); undefined when REST must list them. */
  files?: SnapshotFile[];
}

/** The pull request, its timeline (every page), its changed files and the check runs on its head. */
export async function readPull(gh: Gh, owner: string, repo: string, number: number): Promise<PullRead | undefined> {
  const answer = await gh.graphql<PullQueryAnswer>(PULL_QUERY, { owner, repo, number });
  const p = answer.repository?.pullRequest;
  if (!p) return undefined;
  const nodes = [...(p.timelineItems.nodes ?? [])];
  for (let page = p.timelineItems.pageInfo; page.hasNextPage && page.endCursor; ) {
    const next = await gh.graphql<{ repository: { pullRequest: { timelineItems: Timeline } } }>(TIMELINE_PAGE_QUERY, {
      owner,
      repo,
      number,
      after: page.endCursor,
    });
    const items = next.repository.pullRequest.timelineItems;
    nodes.push(...(items.nodes ?? []));
    page = items.pageInfo;
  }
  const head = p.commits.nodes?.[0]?.commit;
  const pull: SnapshotPull = {
    number: p.number,
    html_url: p.url,
    state: p.state === "OPEN" ? "open" : "closed",
    created_at: p.createdAt,
    draft: p.isDraft,
    merged: p.merged,
    user: person(p.author),
    labels: (p.labels?.nodes ?? []).flatMap((l) => (l ? [{ name: l.name }] : [])),
    requested_reviewers: (p.reviewRequests?.nodes ?? []).flatMap((r) =>
      r?.requestedReviewer?.login ? [{ login: r.requestedReviewer.login }] : [],
    ),
    requested_teams: (p.reviewRequests?.nodes ?? []).flatMap((r) =>
      r?.requestedReviewer?.slug ? [{ slug: r.requestedReviewer.slug }] : [],
    ),
    head: {
      sha: head?.oid ?? p.headRefOid,
      repo: p.headRepository ? { full_name: p.headRepository.nameWithOwner } : null,
    },
    base: {
      ref: p.baseRefName,
      repo: {
        ...(p.baseRepository?.defaultBranchRef ? { default_branch: p.baseRepository.defaultBranchRef.name } : {}),
      },
    },
  };
  const checkRuns: SnapshotCheckRun[] = [];
  for (const suite of head?.checkSuites?.nodes ?? []) {
    for (const run of suite?.checkRuns?.nodes ?? []) {
      if (!run || run.databaseId === null) continue;
      checkRuns.push({
        id: run.databaseId,
        name: run.name,
        head_sha: head!.oid,
        status: run.status.toLowerCase() as SnapshotCheckRun["status"],
        conclusion: run.conclusion ? (run.conclusion.toLowerCase() as SnapshotCheckRun["conclusion"]) : null,
        started_at: run.startedAt,
        completed_at: run.completedAt,
        html_url: run.permalink,
        app: suite?.app ? { slug: suite.app.slug } : null,
        output: { text: run.text },
      });
    }
  }
  const files =
    p.files && !p.files.pageInfo.hasNextPage
      ? (p.files.nodes ?? []).flatMap((f) =>
          f ? [{ filename: f.path, status: CHANGE[f.changeType] ?? "modified" }] : [],
        )
      : undefined;
  return { pull, timeline: nodes.flatMap((n) => (n ? [entryOf(n)] : [])), checkRuns, ...(files ? { files } : {}) };
}

const CHANGE: Record<string, SnapshotFile["status"]> = {
  ADDED: "added",
  DELETED: "removed",
  MODIFIED: "modified",
  RENAMED: "renamed",
  COPIED: "copied",
  CHANGED: "changed",
};

/** GraphQL names an App's bot `slug`; REST (and the App's own login) `slug[bot]`. */
function person(a: Login | null | undefined): { login: string; type: string } | null {
  if (!a) return null;
  const bot = a.__typename === "Bot";
  return {
    login: bot && !a.login.endsWith("[bot]") ? `${a.login}[bot]` : a.login,
    type: bot ? "Bot" : a.__typename === "Organization" ? "Organization" : "User",
  };
}

const EVENT: Record<string, string> = {
  IssueComment: "commented",
  LabeledEvent: "labeled",
  UnlabeledEvent: "unlabeled",
  PullRequestReview: "reviewed",
  ReadyForReviewEvent: "ready_for_review",
  ConvertToDraftEvent: "convert_to_draft",
  HeadRefForcePushedEvent: "head_ref_force_pushed",
};

function entryOf(n: TimelineNode): TimelineEntry {
  const out: TimelineEntry = { event: EVENT[n.__typename] ?? n.__typename };
  if (typeof n.databaseId === "number") out.id = n.databaseId;
  if (n.author !== undefined) out.user = person(n.author);
  if (n.actor !== undefined) out.actor = person(n.actor);
  if (n.createdAt) out.created_at = n.createdAt;
  if (n.updatedAt) out.updated_at = n.updatedAt;
  if (n.submittedAt) out.submitted_at = n.submittedAt;
  if (n.label) out.label = { name: n.label.name };
  if (n.state) out.state = n.state;
  if (out.event === "commented" && typeof n.body === "string" && n.body.includes("<!-- devcenter:")) out.body = n.body;
  return out;
}
