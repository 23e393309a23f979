// What a webhook case sent and what came back, kept with the case so a red one can be reproduced
// with curl. Secrets are redacted (the API key in Authorization, sensitive settings in
// X-Segment-Settings, and either echoed back in the answer) and the answer is capped: the first
// 2 KB of its body, 40 headers of at most 256 characters, control characters written as escapes —
// a hostile server answering binary bytes, huge headers or 100 MB gets a few KB into the report.
// Volume replay keeps none of this: only fixture, Test Suite, Spec and probe cases carry it.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import { truncate } from "../core/text.js";
import type { HttpResult } from "./http.js";

/** The JSON shape of a case's `exchange` (README: replay JSON output). */
export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  /** Absent when no HTTP answer came (refused, reset, timed out). */
  response?: {
    status: number;
    headers: Record<string, string>;
    /** How many more headers there were than the 40 kept. */
    headersOmitted?: number;
    /** The first 2 KB of the body as text, control characters escaped (`\u001b`). */
    body: string;
    /** The body was longer than what is shown (or longer than replay reads). */
    bodyTruncated?: boolean;
  };
}

export const MAX_EXCHANGE_BODY_BYTES = 2048;
const MAX_HEADERS = 40;
const MAX_HEADER_VALUE = 256;
/** Written where a secret was. */
export const REDACTED = "[redacted]";

/** A secret setting: its key (redacted in X-Segment-Settings) and value (redacted anywhere). */
export interface Secret {
  key: string;
  value: string;
}

/**
 * Control characters, and invisible characters that reorder or hide text (bidi overrides, zero-width
 * ones), as `\uXXXX`: shown, never obeyed by a terminal. Tab and line breaks are kept.
 */
export function safeText(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The first `max` bytes of `text` (UTF-8), cut on a character boundary. */
function firstBytes(text: string, max: number): { text: string; cut: boolean } {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= max) return { text, cut: false };
  let end = max;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return { text: buf.subarray(0, end).toString("utf8"), cut: true };
}

export interface ExchangeInput {
  url: URL;
  headers: OutgoingHttpHeaders;
  body: string;
  /** The key the delivery was sent with (redacted unless it is the wrong-key probe's). */
  apiKey: string;
  /** Whether `apiKey` is the real one (the wrong-key probe's is shown as sent). */
  apiKeyIsSecret: boolean;
  settings: Record<string, unknown>;
  secrets: readonly Secret[];
}

/** Redacts secret values (as written and base64-encoded) in text the server sent back. */
function redactor(input: ExchangeInput): (s: string) => string {
  const values = new Set<string>();
  for (const s of input.secrets) if (s.value.length >= 4) values.add(s.value);
  if (input.apiKeyIsSecret && input.apiKey.length >= 4) {
    values.add(input.apiKey);
    values.add(Buffer.from(`${input.apiKey}:`, "utf8").toString("base64"));
  }
  const sorted = [...values].sort((a, b) => b.length - a.length);
  return (s) => sorted.reduce((text, v) => text.split(v).join(REDACTED), s);
}

function requestHeaders(input: ExchangeInput): Record<string, string> {
  const out: Record<string, string> = {};
  const secretKeys = new Set(input.secrets.map((s) => s.key));
  for (const [name, value] of Object.entries(input.headers)) {
    if (value === undefined) continue;
    let v = Array.isArray(value) ? value.join(", ") : String(value);
    if (name.toLowerCase() === "authorization" && input.apiKeyIsSecret) v = `Basic ${REDACTED}`;
    if (name.toLowerCase() === "x-segment-settings" && Object.keys(input.settings).some((k) => secretKeys.has(k))) {
      const shown = Object.fromEntries(
        Object.entries(input.settings).map(([k, val]) => [k, secretKeys.has(k) ? REDACTED : val]),
      );
      v = Buffer.from(JSON.stringify(shown), "utf8").toString("base64");
    }
    out[name] = v;
  }
  return out;
}

function responseHeaders(
  headers: IncomingHttpHeaders | undefined,
  redact: (s: string) => string,
): { headers: Record<string, string>; omitted: number } {
  const out: Record<string, string> = {};
  const entries = Object.entries(headers ?? {}).filter(([, v]) => v !== undefined);
  for (const [name, value] of entries.slice(0, MAX_HEADERS)) {
    const v = Array.isArray(value) ? value.join(", ") : String(value);
    out[safeText(truncate(name, 64))] = safeText(redact(truncate(v, MAX_HEADER_VALUE)));
  }
  return { headers: out, omitted: Math.max(0, entries.length - MAX_HEADERS) };
}

/** The exchange of one delivery, redacted and capped. */
export function exchangeOf(input: ExchangeInput, r: HttpResult): Exchange {
  const redact = redactor(input);
  const exchange: Exchange = {
    request: { method: "POST", url: input.url.href, headers: requestHeaders(input), body: redact(input.body) },
  };
  if (r.status !== undefined) {
    const { headers, omitted } = responseHeaders(r.headers, redact);
    const first = firstBytes(r.body, MAX_EXCHANGE_BODY_BYTES);
    exchange.response = {
      status: r.status,
      headers,
      ...(omitted ? { headersOmitted: omitted } : {}),
      body: safeText(redact(first.text)),
      ...(first.cut || r.error?.kind === "too-large" ? { bodyTruncated: true } : {}),
    };
  }
  return exchange;
}

/** A string as one shell word in single quotes. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The environment variable a curl command reads the API key from. */
export const CURL_KEY_VARIABLE = "API_KEY";

/** A curl command line that sends the same request; a redacted key is read from $API_KEY. */
export function curlCommand(e: Exchange): string {
  const parts = [`curl -sS -i -X ${e.request.method} ${shellQuote(e.request.url)}`];
  for (const [name, value] of Object.entries(e.request.headers)) {
    if (name.toLowerCase() === "content-length") continue;
    if (name.toLowerCase() === "authorization" && value === `Basic ${REDACTED}`)
      parts.push(`-u "$${CURL_KEY_VARIABLE}:"`);
    else parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  parts.push(`--data-binary ${shellQuote(e.request.body)}`);
  return parts.join(" \\\n  ");
}

/** The exchange as text lines (`--show`): the request, the answer, the curl command. */
export function exchangeLines(e: Exchange): string[] {
  const out = [`> ${e.request.method} ${e.request.url}`];
  for (const [name, value] of Object.entries(e.request.headers)) out.push(`> ${name}: ${value}`);
  out.push(`> ${safeText(truncate(e.request.body, MAX_EXCHANGE_BODY_BYTES))}`);
  const res = e.response;
  if (res) {
    out.push(`< HTTP ${res.status}`);
    for (const [name, value] of Object.entries(res.headers)) out.push(`< ${name}: ${value}`);
    if (res.headersOmitted) out.push(`< … ${res.headersOmitted} more headers`);
    for (const line of res.body.split(/\r?\n|\r/)) out.push(`< ${line}`);
    if (res.bodyTruncated) out.push("< … (the body goes on; the first 2 KB are shown)");
  } else out.push("< (no HTTP answer)");
  out.push(`Reproduce it (set ${CURL_KEY_VARIABLE} to the test account's key):`);
  out.push(...curlCommand(e).split("\n"));
  return out;
}
