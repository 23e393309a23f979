// The operator's policy.yml, read from the root of the catalog repository (the operator's own
// installation, never a partner's repository), cached like the catalog reads. A file the operator
// broke leaves the built-in policy in force and says so (a warning on every check run, a log line);
// a file that cannot be reached right now keeps the last good read, or fails the run (so the App
// never grades against bars looser than the operator's just because GitHub blinked).
import { DEFAULT_POLICY, POLICY_FILE, type Policy } from "../core/policy.js";
import { formatLocation } from "../core/diagnostic.js";
import { decodeText } from "../core/text.js";
import { MAX_POLICY_BYTES, parsePolicy } from "../policy/parse.js";
import type { CatalogConfig } from "./catalog.js";
import type { FileAnswer } from "./catalog-query.js";
import { statusOf, type Gh } from "./github.js";

export interface OperatorPolicy {
  policy: Policy;
  /** Why the built-in policy applies instead of the operator's file (absent when the file is fine or absent). */
  problem?: string;
}

export type PolicyCache = Map<string, { at: number; read: OperatorPolicy }>;

export async function readOperatorPolicy(gh: Gh, catalog: CatalogConfig): Promise<OperatorPolicy> {
  let data: { type?: string; content?: unknown; size?: number } | unknown[];
  try {
    ({ data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: catalog.owner,
      repo: catalog.repo,
      path: POLICY_FILE,
      ...(catalog.branch ? { ref: catalog.branch } : {}),
    }));
  } catch (error) {
    if (statusOf(error) === 404) return { policy: DEFAULT_POLICY };
    throw error;
  }
  if (Array.isArray(data) || data.type !== "file" || typeof data.content !== "string")
    return unusable(catalog, "it is not a file.");
  return policyOfBytes(catalog, Buffer.from(data.content, "base64"));
}

/**
 * The policy from the catalog query's answer (catalog-query.ts); undefined when the file must be
 * read by REST: GraphQL could not give it exactly, or it does not parse (a symlink, which only the
 * contents API follows, reads as its target's path).
 */
export function policyOfAnswer(catalog: CatalogConfig, answer: FileAnswer | undefined): OperatorPolicy | undefined {
  if (answer?.kind === "absent") return { policy: DEFAULT_POLICY };
  if (answer?.kind === "not-a-file") return unusable(catalog, "it is not a file.");
  if (answer?.kind !== "text") return undefined;
  const read = policyOfBytes(catalog, new TextEncoder().encode(answer.text));
  return read.problem ? undefined : read;
}

const labelOf = (catalog: CatalogConfig) => `${catalog.owner}/${catalog.repo}/${POLICY_FILE}`;

function unusable(catalog: CatalogConfig, why: string): OperatorPolicy {
  const label = labelOf(catalog);
  return {
    policy: DEFAULT_POLICY,
    problem: `The operator's ${label} cannot be used, so the built-in policy applies: ${why}`,
  };
}

function policyOfBytes(catalog: CatalogConfig, bytes: Uint8Array): OperatorPolicy {
  const label = labelOf(catalog);
  if (bytes.length > MAX_POLICY_BYTES)
    return unusable(catalog, `it is ${bytes.length} bytes; a policy is a few lines.`);
  const text = decodeText(bytes, label);
  if (!text.ok) return unusable(catalog, text.message);
  const read = parsePolicy(text.text, label);
  if (read.ok) return { policy: read.policy };
  const [first, ...rest] = read.diagnostics;
  return unusable(
    catalog,
    `${formatLocation(first!)} ${first!.message.replace(`${label}: `, "")}${rest.length ? ` (and ${rest.length} more problem${rest.length === 1 ? "" : "s"})` : ""}`,
  );
}

/**
 * How long a read of policy.yml is used: one file for every pull request, changed rarely, so longer
 * than a catalog record's minute; a stage label in play or a recheck always reads it fresh.
 */
export const POLICY_TTL_MS = 5 * 60_000;

export interface PolicyDeps {
  operator: () => Promise<Gh>;
  catalog?: CatalogConfig;
  cache?: PolicyCache;
  ttlMs?: number;
  nowMs: number;
  log?: (m: string) => void;
}

const cacheKey = (catalog: CatalogConfig) => `${catalog.owner}/${catalog.repo}@${catalog.branch ?? ""}`;

/** The cached policy when it may be used without reading (not `fresh`, younger than the TTL). */
export function cachedPolicy(deps: PolicyDeps, fresh: boolean): OperatorPolicy | undefined {
  if (!deps.catalog) return { policy: DEFAULT_POLICY };
  const cached = deps.cache?.get(cacheKey(deps.catalog));
  return !fresh && cached && deps.nowMs - cached.at < (deps.ttlMs ?? POLICY_TTL_MS) ? cached.read : undefined;
}

/**
 * The policy to grade with: cached for `ttlMs` unless `fresh`; the last good read when the file
 * cannot be reached. `read` reads it (the snapshot passes its one catalog query; REST by default).
 */
export async function operatorPolicy(
  deps: PolicyDeps,
  fresh: boolean,
  read?: () => Promise<OperatorPolicy>,
): Promise<OperatorPolicy> {
  const catalog = deps.catalog;
  const hit = cachedPolicy(deps, fresh);
  if (hit || !catalog) return hit ?? { policy: DEFAULT_POLICY };
  const key = cacheKey(catalog);
  const cached = deps.cache?.get(key);
  let got: OperatorPolicy;
  try {
    got = await (read ?? (async () => readOperatorPolicy(await deps.operator(), catalog)))();
  } catch (error) {
    if (cached) return cached.read;
    throw new Error(
      `the App could not read the operator's ${POLICY_FILE} from ${catalog.owner}/${catalog.repo} (${statusOf(error) ?? (error as Error).message}), so it cannot tell which bars apply`,
    );
  }
  if (got.problem && got.problem !== cached?.read.problem) deps.log?.(got.problem);
  deps.cache?.set(key, { at: deps.nowMs, read: got });
  return got;
}
