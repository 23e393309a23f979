// The little of GitHub the Action needs: which commit the run is about, and creating one check
// run through the REST API with the token it was given. Native fetch, no client library: one
// POST does not justify a bundled Octokit. The token is sent only in the Authorization header
// and never appears in a message.
import { readFile } from "node:fs/promises";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The commit a check run belongs to: the pull request's head (GITHUB_SHA is the merge commit on
 * `pull_request` events, which the pull request's page does not show), else GITHUB_SHA.
 */
export async function headSha(env: Env): Promise<string | undefined> {
  if (env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as {
        pull_request?: { head?: { sha?: unknown } };
      };
      const sha = event.pull_request?.head?.sha;
      if (typeof sha === "string" && /^[0-9a-f]{40}$/i.test(sha)) return sha;
    } catch {
      // No readable event: fall back to GITHUB_SHA.
    }
  }
  return env.GITHUB_SHA || undefined;
}

export interface CheckRunRequest {
  name: string;
  head_sha: string;
  status: "completed";
  conclusion: "success" | "failure" | "neutral";
  completed_at: string;
  details_url?: string;
  external_id?: string;
  output: { title: string; summary: string; text?: string };
}

export type CheckRunResult =
  | { ok: true; id?: number; url?: string }
  /** `forbidden`: the token may not write checks (403, or 404 for a token that cannot see the repository). */
  | { ok: false; reason: "forbidden" | "failed"; status?: number; detail: string };

/** The link to this workflow run, for the check run's "Details". */
export function runUrl(env: Env): string | undefined {
  const { GITHUB_SERVER_URL: server = "https://github.com", GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}

export async function createCheckRun(
  env: Env,
  token: string,
  body: CheckRunRequest,
  timeoutMs = 30_000,
): Promise<CheckRunResult> {
  const api = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const repo = env.GITHUB_REPOSITORY ?? "";
  let response: Response;
  try {
    response = await fetch(`${api}/repos/${repo}/check-runs`, {
      method: "POST",
      headers: {
        Accept: "application/vnd.github+json",
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        "User-Agent": "devcenter-action",
        "X-GitHub-Api-Version": "2022-11-28",
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return {
      ok: false,
      reason: "failed",
      detail:
        (err as Error).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : (err as Error).message,
    };
  }
  const text = await response.text().catch(() => "");
  if (response.ok) {
    try {
      const created = JSON.parse(text) as { id?: number; html_url?: string };
      return { ok: true, id: created.id, url: created.html_url };
    } catch {
      return { ok: true };
    }
  }
  let message = "";
  try {
    message = String((JSON.parse(text) as { message?: unknown }).message ?? "");
  } catch {
    message = text.slice(0, 200);
  }
  const detail = `HTTP ${response.status}${message ? `: ${message}` : ""}`;
  const forbidden = response.status === 403 || response.status === 404;
  return { ok: false, reason: forbidden ? "forbidden" : "failed", status: response.status, detail };
}
