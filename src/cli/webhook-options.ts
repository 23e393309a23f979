// Options of the commands that deliver to a webhook endpoint (`replay --url`, `send`): whole numbers,
// the `--settings` JSON object and the `--url`.
import { UsageError } from "./io.js";

export function positiveInt(name: string, value: string | undefined, max = 10_000_000): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw new UsageError(`${name} must be a whole number from 1 to ${max}; got "${value}".`);
  return Number(value);
}

export function parseSettings(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new UsageError(
      `--settings must be a JSON object, e.g. '{"region":"eu"}'; it does not parse: ${(err as Error).message}`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageError(`--settings must be a JSON object, e.g. '{"region":"eu"}'.`);
  return parsed as Record<string, unknown>;
}

/** `--url`, which must be given and be http(s). */
export function webhookUrl(value: string | undefined): URL {
  if (value === undefined || value === "")
    throw new UsageError("--url URL is required: the webhook endpoint to deliver to.");
  try {
    const u = new URL(value);
    if (u.protocol === "http:" || u.protocol === "https:") return u;
  } catch {
    // said below
  }
  throw new UsageError(`--url must be an http:// or https:// URL; got "${value}".`);
}
