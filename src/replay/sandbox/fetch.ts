// The handler's fetch. Every request is recorded (secrets redacted) and answered from the
// fixture's partnerApi list, in order (or 200 `{}` when the case declares none). A request made
// outside any event (while the module loads, or from a timer it started) is refused: there is no
// fixture to answer it from and nothing to record it in.
import type { RecordedRequest } from "../golden.js";
import type { PartnerAnswer } from "../function.js";
import { als, live, loading, refuse, type EventContext } from "./context.js";
import { bufferedResponse } from "./buffered-response.js";
import { liveFetch } from "./live-fetch.js";
import { outgoing, type Outgoing } from "./outgoing.js";
import type { Redactor } from "./redact.js";

// fetch picks a random multipart boundary for a FormData body; recorded as one fixed name, so a
// golden file can hold it.
function stableBoundary(text: string): string {
  return typeof text === "string" ? text.replace(/-{4}formdata-undici-\d+/g, "----formdata-devcenter") : text;
}

const utf8 = new TextDecoder();

/** The request as recorded: headers sorted, secrets redacted, a JSON body parsed. */
function record(request: Outgoing, body: string | Uint8Array | undefined, redact: Redactor): RecordedRequest {
  const headers: Record<string, string> = {};
  const names: string[] = [];
  request.headers.forEach((_v, k) => names.push(k));
  names.sort();
  for (const k of names) headers[k] = stableBoundary(redact.header(k, request.headers.get(k)!));
  const entry: RecordedRequest = { method: request.method, url: redact.url(request.url), headers };
  // As Body.text() reads it: UTF-8, a byte order mark dropped.
  const read = request.text ?? (body === undefined ? "" : typeof body === "string" ? body : utf8.decode(body));
  const text = read ? stableBoundary(read) : "";
  if (text) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    entry.body = parsed !== undefined ? redact.json(parsed) : redact.scrub(text);
  }
  return entry;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

function waitFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(signal.reason);
    const timer = ms === Infinity ? undefined : setTimeout(resolve, ms);
    if (signal)
      signal.addEventListener(
        "abort",
        () => {
          if (timer) clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
  });
}

function fetchFailed(cause: unknown): TypeError {
  return new TypeError("fetch failed", { cause });
}

/** A request outside any event: let through (liveFetch) or refused. */
function outsideEvent(request: Outgoing, redact: Redactor): Promise<Response> {
  if (live) return request.nodeFetch(undefined);
  const what = request.method + " " + redact.url(request.url);
  const why = loading.now
    ? "sent " +
      what +
      " while loading, outside any handler: replay answers requests only inside a handler (onTrack, onIdentify, …), so at import time it would reach the real network unrecorded. Send it from the handler, or on first use"
    : "sent " +
      what +
      " outside any event (from a timer or callback started while loading): replay answers requests only inside a handler (onTrack, onIdentify, …)";
  throw fetchFailed(refuse(why));
}

/** The declared answer for the event's next request, or the error that fails it. */
function declaredAnswer(
  ctx: EventContext & { answers: PartnerAnswer[] },
  request: Outgoing,
  index: number,
  redact: Redactor,
  url: string,
): PartnerAnswer {
  const answer = ctx.answers[index];
  const what = request.method + " " + url;
  if (!answer) {
    ctx.unmatched.push(
      "request " +
        (index + 1) +
        " (" +
        what +
        ") is not declared in partnerApi, which has " +
        ctx.answers.length +
        " answer(s)",
    );
    throw fetchFailed(new Error("devcenter replay: undeclared partner API request " + what));
  }
  // An answer without a url (fault replay) answers whatever the handler asks.
  if (
    answer.url !== undefined &&
    (String(answer.method || "GET").toUpperCase() !== request.method.toUpperCase() || !sameUrl(answer.url, request.url))
  ) {
    ctx.unmatched.push(
      "request " +
        (index + 1) +
        " was " +
        what +
        " but partnerApi[" +
        index +
        "] declares " +
        String(answer.method || "GET").toUpperCase() +
        " " +
        redact.url(String(answer.url)),
    );
    throw fetchFailed(new Error("devcenter replay: unexpected partner API request " + what));
  }
  ctx.used = index + 1;
  return answer;
}

/** The answer as the handler receives it: delayed, hanging, a reset, or a Response. */
async function respond(ctx: EventContext, answer: PartnerAnswer, signal: AbortSignal | undefined): Promise<Response> {
  if (answer.delayMs) await waitFor(answer.delayMs, signal);
  if (answer.error === "timeout") {
    ctx.hung = true;
    await waitFor(Infinity, signal);
  }
  if (answer.error === "reset") {
    throw fetchFailed(
      Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", errno: -104, syscall: "read" }),
    );
  }
  const headers = new Headers(answer.headers || {});
  let body: string | null = null;
  if (answer.body !== undefined && answer.body !== null) {
    if (typeof answer.body === "string") body = answer.body;
    else {
      body = JSON.stringify(answer.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
  }
  const status = answer.status || 200;
  const noBody = status === 204 || status === 205 || status === 304;
  return noBody || body === null
    ? new Response(null, { status, headers })
    : bufferedResponse(body, { status, headers });
}

/** Replaces the global fetch with the recording one. */
export function installFetch(redact: Redactor): void {
  async function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const ctx = als.getStore();
    const request = outgoing(input, init);
    if (!ctx) return outsideEvent(request, redact);
    // Like fetch itself: an already-aborted signal rejects before anything is sent (or recorded).
    if (request.signal?.aborted) throw request.signal.reason;
    const index = ctx.sent++;
    const body = request.read ? await request.read() : request.payload;
    // Recorded (secrets redacted) unless only counted: a volume run keeps nothing but the count.
    const entry = ctx.record ? record(request, body, redact) : undefined;
    if (entry) ctx.requests.push(entry);
    if (ctx.live) return liveFetch(request, body);
    if (ctx.answers === null)
      return bufferedResponse("{}", { status: 200, headers: new Headers({ "content-type": "application/json" }) });
    const url = entry ? entry.url : redact.url(request.url);
    const answer = declaredAnswer(ctx as EventContext & { answers: PartnerAnswer[] }, request, index, redact, url);
    return respond(ctx, answer, request.signal);
  }
  globalThis.fetch = fakeFetch;
}
