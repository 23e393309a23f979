// Rules on a component's settings: keys derived from labels, secrets kept sensitive, defaults that
// fit their type, the subscription's API key and the plugin's single setting.
import { msg } from "../../core/markdown.js";
import type { Component, Manifest, Setting } from "../types.js";
import { manifestRule, show } from "./context.js";

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
  const rest = words
    .slice(1)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
  const restCanonical = words
    .slice(1)
    .map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase())
    .join("");
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

const SECRET_WORDS = new Set([
  "token",
  "secret",
  "password",
  "passwd",
  "passphrase",
  "pwd",
  "credential",
  "credentials",
  "apikey",
]);
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
const NOT_SECRET_SUFFIX = new Set([
  "url",
  "uri",
  "endpoint",
  "ttl",
  "expiry",
  "expires",
  "type",
  "name",
  "header",
  "length",
  "format",
  "field",
  "prefix",
  "id",
]);

/** Whether a setting key or label names a secret: apiKey, token, secret, password, private key, … */
export function looksSecret(name: string): boolean {
  const words = camelWords(name);
  if (words.length === 0) return false;
  if (NOT_SECRET_SUFFIX.has(words[words.length - 1]!) && words.length > 1) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  for (let i = 0; i + 1 < words.length; i++)
    if (SECRET_PAIRS.some(([a, b]) => words[i] === a && words[i + 1] === b)) return true;
  return false;
}

/** Every setting of the components that have settings (subscriptions and plugins), with its pointer. */
function settingsOf(
  m: Manifest,
): { c: Component & { settings: Setting[] }; cp: string; s: Setting; j: number; sp: string }[] {
  const out = [];
  for (const [i, c] of m.components.entries()) {
    if (c.type !== "subscription" && c.type !== "plugin") continue;
    const cp = `/components/${i}`;
    for (const [j, s] of c.settings.entries()) out.push({ c, cp, s, j, sp: `${cp}/settings/${j}` });
  }
  return out;
}

export const settingKey = manifestRule({
  id: "manifest/setting-key",
  severity: "error",
  title: "A setting's key is the camelCase of its label",
  description:
    'Customers see the label; endpoints and handlers read the key. Keeping them in step avoids surprises: "API Key" → `apiKey`, "Custom Setting" → `customSetting`. Capitals inside a word of the label may be kept ("HubSpot Portal ID" → `hubSpotPortalID` or `hubspotPortalId`).',
  check({ manifest, report }) {
    for (const { s, sp } of settingsOf(manifest)) {
      const accepted = acceptedSettingKeys(s.label);
      if (accepted.size === 0) {
        report(
          msg`${show(`${sp}/label`)} has no letters or digits to derive a key from; give the setting a readable label.`,
          `${sp}/label`,
        );
      } else if (!accepted.has(s.key)) {
        report(
          msg`${show(`${sp}/key`)} must be the camelCase form of its label "${s.label}", which is \`${settingKeyFromLabel(s.label)}\`; got \`${s.key}\`. Change the key or the label so they match.`,
          `${sp}/key`,
        );
      }
    }
  },
});

export const settingKeyUnique = manifestRule({
  id: "manifest/setting-key-unique",
  severity: "error",
  title: "Setting keys are unique within a component",
  description:
    "Two settings with the same key would overwrite each other in the settings object your endpoint or handler receives.",
  check({ manifest, report }) {
    let firstAt = new Map<string, number>();
    let component = "";
    for (const { cp, s, j, sp } of settingsOf(manifest)) {
      if (cp !== component) [component, firstAt] = [cp, new Map()];
      const first = firstAt.get(s.key);
      if (first === undefined) firstAt.set(s.key, j);
      else
        report(
          msg`${show(`${sp}/key`)} repeats the key \`${s.key}\` of \`settings[${first}]\`; each setting needs its own key.`,
          `${sp}/key`,
        );
    }
  },
});

export const sensitiveSetting = manifestRule({
  id: "manifest/sensitive-setting",
  severity: "error",
  title: "Secret settings are sensitive and have no default",
  description:
    'A setting whose key or label names a secret (API key, token, secret, password, private/access/write/signing key, credentials), or whose type is `password`, must have `sensitive: true`, so customers can replace its value but never read it back. Names ending in URL, name, ID, type, header and the like ("Token URL") are not treated as secrets. A sensitive setting must not have a `default`.',
  check({ manifest, report }) {
    for (const { s, sp } of settingsOf(manifest)) {
      const secret = s.type === "password" || looksSecret(s.key) || looksSecret(s.label);
      if (secret && s.sensitive !== true) {
        const why =
          s.type === "password" ? "its type is password" : `"${looksSecret(s.key) ? s.key : s.label}" names a secret`;
        report(
          msg`${show(sp)} must have \`sensitive: true\` because ${why}; customers can then replace the value but never read it back.`,
          s.sensitive === undefined ? `${sp}/key` : `${sp}/sensitive`,
        );
      }
      if (s.sensitive === true && s.default !== undefined) {
        report(
          msg`${show(sp)} is sensitive and must not have a \`default\`; a secret's value never belongs in the repository.`,
          `${sp}/default`,
        );
      }
    }
  },
});

/** What a default must be for each setting type, when it is not that. */
function defaultProblem(s: Setting): string | undefined {
  const d = s.default;
  switch (s.type) {
    case "select":
      return s.choices?.includes(d as string)
        ? undefined
        : `one of the setting's choices (${(s.choices ?? []).join(", ")})`;
    case "boolean":
      return typeof d === "boolean" ? undefined : "true or false";
    case "number":
      return typeof d === "number" ? undefined : "a number";
    case "array":
      return Array.isArray(d) ? undefined : "a list";
    case "map":
    case "text-map":
      return typeof d === "object" && d !== null && !Array.isArray(d) ? undefined : "a mapping";
    case "string":
    case "password":
    case "color":
      return typeof d === "string" ? undefined : "text";
  }
  return undefined;
}

export const settingDefault = manifestRule({
  id: "manifest/setting-default",
  severity: "error",
  title: "A setting's default fits its type",
  description:
    "A `select` default must be one of its `choices`; a boolean default is true or false; a number default is a number; list and map settings default to a list or a mapping.",
  check({ manifest, report }) {
    for (const { s, sp } of settingsOf(manifest)) {
      if (s.default === undefined) continue;
      const want = defaultProblem(s);
      if (!want) continue;
      const p = `${sp}/default`;
      const got = JSON.stringify(s.default);
      if (s.type === "select") report(msg`${show(p)} must be ${want}; got ${got}.`, p);
      else report(msg`${show(p)} must be ${want} for a ${s.type} setting; got ${got}.`, p);
    }
  },
});

export const apiKeyRequired = manifestRule({
  id: "manifest/api-key-required",
  severity: "error",
  title: "Every subscription has a required `apiKey` setting",
  description:
    'The platform authenticates each delivery with the customer\'s API key (HTTP Basic for webhooks, `settings.apiKey` in functions). Declare `{ label: "API Key", key: apiKey, type: string, required: true, sensitive: true }`.',
  check({ manifest, report }) {
    for (const [i, c] of manifest.components.entries()) {
      if (c.type !== "subscription") continue;
      const cp = `/components/${i}`;
      const j = c.settings.findIndex((s) => s.key === "apiKey");
      if (j < 0) {
        report(
          msg`${show(cp)} is a subscription and needs a required \`apiKey\` setting (label "API Key", required: true, sensitive: true): the platform sends it with every request.`,
          `${cp}/settings`,
          { key: true },
        );
      } else if (c.settings[j]!.required !== true) {
        const sp = `${cp}/settings/${j}`;
        report(
          msg`${show(sp)} (apiKey) must have \`required: true\`; a subscription cannot work without its API key.`,
          c.settings[j]!.required === undefined ? `${sp}/key` : `${sp}/required`,
        );
      }
    }
  },
});

export const pluginOneSetting = manifestRule({
  id: "manifest/plugin-one-setting",
  severity: "error",
  title: "A plugin has exactly one setting",
  description: "A partner plugin may expose only one setting: a write-scoped key.",
  check({ manifest, report }) {
    for (const [i, c] of manifest.components.entries()) {
      if (c.type !== "plugin" || c.settings.length === 1) continue;
      const p = `/components/${i}/settings`;
      report(msg`A plugin exposes exactly one setting, a write-scoped key; ${show(p)} has ${c.settings.length}.`, p);
    }
  },
});
