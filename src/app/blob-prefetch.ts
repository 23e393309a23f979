// The files a review will read, fetched together before it starts instead of one round trip per
// file: one GraphQL query for the text blobs (each checked against its git SHA, so the bytes are
// exactly the file's), REST for the rest (binary, truncated, or text GraphQL changed), side by side.
// Which files: those the review of this integration read last time (remembered per repository
// and folder), or on a first review every file under the folder within the caps.
import { createHash } from "node:crypto";
import type { Gh } from "./github.js";
import type { BlobCache, TreeEntry } from "./tree-source.js";

/** At most this many files, each at most this large, are fetched ahead. */
const MAX_FILES = 100;
const MAX_FILE_BYTES = 512 * 1024;
const MAX_TOTAL_BYTES = 4 * 1024 * 1024;

/** Paths (relative to the integration's folder) a review read, per `owner/repo:root`; bounded. */
export class ReadSets {
  private map = new Map<string, Set<string>>();
  constructor(private readonly max = 2_000) {}
  get(key: string): Set<string> | undefined {
    return this.map.get(key.toLowerCase());
  }
  set(key: string, paths: Iterable<string>): void {
    const k = key.toLowerCase();
    this.map.delete(k);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(k, new Set(paths));
  }
}

/** The blobs under `root` to fetch ahead (not cached; read last time, or all within the caps on a first review). */
export function blobsToPrefetch(
  entries: readonly TreeEntry[],
  root: string,
  blobs: BlobCache,
  readLastTime: ReadonlySet<string> | undefined,
): TreeEntry[] {
  const prefix = root ? `${root}/` : "";
  const out: TreeEntry[] = [];
  let total = 0;
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.type !== "blob" || e.mode === "120000" || !e.path.startsWith(prefix)) continue;
    const rel = e.path.slice(prefix.length);
    if (readLastTime ? !readLastTime.has(rel) : /(^|\/)(node_modules|\.git)\//.test(rel)) continue;
    const size = e.size ?? 0;
    if (size > MAX_FILE_BYTES || total + size > MAX_TOTAL_BYTES || seen.has(e.sha) || blobs.has(e.sha)) continue;
    seen.add(e.sha);
    total += size;
    out.push(e);
    if (out.length >= MAX_FILES) break;
  }
  return out;
}

const gitSha = (bytes: Uint8Array) => createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");

/**
 * A blob's bytes from a GraphQL answer, when they are exactly the blob `sha` names; undefined when
 * REST must read it. GraphQL gives text as UTF-8: a binary or truncated blob, or one that is not
 * exactly UTF-8 (say, invalid bytes), does not hash back to its SHA.
 */
export function exactBlobBytes(
  node: { isBinary?: boolean | null; isTruncated?: boolean; text?: string | null } | null | undefined,
  sha: string,
): Uint8Array | undefined {
  if (!node || node.isBinary || node.isTruncated || typeof node.text !== "string") return undefined;
  const bytes = new TextEncoder().encode(node.text);
  return gitSha(bytes) === sha ? bytes : undefined;
}

interface BlobNode {
  oid: string;
  isBinary: boolean | null;
  isTruncated: boolean;
  text: string | null;
}

/** Fetches `wanted` into the cache: texts in one GraphQL query, the others by REST, together. */
export async function prefetchBlobs(
  gh: Gh,
  owner: string,
  repo: string,
  wanted: readonly TreeEntry[],
  blobs: BlobCache,
  fetchOne: (sha: string) => Promise<Uint8Array>,
): Promise<void> {
  if (wanted.length === 0) return;
  if (wanted.length === 1) {
    await fetchOne(wanted[0]!.sha);
    return;
  }
  const fields = wanted
    .map((_, i) => `b${i}: object(oid: $o${i}) { ... on Blob { oid isBinary isTruncated text } }`)
    .join("\n    ");
  const query = `query Blobs($owner: String!, $repo: String!, ${wanted.map((_, i) => `$o${i}: GitObjectID!`).join(", ")}) {\n  repository(owner: $owner, name: $repo) {\n    ${fields}\n  }\n}`;
  const variables = Object.fromEntries([["owner", owner], ["repo", repo], ...wanted.map((e, i) => [`o${i}`, e.sha])]);
  const answer = await gh.graphql<{ repository: Record<string, BlobNode | null> | null }>(query, variables);
  const rest: string[] = [];
  wanted.forEach((e, i) => {
    const bytes = exactBlobBytes(answer.repository?.[`b${i}`], e.sha);
    if (bytes) blobs.set(e.sha, bytes);
    else rest.push(e.sha);
  });
  await Promise.all(rest.map((sha) => fetchOne(sha)));
}
