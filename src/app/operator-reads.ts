// What one event reads from the operator's catalog repository: policy.yml and the catalog record of
// each slug in scope, in one GraphQL query (catalog-query.ts) for whatever the caches cannot
// answer. The policy is cached five minutes (policy.ts), a record a minute (promotions and
// rechecks read both fresh). Each file keeps the failure behaviour of its REST read: a policy that
// cannot be reached keeps the last good read or fails the run; a record that cannot be read is an
// error read the checklist shows; a file GraphQL cannot give exactly, or a query GitHub refuses as
// a whole, is read by REST (catalog.ts, policy.ts) as before.
import { POLICY_FILE } from "../core/policy.js";
import { isValidSlug, legacyRecordPath, recordPath } from "../catalog/record.js";
import { approvedFilePaths, readCatalog, recordOfAnswers, type CatalogConfig, type CatalogRead } from "./catalog.js";
import { isQueryRefusal, queryCatalogFiles, type FileAnswer } from "./catalog-query.js";
import type { Clock } from "./clock.js";
import type { AppConfig } from "./config.js";
import { statusOf, type Gh } from "./github.js";
import {
  cachedPolicy,
  operatorPolicy,
  policyOfAnswer,
  readOperatorPolicy,
  type OperatorPolicy,
  type PolicyCache,
  type PolicyDeps,
} from "./policy.js";

export type CatalogCache = Map<string, { at: number; read: CatalogRead }>;

export interface OperatorReadDeps {
  operator: () => Promise<Gh>;
  config: AppConfig;
  clock: Clock;
  /** Catalog reads for display may be this old; promotions always read fresh. */
  catalogCache?: CatalogCache;
  catalogTtlMs?: number;
  policyCache?: PolicyCache;
  log?: (message: string) => void;
}

/** How the one query ended: the files, or where it failed (getting the installation, or the call). */
type QueryOutcome =
  | { ok: true; files: Map<string, FileAnswer> }
  | { ok: false; at: "installation" | "query"; error: unknown };

/** The operator's policy and the catalog records of `slugs`; `fresh` skips both caches. */
export async function readOperatorFiles(
  deps: OperatorReadDeps,
  slugs: readonly string[],
  fresh: boolean,
): Promise<{ policy: OperatorPolicy; catalogs: Record<string, CatalogRead> }> {
  const catalog = deps.config.catalog;
  const nowMs = deps.clock().getTime();
  const policyDeps: PolicyDeps = {
    operator: deps.operator,
    catalog,
    cache: deps.policyCache,
    nowMs,
    ...(deps.log ? { log: deps.log } : {}),
  };
  const policyHit = cachedPolicy(policyDeps, fresh);
  const recordHits = new Map(
    slugs.map((slug) => [
      slug,
      catalog ? cachedRecord(deps, catalog, slug, nowMs, fresh) : { status: "unconfigured" as const },
    ]),
  );
  const toRead = catalog ? slugs.filter((slug) => !recordHits.get(slug) && isValidSlug(slug)) : [];
  // With each record, the approved files its folder may keep: the change check compares their content.
  const paths = [
    ...(policyHit ? [] : [POLICY_FILE]),
    ...toRead.flatMap((slug) => [
      recordPath(catalog!.path, slug),
      legacyRecordPath(catalog!.path, slug),
      ...approvedFilePaths(catalog!, slug),
    ]),
  ];
  // One call for every file; its outcome is settled here, so each reader interprets a failure (never an unhandled rejection).
  const query: Promise<QueryOutcome> | undefined =
    catalog && paths.length ? queryOnce(deps.operator, catalog, paths) : undefined;
  const [policy, ...reads] = await Promise.all([
    policyHit ?? operatorPolicy(policyDeps, fresh, () => policyFrom(deps.operator, catalog!, query!)),
    ...slugs.map(
      async (slug) =>
        recordHits.get(slug) ??
        remember(deps, catalog!, slug, nowMs, await recordFrom(deps.operator, catalog!, slug, query)),
    ),
  ]);
  return { policy, catalogs: Object.fromEntries(slugs.map((slug, i) => [slug, reads[i]!])) };
}

async function queryOnce(operator: () => Promise<Gh>, catalog: CatalogConfig, paths: string[]): Promise<QueryOutcome> {
  let gh: Gh;
  try {
    gh = await operator();
  } catch (error) {
    return { ok: false, at: "installation", error };
  }
  try {
    return { ok: true, files: await queryCatalogFiles(gh, catalog, paths) };
  } catch (error) {
    return { ok: false, at: "query", error };
  }
}

/** policy.yml from the query; by REST when the query was refused or could not give it exactly. Throws when unreachable (operatorPolicy decides). */
async function policyFrom(
  operator: () => Promise<Gh>,
  catalog: CatalogConfig,
  query: Promise<QueryOutcome>,
): Promise<OperatorPolicy> {
  const outcome = await query;
  if (!outcome.ok && !(outcome.at === "query" && isQueryRefusal(outcome.error))) throw outcome.error;
  const answered = outcome.ok ? policyOfAnswer(catalog, outcome.files.get(POLICY_FILE)) : undefined;
  return answered ?? readOperatorPolicy(await operator(), catalog);
}

/** A record from the query; by REST when the query was refused or could not give it exactly; an error read when unreachable. */
async function recordFrom(
  operator: () => Promise<Gh>,
  catalog: CatalogConfig,
  slug: string,
  query: Promise<QueryOutcome> | undefined,
): Promise<CatalogRead> {
  const outcome = isValidSlug(slug) ? await query : undefined;
  if (outcome?.ok) {
    const answered = recordOfAnswers(catalog, slug, outcome.files);
    if (answered) return answered;
  } else if (outcome?.at === "query" && !isQueryRefusal(outcome.error)) {
    // What readCatalog says of a failed read of the record.
    return {
      status: "error",
      path: recordPath(catalog.path, slug),
      message: `the catalog repository could not be read (${statusOf(outcome.error) ?? (outcome.error as Error).message})`,
    };
  }
  try {
    // An invalid slug (never queried), a refused query, a file only REST reads exactly.
    return await readCatalog(await operator(), catalog, slug);
  } catch (error) {
    return {
      status: "error",
      path: slug,
      message: `the App could not reach the catalog repository (${(error as Error).message})`,
    };
  }
}

function cachedRecord(
  deps: OperatorReadDeps,
  catalog: CatalogConfig,
  slug: string,
  nowMs: number,
  fresh: boolean,
): CatalogRead | undefined {
  const cached = deps.catalogCache?.get(`${catalog.owner}/${catalog.repo}/${slug}`);
  return !fresh && cached && nowMs - cached.at < (deps.catalogTtlMs ?? 60_000) ? cached.read : undefined;
}

function remember(
  deps: OperatorReadDeps,
  catalog: CatalogConfig,
  slug: string,
  nowMs: number,
  read: CatalogRead,
): CatalogRead {
  if (deps.catalogCache && read.status !== "error") {
    if (deps.catalogCache.size > 5000) deps.catalogCache.clear();
    deps.catalogCache.set(`${catalog.owner}/${catalog.repo}/${slug}`, { at: nowMs, read });
  }
  return read;
}
