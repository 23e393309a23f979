// The Octokit the App talks to GitHub with, and the retry policy it adds on top of Probot's.
//
// Probot's Octokit already throttles (and, with REDIS_URL, shares the limiter across replicas);
// its own handler gives up on secondary rate limits. This wrapper is the one retry policy: 5xx,
// network failures and secondary/abuse limits are retried with backoff (honouring `retry-after`),
// and the retry plugin is told to stand aside for each request so attempts do not multiply.
// Whatever still fails after the last attempt reaches the pipeline, which surfaces it on the
// check run.
import type { ProbotOctokit } from "probot";

export type Gh = InstanceType<typeof ProbotOctokit>;

export interface RetryPolicy {
  /** Total attempts per request, the first included. */
  attempts: number;
  /** First backoff in ms; doubles each attempt. */
  baseDelayMs: number;
  /** Longest single wait. */
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const WRAPPED = Symbol.for("devcenter.resilient");

interface HttpishError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** How long to wait before retrying after `error` on attempt `attempt` (1-based), or undefined: do not retry. */
export function retryDelay(
  error: unknown,
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
): number | undefined {
  const e = error as HttpishError;
  const status = e?.status;
  const headers = e?.response?.headers ?? {};
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const retryAfter = Number(headers["retry-after"]);
  const afterHeader =
    Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(policy.maxDelayMs, retryAfter * 1000) : undefined;
  if (status === undefined || status >= 500) return afterHeader ?? backoff;
  if (status === 429) return afterHeader ?? backoff;
  if (status === 403) {
    const text = `${e.message ?? ""} ${JSON.stringify(e.response?.data ?? "")}`;
    if (/secondary rate limit|abuse/i.test(text) || afterHeader !== undefined)
      return afterHeader ?? Math.max(backoff, Math.min(policy.maxDelayMs, 60_000));
  }
  return undefined;
}

/** Adds the retry policy to one Octokit instance (idempotent). Returns the same instance. */
export function withRetries(gh: Gh, policy: RetryPolicy = DEFAULT_RETRY): Gh {
  const marked = gh as Gh & { [WRAPPED]?: boolean };
  if (marked[WRAPPED]) return gh;
  marked[WRAPPED] = true;
  gh.hook.wrap("request", async (request, options) => {
    // The retry plugin reads `request.retries` per request; 0 makes it pass errors straight to us.
    options.request = { ...options.request, retries: 0 } as typeof options.request;
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(options);
      } catch (error) {
        const delay = attempt < policy.attempts ? retryDelay(error, attempt, policy) : undefined;
        if (delay === undefined) throw error;
        await policy.sleep(delay);
      }
    }
  });
  return gh;
}

/** The HTTP status of a failed request, if it was one. */
export function statusOf(error: unknown): number | undefined {
  const s = (error as HttpishError)?.status;
  return typeof s === "number" ? s : undefined;
}
