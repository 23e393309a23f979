// A FileSource over a git tree read through the API (no clone). The tree listing (paths, modes,
// sizes, blob SHAs) is read once; a blob is fetched only when the engine reads that file, only
// when it is under the size cap the engine asks for, and at most `maxBlobs` per review. Blobs are
// content-addressed, so a process-wide LRU keyed by SHA makes a re-review of an unchanged tree
// cost no blob calls at all. Semantics match MemorySource: symlinks (mode 120000) are followed
// inside the root and refused when they leave it.
import {
  isAFolder,
  linkTarget,
  missing,
  normalizePath,
  notAFolder,
  tooLarge,
  type EntryKind,
  type FileSource,
  type ListResult,
  type ReadResult,
} from "../core/source.js";

export interface TreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
}

export type BlobFetcher = (sha: string) => Promise<Uint8Array>;

/** Least-recently-used blob bytes by SHA, bounded by total size. */
export class BlobCache {
  private map = new Map<string, Uint8Array>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  get(sha: string): Uint8Array | undefined {
    const v = this.map.get(sha);
    if (v) {
      this.map.delete(sha);
      this.map.set(sha, v);
      this.hits++;
    } else this.misses++;
    return v;
  }

  set(sha: string, value: Uint8Array): void {
    if (value.length > this.maxBytes / 4) return;
    const old = this.map.get(sha);
    if (old) this.bytes -= old.length;
    this.map.set(sha, value);
    this.bytes += value.length;
    for (const [key, v] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(key);
      this.bytes -= v.length;
    }
  }

  /** Whether `sha` is cached (without counting a hit or a miss, or refreshing it). */
  has(sha: string): boolean {
    return this.map.has(sha);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }
}

type Entry = { kind: "file"; sha: string; size: number } | { kind: "symlink"; sha: string } | { kind: "submodule" };

export interface TreeSourceOptions {
  /** Blobs one review may fetch (cache hits are free). */
  maxBlobs?: number;
}

export class TreeSource implements FileSource {
  private entries = new Map<string, Entry>();
  /** Files the engine asked for (relative to the root): fetched ahead next time (blob-prefetch.ts). */
  readonly readPaths = new Set<string>();
  private dirs = new Set<string>([""]);
  private fetched = 0;
  private readonly maxBlobs: number;
  private sorted: string[] | undefined;

  /**
   * @param root  folder of the integration inside the repository ("" = the repository root)
   * @param tree  entries of the recursive tree of the whole repository
   */
  constructor(
    readonly label: string,
    root: string,
    tree: readonly TreeEntry[],
    private fetchBlob: BlobFetcher,
    options: TreeSourceOptions = {},
  ) {
    this.maxBlobs = options.maxBlobs ?? 2_000;
    const prefix = root === "" ? "" : `${root}/`;
    for (const e of tree) {
      if (!e.path.startsWith(prefix)) continue;
      const rel = e.path.slice(prefix.length);
      if (rel === "") continue;
      if (e.type === "tree") {
        this.dirs.add(rel);
        continue;
      }
      if (e.type === "commit") this.entries.set(rel, { kind: "submodule" });
      else if (e.mode === "120000") this.entries.set(rel, { kind: "symlink", sha: e.sha });
      else this.entries.set(rel, { kind: "file", sha: e.sha, size: e.size ?? 0 });
      // Parent folders are implied even when the listing omits them.
      for (let i = rel.indexOf("/"); i >= 0; i = rel.indexOf("/", i + 1)) this.dirs.add(rel.slice(0, i));
    }
  }

  /** Blobs this source asked for (cache hits included): what the per-review budget counts. */
  get blobsFetched(): number {
    return this.fetched;
  }

  async read(path: string, maxBytes: number): Promise<ReadResult> {
    const norm = normalizePath(path);
    if (!norm.ok) return { ok: false, path, reason: "escapes", message: norm.message };
    const resolved = await this.follow(norm.path);
    if (!resolved.ok) return resolved.result;
    this.readPaths.add(resolved.path);
    const entry = this.entries.get(resolved.path);
    if (!entry) return this.dirs.has(resolved.path) ? isAFolder(norm.path) : missing(norm.path);
    if (entry.kind === "submodule")
      return {
        ok: false,
        path: norm.path,
        reason: "not-a-file",
        message: `${norm.path} is a git submodule; commit the files themselves.`,
      };
    if (entry.kind !== "file") return missing(norm.path);
    if (entry.size > maxBytes) return tooLarge(norm.path, entry.size, maxBytes);
    const bytes = await this.blob(entry.sha, norm.path);
    if (!bytes.ok) return bytes.result;
    return { ok: true, path: norm.path, bytes: bytes.bytes };
  }

  async kind(path: string): Promise<EntryKind> {
    const norm = normalizePath(path);
    if (!norm.ok) return "missing";
    const resolved = await this.follow(norm.path);
    if (!resolved.ok) return "missing";
    const entry = this.entries.get(resolved.path);
    if (entry?.kind === "file") return "file";
    return this.dirs.has(resolved.path) ? "dir" : "missing";
  }

  async list(dir: string, limit: number): Promise<ListResult> {
    const norm = normalizePath(dir);
    if (!norm.ok) return { ok: false, reason: "escapes", message: norm.message };
    if (!this.dirs.has(norm.path)) return notAFolder(norm.path, this.entries.has(norm.path));
    this.sorted ??= [...this.entries.keys()].sort();
    const prefix = norm.path === "" ? "" : `${norm.path}/`;
    const files: string[] = [];
    let total = 0;
    for (const p of this.sorted) {
      if (!p.startsWith(prefix)) continue;
      total++;
      if (files.length < limit) files.push(p);
    }
    return { ok: true, files, truncated: total > limit };
  }

  private async blob(
    sha: string,
    path: string,
  ): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; result: ReadResult }> {
    if (this.fetched >= this.maxBlobs) {
      return {
        ok: false,
        result: {
          ok: false,
          path,
          reason: "unreadable",
          message: `${path} was not read: the review reads at most ${this.maxBlobs} files from the repository.`,
        },
      };
    }
    this.fetched++;
    // A failed request is not a finding about the partner's files: it propagates, and the
    // pipeline surfaces it on the check run.
    return { ok: true, bytes: await this.fetchBlob(sha) };
  }

  private async follow(
    path: string,
    hops = 0,
  ): Promise<{ ok: true; path: string } | { ok: false; result: ReadResult }> {
    const entry = this.entries.get(path);
    if (entry?.kind !== "symlink") return { ok: true, path };
    const bytes = await this.blob(entry.sha, path);
    if (!bytes.ok) return bytes;
    const target = linkTarget(path, new TextDecoder().decode(bytes.bytes));
    if (!target.ok) return target;
    if (hops > 8) return { ok: false, result: missing(path) };
    return this.follow(target.path, hops + 1);
  }
}
