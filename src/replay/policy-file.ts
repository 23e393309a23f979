// A policy.yml read from disk for a front door (`--policy FILE`, the Action's `policy` input). The
// engine never reads it: the policy is an input to review and replay.
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { formatLocation } from "../core/diagnostic.js";
import type { Policy } from "../core/policy.js";
import { decodeText } from "../core/text.js";
import { MAX_POLICY_BYTES, parsePolicy } from "../policy/parse.js";

/** The policy in `path` (shown as `label`), or what is wrong with the file, one finding a line. */
export async function readPolicyFile(
  path: string,
  label = path,
): Promise<{ ok: true; policy: Policy } | { ok: false; message: string }> {
  let bytes: Uint8Array;
  try {
    // Opened without blocking (a FIFO with no writer would hang a plain open) and checked before
    // reading: a folder, a FIFO or a device is refused unread.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = await handle.stat();
      if (!st.isFile())
        return { ok: false, message: `The policy ${label} is not a regular file; give the path of a policy.yml.` };
      if (st.size > MAX_POLICY_BYTES)
        return {
          ok: false,
          message: `The policy ${label} is ${st.size} bytes; a policy is a few lines (at most ${MAX_POLICY_BYTES} bytes). Check the path.`,
        };
      bytes = new Uint8Array(await handle.readFile());
    } finally {
      await handle.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message:
        code === "ENOENT"
          ? `The policy ${label} does not exist; check the path.`
          : `The policy ${label} could not be read (${code ?? (err as Error).message}).`,
    };
  }
  const text = decodeText(bytes, label);
  if (!text.ok) return { ok: false, message: text.message };
  const read = parsePolicy(text.text, label);
  if (read.ok) return { ok: true, policy: read.policy };
  const lines = read.diagnostics.map((d) => `  ${formatLocation(d)}  ${d.message}  (${d.ruleId})`);
  return { ok: false, message: `The policy ${label} cannot be used:\n${lines.join("\n")}` };
}
