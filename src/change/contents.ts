// The approved docs page, catalog copy, logo and mark against the pull request's: a notice when a
// file's content changed, even under the same path (compareManifests sees only the paths), with a
// short summary a reviewer can act on — sections added or removed, lines added or removed.
import { msg } from "../core/markdown.js";
import { LIMITS } from "../core/limits.js";
import { normalizePath, type FileSource } from "../core/source.js";
import { decodeText, plural } from "../core/text.js";
import { headings, parseMarkdown } from "../docs/markdown.js";
import type { Manifest } from "../manifest/types.js";
import type { Change } from "./compare.js";

/** The approved files a baseline may carry, by what they are (the catalog record's kinds). */
export type ApprovedFileKind = "docs" | "catalog" | "logo" | "mark";
export type ApprovedFiles = Partial<Record<ApprovedFileKind, Uint8Array>>;

/** Each kind: the manifest key that names the file, and what a reviewer calls it. */
export const APPROVED_FILES: readonly {
  kind: ApprovedFileKind;
  section: "docs" | "app";
  key: "segment" | "catalog" | "logo" | "mark";
  what: string;
  markdown: boolean;
}[] = [
  { kind: "logo", section: "app", key: "logo", what: "logo", markdown: false },
  { kind: "mark", section: "app", key: "mark", what: "mark", markdown: false },
  { kind: "docs", section: "docs", key: "segment", what: "docs page", markdown: true },
  { kind: "catalog", section: "docs", key: "catalog", what: "catalog copy", markdown: true },
];

/** The manifest's path for one kind of approved file, if it names one. */
export function approvedFilePath(manifest: Manifest, kind: ApprovedFileKind): string | undefined {
  const f = APPROVED_FILES.find((x) => x.kind === kind)!;
  const section = (manifest as unknown as Record<string, unknown>)[f.section];
  const path =
    typeof section === "object" && section !== null ? (section as Record<string, unknown>)[f.key] : undefined;
  return typeof path === "string" ? path : undefined;
}

/** Reads the files `manifest` names from `source` (each under its size limit); unreadable ones are left out. */
export async function readApprovedFiles(
  source: FileSource,
  paths: Partial<Record<ApprovedFileKind, string>>,
): Promise<ApprovedFiles> {
  const out: ApprovedFiles = {};
  await Promise.all(
    (Object.entries(paths) as [ApprovedFileKind, string][]).map(async ([kind, path]) => {
      const norm = normalizePath(path);
      if (!norm.ok) return;
      const read = await source.read(
        norm.path,
        kind === "logo" || kind === "mark" ? LIMITS.imageBytes : LIMITS.docBytes,
      );
      if (read.ok) out[kind] = read.bytes;
    }),
  );
  return out;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

/** Lines only one side has, counted as a multiset (a moved line is not a change; blank lines do not count): [added, removed]. */
export function lineChanges(before: string, after: string): [number, number] {
  const lines = (t: string) =>
    t
      .split("\n")
      .map((l) => l.trimEnd())
      .filter((l) => l.trim() !== "");
  const count = new Map<string, number>();
  for (const l of lines(before)) count.set(l, (count.get(l) ?? 0) + 1);
  let added = 0;
  for (const l of lines(after)) {
    const n = count.get(l) ?? 0;
    if (n > 0) count.set(l, n - 1);
    else added++;
  }
  let removed = 0;
  for (const n of count.values()) removed += n;
  return [added, removed];
}

const quoted = (xs: string[]) =>
  xs
    .slice(0, 3)
    .map((x) => `"${x}"`)
    .join(", ") + (xs.length > 3 ? ` and ${xs.length - 3} more` : "");

/** What changed in a Markdown file, in a few words: sections added and removed, lines added and removed. */
export function markdownSummary(before: string, after: string): string {
  const titles = (t: string) => headings(parseMarkdown(t)).map((h) => h.text.trim());
  const was = titles(before);
  const now = titles(after);
  const wasSet = new Set(was);
  const nowSet = new Set(now);
  const added = now.filter((h) => !wasSet.has(h));
  const removed = was.filter((h) => !nowSet.has(h));
  const [plus, minus] = lineChanges(before, after);
  const parts = [
    added.length ? `${added.length === 1 ? "section" : "sections"} ${quoted(added)} added` : "",
    removed.length ? `${removed.length === 1 ? "section" : "sections"} ${quoted(removed)} removed` : "",
    plus || minus
      ? `${plural(plus, "line")} added, ${minus.toLocaleString("en-US")} removed`
      : added.length || removed.length
        ? ""
        : "blank lines and spacing only",
  ];
  return parts.filter(Boolean).join("; ");
}

/**
 * One notice per approved file whose content differs from the file the new manifest names (at the
 * key that names it). Files that cannot be read on either side are left to the docs rules.
 */
export async function compareContents(
  approved: ApprovedFiles,
  before: Manifest,
  after: Manifest,
  source: FileSource,
): Promise<Change[]> {
  const out: Change[] = [];
  for (const f of APPROVED_FILES) {
    const old = approved[f.kind];
    const path = approvedFilePath(after, f.kind);
    if (!old || path === undefined) continue;
    const now = (await readApprovedFiles(source, { [f.kind]: path }))[f.kind];
    if (!now || sameBytes(old, now)) continue;
    const moved =
      approvedFilePath(before, f.kind) !== path
        ? msg`\`${f.section}.${f.key}\` now points at ${path}, and the`
        : msg`The`;
    let summary = `${plural(old.length, "byte")} → ${plural(now.length, "byte")}`;
    if (f.markdown) {
      const a = decodeText(old, path);
      const b = decodeText(now, path);
      if (a.ok && b.ok) summary = markdownSummary(a.text, b.text);
    }
    out.push({
      ruleId: f.markdown ? "change/docs" : "change/logo",
      breaking: false,
      message: msg`${moved} ${f.what} (${path}) changed: ${summary}`,
      pointer: `/${f.section}/${f.key}`,
      atKey: true,
    });
  }
  return out;
}
