// The parts of an approved manifest (the record's `manifest`, parsed JSON) that the catalog shows.
// The manifest was valid when it was approved, but the record is read as untrusted data anyway.
import { CALL_TYPES } from "../core/vocabulary.js";
import { isObject, list, text, texts, type Json } from "./fields.js";
import type { BreakingChange, SiteComponent, SiteIntegration, SiteSetting } from "./model.js";

/** The integration's fields that come from its manifest. */
export type ManifestView = Pick<
  SiteIntegration,
  "categories" | "calls" | "components" | "settings" | "breakingChanges"
> &
  Partial<Pick<SiteIntegration, "description" | "website" | "supportEmail" | "documentationUrl" | "version">>;

const KIND: Record<string, string> = {
  "subscription/webhook": "Cloud mode (webhook)",
  "subscription/function": "Cloud mode (function)",
  stream: "Stream (sends events into the platform)",
  plugin: "Browser plugin (device mode)",
};

export function manifestView(manifest: unknown): ManifestView {
  const m: Json = isObject(manifest) ? manifest : {};
  const app: Json = isObject(m.app) ? m.app : {};
  const launch: Json = isObject(m.launch) ? m.launch : {};
  const components = list(m.components, 100).filter(isObject);
  const calls = new Set<string>();
  const settings = new Map<string, SiteSetting>();
  const kinds: SiteComponent[] = [];
  for (const c of components) {
    const type = text(c.type, 40) ?? "";
    const kind = KIND[type === "subscription" ? `subscription/${text(c.style, 40) ?? ""}` : type];
    if (!kind) continue;
    const name = text(c.name, 100);
    kinds.push(name ? { kind, name } : { kind });
    for (const call of texts(type === "stream" ? c.emits : c.supports))
      if ((CALL_TYPES as readonly string[]).includes(call)) calls.add(call);
    for (const s of list(c.settings, 1000).filter(isObject)) {
      const key = text(s.key, 100);
      if (!key || settings.has(key)) continue;
      const description = text(s.description, 500);
      settings.set(key, {
        key,
        label: text(s.label, 100) ?? key,
        type: text(s.type, 40) ?? "string",
        required: s.required === true,
        secret: s.sensitive === true || s.type === "password",
        ...(description ? { description } : {}),
      });
    }
  }
  const breakingChanges: BreakingChange[] = [];
  for (const b of list(m.breakingChanges, 100).filter(isObject)) {
    const version = text(b.version, 40);
    const message = text(b.message, 1000);
    if (!version || !message) continue;
    const deadline = text(b.upgradeDeadline, 40);
    const guide = text(b.migrationGuide, 500);
    breakingChanges.push({
      version,
      message,
      ...(deadline ? { upgradeDeadline: deadline } : {}),
      ...(guide ? { migrationGuide: guide } : {}),
    });
  }
  const view: ManifestView = {
    categories: texts(app.categories, 10),
    calls: CALL_TYPES.filter((c) => calls.has(c)),
    components: kinds,
    settings: [...settings.values()],
    breakingChanges,
  };
  const optional = {
    description: text(app.description, 1000),
    website: text(app.website, 2000),
    supportEmail: text(app.supportEmail, 320),
    documentationUrl: text(launch.documentationUrl, 2000),
    version: text(m.version, 40),
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (view as unknown as Json)[k] = v;
  return view;
}
