// What the documentation checks read from the manifest, read defensively: the manifest may have
// failed its own schema checks and still be handed over, and no check may crash on it.
import type { CallType } from "../core/vocabulary.js";
import type { Manifest } from "../manifest/types.js";

export interface DocsView {
  appName?: string;
  description?: string;
  website?: string;
  logo?: string;
  mark?: string;
  segmentDoc?: string;
  catalogDoc?: string;
  hasSubscription: boolean;
  hasStream: boolean;
  hasPlugin: boolean;
  /** Union of the subscriptions' `supports`. */
  supported: Set<CallType>;
  /** Labels of subscriptions whose `supports` leaves out `delete`. */
  withoutDelete: string[];
  /**
   * Whether `supported` and `withoutDelete` can be trusted: false when the manifest failed its
   * schema, where `supports` may be misspelt, misplaced or malformed. The checks that compare the
   * page with `supports` (per-call sections, deletion) then wait for a valid manifest rather than
   * tell the partner to delete sections on guessed data.
   */
  supportsKnown: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

export function docsView(manifest: Manifest, schemaValid = true): DocsView {
  const m = (manifest ?? {}) as Partial<Manifest>;
  const app = (m.app && typeof m.app === "object" ? m.app : {}) as Partial<Manifest["app"]>;
  const docs = (m.docs && typeof m.docs === "object" ? m.docs : {}) as NonNullable<Manifest["docs"]>;
  const components = Array.isArray(m.components) ? m.components : [];
  const supported = new Set<CallType>();
  const withoutDelete: string[] = [];
  let hasSubscription = false;
  let hasStream = false;
  let hasPlugin = false;
  components.forEach((c, i) => {
    if (!c || typeof c !== "object") return;
    if (c.type === "subscription") {
      hasSubscription = true;
      const supports = Array.isArray(c.supports) ? c.supports.filter((s): s is CallType => typeof s === "string") : [];
      for (const s of supports) supported.add(s);
      if (!supports.includes("delete"))
        withoutDelete.push(str(c.name) ?? `components[${i}] (${str(c.style) ?? "subscription"})`);
    } else if (c.type === "stream") hasStream = true;
    else if (c.type === "plugin") hasPlugin = true;
  });
  return {
    appName: str(app.name)?.trim(),
    description: str(app.description),
    website: str(app.website),
    logo: str(app.logo),
    mark: str(app.mark),
    segmentDoc: str(docs.segment),
    catalogDoc: str(docs.catalog),
    hasSubscription,
    hasStream,
    hasPlugin,
    supported,
    withoutDelete,
    supportsKnown: schemaValid,
  };
}

/** `Destination`, or `Source` for an app made only of streams. */
export function titleSuffix(view: DocsView): "Destination" | "Source" {
  return view.hasStream && !view.hasSubscription && !view.hasPlugin ? "Source" : "Destination";
}
