// The settings replay delivers: the manifest's testSettings (literals, or `{ env: NAME }` read from
// the environment map the caller passes in), over each declared setting's default.
import { type Message, words } from "../core/markdown.js";
import type { Setting, SettingValue } from "../manifest/types.js";

export interface ResolvedSettings {
  /** Every setting, apiKey included. */
  all: Record<string, unknown>;
  apiKey: string;
  /** Values that must never appear in recorded output (sensitive settings and apiKey). */
  secrets: { key: string; value: string }[];
}

export type SettingsResult = { ok: true; settings: ResolvedSettings } | { ok: false; message: string | Message };

function isEnvRef(v: unknown): v is { env: string } {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof (v as { env?: unknown }).env === "string"
  );
}

export function resolveSettings(
  declared: readonly Setting[] | undefined,
  testSettings: Record<string, SettingValue> | undefined,
  env: Readonly<Record<string, string | undefined>>,
  /** Subscriptions need `apiKey`; a plugin's one setting may have another key. */
  options: { requireApiKey?: boolean } = {},
): SettingsResult {
  const all: Record<string, unknown> = {};
  for (const s of declared ?? []) if (s.default !== undefined) all[s.key] = s.default;
  const missing: string[] = [];
  for (const [key, value] of Object.entries(testSettings ?? {})) {
    if (isEnvRef(value)) {
      const v = env[value.env];
      if (v === undefined || v === "")
        missing.push(`testSettings.${key} reads the environment variable ${value.env}, which is not set`);
      else all[key] = v;
    } else all[key] = value;
  }
  if (missing.length) {
    return { ok: false, message: `${missing.join("; ")}. Export it before running replay, or add it as a CI secret.` };
  }
  if (options.requireApiKey !== false && (typeof all.apiKey !== "string" || all.apiKey === "")) {
    return {
      ok: false,
      message: words(
        "testSettings.apiKey is not set: replay needs the API key of a test account to deliver events (use `apiKey: { env: NAME }` to read it from a CI secret).",
      ),
    };
  }
  const sensitive = new Set((declared ?? []).filter((s) => s.sensitive || s.type === "password").map((s) => s.key));
  sensitive.add("apiKey");
  const secrets: { key: string; value: string }[] = [];
  for (const key of sensitive) {
    const v = all[key];
    if (typeof v === "string" && v.length >= 4) secrets.push({ key, value: v });
    else if (typeof v === "number" && String(v).length >= 4) secrets.push({ key, value: String(v) });
  }
  // Longest first, so a secret that contains another is redacted whole.
  secrets.sort((a, b) => b.value.length - a.value.length);
  return { ok: true, settings: { all, apiKey: typeof all.apiKey === "string" ? all.apiKey : "", secrets } };
}

/** The settings a webhook receives in X-Segment-Settings: everything but apiKey. */
export function customSettings(all: Record<string, unknown>): Record<string, unknown> {
  const { apiKey: _ignored, ...rest } = all;
  return rest;
}
