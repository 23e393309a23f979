// Reading one file of the catalog folder: regular files only (a symbolic link could point
// anywhere on the building machine and publish it), bounded in size, UTF-8 text.
import { lstat, readFile } from "node:fs/promises";
import { formatBytes } from "../core/limits.js";
import { decodeText } from "../core/text.js";

export type FileRead = { ok: true; text: string } | { ok: false; message: string; missing?: true };

export async function fileSize(
  path: string,
): Promise<{ ok: true; bytes: number } | { ok: false; message: string; missing?: true }> {
  try {
    const st = await lstat(path);
    if (st.isSymbolicLink()) return { ok: false, message: "is a symbolic link; the catalog holds only plain files" };
    if (!st.isFile()) return { ok: false, message: "is not a file" };
    return { ok: true, bytes: st.size };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, missing: true, message: "does not exist" };
    return { ok: false, message: `cannot be read (${code ?? (error as Error).message})` };
  }
}

export async function readTextFile(path: string, name: string, maxBytes: number): Promise<FileRead> {
  const size = await fileSize(path);
  if (!size.ok) return size;
  if (size.bytes > maxBytes)
    return {
      ok: false,
      message: `is ${formatBytes(size.bytes)}, more than the ${formatBytes(maxBytes)} the site reads`,
    };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return {
      ok: false,
      message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    };
  }
  const decoded = decodeText(bytes, name);
  return decoded.ok ? decoded : { ok: false, message: decoded.message.replace(`${name} `, "").replace(/\.$/, "") };
}
