// A FileSource over files held in memory: a GitHub tree read through the API, or a test's fixture.
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
  type ReadRefusal,
  type ReadResult,
} from "./source.js";

export type MemoryEntry = { type: "file"; size: number; bytes?: Uint8Array } | { type: "symlink"; target: string };

export class MemorySource implements FileSource {
  private entries: Map<string, MemoryEntry>;

  /** `entries` maps root-relative paths to files; a file without `bytes` was too large to fetch. */
  constructor(
    readonly label: string,
    entries: Map<string, MemoryEntry> | Record<string, MemoryEntry | string>,
  ) {
    this.entries = new Map();
    const pairs = entries instanceof Map ? [...entries] : Object.entries(entries);
    for (const [path, entry] of pairs) {
      if (typeof entry === "string") {
        const bytes = new TextEncoder().encode(entry);
        this.entries.set(path, { type: "file", size: bytes.length, bytes });
      } else this.entries.set(path, entry);
    }
  }

  async read(path: string, maxBytes: number): Promise<ReadResult> {
    const norm = normalizePath(path);
    if (!norm.ok) return { ok: false, path, reason: "escapes", message: norm.message };
    const resolved = this.follow(norm.path);
    if (!resolved.ok) return resolved.result;
    const entry = this.entries.get(resolved.path);
    if (!entry) return this.isDir(norm.path) ? isAFolder(norm.path) : missing(norm.path);
    if (entry.type !== "file") return missing(norm.path);
    if (entry.size > maxBytes) return tooLarge(norm.path, entry.size, maxBytes);
    if (!entry.bytes)
      return { ok: false, path: norm.path, reason: "unreadable", message: `${norm.path} was not fetched.` };
    return { ok: true, path: norm.path, bytes: entry.bytes };
  }

  async kind(path: string): Promise<EntryKind> {
    const norm = normalizePath(path);
    if (!norm.ok) return "missing";
    const resolved = this.follow(norm.path);
    if (!resolved.ok) return "missing";
    if (this.entries.get(resolved.path)?.type === "file") return "file";
    return this.isDir(resolved.path) ? "dir" : "missing";
  }

  async list(dir: string, limit: number): Promise<ListResult> {
    const norm = normalizePath(dir);
    if (!norm.ok) return { ok: false, reason: "escapes", message: norm.message };
    // A symlinked folder lists its target (as LocalSource does); one that leaves the root is refused.
    const resolved = this.follow(norm.path);
    if (!resolved.ok) return { ok: false, reason: resolved.result.reason, message: resolved.result.message };
    if (resolved.path !== norm.path) return this.list(resolved.path, limit);
    if (!this.isDir(norm.path)) return notAFolder(norm.path, this.entries.has(norm.path));
    const prefix = norm.path === "" ? "" : norm.path + "/";
    const files = [...this.entries.keys()].filter((p) => p.startsWith(prefix)).sort();
    return { ok: true, files: files.slice(0, limit), truncated: files.length > limit };
  }

  private isDir(path: string): boolean {
    if (path === "") return true;
    const prefix = path + "/";
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  /** Resolves symlinks (a few hops) and refuses those that leave the root. */
  private follow(path: string, hops = 0): { ok: true; path: string } | { ok: false; result: ReadRefusal } {
    const entry = this.entries.get(path);
    if (entry?.type !== "symlink") return { ok: true, path };
    const target = linkTarget(path, entry.target);
    if (!target.ok) return target;
    if (hops > 8) return { ok: false, result: missing(path) };
    return this.follow(target.path, hops + 1);
  }
}
