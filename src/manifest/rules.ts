// Semantic rules on a manifest that passed the schema: conventions the schema cannot express,
// each reported at the manifest line that breaks it. Docs content, SVG contents and catalog copy
// are checked by src/docs; this module only checks that referenced files exist and are usable.
import { posix } from "node:path";
import type { Diagnostic, Severity } from "../core/diagnostic.js";
import { fileDiagnostic } from "../core/file-diagnostic.js";
import { LIMITS } from "../core/limits.js";
import { normalizePath, type FileSource } from "../core/source.js";
import type { LoadedManifest } from "./load.js";
import type { Component, Manifest, Setting, SettingValue } from "./types.js";
import { escapePointerToken, pointerToPath } from "./yaml-tree.js";

/** Lowercase letters and digits in groups joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Words of a label, ASCII letters and digits only ("Région ID" → ["Region", "ID"]). */
function labelWords(label: string): string[] {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/** The setting key a label implies: "API Key" → apiKey, "Custom Setting" → customSetting. */
export function settingKeyFromLabel(label: string): string {
  const words = labelWords(label);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join("");
}

/** Keys accepted for a label: the canonical camelCase, or one that keeps the label's own capitals inside words ("HubSpot Portal ID" → hubSpotPortalID). */
export function acceptedSettingKeys(label: string): Set<string> {
  const words = labelWords(label);
  const keys = new Set<string>();
  if (words.length === 0) return keys;
  keys.add(settingKeyFromLabel(label));
  const first = words[0]!;
  const firstForms = [first.toLowerCase(), first[0]!.toLowerCase() + first.slice(1)];
  const rest = words.slice(1).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  const restCanonical = words.slice(1).map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join("");
  for (const f of firstForms) for (const r of [rest, restCanonical]) keys.add(f + r);
  return keys;
}

function camelWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const SECRET_WORDS = new Set(["token", "secret", "password", "passwd", "passphrase", "pwd", "credential", "credentials", "apikey"]);
const SECRET_PAIRS = [
  ["api", "key"],
  ["private", "key"],
  ["access", "key"],
  ["write", "key"],
  ["signing", "key"],
  ["secret", "key"],
  ["auth", "key"],
  ["license", "key"],
];
/** Last words that make a secret-sounding name describe something else ("Token URL", "Secret Header Name"). */
const NOT_SECRET_SUFFIX = new Set(["url", "uri", "endpoint", "ttl", "expiry", "expires", "type", "name", "header", "length", "format", "field", "prefix", "id"]);

/** Whether a setting key or label names a secret: apiKey, token, secret, password, private key, … */
export function looksSecret(name: string): boolean {
  const words = camelWords(name);
  if (words.length === 0) return false;
  if (NOT_SECRET_SUFFIX.has(words[words.length - 1]!) && words.length > 1) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  for (let i = 0; i + 1 < words.length; i++) if (SECRET_PAIRS.some(([a, b]) => words[i] === a && words[i + 1] === b)) return true;
  return false;
}

/**
 * Literal test values accepted for a sensitive setting: obvious placeholders that cannot be a real
 * credential ("test-key", "fake", "dummy", "example", "local-only", "changeme", "xxxx", "segment").
 * Anything else must come from a CI secret through `{ env: NAME }`.
 */
export function isPlaceholderSecret(value: unknown): boolean {
  if (typeof value !== "string") return false;
  if (value === "") return true;
  if (/^(.)\1*$/.test(value)) return true;
  return /test|fake|dummy|example|sample|placeholder|changeme|change-me|local|segment|not-a-real|notreal/i.test(value);
}

/** 127.0.0.0/8, ::1 and localhost names: a test endpoint on the machine running replay. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || /^127(?:\.\d{1,3}){3}$/.test(h) || h === "::1";
}

function parseUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

const isEnvRef = (v: SettingValue | undefined): v is { env: string } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { env?: unknown }).env === "string";

/** How each referenced path is read: what it must be and the size cap that applies. */
const FILE_CAPS = {
  image: LIMITS.imageBytes,
  doc: LIMITS.docBytes,
  code: LIMITS.eventFileBytes,
} as const;

export async function checkManifest(loaded: LoadedManifest & { manifest: Manifest }, source: FileSource): Promise<Diagnostic[]> {
  const m = loaded.manifest;
  const file = loaded.file;
  const out: Diagnostic[] = [];
  const base = posix.dirname(file) === "." ? "" : posix.dirname(file);

  const report = (ruleId: string, message: string, pointer: string, opts: { severity?: Severity; key?: boolean } = {}): void => {
    const pos = opts.key ? (loaded.locateKey ?? loaded.locate)(pointer) : loaded.locate(pointer);
    const d: Diagnostic = { ruleId, severity: opts.severity ?? "error", message, file, path: pointer };
    if (pos) Object.assign(d, pos);
    out.push(d);
  };
  const show = (pointer: string): string => `\`${pointerToPath(pointer)}\``;

  // Slug.
  if (!SLUG_PATTERN.test(m.app.slug)) {
    const suggestion = m.app.slug
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
    report(
      "manifest/slug-format",
      `\`app.slug\` must be lowercase letters and digits joined by single hyphens; got ${JSON.stringify(m.app.slug)}.${suggestion && SLUG_PATTERN.test(suggestion) ? ` Try "${suggestion}".` : ""}`,
      "/app/slug",
    );
  }

  // Components.
  for (const [i, c] of m.components.entries()) {
    const cp = `/components/${i}`;
    if (c.type === "subscription" || c.type === "plugin") checkSettings(c, cp);
    if (c.type === "subscription") {
      checkApiKey(c.settings, cp);
      checkTestSettings(c, cp);
      if (c.style === "webhook") checkWebhook(c.webhook, cp);
    }
    if (c.type === "plugin" && c.settings.length !== 1) {
      report(
        "manifest/plugin-one-setting",
        `A plugin exposes exactly one setting, a write-scoped key; ${show(`${cp}/settings`)} has ${c.settings.length}.`,
        `${cp}/settings`,
      );
    }
  }

  // OAuth.
  if (m.oauth) {
    const want = `destination/${m.app.slug}`;
    if (m.oauth.scope !== want) {
      report("manifest/oauth-scope", `\`oauth.scope\` must be "${want}" (your App's own destination scope); got ${JSON.stringify(m.oauth.scope)}.`, "/oauth/scope");
    }
    m.oauth.redirectUris.forEach((uri, j) => {
      const u = parseUrl(uri);
      const p = `/oauth/redirectUris/${j}`;
      if (!u || u.protocol !== "https:") {
        report("manifest/oauth-redirect-uri", `${show(p)} must be an https:// URL; got ${JSON.stringify(uri)}. Authorization codes must never travel over plain HTTP.`, p);
      } else if (u.hash) {
        report("manifest/oauth-redirect-uri", `${show(p)} must not contain a #fragment; OAuth redirect URIs cannot have one.`, p);
      }
    });
  }

  // Customers.
  if (m.customers) {
    const firstAt = new Map<string, number>();
    m.customers.forEach((c, j) => {
      const k = c.workspace.toLowerCase();
      const first = firstAt.get(k);
      if (first === undefined) firstAt.set(k, j);
      else report("manifest/customers-unique", `\`customers[${j}]\` repeats the workspace "${c.workspace}" (already \`customers[${first}]\`); each customer counts once.`, `/customers/${j}/workspace`);
    });
  }

  // Referenced paths.
  await checkFile(m.app.logo, "/app/logo", "image");
  await checkFile(m.app.mark, "/app/mark", "image");
  if (m.docs?.segment !== undefined) await checkFile(m.docs.segment, "/docs/segment", "doc");
  if (m.docs?.catalog !== undefined) await checkFile(m.docs.catalog, "/docs/catalog", "doc");
  for (const [i, c] of m.components.entries()) {
    if ("entry" in c && typeof c.entry === "string") await checkFile(c.entry, `/components/${i}/entry`, "code");
    if (c.fixtures !== undefined) await checkFolder(c.fixtures, `/components/${i}/fixtures`);
  }
  return out;

  function checkSettings(c: Component & { settings: Setting[] }, cp: string): void {
    const firstAt = new Map<string, number>();
    c.settings.forEach((s, j) => {
      const sp = `${cp}/settings/${j}`;
      const accepted = acceptedSettingKeys(s.label);
      if (accepted.size === 0) {
        report("manifest/setting-key", `${show(`${sp}/label`)} has no letters or digits to derive a key from; give the setting a readable label.`, `${sp}/label`);
      } else if (!accepted.has(s.key)) {
        report(
          "manifest/setting-key",
          `${show(`${sp}/key`)} must be the camelCase form of its label "${s.label}", which is \`${settingKeyFromLabel(s.label)}\`; got \`${s.key}\`. Change the key or the label so they match.`,
          `${sp}/key`,
        );
      }
      const first = firstAt.get(s.key);
      if (first === undefined) firstAt.set(s.key, j);
      else report("manifest/setting-key-unique", `${show(`${sp}/key`)} repeats the key \`${s.key}\` of \`settings[${first}]\`; each setting needs its own key.`, `${sp}/key`);

      const secret = s.type === "password" || looksSecret(s.key) || looksSecret(s.label);
      if (secret && s.sensitive !== true) {
        const why = s.type === "password" ? "its type is password" : `"${looksSecret(s.key) ? s.key : s.label}" names a secret`;
        report(
          "manifest/sensitive-setting",
          `${show(sp)} must have \`sensitive: true\` because ${why}; customers can then replace the value but never read it back.`,
          s.sensitive === undefined ? `${sp}/key` : `${sp}/sensitive`,
        );
      }
      if (s.sensitive === true && s.default !== undefined) {
        report("manifest/sensitive-setting", `${show(sp)} is sensitive and must not have a \`default\`; a secret's value never belongs in the repository.`, `${sp}/default`);
      }
      if (s.default !== undefined) checkDefault(s, sp);
    });
  }

  function checkDefault(s: Setting, sp: string): void {
    const d = s.default;
    const p = `${sp}/default`;
    const bad = (what: string): void => report("manifest/setting-default", `${show(p)} must be ${what} for a ${s.type} setting; got ${JSON.stringify(d)}.`, p);
    switch (s.type) {
      case "select":
        if (!s.choices?.includes(d as string)) report("manifest/setting-default", `${show(p)} must be one of the setting's choices (${(s.choices ?? []).join(", ")}); got ${JSON.stringify(d)}.`, p);
        break;
      case "boolean":
        if (typeof d !== "boolean") bad("true or false");
        break;
      case "number":
        if (typeof d !== "number") bad("a number");
        break;
      case "array":
        if (!Array.isArray(d)) bad("a list");
        break;
      case "map":
      case "text-map":
        if (typeof d !== "object" || d === null || Array.isArray(d)) bad("a mapping");
        break;
      case "string":
      case "password":
      case "color":
        if (typeof d !== "string") bad("text");
        break;
    }
  }

  function checkApiKey(settings: Setting[], cp: string): void {
    const j = settings.findIndex((s) => s.key === "apiKey");
    if (j < 0) {
      report(
        "manifest/api-key-required",
        `${show(cp)} is a subscription and needs a required \`apiKey\` setting (label "API Key", required: true, sensitive: true): the platform sends it with every request.`,
        `${cp}/settings`,
        { key: true },
      );
    } else if (settings[j]!.required !== true) {
      const sp = `${cp}/settings/${j}`;
      report("manifest/api-key-required", `${show(sp)} (apiKey) must have \`required: true\`; a subscription cannot work without its API key.`, settings[j]!.required === undefined ? `${sp}/key` : `${sp}/required`);
    }
  }

  function checkTestSettings(c: Extract<Component, { type: "subscription" }>, cp: string): void {
    const byKey = new Map(c.settings.map((s) => [s.key, s]));
    const values = c.testSettings ?? {};
    for (const key of Object.keys(values)) {
      const p = `${cp}/testSettings/${escapePointerToken(key)}`;
      const s = byKey.get(key);
      if (!s) {
        report("manifest/test-settings-unknown", `${show(p)} is not one of the component's settings (${[...byKey.keys()].join(", ") || "none"}); replay only delivers declared settings.`, p, { key: true });
        continue;
      }
      const v = values[key];
      if (s.sensitive === true && !isEnvRef(v) && !isPlaceholderSecret(v)) {
        report(
          "manifest/test-settings-secret",
          `${show(p)} is a sensitive setting with a literal value in the repository; write \`{ env: ${envName(m.app.slug, key)} }\` and store the value as a CI secret (obvious placeholders such as "test-key" are accepted for local test endpoints).`,
          p,
        );
      }
    }
    if (c.testSettings) {
      for (const s of c.settings) {
        if (s.required === true && !(s.key in values)) {
          report("manifest/test-settings-missing", `${show(`${cp}/testSettings`)} has no value for the required setting \`${s.key}\`; replay will deliver events without it.`, `${cp}/testSettings`, { severity: "warning", key: true });
        }
      }
    } else if (c.settings.some((s) => s.required === true)) {
      report("manifest/test-settings-missing", `${show(cp)} has required settings but no \`testSettings\`; replay will deliver events without them.`, cp, { severity: "warning" });
    }
  }

  function checkWebhook(w: { url: string; start?: string; ready?: string }, cp: string): void {
    for (const field of ["url", "ready"] as const) {
      const value = w[field];
      if (value === undefined) continue;
      const p = `${cp}/webhook/${field}`;
      const u = parseUrl(value);
      if (!u) continue; // the schema reported it
      if (u.username || u.password) {
        report("manifest/webhook-url", `${show(p)} contains a user name or password; credentials never belong in the repository. Use a setting (apiKey) instead.`, p);
      } else if (u.protocol === "http:" && !isLoopbackHost(u.hostname)) {
        report("manifest/webhook-url", `${show(p)} uses plain http:// for ${u.hostname}; use https://, or http://127.0.0.1 / http://localhost for a test endpoint that replay starts on the runner.`, p);
      } else if (u.protocol !== "http:" && u.protocol !== "https:") {
        report("manifest/webhook-url", `${show(p)} must be an http(s) URL; got ${JSON.stringify(value)}.`, p);
      }
    }
    const u = parseUrl(w.url);
    if (w.start !== undefined && u && !isLoopbackHost(u.hostname)) {
      report("manifest/webhook-url", `${show(`${cp}/webhook/url`)} points at ${u.hostname}, but \`webhook.start\` starts a local endpoint; replay will not send events to what it started. Point the URL at http://127.0.0.1:<port>.`, `${cp}/webhook/url`, { severity: "warning" });
    }
  }

  async function checkFile(path: string, pointer: string, kind: keyof typeof FILE_CAPS): Promise<void> {
    const where = { file, path: pointer, ...(loaded.locate(pointer) ?? {}) };
    const norm = normalizePath(path, base);
    if (!norm.ok) {
      out.push(fileDiagnostic({ reason: "escapes", message: `${show(pointer)}: ${norm.message}` }, where));
      return;
    }
    const r = await source.read(norm.path, FILE_CAPS[kind]);
    if (r.ok) return;
    out.push(fileDiagnostic({ reason: r.reason, message: `${show(pointer)}: ${r.message}` }, where));
  }

  async function checkFolder(path: string, pointer: string): Promise<void> {
    const where = { file, path: pointer, ...(loaded.locate(pointer) ?? {}) };
    const norm = normalizePath(path, base);
    if (!norm.ok) {
      out.push(fileDiagnostic({ reason: "escapes", message: `${show(pointer)}: ${norm.message}` }, where));
      return;
    }
    const r = await source.list(norm.path, 1);
    if (!r.ok) out.push(fileDiagnostic({ reason: r.reason, message: `${show(pointer)} must be a folder: ${r.message}` }, where));
  }
}

function envName(slug: string, key: string): string {
  const s = `${slug}_TEST_${key}`.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
  return /^[A-Z_]/.test(s) ? s : `_${s}`;
}
