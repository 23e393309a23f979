// Where the engine reads an integration from: a folder on disk, or a GitHub tree held in memory.
// Paths are POSIX, relative to the integration's root; nothing outside the root can be read.
import { posix } from "node:path";
import { formatBytes } from "./limits.js";

export type ReadFailure = "missing" | "escapes" | "symlink-out" | "too-large" | "not-a-file" | "unreadable";

export type ReadResult =
  | { ok: true; path: string; bytes: Uint8Array }
  | { ok: false; path: string; reason: ReadFailure; message: string };
export type ReadRefusal = Extract<ReadResult, { ok: false }>;

export type ListResult =
  | { ok: true; files: string[]; truncated: boolean }
  | { ok: false; reason: ReadFailure; message: string };

export type EntryKind = "file" | "dir" | "missing";

export interface FileSource {
  /** For messages: the folder, or `owner/repo@sha`. */
  readonly label: string;
  read(path: string, maxBytes: number): Promise<ReadResult>;
  /** Files below `dir`, recursively, as sorted root-relative paths; at most `limit`. */
  list(dir: string, limit: number): Promise<ListResult>;
  kind(path: string): Promise<EntryKind>;
}

export type NormalizedPath = { ok: true; path: string } | { ok: false; reason: "escapes"; message: string };

/**
 * Normalises a path written by a partner (in the manifest, say) to a root-relative POSIX path.
 * Absolute paths, `..` that climb out of the root, NUL bytes and backslashes are refused.
 */
export function normalizePath(input: string, base = ""): NormalizedPath {
  const refuse = (why: string): NormalizedPath => ({
    ok: false,
    reason: "escapes",
    message: `The path "${input}" ${why}; use a path relative to the folder that holds integration.yml.`,
  });
  if (input.includes("\0")) return refuse("contains a NUL byte");
  if (input.includes("\\")) return refuse("uses backslashes");
  if (input.startsWith("/") || /^[A-Za-z]:/.test(input)) return refuse("is absolute");
  const joined = posix.normalize(posix.join(base, input));
  if (joined === ".." || joined.startsWith("../")) return refuse("points outside the repository");
  return { ok: true, path: joined === "." ? "" : joined.replace(/\/$/, "") };
}

export function tooLarge(path: string, size: number, maxBytes: number): ReadRefusal {
  return {
    ok: false,
    path,
    reason: "too-large",
    message: `${path} is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for this kind of file; make it smaller or split it.`,
  };
}

export function missing(path: string): ReadRefusal {
  return { ok: false, path, reason: "missing", message: `${path} does not exist in the repository.` };
}

// The refusals every FileSource gives alike (MemorySource, LocalSource, the App's TreeSource), so
// a partner reads the same sentence whichever front door reviewed the repository.

export function isAFolder(path: string): ReadRefusal {
  return { ok: false, path, reason: "not-a-file", message: `${path} is a folder, not a file.` };
}

export function symlinkOut(path: string): ReadRefusal {
  return {
    ok: false,
    path,
    reason: "symlink-out",
    message: `${path} is a symbolic link to a place outside the repository; commit the file itself instead.`,
  };
}

/** Why `path` cannot be listed: it is a file, or nothing is there. */
export function notAFolder(path: string, isFile: boolean): ListResult {
  const { reason, message } = isFile
    ? { reason: "not-a-file" as const, message: `${path} is a file, not a folder.` }
    : missing(path);
  return { ok: false, reason, message };
}

/**
 * Where the symbolic link at `path` (root-relative) points, given the link's `target` as stored:
 * resolved against the link's folder, and refused (normalizePath) when absolute or leaving the
 * root. Sources that hold links in memory follow them with this, a few hops at most.
 */
export function linkTarget(
  path: string,
  target: string,
): { ok: true; path: string } | { ok: false; result: ReadRefusal } {
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  const norm = normalizePath(target, dir);
  return norm.ok ? norm : { ok: false, result: symlinkOut(path) };
}
