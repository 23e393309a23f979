// A FileSource over a folder on disk. Symlinks are followed only while they stay inside the root.
import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import {
  isAFolder,
  missing,
  normalizePath,
  notAFolder,
  symlinkOut,
  tooLarge,
  type EntryKind,
  type FileSource,
  type ListResult,
  type ReadRefusal,
  type ReadResult,
} from "../core/source.js";

export class LocalSource implements FileSource {
  readonly label: string;
  private rootReal: Promise<string>;

  constructor(readonly root: string) {
    this.label = root;
    this.rootReal = realpath(root);
  }

  /** Absolute real path of a root-relative path, or why it cannot be used. */
  private async resolve(
    path: string,
  ): Promise<{ ok: true; abs: string; rel: string } | { ok: false; result: ReadRefusal }> {
    const norm = normalizePath(path);
    if (!norm.ok) return { ok: false, result: { ok: false, path, reason: "escapes", message: norm.message } };
    const root = await this.rootReal;
    let abs: string;
    try {
      abs = await realpath(join(root, norm.path));
    } catch {
      return { ok: false, result: missing(norm.path) };
    }
    if (abs !== root && !abs.startsWith(root + sep)) return { ok: false, result: symlinkOut(norm.path) };
    return { ok: true, abs, rel: norm.path };
  }

  async read(path: string, maxBytes: number): Promise<ReadResult> {
    const r = await this.resolve(path);
    if (!r.ok) return r.result;
    const rel = r.rel;
    let handle;
    try {
      const st = await stat(r.abs);
      if (!st.isFile()) return isAFolder(rel);
      if (st.size > maxBytes) return tooLarge(rel, st.size, maxBytes);
      handle = await open(r.abs, "r");
      // Read at most maxBytes + 1 even if the file grew since stat.
      const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      if (bytesRead > maxBytes) return tooLarge(rel, bytesRead, maxBytes);
      return { ok: true, path: rel, bytes: buf.subarray(0, bytesRead) };
    } catch (err) {
      return {
        ok: false,
        path: rel,
        reason: "unreadable",
        message: `${rel} could not be read: ${(err as Error).message}`,
      };
    } finally {
      await handle?.close();
    }
  }

  async kind(path: string): Promise<EntryKind> {
    const r = await this.resolve(path);
    if (!r.ok) return "missing";
    const st = await stat(r.abs).catch(() => undefined);
    return st?.isDirectory() ? "dir" : st?.isFile() ? "file" : "missing";
  }

  async list(dir: string, limit: number): Promise<ListResult> {
    const r = await this.resolve(dir);
    if (!r.ok) return { ok: false, reason: r.result.reason, message: r.result.message };
    const root = await this.rootReal;
    const files: string[] = [];
    let truncated = false;
    const walk = async (abs: string): Promise<void> => {
      const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (files.length >= limit) {
          truncated = true;
          return;
        }
        const child = join(abs, e.name);
        if (e.isDirectory()) await walk(child);
        else if (e.isFile()) files.push(relative(root, child).split(sep).join("/"));
        else if (e.isSymbolicLink()) {
          // Listed so that reading it reports where it points; directories behind links are not walked.
          const st = await lstat(child).catch(() => undefined);
          if (st) files.push(relative(root, child).split(sep).join("/"));
        }
      }
    };
    const st = await stat(r.abs).catch(() => undefined);
    if (!st?.isDirectory()) return notAFolder(r.rel, st !== undefined);
    await walk(r.abs);
    return { ok: true, files, truncated };
  }
}
