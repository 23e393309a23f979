// The Action's inputs, read from the environment the runner sets (`INPUT_<NAME>`, upper case,
// spaces as underscores, hyphens kept: `fail-on` arrives as `INPUT_FAIL-ON`). The defaults here
// are the ones in action.yml (a test keeps the two in step), so the bundle behaves the same when
// it is run by hand without them.

export const FAIL_ON = ["error", "warning"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const INPUT_DEFAULTS = {
  path: ".",
  replay: "true",
  volume: "",
  concurrency: "",
  policy: "",
  "fail-on": "error",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template literal
  token: "${{ github.token }}",
  manifest: "integration.yml",
  baseline: "",
} as const;
export type InputName = keyof typeof INPUT_DEFAULTS;

export interface Inputs {
  /** The integration's folder, as written (relative to the workspace, or absolute). */
  path: string;
  replay: boolean;
  /** Events for the volume run; 0 = none; undefined = as `devcenter review` does (when the manifest sets a bar). */
  volume?: number;
  /** Deliveries in flight during the volume run; undefined = the manifest's, then replay's default. */
  concurrency?: number;
  /** A policy.yml, relative to the workspace; undefined = the built-in policy. */
  policy?: string;
  failOn: FailOn;
  /** Empty when no token was given. */
  token: string;
  manifest: string;
  /** The approved version's folder (change check); absent for none. */
  baseline?: string;
}

export class InputError extends Error {}

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** The raw value, trimmed; the action.yml default when it is missing or empty (except the token). */
export function rawInput(env: Readonly<Record<string, string | undefined>>, name: InputName): string {
  const value = env[inputEnvName(name)]?.trim() ?? "";
  if (value !== "") return value;
  // `${{ github.token }}` only means something to the runner; run by hand there is no token.
  return name === "token" ? "" : INPUT_DEFAULTS[name];
}

/** YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput accepts them. */
export function parseBoolean(name: string, value: string): boolean {
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new InputError(`The input \`${name}\` must be true or false, not "${value}".`);
}

function parseCount(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(`The input \`${name}\` must be a whole number from ${min} to ${max}, not "${value}".`);
  }
  return Number(value);
}

export function readInputs(env: Readonly<Record<string, string | undefined>>): Inputs {
  const failOn = rawInput(env, "fail-on");
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new InputError(`The input \`fail-on\` must be one of ${FAIL_ON.join(", ")}, not "${failOn}".`);
  }
  return {
    path: rawInput(env, "path"),
    replay: parseBoolean("replay", rawInput(env, "replay")),
    ...(rawInput(env, "volume") ? { volume: parseCount("volume", rawInput(env, "volume"), 0, 1_000_000) } : {}),
    ...(rawInput(env, "concurrency")
      ? { concurrency: parseCount("concurrency", rawInput(env, "concurrency"), 1, 1000) }
      : {}),
    ...(rawInput(env, "policy") ? { policy: rawInput(env, "policy") } : {}),
    failOn: failOn as FailOn,
    token: rawInput(env, "token"),
    manifest: rawInput(env, "manifest"),
    ...(rawInput(env, "baseline") ? { baseline: rawInput(env, "baseline") } : {}),
  };
}
