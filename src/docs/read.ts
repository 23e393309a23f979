// Reading a documentation file or asset: one clear diagnostic for binary or invalid UTF-8
// content; silence for files that are missing, outside the repository or over the size cap,
// which the manifest checks already report (one diagnostic per problem).
import type { Diagnostic } from "../core/diagnostic.js";
import type { FileSource } from "../core/source.js";
import { capitalize, decodeText } from "../core/text.js";
import type { DocsRuleId } from "./rules/index.js";

export type ReadText =
  | { ok: true; path: string; text: string; bytes: Uint8Array }
  | { ok: false; diagnostic?: Diagnostic };

/**
 * @param sniff optional check of the raw bytes before decoding (e.g. "this is a PNG"); returns a message.
 */
export async function readText(
  source: FileSource,
  path: string,
  maxBytes: number,
  ruleId: DocsRuleId,
  what: string,
  sniff?: (bytes: Uint8Array, path: string) => string | undefined,
): Promise<ReadText> {
  const r = await source.read(path, maxBytes);
  if (!r.ok) return { ok: false };
  const sniffed = sniff?.(r.bytes, r.path);
  if (sniffed)
    return { ok: false, diagnostic: { ruleId, severity: "error", message: sniffed, file: r.path, line: 1, column: 1 } };
  const decoded = decodeText(r.bytes, r.path);
  if (!decoded.ok) {
    return {
      ok: false,
      diagnostic: {
        ruleId,
        severity: "error",
        message: `${capitalize(what)} cannot be checked: ${decoded.message}`,
        file: r.path,
        line: 1,
        column: 1,
      },
    };
  }
  return { ok: true, path: r.path, text: decoded.text, bytes: r.bytes };
}
