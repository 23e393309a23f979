// Semantic rules on a manifest that passed the schema: conventions the schema cannot express,
// each reported at the manifest line that breaks it (the rules are objects in ./rules/). Then the
// files the manifest names: each must exist inside the repository and be usable. Docs content,
// SVG contents and catalog copy are checked by src/docs.
import { posix } from "node:path";
import type { Diagnostic } from "../core/diagnostic.js";
import { fileDiagnostic } from "../core/file-diagnostic.js";
import { LIMITS } from "../core/limits.js";
import { messageFields, msg } from "../core/markdown.js";
import { normalizePath, type FileSource } from "../core/source.js";
import type { LoadedManifest } from "./load.js";
import { show, type ManifestContext } from "./rules/context.js";
import { MANIFEST_CHECKS } from "./rules/index.js";
import type { Manifest } from "./types.js";

/** How each referenced path is read: what it must be and the size cap that applies. */
const FILE_CAPS = {
  image: LIMITS.imageBytes,
  doc: LIMITS.docBytes,
  code: LIMITS.eventFileBytes,
} as const;

type Loaded = LoadedManifest & { manifest: Manifest };

export async function checkManifest(loaded: Loaded, source: FileSource): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const { file, manifest } = loaded;
  for (const rule of MANIFEST_CHECKS) {
    const ctx: ManifestContext = {
      manifest,
      file,
      locate: loaded.locate,
      report(message, pointer, opts = {}) {
        const pos = opts.key ? (loaded.locateKey ?? loaded.locate)(pointer) : loaded.locate(pointer);
        const d: Diagnostic = {
          ruleId: rule.id,
          severity: opts.severity ?? rule.severity,
          ...messageFields(message),
          file,
          path: pointer,
        };
        if (pos) Object.assign(d, pos);
        out.push(d);
      },
    };
    rule.check(ctx);
  }
  await checkReferencedFiles(loaded, source, out);
  return out;
}

/** The files and folders the manifest names: inside the repository, present, of the right kind and size. */
async function checkReferencedFiles(loaded: Loaded, source: FileSource, out: Diagnostic[]): Promise<void> {
  const { file, manifest: m } = loaded;
  const base = posix.dirname(file) === "." ? "" : posix.dirname(file);
  const check = async (path: string, pointer: string, kind: keyof typeof FILE_CAPS | "folder"): Promise<void> => {
    const where = { file, path: pointer, ...(loaded.locate(pointer) ?? {}) };
    const norm = normalizePath(path, base);
    if (!norm.ok) {
      out.push(fileDiagnostic({ reason: "escapes", message: msg`${show(pointer)}: ${norm.message}` }, where));
      return;
    }
    if (kind === "folder") {
      const r = await source.list(norm.path, 1);
      if (!r.ok)
        out.push(
          fileDiagnostic({ reason: r.reason, message: msg`${show(pointer)} must be a folder: ${r.message}` }, where),
        );
      return;
    }
    const r = await source.read(norm.path, FILE_CAPS[kind]);
    if (!r.ok) out.push(fileDiagnostic({ reason: r.reason, message: msg`${show(pointer)}: ${r.message}` }, where));
  };
  await check(m.app.logo, "/app/logo", "image");
  await check(m.app.mark, "/app/mark", "image");
  if (m.docs?.segment !== undefined) await check(m.docs.segment, "/docs/segment", "doc");
  if (m.docs?.catalog !== undefined) await check(m.docs.catalog, "/docs/catalog", "doc");
  for (const [i, c] of m.components.entries()) {
    if ("entry" in c && typeof c.entry === "string") await check(c.entry, `/components/${i}/entry`, "code");
    if (c.fixtures !== undefined) await check(c.fixtures, `/components/${i}/fixtures`, "folder");
  }
}
