// `--policy FILE`: the operator's policy.yml for a command (src/replay/policy-file.ts reads it).
import { resolve } from "node:path";
import { DEFAULT_POLICY, type Policy } from "../core/policy.js";
import { readPolicyFile } from "../replay/policy-file.js";
import { UsageError } from "./io.js";

/** The policy a command runs under: `--policy FILE` when given, else the built-in defaults. */
export async function policyOption(value: unknown, cwd: string): Promise<Policy> {
  if (value === undefined) return DEFAULT_POLICY;
  if (typeof value !== "string" || value === "") throw new UsageError("--policy takes the path of a policy.yml file.");
  const read = await readPolicyFile(resolve(cwd, value), value);
  if (!read.ok) throw new UsageError(read.message);
  return read.policy;
}
