// Golden files for webhook replay: per case, what the endpoint was sent and the status it answered,
// recorded once and compared on every later run (the function replay's GoldenStore, the same flags
// and wording), so a change that alters what the endpoint accepts shows up as a red case.
// Recorded from the case's exchange, so secrets are already redacted; the URL keeps only its path
// (the host and port of a local endpoint vary from one machine to the next).
import { msg } from "../core/markdown.js";
import type { Exchange } from "./exchange.js";
import type { GoldenWords, RecordedRequest } from "./golden.js";

const SETTINGS_HEADER = "x-segment-settings";

/** One delivery as a golden file holds it. */
export function recordOf(e: Exchange): RecordedRequest {
  const url = new URL(e.request.url);
  const headers: Record<string, string> = {};
  let settings: unknown;
  for (const [name, value] of Object.entries(e.request.headers)) {
    const lower = name.toLowerCase();
    if (lower === "content-length") continue;
    if (lower === SETTINGS_HEADER) settings = decodeSettings(value);
    else headers[name] = value;
  }
  let body: unknown = e.request.body;
  try {
    body = JSON.parse(e.request.body);
  } catch {
    // not JSON (the malformed-body probe): kept as the text sent
  }
  return {
    method: e.request.method,
    url: `${url.pathname}${url.search}`,
    headers,
    ...(settings !== undefined ? { settings } : {}),
    body,
    ...(e.response ? { status: e.response.status } : {}),
  };
}

function decodeSettings(value: string): unknown {
  try {
    return JSON.parse(Buffer.from(value, "base64").toString("utf8"));
  } catch {
    return value;
  }
}

/** A webhook case's golden check in its message (checkGolden, golden.ts). */
export const WEBHOOK_GOLDEN_WORDS: GoldenWords = {
  differs: (file, difference, said) =>
    msg`What was sent or the status that came back differs from ${file}: ${difference}. Run with --update if the change is intended. (${said})`,
  recorded: (file) => ` Recorded in ${file}.`,
};
