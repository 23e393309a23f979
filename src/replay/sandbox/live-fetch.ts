// The network leg of fetch when requests may reach the network (liveFetch: benchmarks). Node's
// own fetch (undici) costs ~8 times a node:http request of the same bytes (measured: ~500 µs of
// CPU against ~60): behind a handler that makes one request, it was most of the worker's time. So
// a plain request — http(s), redirects followed, its body already read — goes out through node:http
// over a keep-alive agent, with the headers Node's fetch adds, and comes back as a Response that
// reads as fetch's does: status, headers, url, type, redirected; the body decoded (gzip, deflate,
// br), read whole when small and of known length (it comes with the headers), streamed otherwise.
// Anything else (redirect "manual" or "error", an integrity check, a port fetch refuses) goes
// through Node's fetch. test/replay/function-fetch.test.ts holds the two side by side.
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { Readable, pipeline } from "node:stream";
import zlib from "node:zlib";
import { bufferedResponse } from "./buffered-response.js";
import type { Outgoing } from "./outgoing.js";

const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const SMALL_BODY = 64 * 1024;
/** The Fetch standard's "bad ports", which fetch refuses to connect to. */
const BAD_PORTS = new Set(
  "1 7 9 11 13 15 17 19 20 21 22 23 25 37 42 43 53 69 77 79 87 95 101 102 103 104 109 110 111 113 115 117 119 123 135 137 139 143 161 179 389 427 465 512 513 514 515 526 530 531 532 540 548 554 556 563 587 601 636 989 990 993 995 1719 1720 1723 2049 3659 4045 4190 5060 5061 6000 6566 6665 6666 6667 6668 6669 6679 6697 10080".split(
    " ",
  ),
);
/** Headers that describe a request's body: dropped when a redirect drops the body. */
const BODY_HEADERS = ["content-encoding", "content-language", "content-location", "content-type"];
/** Dropped when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie", "host"];

/** Sends `request` (whose body, already read, is `body`) to the network; a Response as fetch gives one. */
export function liveFetch(request: Outgoing, body: string | Uint8Array | undefined): Promise<Response> {
  const url = request.parsed ?? new URL(request.url);
  if (request.redirect !== "follow" || request.integrity || !(url.protocol in agents) || BAD_PORTS.has(url.port)) {
    return request.nodeFetch(typeof body === "string" ? Buffer.from(body) : body);
  }
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return send({ method: request.method, url, headers, body, signal: request.signal, redirects: 0 });
}

interface Hop {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  signal: AbortSignal | undefined;
  redirects: number;
}

/** The request's headers and what Node's fetch adds to every request that does not set them (node:http adds host and connection). */
function withDefaults(hop: Hop): Record<string, string> {
  const h = hop.headers;
  const out: Record<string, string> = {
    accept: "*/*",
    "accept-language": "*",
    "sec-fetch-mode": "cors",
    "user-agent": "node",
    "accept-encoding": hop.url.protocol === "https:" ? "br, gzip, deflate" : "gzip, deflate",
  };
  for (const name in h) if (name !== "host") out[name] = h[name]!;
  if (h.range !== undefined && h["accept-encoding"] === undefined) out["accept-encoding"] = "identity";
  if (hop.body !== undefined)
    out["content-length"] = String(typeof hop.body === "string" ? Buffer.byteLength(hop.body) : hop.body.byteLength);
  else if (hop.method === "POST" || hop.method === "PUT") out["content-length"] = "0";
  // Node's fetch does not reuse a connection after a HEAD request.
  if (hop.method === "HEAD") out.connection = "close";
  return out;
}

function send(hop: Hop): Promise<Response> {
  return new Promise((resolve, reject) => {
    const { signal } = hop;
    if (signal?.aborted) return reject(signal.reason);
    const transport = hop.url.protocol === "https:" ? https : http;
    const req = transport.request(hop.url, {
      method: hop.method,
      headers: withDefaults(hop),
      agent: agents[hop.url.protocol as "http:"],
    });
    const onAbort = (): void => {
      req.destroy(signal!.reason);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (error) => {
      signal?.removeEventListener("abort", onAbort);
      reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: error }));
    });
    req.on("response", (res) => {
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode!) && location !== undefined) {
        signal?.removeEventListener("abort", onAbort);
        res.resume();
        return redirect(hop, res.statusCode!, location).then(resolve, reject);
      }
      const done = (): void => {
        signal?.removeEventListener("abort", onAbort);
      };
      const respond = (body: ReadableStream | Uint8Array | null): void => {
        try {
          resolve(toResponse(hop, res, body));
        } catch (error) {
          res.destroy();
          reject(new TypeError("fetch failed", { cause: error }));
        }
      };
      if (hop.method === "HEAD" || NULL_BODY.has(res.statusCode!)) {
        res.resume();
        done();
        return respond(null);
      }
      const decoded = decode(res, res.headers["content-encoding"]);
      res.on("end", done);
      // A small body of known length is read whole before the Response is made: it comes with the
      // headers, and a Response over a buffer costs far less than one over a Node stream.
      if (decoded === res && Number(res.headers["content-length"]) <= SMALL_BODY) {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => respond(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
        res.on("error", (error) =>
          reject(signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: error })),
        );
        return;
      }
      respond(Readable.toWeb(decoded) as ReadableStream);
    });
    req.end(hop.body);
  });
}

/** Follows a redirect as fetch does: at most 20, 303 (and 301/302 after a POST) as a GET without body, credentials kept to the origin. */
function redirect(hop: Hop, status: number, location: string): Promise<Response> {
  let next: URL;
  try {
    next = new URL(location, hop.url);
  } catch (error) {
    return Promise.reject(new TypeError("fetch failed", { cause: error }));
  }
  if (hop.redirects >= 20 || !(next.protocol in agents)) {
    return Promise.reject(
      new TypeError("fetch failed", {
        cause: new Error(hop.redirects >= 20 ? "redirect count exceeded" : "URL scheme must be a HTTP(S) scheme"),
      }),
    );
  }
  const headers = { ...hop.headers };
  let { method, body } = hop;
  if (
    ((status === 301 || status === 302) && method === "POST") ||
    (status === 303 && method !== "GET" && method !== "HEAD")
  ) {
    method = "GET";
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  if (next.origin !== hop.url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
  if (BAD_PORTS.has(next.port)) return Promise.reject(new TypeError("fetch failed", { cause: new Error("bad port") }));
  return send({ ...hop, method, url: next, headers, body, redirects: hop.redirects + 1 });
}

/** The answer as fetch's Response: status, headers, url and type as Node's fetch sets them. */
function toResponse(hop: Hop, res: IncomingMessage, body: ReadableStream | Uint8Array | null): Response {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const init = { status: res.statusCode!, statusText: res.statusMessage ?? "", headers };
  return fetched(
    body instanceof Uint8Array ? bufferedResponse(body, init) : new Response(body, init),
    hop.url.href,
    hop.redirects > 0,
  );
}

/** What only fetch can set on a Response (url, type, redirected), on it and on its clones. */
function fetched(response: Response, url: string, redirected: boolean): Response {
  const clone = response.clone;
  return Object.defineProperties(response, {
    url: { value: url },
    type: { value: "basic" },
    redirected: { value: redirected },
    clone: { value: () => fetched(clone.call(response), url, redirected), writable: true, configurable: true },
  });
}

function decode(res: IncomingMessage, encoding: string | undefined): Readable {
  const codings = encoding ? encoding.toLowerCase().split(",") : [];
  const decoders: NodeJS.ReadWriteStream[] = [];
  for (let i = codings.length - 1; i >= 0 && codings.length <= 5; i--) {
    const coding = codings[i]!.trim();
    if (coding === "gzip" || coding === "x-gzip")
      decoders.push(
        zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
      );
    else if (coding === "deflate")
      decoders.push(
        zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
      );
    else if (coding === "br")
      decoders.push(
        zlib.createBrotliDecompress({
          flush: zlib.constants.BROTLI_OPERATION_FLUSH,
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
        }),
      );
    else {
      decoders.length = 0;
      break;
    }
  }
  if (!decoders.length) return res;
  return pipeline(res, ...(decoders as [NodeJS.ReadWriteStream]), () => {}) as unknown as Readable;
}
