// Did the pull request change the manifest's `stage`? Decided on the parsed manifests before and
// after the change, not on the diff's text: `stage` may be written as `"stage": public` (JSON is
// YAML), inside a flow mapping, or quoted. The manifest before the change is rebuilt from the
// head's text and GitHub's patch (the patch holds every removed line), so no API call is spent.
import { MemorySource } from "../core/source-memory.js";
import { loadManifest, type LoadedManifest } from "../manifest/load.js";
import type { StageEdit } from "./types.js";

const INITIAL_STAGE = "developer-preview";

/** The text before a change, from the text after it and its unified diff; undefined when they disagree. */
export function reversePatch(after: string, patch: string): string | undefined {
  const lines = after.split("\n");
  const out: string[] = [];
  let cursor = 0; // next line of `after` (0-based) not yet copied
  let hunkLines: string[] = [];
  const hunks: { newStart: number; body: string[] }[] = [];
  for (const text of patch.split("\n")) {
    const h = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(text);
    if (h) {
      hunkLines = [];
      // `+0,0`: the new side is empty; the hunk sits before line 1.
      hunks.push({ newStart: Math.max(1, Number(h[1]) + (h[2] === "0" ? 1 : 0)), body: hunkLines });
    } else if (hunks.length) hunkLines.push(text);
  }
  if (!hunks.length) return undefined;
  for (const { newStart, body } of hunks) {
    if (newStart - 1 < cursor) return undefined;
    out.push(...lines.slice(cursor, newStart - 1));
    cursor = newStart - 1;
    for (const text of body) {
      const mark = text[0];
      const content = text.slice(1);
      if (mark === " " || (mark === undefined && text === "")) {
        if (lines[cursor] !== content) return undefined;
        out.push(content);
        cursor++;
      } else if (mark === "-") out.push(content);
      else if (mark === "+") {
        if (lines[cursor] !== content) return undefined;
        cursor++;
      } else if (mark !== "\\") return undefined; // "\ No newline at end of file" changes nothing we read
    }
  }
  out.push(...lines.slice(cursor));
  return out.join("\n");
}

/** The top-level `stage` of a manifest's text, as written (a string), if it parses. */
async function stageIn(text: string, file: string): Promise<{ stage?: string; loaded: LoadedManifest }> {
  const loaded = await loadManifest(new MemorySource("stage-edit", { [file]: text }), file);
  const data = loaded.data;
  const stage =
    data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>).stage : undefined;
  return { ...(typeof stage === "string" ? { stage } : {}), loaded };
}

/**
 * The stage change a pull request makes to a manifest, given the head's text and the file's
 * entry in the pull request's file list. Undefined when `stage` is unchanged, or when it cannot
 * be told (no patch: GitHub leaves it out of large diffs; the caller then compares with the catalog).
 */
export async function stageEditOfChange(
  head: string,
  file: { status?: string; patch?: string },
  name: string,
): Promise<StageEdit | "unknown" | undefined> {
  if (file.status === "removed") return undefined;
  // A renamed or copied file's patch is against another file, not against this manifest as it was.
  if (file.status === "renamed" || file.status === "copied") return "unknown";
  const after = await stageIn(head, name);
  let before: string | undefined;
  // A new manifest starts where every integration starts; only another stage is set by hand.
  if (file.status === "added") {
    if (after.stage === undefined || after.stage === INITIAL_STAGE) return undefined;
    before = undefined;
  } else if (typeof file.patch !== "string") return "unknown";
  else {
    const text = reversePatch(head, file.patch);
    if (text === undefined) return "unknown";
    before = (await stageIn(text, name)).stage;
  }
  if (before === after.stage) return undefined;
  const line = after.stage !== undefined ? after.loaded.locate("/stage")?.line : undefined;
  return {
    ...(before !== undefined ? { from: before } : {}),
    ...(after.stage !== undefined ? { to: after.stage } : {}),
    ...(line ? { line } : {}),
  };
}
