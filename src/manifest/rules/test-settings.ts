// Rules on a subscription's or plugin's `testSettings`, the values replay delivers: only declared settings,
// secrets from CI rather than the repository, every required setting given.
import { msg } from "../../core/markdown.js";
import type { Component, Manifest, SettingValue } from "../types.js";
import { escapePointerToken } from "../yaml-tree.js";
import { manifestRule, parseUrl, show } from "./context.js";
import { isLoopbackHost } from "./webhook.js";

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

const isEnvRef = (v: SettingValue | undefined): v is { env: string } =>
  typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { env?: unknown }).env === "string";

function envName(slug: string, key: string): string {
  const s = `${slug}_TEST_${key}`
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
  return /^[A-Z_]/.test(s) ? s : `_${s}`;
}

type WithTestSettings = Extract<Component, { type: "subscription" | "plugin" }>;

/**
 * A webhook the repository starts itself (`webhook.start`) on a loopback URL: its test values only
 * ever reach the partner's own test server, whose code (and the key it accepts) is in the same
 * repository, so a literal there discloses nothing. Not a function: its handler runs locally, but
 * the key it receives is the one it sends to the partner's real API (answered from fixtures only
 * in replay), so a literal there is a credential for a real service. Not a plugin either: its key
 * ships to customers' pages.
 */
export function repositoryEndpoint(c: WithTestSettings): boolean {
  if (c.type !== "subscription" || c.style !== "webhook" || c.webhook?.start === undefined) return false;
  const u = parseUrl(c.webhook.url);
  return u !== undefined && (u.protocol === "http:" || u.protocol === "https:") && isLoopbackHost(u.hostname);
}

/** The components replay gives settings to: subscriptions, and plugins (their factory's settings). */
function subscriptionsOf(m: Manifest): { c: WithTestSettings; cp: string }[] {
  return m.components.flatMap((c, i) =>
    c.type === "subscription" || c.type === "plugin" ? [{ c, cp: `/components/${i}` }] : [],
  );
}

export const testSettingsUnknown = manifestRule({
  id: "manifest/test-settings-unknown",
  severity: "error",
  title: "`testSettings` only names declared settings",
  description:
    "Each key of `testSettings` must be the key of one of the component's settings; replay delivers nothing else, so an unknown key is usually a typo.",
  check({ manifest, report }) {
    for (const { c, cp } of subscriptionsOf(manifest)) {
      const keys = new Set(c.settings.map((s) => s.key));
      for (const key of Object.keys(c.testSettings ?? {})) {
        if (keys.has(key)) continue;
        const p = `${cp}/testSettings/${escapePointerToken(key)}`;
        report(
          msg`${show(p)} is not one of the component's settings (${[...keys].join(", ") || "none"}); replay only delivers declared settings.`,
          p,
          { key: true },
        );
      }
    }
  },
});

export const testSettingsSecret = manifestRule({
  id: "manifest/test-settings-secret",
  severity: "error",
  title: "Sensitive test values come from CI secrets",
  description:
    "A sensitive setting's test value must be `{ env: NAME }`, read from a CI secret when replay runs, so that no real credential is committed. A literal is accepted where it cannot be a real credential: any value for a webhook on a loopback URL that the repository starts itself (`webhook.start`), since the key only ever reaches the partner's own test server, whose code is in the same repository; and obvious placeholders anywhere: an empty string, one repeated character (`xxxx`), or text containing test, fake, dummy, example, sample, placeholder, changeme, local or segment. A function's literal must be a placeholder: its handler runs locally, but the key it receives is the one it sends to the partner's real API (answered from fixtures in replay, so a placeholder works).",
  check({ manifest, report }) {
    for (const { c, cp } of subscriptionsOf(manifest)) {
      if (repositoryEndpoint(c)) continue;
      const byKey = new Map(c.settings.map((s) => [s.key, s]));
      const values = c.testSettings ?? {};
      for (const key of Object.keys(values)) {
        const v = values[key];
        if (byKey.get(key)?.sensitive !== true || isEnvRef(v) || isPlaceholderSecret(v)) continue;
        report(
          msg`${show(`${cp}/testSettings/${escapePointerToken(key)}`)} is a sensitive setting with a literal value in the repository; write \`{ env: ${envName(manifest.app.slug, key)} }\` and store the value as a CI secret. A literal is accepted only where it cannot be a real credential: an obvious placeholder such as "test-key", or any value for a webhook on a loopback URL that \`webhook.start\` starts from this repository.`,
          `${cp}/testSettings/${escapePointerToken(key)}`,
        );
      }
    }
  },
});

export const testSettingsMissing = manifestRule({
  id: "manifest/test-settings-missing",
  severity: "warning",
  title: "Required settings have test values",
  description:
    "Replay delivers the values in `testSettings`; a required setting without one (the API key, usually) is sent empty, and the endpoint will likely answer 401.",
  check({ manifest, report }) {
    for (const { c, cp } of subscriptionsOf(manifest)) {
      const values = c.testSettings ?? {};
      if (c.testSettings) {
        for (const s of c.settings) {
          if (s.required === true && !(s.key in values)) {
            report(
              msg`${show(`${cp}/testSettings`)} has no value for the required setting \`${s.key}\`; replay will deliver events without it.`,
              `${cp}/testSettings`,
              { key: true },
            );
          }
        }
      } else if (c.settings.some((s) => s.required === true)) {
        report(
          msg`${show(cp)} has required settings but no \`testSettings\`; replay will deliver events without them.`,
          cp,
        );
      }
    }
  },
});
