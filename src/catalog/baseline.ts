// The approved version to compare with, from what a front door has: a folder on disk (an
// integration folder, or a catalog record folder — `--baseline DIR`, the Action's `baseline`), or
// a catalog record the App read. Anything unusable becomes a `problem` sentence: the review of the
// new version still runs, without the comparison.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { LocalSource } from "../replay/source-local.js";
import { MANIFEST_FILE, STAGE_TITLES, type Stage } from "../core/vocabulary.js";
import {
  parseRecord,
  RECORD_FILE,
  RECORD_FILES,
  RECORD_MAX_BYTES,
  stageFromCatalog,
  type CatalogRecord,
} from "./record.js";
import { formatLocation } from "../core/diagnostic.js";
import { loadManifest } from "../manifest/load.js";
import { manifestValidator } from "../manifest/schema.js";
import type { Manifest } from "../manifest/types.js";
import { asMessage, msg } from "../core/markdown.js";
import { decodeText } from "../core/text.js";
import type { BaselineInput } from "../change/check.js";
import {
  approvedFilePath,
  readApprovedFiles,
  APPROVED_FILES,
  type ApprovedFileKind,
  type ApprovedFiles,
} from "../change/contents.js";
import type { FileSource } from "../core/source.js";

/** The baseline a catalog record gives: its approved manifest, stage and version. */
export function baselineFromRecord(record: CatalogRecord, label: string, files?: ApprovedFiles): BaselineInput {
  const stage = stageFromCatalog(record.stage);
  if (!stage)
    return { problem: `${label} records the stage ${JSON.stringify(record.stage)}, which devcenter does not know` };
  if (!record.manifest)
    return {
      problem: `${label} holds no approved manifest (a record written before devcenter kept one), so there is no approved version to compare with`,
    };
  const validate = manifestValidator();
  if (!validate(record.manifest))
    return {
      problem: `${label} holds an approved manifest that is not valid (${validate.errors?.[0]?.instancePath || "/"} ${validate.errors?.[0]?.message ?? ""})`,
    };
  return {
    manifest: record.manifest,
    label,
    stage,
    ...(record.version ? { version: record.version } : {}),
    ...(files ? { files } : {}),
  };
}

/** The approved files a record folder keeps (docs.md, catalog.md, logo.svg, mark.svg), as its `files` lists them. */
export function recordFilePaths(record: CatalogRecord): Partial<Record<ApprovedFileKind, string>> {
  const out: Partial<Record<ApprovedFileKind, string>> = {};
  for (const { kind } of APPROVED_FILES) if (record.files?.[kind]) out[kind] = RECORD_FILES[kind];
  return out;
}

/** The files an integration folder's manifest names, read from it. */
async function integrationFiles(source: FileSource, manifest: Manifest): Promise<ApprovedFiles> {
  const paths: Partial<Record<ApprovedFileKind, string>> = {};
  for (const { kind } of APPROVED_FILES) {
    const path = approvedFilePath(manifest, kind);
    if (path !== undefined) paths[kind] = path;
  }
  return readApprovedFiles(source, paths);
}

/** `dir` as given on the command line: a catalog record folder, or an integration folder. */
export async function loadBaselineDir(dir: string, shown: string): Promise<BaselineInput> {
  const st = await stat(dir).catch(() => undefined);
  if (!st) return { problem: `The baseline ${shown} does not exist` };
  if (!st.isDirectory())
    return {
      problem: `The baseline ${shown} is not a folder (give the folder of the approved integration, or its catalog record folder)`,
    };
  const source = new LocalSource(dir);
  const recordRead = await source.read(RECORD_FILE, RECORD_MAX_BYTES);
  if (recordRead.ok) {
    const text = decodeText(recordRead.bytes, RECORD_FILE);
    const parsed = text.ok
      ? parseRecord(text.text, join(shown, RECORD_FILE))
      : { ok: false as const, message: text.message };
    if (!parsed.ok)
      return { problem: `The baseline ${shown} holds a catalog record that cannot be read: ${parsed.message}` };
    return baselineFromRecord(
      parsed.record,
      `catalog record ${shown}`,
      await readApprovedFiles(source, recordFilePaths(parsed.record)),
    );
  }
  const loaded = await loadManifest(source, MANIFEST_FILE);
  if (!loaded.manifest) {
    if (loaded.diagnostics.some((d) => d.ruleId === "file/missing"))
      return {
        problem: `The baseline ${shown} is not an integration: it has no ${MANIFEST_FILE} and no ${RECORD_FILE}`,
      };
    const first = loaded.diagnostics.find((d) => d.severity === "error");
    return {
      problem: msg`The baseline ${shown}/${MANIFEST_FILE} is not a valid manifest (${first ? msg`${formatLocation(first)}: ${asMessage(first)}` : "it could not be read"})`,
    };
  }
  const manifest: Manifest = loaded.manifest;
  const stage: Stage = manifest.stage;
  const files = await integrationFiles(source, manifest);
  return {
    manifest,
    label: `${shown} (${STAGE_TITLES[stage]})`,
    stage,
    ...(manifest.version ? { version: manifest.version } : {}),
    files,
  };
}
