// Documentation checks: the platform docs page, the catalog copy, and the catalog's logo and mark.
// Pure: reads only through the FileSource, returns diagnostics in a stable order.
import { compareDiagnostics, type Diagnostic } from "../core/diagnostic.js";
import { LIMITS } from "../core/limits.js";
import type { FileSource } from "../core/source.js";
import type { Manifest } from "../manifest/types.js";
import { checkCatalogCopy, checkSvgAsset } from "./catalog.js";
import { docsView } from "./manifest-view.js";
import { readText } from "./read.js";
import { checkSegmentPage } from "./segment-page.js";
import { sniffNonSvg } from "./svg.js";

export { DOCS_RULES } from "./rules/index.js";

/**
 * Checks the files the manifest names under `docs` and `app.logo` / `app.mark`. Files that are
 * missing or outside the repository are skipped silently (the manifest checks report them);
 * binary, non-UTF-8 or oversized files get one diagnostic each.
 *
 * `schemaValid: false` says the manifest is data that failed its schema (handed over so one typo
 * does not hide the other findings): the checks that depend on `supports` are then left out.
 */
export async function checkDocs(
  manifest: Manifest,
  source: FileSource,
  options: { schemaValid?: boolean } = {},
): Promise<Diagnostic[]> {
  const view = docsView(manifest, options.schemaValid ?? true);
  const out: Diagnostic[] = [];

  if (view.segmentDoc) {
    const r = await readText(source, view.segmentDoc, LIMITS.docBytes, "docs/file", "the platform docs page");
    if (r.ok) out.push(...checkSegmentPage(view, r.path, r.text));
    else if (r.diagnostic) out.push(r.diagnostic);
  }
  if (view.catalogDoc) {
    const r = await readText(source, view.catalogDoc, LIMITS.docBytes, "catalog/file", "the catalog copy");
    if (r.ok) out.push(...checkCatalogCopy(view, r.path, r.text));
    else if (r.diagnostic) out.push(r.diagnostic);
  }
  for (const role of ["logo", "mark"] as const) {
    const path = view[role];
    if (!path) continue;
    const field = role === "logo" ? "app.logo" : "app.mark";
    const r = await readText(source, path, LIMITS.imageBytes, "catalog/svg", `the ${role}, ${field}`, (bytes, p) => {
      const kind = sniffNonSvg(bytes);
      return kind
        ? `${p} (${field}) is ${kind}, not an SVG file; export the ${role} from the design tool as SVG.`
        : undefined;
    });
    if (r.ok) out.push(...checkSvgAsset(role, r.path, r.text));
    else if (r.diagnostic) out.push(r.diagnostic);
  }
  return out.sort(compareDiagnostics);
}
