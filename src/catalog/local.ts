// A catalog repository checked out on disk: read one record (folder form first, then the legacy
// one-file form) and write one approval's files. `devcenter catalog add` and the CLI's
// `--baseline` use it; the App writes the same files through the Git Data API (src/app/catalog.ts).
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  legacyRecordPath,
  parseRecord,
  recordPath,
  RECORD_MAX_BYTES,
  type CatalogRecord,
  type RecordWrite,
} from "./record.js";

export type LocalRecordRead =
  | { status: "found"; file: string; record: CatalogRecord }
  | { status: "absent" }
  | { status: "error"; file: string; message: string };

async function readBounded(file: string): Promise<{ text?: string; message?: string } | undefined> {
  const st = await stat(file).catch(() => undefined);
  if (!st) return undefined;
  if (!st.isFile()) return { message: `${file} is not a file.` };
  if (st.size > RECORD_MAX_BYTES)
    return { message: `${file} is ${st.size} bytes, larger than any catalog record; it was not read.` };
  try {
    return { text: await readFile(file, "utf8") };
  } catch (error) {
    return {
      message: `${file} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    };
  }
}

/** The record of `slug` under `base` in the catalog folder `dir`. */
export async function readLocalRecord(dir: string, base: string, slug: string): Promise<LocalRecordRead> {
  for (const rel of [recordPath(base, slug), legacyRecordPath(base, slug)]) {
    const file = join(dir, rel);
    const read = await readBounded(file);
    if (!read) continue;
    if (read.message !== undefined) return { status: "error", file, message: read.message };
    const parsed = parseRecord(read.text!, file);
    return parsed.ok
      ? { status: "found", file, record: parsed.record }
      : { status: "error", file, message: parsed.message };
  }
  return { status: "absent" };
}

/** Writes each file through a temporary name and a rename, so a reader never sees half a record. */
export async function writeLocalRecord(
  dir: string,
  change: { writes: RecordWrite[]; remove: string[] },
): Promise<void> {
  for (const w of change.writes) {
    const file = join(dir, w.path);
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, w.bytes);
    await rename(tmp, file);
  }
  for (const path of change.remove) await rm(join(dir, path), { force: true });
}
