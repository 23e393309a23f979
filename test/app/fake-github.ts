// A stateful, in-memory GitHub for the App's tests and bench: the REST routes the App uses, with
// the shapes GitHub returns (trimmed), Link-header pagination, contents SHAs that conflict like
// GitHub's, and a log of every request. Tests reach it through nock (native fetch intercepted,
// real network disabled); the bench plugs it into Octokit's `request.fetch`.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type nockType from "nock";
import { validate as validateGraphql } from "@octokit/graphql-schema";

// nock is loaded only when a test intercepts: importing it patches Node's HTTP stack, and the bench
// (which plugs the fake into Octokit's fetch) shares its process with benches of real local HTTP.
const loadNock = () => createRequire(import.meta.url)("nock") as typeof nockType;

export const API = "https://api.github.com";

export interface Actor {
  login: string;
  type?: "User" | "Bot";
  id?: number;
}

export type FileSpec = string | { symlink: string } | { bytes: number };

export interface PullSpec {
  number: number;
  title?: string;
  user: Actor;
  state?: "open" | "closed";
  draft?: boolean;
  head: string; // sha
  headRef?: string;
  base?: string; // branch
  baseSha?: string;
  created_at: string;
  updated_at?: string;
  labels?: string[];
  requested_reviewers?: string[];
  files?: { filename: string; status?: string; patch?: string; previous_filename?: string }[];
}

export interface TimelineSpec {
  event: string;
  actor?: Actor;
  created_at: string;
  label?: string;
  state?: string;
  body?: string;
}

export interface CommentSpec {
  id?: number;
  issue: number;
  user: Actor;
  body: string;
  created_at: string;
  updated_at?: string;
}

export interface CheckRunSpec {
  id?: number;
  name: string;
  head_sha: string;
  status?: string;
  conclusion?: string | null;
  app: string;
  started_at?: string;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string };
}

export interface RepoSpec {
  owner: string;
  name: string;
  defaultBranch?: string;
  /** Commit SHA → files at that commit. */
  commits: Record<string, Record<string, FileSpec>>;
  /** Branch → commit SHA. */
  branches?: Record<string, string>;
  pulls?: PullSpec[];
  timeline?: Record<number, TimelineSpec[]>;
  comments?: CommentSpec[];
  checkRuns?: CheckRunSpec[];
  /** Contents API files on a branch (catalog repository, default-branch manifest). */
  contents?: Record<string, Record<string, string>>;
}

export interface WorldSpec {
  repos: RepoSpec[];
  /** org/team → active member logins. */
  teams?: Record<string, string[]>;
  installations?: { id: number; repos: string[] }[];
  /** The App's own identity. */
  app?: { slug: string };
  /** ISO time the fake stamps on writes (advanced by `tick`). */
  now?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: any;
  status: number;
}

interface Comment {
  id: number;
  issue: number;
  user: Required<Actor>;
  body: string;
  created_at: string;
  updated_at: string;
}

interface Repo {
  spec: RepoSpec;
  commits: Map<string, Map<string, FileSpec>>;
  pulls: Map<number, PullSpec>;
  timeline: Map<number, TimelineSpec[]>;
  contents: Map<string, Map<string, string>>;
}

const gitSha = (content: string | Buffer) => {
  const buf = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return createHash("sha1").update(`blob ${buf.length}\0`).update(buf).digest("hex");
};
const user = (a: Actor): Required<Actor> => ({
  login: a.login,
  type: a.type ?? (a.login.endsWith("[bot]") ? "Bot" : "User"),
  id: a.id ?? idOf(a.login),
});
const idOf = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 1_000_000;

/** A REST user as a GraphQL actor (a bot's login without "[bot]"). */
const gqlActor = (u: any) =>
  u
    ? {
        __typename: u.type === "Bot" ? "Bot" : "User",
        login: u.type === "Bot" ? String(u.login).replace(/\[bot\]$/, "") : u.login,
      }
    : null;

/** Timeline events the App queries, by their GraphQL type. */
const TIMELINE_TYPES: Record<string, string> = {
  commented: "IssueComment",
  labeled: "LabeledEvent",
  unlabeled: "UnlabeledEvent",
  reviewed: "PullRequestReview",
  ready_for_review: "ReadyForReviewEvent",
  convert_to_draft: "ConvertToDraftEvent",
  head_ref_force_pushed: "HeadRefForcePushedEvent",
};

export class FakeGitHub {
  readonly log: LoggedRequest[] = [];
  private repos = new Map<string, Repo>();
  private comments = new Map<number, Comment>();
  private checkRuns: (CheckRunSpec & { id: number; annotations: any[] })[] = [];
  private blobs = new Map<string, Buffer>();
  private commentRepo = new Map<number, string>();
  private nextId = 1000;
  now: string;
  /** Called before each request is answered (tests use it to change the world mid-flight). */
  beforeRequest?: (method: string, path: string) => void | Promise<void>;
  /** Forced failures: a predicate and the status to answer with, for N requests. */
  failures: {
    match: (method: string, path: string, body?: any) => boolean;
    status: number;
    times: number;
    headers?: Record<string, string>;
    message?: string;
  }[] = [];

  /** The App's slug, and the bot account it writes as. */
  private get appSlug(): string {
    return this.world.app?.slug ?? "devcenter";
  }
  private get bot(): Actor {
    return { login: `${this.appSlug}[bot]`, type: "Bot" };
  }

  constructor(readonly world: WorldSpec) {
    this.now = world.now ?? "2024-03-04T10:00:00.000Z";
    for (const r of world.repos) this.addRepo(r);
  }

  addRepo(r: RepoSpec): void {
    const repo: Repo = {
      spec: r,
      commits: new Map(Object.entries(r.commits).map(([sha, files]) => [sha, new Map(Object.entries(files))])),
      pulls: new Map((r.pulls ?? []).map((p) => [p.number, structuredClone(p)])),
      timeline: new Map(Object.entries(r.timeline ?? {}).map(([n, t]) => [Number(n), structuredClone(t)])),
      contents: new Map(Object.entries(r.contents ?? {}).map(([b, files]) => [b, new Map(Object.entries(files))])),
    };
    for (const files of repo.commits.values())
      for (const f of files.values()) if (typeof f === "string") this.blobs.set(gitSha(f), Buffer.from(f));
    this.repos.set(`${r.owner}/${r.name}`.toLowerCase(), repo);
    for (const c of r.comments ?? []) this.addComment(r.owner, r.name, c);
    for (const run of r.checkRuns ?? []) this.checkRuns.push({ ...run, id: run.id ?? this.nextId++, annotations: [] });
  }

  addComment(owner: string, name: string, c: CommentSpec): number {
    const id = c.id ?? this.nextId++;
    this.comments.set(id, {
      id,
      issue: c.issue,
      user: user(c.user),
      body: c.body,
      created_at: c.created_at,
      updated_at: c.updated_at ?? c.created_at,
    });
    this.commentRepo.set(id, `${owner}/${name}`.toLowerCase());
    return id;
  }

  addCheckRun(run: CheckRunSpec): number {
    const id = run.id ?? this.nextId++;
    this.checkRuns.push({ ...run, id, annotations: [] });
    return id;
  }

  tick(ms: number): void {
    this.now = new Date(Date.parse(this.now) + ms).toISOString();
  }

  repo(owner: string, name: string): Repo {
    const r = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!r) throw new Error(`no repo ${owner}/${name}`);
    return r;
  }

  pull(owner: string, name: string, number: number): PullSpec {
    return this.repo(owner, name).pulls.get(number)!;
  }

  commentsOn(owner: string, name: string, issue: number): Comment[] {
    const key = `${owner}/${name}`.toLowerCase();
    return [...this.comments.values()]
      .filter((c) => c.issue === issue && this.commentRepo.get(c.id) === key)
      .sort((a, b) => a.id - b.id);
  }

  runsOn(sha: string, name?: string) {
    return this.checkRuns.filter((r) => r.head_sha === sha && (!name || r.name === name));
  }

  contentsOf(owner: string, name: string, branch: string, path: string): string | undefined {
    return this.repo(owner, name).contents.get(branch)?.get(path);
  }

  /** Adds a label as `actor` would, with its timeline event. */
  label(owner: string, name: string, number: number, label: string, actor: Actor, at = this.now): void {
    const pr = this.pull(owner, name, number);
    pr.labels = [...new Set([...(pr.labels ?? []), label])];
    pr.updated_at = at;
    this.timelineOf(owner, name, number).push({ event: "labeled", actor, created_at: at, label });
  }

  timelineOf(owner: string, name: string, number: number): TimelineSpec[] {
    const r = this.repo(owner, name);
    if (!r.timeline.has(number)) r.timeline.set(number, []);
    return r.timeline.get(number)!;
  }

  /** A blob's bytes by SHA (what `GET …/git/blobs/{sha}` answers). */
  blob(sha: string): Buffer | undefined {
    return this.blobs.get(sha);
  }

  /** Requests that change something (a GraphQL query is a read: the App sends no mutation). */
  writes(): LoggedRequest[] {
    return this.log.filter((r) => !isRead(r));
  }

  reads(): LoggedRequest[] {
    return this.log.filter(isRead);
  }

  clearLog(): void {
    this.log.length = 0;
  }

  // ── HTTP ─────────────────────────────────────────────────────────────────────────────────

  async handle(
    method: string,
    url: string,
    body: any,
  ): Promise<{ status: number; body: any; headers: Record<string, string> }> {
    const u = new URL(url, API);
    const path = decodeURIComponent(u.pathname);
    const query = Object.fromEntries(u.searchParams);
    await this.beforeRequest?.(method, path);
    const entry: LoggedRequest = {
      method,
      path,
      query,
      ...(body !== undefined && body !== "" ? { body } : {}),
      status: 0,
    };
    this.log.push(entry);
    const failure = this.failures.find((f) => f.times > 0 && f.match(method, path, body));
    if (failure) {
      failure.times--;
      entry.status = failure.status;
      return {
        status: failure.status,
        body: { message: failure.message ?? "Server Error" },
        headers: { "content-type": "application/json", ...(failure.headers ?? {}) },
      };
    }
    let out: { status: number; body: any; headers?: Record<string, string> };
    try {
      out = this.route(method, path, query, body ?? {});
    } catch (error) {
      out = { status: 500, body: { message: (error as Error).message } };
    }
    entry.status = out.status;
    return {
      status: out.status,
      body: out.body,
      headers: { "content-type": "application/json; charset=utf-8", ...(out.headers ?? {}) },
    };
  }

  private page<T>(
    items: T[],
    query: Record<string, string>,
    path: string,
  ): { status: number; body: T[]; headers: Record<string, string> } {
    const per = Math.min(100, Number(query.per_page ?? 30));
    const page = Number(query.page ?? 1);
    const slice = items.slice((page - 1) * per, page * per);
    const headers: Record<string, string> = {};
    if (page * per < items.length) {
      const next = new URL(`${API}${path}`);
      for (const [k, v] of Object.entries(query)) next.searchParams.set(k, v);
      next.searchParams.set("page", String(page + 1));
      headers.link = `<${next.href}>; rel="next"`;
    }
    return { status: 200, body: slice, headers };
  }

  private pullJson(r: Repo, p: PullSpec) {
    const o = r.spec.owner;
    return {
      number: p.number,
      html_url: `https://github.com/${o}/${r.spec.name}/pull/${p.number}`,
      state: p.state ?? "open",
      draft: p.draft ?? false,
      merged: false,
      title: p.title ?? "Integration",
      user: user(p.user),
      created_at: p.created_at,
      updated_at: p.updated_at ?? p.created_at,
      labels: (p.labels ?? []).map((name) => ({ name })),
      requested_reviewers: (p.requested_reviewers ?? []).map((login) => user({ login })),
      requested_teams: [],
      head: { sha: p.head, ref: p.headRef ?? "feature", repo: { full_name: `${o}/${r.spec.name}` } },
      base: {
        ref: p.base ?? r.spec.defaultBranch ?? "main",
        sha: p.baseSha ?? "0".repeat(40),
        repo: { full_name: `${o}/${r.spec.name}`, default_branch: r.spec.defaultBranch ?? "main" },
      },
    };
  }

  private route(
    method: string,
    path: string,
    query: Record<string, string>,
    body: any,
  ): { status: number; body: any; headers?: Record<string, string> } {
    const notFound = { status: 404, body: { message: "Not Found" } };
    let m: RegExpExecArray | null;
    if (method === "GET" && path === "/app") return { status: 200, body: { slug: this.appSlug, id: 1 } };
    if (method === "GET" && path === "/app/installations")
      return this.page(
        (this.world.installations ?? []).map((i) => ({ id: i.id })),
        query,
        path,
      );
    if (method === "GET" && path === "/installation/repositories") {
      const repos = (this.world.installations ?? [])
        .flatMap((i) => i.repos)
        .map((full) => {
          const [owner, name] = full.split("/");
          return { name, owner: { login: owner }, full_name: full };
        });
      const paged = this.page(repos, query, path);
      return { ...paged, body: { total_count: repos.length, repositories: paged.body } };
    }
    if ((m = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/.exec(path)) && method === "GET") {
      const members = this.world.teams?.[`${m[1]}/${m[2]}`];
      if (!members) return notFound;
      return this.page(
        members.map((login) => ({ login })),
        query,
        path,
      );
    }
    if ((m = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(path)) && method === "GET") {
      const members = this.world.teams?.[`${m[1]}/${m[2]}`];
      if (!members) return notFound;
      return members.map((x) => x.toLowerCase()).includes(m[3]!.toLowerCase())
        ? { status: 200, body: { state: "active", role: "member" } }
        : notFound;
    }
    if (method === "POST" && path === "/graphql") return this.graphql(String(body.query ?? ""), body.variables ?? {});
    if (!(m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path))) return notFound;
    const r = this.repos.get(`${m[1]}/${m[2]}`.toLowerCase());
    if (!r) return notFound;
    return this.repoRoute(r, method, m[3] ?? "", path, query, body);
  }

  /** The REST routes under /repos/OWNER/NAME (`rest` is what follows). */
  private repoRoute(
    r: Repo,
    method: string,
    rest: string,
    path: string,
    query: Record<string, string>,
    body: any,
  ): { status: number; body: any; headers?: Record<string, string> } {
    const notFound = { status: 404, body: { message: "Not Found" } };
    let m: RegExpExecArray | null;
    const owner = r.spec.owner;
    const name = r.spec.name;
    if (method === "GET" && (m = /^\/pulls\/(\d+)$/.exec(rest))) {
      const p = r.pulls.get(Number(m[1]));
      return p ? { status: 200, body: this.pullJson(r, p) } : notFound;
    }
    if (method === "GET" && rest === "/pulls") {
      const open = [...r.pulls.values()]
        .filter((p) => (p.state ?? "open") === (query.state ?? "open"))
        .map((p) => this.pullJson(r, p));
      return this.page(open, query, path);
    }
    if (method === "GET" && (m = /^\/pulls\/(\d+)\/files$/.exec(rest))) {
      const p = r.pulls.get(Number(m[1]));
      if (!p) return notFound;
      return this.page(
        (p.files ?? []).map((f) => ({ status: "modified", ...f })),
        query,
        path,
      );
    }
    if (method === "GET" && (m = /^\/git\/trees\/([^/]+)$/.exec(rest))) return this.tree(r, m[1]!) ?? notFound;
    if (method === "GET" && (m = /^\/git\/blobs\/([0-9a-f]+)$/.exec(rest))) {
      const b = this.blobs.get(m[1]!);
      return b
        ? { status: 200, body: { sha: m[1], size: b.length, encoding: "base64", content: b.toString("base64") } }
        : notFound;
    }
    if (method === "GET" && (m = /^\/issues\/(\d+)\/timeline$/.exec(rest)))
      return this.page(this.timelineJson(r, Number(m[1])), query, path);
    if (method === "GET" && (m = /^\/commits\/([^/]+)\/check-runs$/.exec(rest)))
      return this.checkRunsOn(r, m[1]!, query, path);
    if (method === "GET" && (m = /^\/commits\/([^/]+)\/pulls$/.exec(rest))) {
      return {
        status: 200,
        body: [...r.pulls.values()].filter((p) => p.head === m![1]).map((p) => this.pullJson(r, p)),
      };
    }
    if (method === "POST" && rest === "/check-runs") {
      if (body.output?.annotations?.length > 50)
        return { status: 422, body: { message: "Only 50 annotations per request" } };
      if ((body.output?.summary ?? "").length > 65535 || (body.output?.text ?? "").length > 65535)
        return { status: 422, body: { message: "output too long" } };
      const run = {
        id: this.nextId++,
        name: body.name,
        head_sha: body.head_sha,
        status: body.status ?? "queued",
        conclusion: body.conclusion ?? null,
        app: this.appSlug,
        started_at: body.started_at ?? this.now,
        completed_at: this.now,
        output: body.output,
        annotations: [...(body.output?.annotations ?? [])],
      };
      this.checkRuns.push(run);
      return { status: 201, body: { id: run.id, name: run.name, head_sha: run.head_sha } };
    }
    if (method === "PATCH" && (m = /^\/check-runs\/(\d+)$/.exec(rest))) {
      const run = this.checkRuns.find((x) => x.id === Number(m![1]));
      if (!run) return notFound;
      if (body.output?.annotations?.length > 50)
        return { status: 422, body: { message: "Only 50 annotations per request" } };
      run.annotations.push(...(body.output?.annotations ?? []));
      return { status: 200, body: { id: run.id } };
    }
    if (method === "POST" && (m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      if ((body.body ?? "").length > 65536) return { status: 422, body: { message: "body is too long" } };
      const id = this.addComment(owner, name, {
        issue: Number(m[1]),
        user: this.bot,
        body: body.body,
        created_at: this.now,
      });
      return { status: 201, body: { id } };
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest))) {
      const c = this.comments.get(Number(m[1]));
      if (!c) return notFound;
      if (method === "PATCH") {
        c.body = body.body;
        c.updated_at = this.now;
        return { status: 200, body: { id: c.id } };
      }
      if (method === "DELETE") {
        this.comments.delete(c.id);
        return { status: 204, body: "" };
      }
    }
    if (method === "POST" && (m = /^\/issues\/(\d+)\/labels$/.exec(rest))) {
      const p = r.pulls.get(Number(m[1]));
      if (!p) return notFound;
      for (const l of body.labels as string[]) this.label(owner, name, p.number, l, this.bot);
      return { status: 200, body: (p.labels ?? []).map((n) => ({ name: n })) };
    }
    if (method === "DELETE" && (m = /^\/issues\/(\d+)\/labels\/(.+)$/.exec(rest))) {
      const p = r.pulls.get(Number(m[1]));
      if (!p || !(p.labels ?? []).includes(m[2]!)) return notFound;
      p.labels = p.labels!.filter((l) => l !== m![2]);
      this.timelineOf(owner, name, p.number).push({
        event: "unlabeled",
        actor: this.bot,
        created_at: this.now,
        label: m[2]!,
      });
      return { status: 200, body: [] };
    }
    if (method === "POST" && (m = /^\/pulls\/(\d+)\/requested_reviewers$/.exec(rest))) {
      const p = r.pulls.get(Number(m[1]));
      if (!p) return notFound;
      p.requested_reviewers = [...new Set([...(p.requested_reviewers ?? []), ...(body.reviewers ?? [])])];
      return { status: 201, body: this.pullJson(r, p) };
    }
    const data = this.gitData(r, method, rest, body);
    if (data) return data;
    if ((m = /^\/contents\/(.+)$/.exec(rest))) return this.contents(r, method, m[1]!, query, body) ?? notFound;
    return notFound;
  }

  /** GET /git/trees/SHA (recursive): the commit's files, with their folders. */
  private tree(r: Repo, sha: string): { status: number; body: any } | undefined {
    const files = r.commits.get(sha);
    if (!files) return undefined;
    const tree: any[] = [];
    const dirs = new Set<string>();
    for (const [p, f] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      for (let i = p.indexOf("/"); i >= 0; i = p.indexOf("/", i + 1)) dirs.add(p.slice(0, i));
      if (typeof f === "string")
        tree.push({ path: p, mode: "100644", type: "blob", sha: gitSha(f), size: Buffer.byteLength(f) });
      else if ("symlink" in f) {
        this.blobs.set(gitSha(f.symlink), Buffer.from(f.symlink));
        tree.push({ path: p, mode: "120000", type: "blob", sha: gitSha(f.symlink), size: f.symlink.length });
      } else
        tree.push({
          path: p,
          mode: "100644",
          type: "blob",
          sha: createHash("sha1").update(p).digest("hex"),
          size: f.bytes,
        });
    }
    for (const d of dirs)
      tree.push({ path: d, mode: "040000", type: "tree", sha: createHash("sha1").update(`tree:${d}`).digest("hex") });
    return {
      status: 200,
      body: { sha, truncated: false, tree: tree.sort((a, b) => a.path.localeCompare(b.path)) },
    };
  }

  /** The issue timeline of pull request `n`: its recorded events and its comments, oldest first. */
  private timelineJson(r: Repo, n: number): any[] {
    const events: any[] = (r.timeline.get(n) ?? []).map((e, i) => {
      const base: any = {
        event: e.event,
        created_at: e.created_at,
        actor: e.actor ? user(e.actor) : null,
        id: 1e8 + i,
      };
      if (e.label) base.label = { name: e.label, color: "ededed" };
      if (e.event === "reviewed")
        return {
          ...base,
          user: base.actor,
          state: e.state ?? "commented",
          submitted_at: e.created_at,
          body: e.body ?? "",
        };
      return base;
    });
    for (const c of this.commentsOn(r.spec.owner, r.spec.name, n)) {
      events.push({
        event: "commented",
        id: c.id,
        body: c.body,
        user: c.user,
        actor: c.user,
        created_at: c.created_at,
        updated_at: c.updated_at,
        author_association: "NONE",
      });
    }
    return events.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
  }

  /** GET /commits/SHA/check-runs, with GitHub's `filter`. */
  private checkRunsOn(r: Repo, sha: string, query: Record<string, string>, path: string) {
    // GitHub's default (`filter=latest`) lists only the newest run of each name (per app's
    // suite); `filter=all` lists every run.
    const all = this.checkRuns.filter((x) => x.head_sha === sha);
    const newest = new Map<string, number>();
    for (const x of all) newest.set(`${x.app}\0${x.name}`, Math.max(newest.get(`${x.app}\0${x.name}`) ?? 0, x.id));
    const runs = all
      .filter((x) => query.filter === "all" || newest.get(`${x.app}\0${x.name}`) === x.id)
      .map((x) => ({
        id: x.id,
        name: x.name,
        head_sha: x.head_sha,
        status: x.status ?? "completed",
        conclusion: x.conclusion ?? null,
        started_at: x.started_at,
        completed_at: x.completed_at,
        html_url: `https://github.com/${r.spec.owner}/${r.spec.name}/runs/${x.id}`,
        app: { slug: x.app },
        output: {
          title: x.output?.title ?? null,
          summary: x.output?.summary ?? null,
          text: x.output?.text ?? null,
          annotations_count: x.annotations.length,
        },
      }))
      .reverse();
    const paged = this.page(runs, query, path);
    return { ...paged, body: { total_count: runs.length, check_runs: paged.body } };
  }

  /** GET or PUT /contents/PATH on a branch (or a commit the Git Data routes handed out). */
  private contents(
    r: Repo,
    method: string,
    filePath: string,
    query: Record<string, string>,
    body: any,
  ): { status: number; body: any } | undefined {
    const branch = query.ref ?? body.branch ?? r.spec.defaultBranch ?? "main";
    // A ref may be a commit the Git Data routes handed out: its snapshot of the branch.
    const files = this.snapshots.get(branch)?.files ?? r.contents.get(branch) ?? new Map<string, string>();
    const file = files.get(filePath);
    if (method === "GET") {
      if (file === undefined) {
        const dir = `${filePath}/`;
        const listing = [...files.keys()].filter((k) => k.startsWith(dir) && !k.slice(dir.length).includes("/")).sort();
        if (listing.length)
          return {
            status: 200,
            body: listing.map((k) => ({
              type: "file",
              name: k.slice(dir.length),
              path: k,
              sha: gitSha(files.get(k)!),
            })),
          };
        return undefined;
      }
      // Over 1 MB GitHub leaves `content` empty (encoding "none"): the blob API gives the bytes.
      if (Buffer.byteLength(file) > LARGE_FILE) {
        this.blobs.set(gitSha(file), Buffer.from(file));
        return {
          status: 200,
          body: {
            type: "file",
            path: filePath,
            sha: gitSha(file),
            size: Buffer.byteLength(file),
            encoding: "none",
            content: "",
          },
        };
      }
      return {
        status: 200,
        body: {
          type: "file",
          path: filePath,
          sha: gitSha(file),
          encoding: "base64",
          content: Buffer.from(file).toString("base64"),
        },
      };
    }
    if (method === "PUT") {
      if (file !== undefined && !body.sha) return { status: 422, body: { message: '"sha" wasn\'t supplied.' } };
      if (file !== undefined && body.sha !== gitSha(file))
        return { status: 409, body: { message: `${filePath} does not match ${body.sha}` } };
      if (file === undefined && body.sha) return { status: 409, body: { message: "sha given for a new file" } };
      const text = Buffer.from(body.content, "base64").toString("utf8");
      files.set(filePath, text);
      r.contents.set(branch, files);
      return {
        status: file === undefined ? 201 : 200,
        body: {
          content: { sha: gitSha(text), path: filePath },
          commit: {
            sha: createHash("sha1")
              .update(text + body.message)
              .digest("hex"),
            message: body.message,
          },
        },
      };
    }
    return undefined;
  }

  // ── GraphQL: the App's queries, checked against GitHub's schema, answered from the same state ──

  private graphql(query: string, variables: Record<string, any>): { status: number; body: any } {
    const errors = validated.get(query) ?? validateGraphql(query);
    validated.set(query, errors);
    if (errors.length) return { status: 200, body: { errors: errors.map((e: Error) => ({ message: e.message })) } };
    const op = /^\s*query\s+(\w+)/.exec(query)?.[1];
    if (op === "PullSnapshot" || op === "TimelinePage") return this.pullQuery(op, query, variables);
    if (op === "Blobs") return this.blobsQuery(variables);
    if (op === "CatalogFiles") return this.catalogFiles(variables);
    return {
      status: 200,
      body: { errors: [{ message: `the fake GitHub does not answer the query ${op ?? "(unnamed)"}` }] },
    };
  }

  /** The PullSnapshot query (a pull request, its files, timeline and check runs) and TimelinePage. */
  private pullQuery(op: string, query: string, variables: Record<string, any>): { status: number; body: any } {
    const base = `/repos/${variables.owner}/${variables.repo}`;
    const pr = this.route("GET", `${base}/pulls/${variables.number}`, {}, {});
    if (pr.status !== 200) return { status: 200, body: { data: { repository: { pullRequest: null } } } };
    if (op === "TimelinePage")
      return {
        status: 200,
        body: {
          data: {
            repository: {
              pullRequest: { timelineItems: this.timelinePage(base, pr.body.number, Number(variables.after)) },
            },
          },
        },
      };
    const p = pr.body;
    const files = this.allPages(`${base}/pulls/${p.number}/files`);
    const CHANGE: Record<string, string> = {
      added: "ADDED",
      removed: "DELETED",
      modified: "MODIFIED",
      renamed: "RENAMED",
      copied: "COPIED",
      changed: "CHANGED",
    };
    const runs = this.allPages(
      `${base}/commits/${p.head.sha}/check-runs`,
      /checkType:\s*ALL/.test(query) ? { filter: "all" } : {},
    );
    const suites = new Map<string, any[]>();
    for (const run of runs) suites.set(run.app.slug, [...(suites.get(run.app.slug) ?? []), run]);
    const pullRequest = {
      number: p.number,
      url: p.html_url,
      state: p.merged ? "MERGED" : String(p.state).toUpperCase(),
      merged: p.merged,
      isDraft: p.draft,
      createdAt: p.created_at,
      author: gqlActor(p.user),
      headRefOid: p.head.sha,
      headRepository: { nameWithOwner: p.head.repo.full_name },
      baseRefName: p.base.ref,
      baseRepository: { defaultBranchRef: { name: p.base.repo.default_branch } },
      labels: { nodes: p.labels.map((l: any) => ({ name: l.name })) },
      reviewRequests: {
        nodes: p.requested_reviewers.map((u: any) => ({ requestedReviewer: { __typename: "User", login: u.login } })),
      },
      files: {
        totalCount: files.length,
        pageInfo: { hasNextPage: files.length > 100 },
        nodes: files.slice(0, 100).map((f) => ({ path: f.filename, changeType: CHANGE[f.status] ?? "MODIFIED" })),
      },
      timelineItems: this.timelinePage(base, p.number, 0),
      commits: {
        nodes: [
          {
            commit: {
              oid: p.head.sha,
              checkSuites: {
                nodes: [...suites].map(([slug, list]) => ({
                  app: { slug },
                  checkRuns: {
                    nodes: list.map((x) => ({
                      databaseId: x.id,
                      name: x.name,
                      status: String(x.status).toUpperCase(),
                      conclusion: x.conclusion ? String(x.conclusion).toUpperCase() : null,
                      startedAt: x.started_at ?? null,
                      completedAt: x.completed_at ?? null,
                      permalink: x.html_url,
                      text: x.output.text,
                    })),
                  },
                })),
              },
            },
          },
        ],
      },
    };
    return { status: 200, body: { data: { repository: { pullRequest } } } };
  }

  /** A page of 100 timeline items of pull request `number` after item `after`. */
  private timelinePage(base: string, number: number, after: number) {
    const items = this.allPages(`${base}/issues/${number}/timeline`).filter((e) => TIMELINE_TYPES[e.event]);
    const nodes = items.slice(after, after + 100).map((e) => {
      const n: any = { __typename: TIMELINE_TYPES[e.event], createdAt: e.created_at };
      if (e.event === "commented")
        Object.assign(n, { databaseId: e.id, author: gqlActor(e.user), body: e.body, updatedAt: e.updated_at });
      else if (e.event === "reviewed")
        Object.assign(n, {
          author: gqlActor(e.user),
          state: String(e.state).toUpperCase(),
          submittedAt: e.submitted_at,
        });
      else if (e.label) Object.assign(n, { actor: gqlActor(e.actor), label: { name: e.label.name } });
      return n;
    });
    const end = after + nodes.length;
    return { pageInfo: { hasNextPage: end < items.length, endCursor: String(end) }, nodes };
  }

  /** Every page of a REST list (GraphQL answers are built from the same state). */
  private allPages(path: string, extra: Record<string, string> = {}): any[] {
    const out: any[] = [];
    for (let page = 1; ; page++) {
      const r = this.route("GET", path, { per_page: "100", page: String(page), ...extra }, {});
      if (r.status !== 200) return out;
      const items = Array.isArray(r.body) ? r.body : r.body.check_runs;
      out.push(...items);
      if (!r.headers?.link) return out;
    }
  }

  /** The Blobs query: aliases o1, o2, … name blob SHAs. */
  private blobsQuery(variables: Record<string, any>): { status: number; body: any } {
    const repository: Record<string, any> = {};
    for (const [name, oid] of Object.entries(variables)) {
      const alias = /^o(\d+)$/.exec(name);
      if (!alias) continue;
      const b = this.blobs.get(String(oid));
      if (!b) {
        repository[`b${alias[1]}`] = null;
        continue;
      }
      const text = new TextDecoder("utf-8", { fatal: false }).decode(b);
      const binary = b.includes(0);
      repository[`b${alias[1]}`] = { oid, isBinary: binary, isTruncated: false, text: binary ? null : text };
    }
    return { status: 200, body: { data: { repository } } };
  }

  /** The CatalogFiles query: aliases f1, f2, … name `<ref>:<path>` expressions. */
  private catalogFiles(variables: Record<string, any>): { status: number; body: any } {
    // `<ref>:<path>` on a contents branch (HEAD: the default branch): a Blob, a Tree for a folder, null when absent.
    const r = this.repos.get(`${variables.owner}/${variables.repo}`.toLowerCase());
    if (!r)
      return {
        status: 200,
        body: {
          data: { repository: null },
          errors: [
            {
              type: "NOT_FOUND",
              path: ["repository"],
              message: `Could not resolve to a Repository with the name '${variables.owner}/${variables.repo}'.`,
            },
          ],
        },
      };
    const repository: Record<string, any> = {};
    for (const [name, expression] of Object.entries(variables)) {
      if (!/^f\d+$/.test(name)) continue;
      const [ref, path] = String(expression).split(/:(.*)/s) as [string, string];
      const branch = ref === "HEAD" ? (r.spec.defaultBranch ?? "main") : ref;
      const files = this.snapshots.get(branch)?.files ?? r.contents.get(branch) ?? new Map<string, string>();
      const file = files.get(path);
      if (file === undefined)
        repository[name] = [...files.keys()].some((k) => k.startsWith(`${path}/`)) ? { __typename: "Tree" } : null;
      else if (Buffer.byteLength(file) > LARGE_FILE)
        repository[name] = {
          __typename: "Blob",
          oid: gitSha(file),
          isBinary: false,
          isTruncated: true,
          text: file.slice(0, LARGE_FILE),
        };
      else
        repository[name] = {
          __typename: "Blob",
          oid: gitSha(file),
          isBinary: file.includes("\0"),
          isTruncated: false,
          text: file.includes("\0") ? null : file,
        };
    }
    return { status: 200, body: { data: { repository } } };
  }

  // ── Git Data API, on top of the contents branches ──────────────────────────────────────────
  // A branch's head is the hash of its files, so a direct change to `contents` (a test's race)
  // moves it like a push would; commits, trees and blobs made through the API are kept here.
  private snapshots = new Map<
    string,
    { files: Map<string, string>; parent?: string; message?: string; tree?: string }
  >();
  private trees = new Map<string, Map<string, string>>();

  headOf(r: Repo, branch: string): string | undefined {
    const files = r.contents.get(branch);
    if (!files) return undefined;
    const sha = createHash("sha1")
      .update(`${branch}\0${JSON.stringify([...files].sort(([a], [b]) => a.localeCompare(b)))}`)
      .digest("hex");
    if (!this.snapshots.has(sha)) this.snapshots.set(sha, { files: new Map(files) });
    return sha;
  }

  private gitData(r: Repo, method: string, rest: string, body: any): { status: number; body: any } | undefined {
    let m: RegExpExecArray | null;
    const unprocessable = (message: string) => ({ status: 422, body: { message } });
    if (method === "GET" && rest === "")
      return {
        status: 200,
        body: { full_name: `${r.spec.owner}/${r.spec.name}`, default_branch: r.spec.defaultBranch ?? "main" },
      };
    if (method === "GET" && (m = /^\/git\/ref\/heads\/(.+)$/.exec(rest))) {
      const head = this.headOf(r, m[1]!);
      return head
        ? { status: 200, body: { ref: `refs/heads/${m[1]}`, object: { type: "commit", sha: head } } }
        : { status: 404, body: { message: "Not Found" } };
    }
    if (method === "GET" && (m = /^\/git\/commits\/([0-9a-f]{40})$/.exec(rest))) {
      const c = this.snapshots.get(m[1]!);
      if (!c) return { status: 404, body: { message: "Not Found" } };
      const tree = c.tree ?? createHash("sha1").update(`tree\0${m[1]}`).digest("hex");
      if (!this.trees.has(tree)) this.trees.set(tree, c.files);
      return { status: 200, body: { sha: m[1], tree: { sha: tree }, parents: c.parent ? [{ sha: c.parent }] : [] } };
    }
    if (method === "POST" && rest === "/git/blobs") {
      const bytes = Buffer.from(body.content, body.encoding === "base64" ? "base64" : "utf8");
      const sha = gitSha(bytes);
      this.blobs.set(sha, bytes);
      return { status: 201, body: { sha } };
    }
    if (method === "POST" && rest === "/git/trees") {
      const base = this.trees.get(body.base_tree);
      if (!base) return unprocessable("base_tree is not a tree");
      const files = new Map(base);
      for (const e of body.tree as { path: string; sha: string | null }[]) {
        if (e.sha === null) {
          if (!files.has(e.path)) return unprocessable(`GitRPC::BadObjectState: ${e.path} is not in the tree`);
          files.delete(e.path);
        } else {
          const b = this.blobs.get(e.sha);
          if (!b) return unprocessable(`blob ${e.sha} not found`);
          files.set(e.path, b.toString("utf8"));
        }
      }
      const sha = createHash("sha1")
        .update(`tree\0${JSON.stringify([...files].sort(([a], [b]) => a.localeCompare(b)))}`)
        .digest("hex");
      this.trees.set(sha, files);
      return { status: 201, body: { sha } };
    }
    if (method === "POST" && rest === "/git/commits") {
      const files = this.trees.get(body.tree);
      if (!files) return unprocessable("tree not found");
      const sha = createHash("sha1")
        .update(`commit\0${body.tree}\0${(body.parents ?? []).join(",")}\0${body.message}`)
        .digest("hex");
      this.snapshots.set(sha, { files, parent: body.parents?.[0], message: body.message, tree: body.tree });
      return { status: 201, body: { sha, message: body.message } };
    }
    if (method === "PATCH" && (m = /^\/git\/refs\/heads\/(.+)$/.exec(rest))) {
      const c = this.snapshots.get(body.sha);
      const head = this.headOf(r, m[1]!);
      if (!c || !head) return unprocessable("Reference does not exist");
      if (!body.force && c.parent !== head) return unprocessable("Update is not a fast forward");
      r.contents.set(m[1]!, new Map(c.files));
      return { status: 200, body: { ref: `refs/heads/${m[1]}`, object: { type: "commit", sha: body.sha } } };
    }
    return undefined;
  }

  /** Commits made on `owner/name` through the Git Data API, oldest first (their messages). */
  commitMessages(): string[] {
    return [...this.snapshots.values()].filter((c) => c.message !== undefined).map((c) => c.message!);
  }

  // ── Adapters ─────────────────────────────────────────────────────────────────────────────

  /** Serves the API through nock (call nock.disableNetConnect() in the test). */
  intercept(): nockType.Scope {
    const nock = loadNock();
    const scope = nock(API).persist();
    const fake = this;
    for (const method of ["get", "post", "patch", "put", "delete"] as const) {
      scope
        .intercept(() => true, method.toUpperCase())
        .reply(async function (uri, body) {
          const parsed = typeof body === "string" && body ? safeJson(body) : body;
          const out = await fake.handle(method.toUpperCase(), uri, parsed);
          return [out.status, out.body === "" ? undefined : out.body, out.headers];
        });
    }
    return scope;
  }

  /** A fetch for Octokit's `request.fetch` (bench: no nock overhead). */
  fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? "GET").toUpperCase();
    const body = typeof init?.body === "string" && init.body ? safeJson(init.body) : undefined;
    const out = await this.handle(method, url, body);
    const payload = out.status === 204 || out.body === "" ? null : JSON.stringify(out.body);
    const response = new Response(payload, { status: out.status, headers: out.headers });
    // Octokit's paginator reads `response.url` (a constructed Response has none).
    Object.defineProperty(response, "url", { value: url });
    return response;
  };
}

/** Validation against GitHub's schema, once per query text (the App sends the same few). */
const validated = new Map<string, readonly Error[]>();

/** Above this size the fake answers as GitHub does for large files: contents without `content`, GraphQL text truncated. */
const LARGE_FILE = 1024 * 1024;

export const isRead = (r: Pick<LoggedRequest, "method" | "path">): boolean =>
  r.method === "GET" || (r.method === "POST" && r.path === "/graphql");

function safeJson(s: string): any {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export { gitSha };
