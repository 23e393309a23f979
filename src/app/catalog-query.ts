// The catalog repository's files one event needs, in ONE GraphQL query through the operator's
// installation (the partner's installation cannot see the catalog repository, so this cannot ride
// on the pull request's query): policy.yml and, for each slug, both forms of its record (the
// folder's record.json and the legacy `<slug>.json`), each as `object(expression: "<ref>:<path>")`
// under an alias. Three REST reads, one after another for a legacy record, become one call.
// GraphQL answers a file as text and never follows a symlink: whatever it cannot give exactly as
// the contents API would (binary, truncated, text not matching its blob SHA) is marked for REST,
// and the callers read that file by REST, whose interpretation then says what is wrong, as before.
import { exactBlobBytes } from "./blob-prefetch.js";
import type { CatalogConfig } from "./catalog.js";
import type { Gh } from "./github.js";

/** One file as GraphQL saw it. */
export type FileAnswer =
  | { kind: "absent" }
  | { kind: "not-a-file" }
  | { kind: "text"; sha: string; text: string }
  | { kind: "rest" };

interface BlobNode {
  __typename: string;
  oid?: string;
  isBinary?: boolean | null;
  isTruncated?: boolean;
  text?: string | null;
}

/** The query for `paths` (one alias each, f0…fN, in order). */
export function catalogFilesQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$f${i}: String!`).join(", ");
  const fields = Array.from(
    { length: count },
    (_, i) => `f${i}: object(expression: $f${i}) { __typename ... on Blob { oid isBinary isTruncated text } }`,
  ).join("\n    ");
  return `query CatalogFiles($owner: String!, $repo: String!, ${vars}) {\n  repository(owner: $owner, name: $repo) {\n    ${fields}\n  }\n}`;
}

/**
 * `paths` (from the catalog repository's root) on the catalog's branch (its default branch when
 * none is set), in one call. Throws what the call throws: an HTTP failure, or GitHub's refusal of
 * the query as a whole (`errors`, e.g. a repository the installation cannot see).
 */
export async function queryCatalogFiles(
  gh: Gh,
  catalog: CatalogConfig,
  paths: readonly string[],
): Promise<Map<string, FileAnswer>> {
  const out = new Map<string, FileAnswer>();
  if (paths.length === 0) return out;
  const ref = catalog.branch ?? "HEAD";
  const variables = Object.fromEntries([
    ["owner", catalog.owner],
    ["repo", catalog.repo],
    ...paths.map((p, i) => [`f${i}`, `${ref}:${p}`]),
  ]);
  const answer = await gh.graphql<{ repository: Record<string, BlobNode | null> | null }>(
    catalogFilesQuery(paths.length),
    variables,
  );
  paths.forEach((path, i) => {
    out.set(path, fileAnswer(answer.repository?.[`f${i}`] ?? null));
  });
  return out;
}

function fileAnswer(node: BlobNode | null): FileAnswer {
  if (!node) return { kind: "absent" };
  if (node.__typename !== "Blob") return { kind: "not-a-file" };
  // Text only when it is exactly the blob; anything else is read by REST.
  return node.oid && exactBlobBytes(node, node.oid)
    ? { kind: "text", sha: node.oid, text: node.text! }
    : { kind: "rest" };
}

/** GitHub refused the query itself (a 200 answer with `errors`), as opposed to a failed call. */
export function isQueryRefusal(error: unknown): boolean {
  const e = error as { errors?: unknown; status?: unknown };
  return Array.isArray(e?.errors) && typeof e.status !== "number";
}
