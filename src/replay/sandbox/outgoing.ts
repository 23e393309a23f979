// A request as the sandbox's fetch sees it. The plain call — fetch(url, { method, headers, body:
// string, signal }) — is read straight from its arguments, as Request would read them (the same
// URL, method, headers, the default content-type of a text body); building a Request and reading
// its body back cost a fifth of a live request. Anything else (a Request, a URL with credentials, a
// stream, FormData or URLSearchParams body, other options, input Request would refuse) is built as
// a Request, so fetch's own checks and errors apply unchanged.
import { realFetch } from "./context.js";

export interface Outgoing {
  method: string;
  /** Parsed, as Request.url. */
  url: string;
  headers: Headers;
  signal: AbortSignal | undefined;
  redirect: Request["redirect"];
  integrity: string;
  /** The URL parsed, when it was read from the arguments. */
  parsed?: URL;
  /** The body as Request.text() reads it (a plain call's string); undefined: read it with read(). */
  text?: string;
  /** A plain call's body, as sent. */
  payload?: string;
  /** Reads a Request's body, once, whole (a clone would tee the stream); a body that fails to read is none. */
  read?: () => Promise<Uint8Array | undefined>;
  /** Sends the call as Node's own fetch would, unchanged (for what replay does not send itself). */
  nodeFetch(body: Uint8Array | undefined): Promise<Response>;
}

const NORMALIZED = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const PLAIN_OPTIONS = new Set(["method", "headers", "body", "signal"]);
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

function plainMethod(method: unknown): string | undefined {
  if (method === undefined) return "GET";
  if (typeof method !== "string") return undefined;
  const upper = method.toUpperCase();
  return NORMALIZED.has(upper) ? upper : method === "PATCH" ? method : undefined;
}

/** The plain call's parts, or undefined when Request must read them. */
function plain(input: unknown, init: RequestInit | undefined): Outgoing | undefined {
  if (typeof input !== "string" && !(input instanceof URL)) return undefined;
  if (
    init !== undefined &&
    (init === null || typeof init !== "object" || Object.getPrototypeOf(init) !== Object.prototype)
  )
    return undefined;
  const o = (init ?? {}) as Record<string, unknown>;
  for (const key in o) if (!PLAIN_OPTIONS.has(key)) return undefined;
  const method = plainMethod(o.method);
  const body = o.body ?? undefined;
  const signal = o.signal ?? undefined;
  if (
    !method ||
    (body !== undefined && (typeof body !== "string" || !isWellFormed(body) || method === "GET" || method === "HEAD"))
  )
    return undefined;
  if (signal !== undefined && !(signal instanceof AbortSignal)) return undefined;
  let url: URL;
  let headers: Headers;
  try {
    url = new URL(String(input));
    headers = new Headers(o.headers as ConstructorParameters<typeof Headers>[0]);
  } catch {
    return undefined; // Request says why, in its own words
  }
  if (url.username || url.password) return undefined;
  if (typeof body === "string" && !headers.has("content-type")) headers.set("content-type", "text/plain;charset=UTF-8");
  return {
    method,
    url: url.href,
    parsed: url,
    headers,
    signal,
    redirect: "follow",
    integrity: "",
    // Body.text() drops a byte order mark.
    ...(typeof body === "string" ? { payload: body, text: body.charCodeAt(0) === 0xfeff ? body.slice(1) : body } : {}),
    nodeFetch: () => realFetch(input, init),
  };
}

function fromRequest(request: Request): Outgoing {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    signal: request.signal,
    redirect: request.redirect,
    integrity: request.integrity,
    nodeFetch: (body) => realFetch(body === undefined || !request.bodyUsed ? request : new Request(request, { body })),
    read: () =>
      request.body
        ? request.arrayBuffer().then(
            (b) => new Uint8Array(b),
            () => undefined,
          )
        : Promise.resolve(undefined),
  };
}

/** What fetch(input, init) would send; throws as Request does for what fetch refuses. */
export function outgoing(input: string | URL | Request, init: RequestInit | undefined): Outgoing {
  return plain(input, init) ?? fromRequest(new Request(input, init));
}
