// The HTTP client replay delivers with: node:http(s) over a keep-alive agent, a deadline per
// request, and a cap on how much of an answer is read (a huge body is reported, never buffered).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { performance } from "node:perf_hooks";

export type HttpFailure = "timeout" | "refused" | "reset" | "protocol" | "too-large" | "aborted" | "other";

export interface HttpResult {
  status?: number;
  /** The answer's body as text (at most maxBodyBytes). */
  body: string;
  headers?: IncomingMessage["headers"];
  durationMs: number;
  error?: { kind: HttpFailure; message: string };
}

export interface HttpClientOptions {
  /** Sockets kept per host; default 20. */
  maxSockets?: number;
  /** Default 64 KiB. */
  maxBodyBytes?: number;
  /** Accept self-signed certificates (a partner's local HTTPS endpoint); default true. */
  insecure?: boolean;
}

export interface PostOptions {
  timeoutMs: number;
  /** Do not keep the body of a 2xx answer (volume replay grades only the status). */
  discardOkBody?: boolean;
  method?: string;
  signal?: AbortSignal;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export class HttpClient {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;
  private readonly maxBodyBytes: number;

  constructor(options: HttpClientOptions = {}) {
    const maxSockets = options.maxSockets ?? 20;
    this.http = new HttpAgent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: "lifo" });
    this.https = new HttpsAgent({
      keepAlive: true,
      maxSockets,
      maxFreeSockets: maxSockets,
      rejectUnauthorized: options.insecure === false,
    });
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  request(url: URL, headers: OutgoingHttpHeaders, body: Buffer | string, options: PostOptions): Promise<HttpResult> {
    return new Promise((resolve) => this.attempt(url, headers, body, options, true, resolve));
  }

  /** One request; `retry`: may send it once more (see below). Callbacks, not promises: this is volume replay's hot path. */
  private attempt(
    url: URL,
    headers: OutgoingHttpHeaders,
    body: Buffer | string,
    options: PostOptions,
    retry: boolean,
    resolve: (r: HttpResult) => void,
  ): void {
    const start = performance.now();
    const maxBody = this.maxBodyBytes;
    let settled = false;
    const finish = (r: Omit<HttpResult, "durationMs"> & { durationMs?: number }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      // A kept-alive socket the server closed while idle: the request never reached it; send it
      // again (what Node's documentation recommends), on a fresh socket.
      if (retry && req.reusedSocket && r.error?.kind === "reset" && r.status === undefined) {
        this.attempt(url, headers, body, options, false, resolve);
        return;
      }
      r.durationMs = performance.now() - start;
      resolve(r as HttpResult);
    };
    const isHttps = url.protocol === "https:";
    const req = (isHttps ? httpsRequest : httpRequest)(url, {
      method: options.method ?? "POST",
      headers,
      agent: isHttps ? this.https : this.http,
    });
    const timer = setTimeout(() => {
      finish({ body: "", error: { kind: "timeout", message: `no answer within ${options.timeoutMs} ms` } });
      req.destroy();
    }, options.timeoutMs);
    const onAbort = (): void => {
      finish({ body: "", error: { kind: "aborted", message: "replay was cancelled" } });
      req.destroy();
    };
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (err: NodeJS.ErrnoException) => finish({ body: "", error: describeError(err, url) }));
    req.on("response", (res) => {
      if (options.discardOkBody && res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) {
        res.on("end", () => finish({ status: res.statusCode, body: "" }));
        res.on("error", (err: NodeJS.ErrnoException) =>
          finish({ status: res.statusCode, body: "", error: describeError(err, url) }),
        );
        res.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) {
          finish({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            error: {
              kind: "too-large",
              message: `answered HTTP ${res.statusCode} with a body over ${Math.round(maxBody / 1024)} KiB; replay stopped reading it`,
            },
          });
          res.destroy();
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on("end", () =>
        finish({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", (err: NodeJS.ErrnoException) =>
        finish({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          error: describeError(err, url),
        }),
      );
      res.on("aborted", () =>
        finish({
          status: res.statusCode,
          body: "",
          error: { kind: "reset", message: "the connection closed before the answer was complete" },
        }),
      );
    });
    req.end(body);
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

function describeError(err: NodeJS.ErrnoException, url: URL): { kind: HttpFailure; message: string } {
  const code = err.code ?? "";
  if (code === "ECONNREFUSED")
    return { kind: "refused", message: `nothing is listening at ${url.host} (connection refused)` };
  if (code === "ECONNRESET" || code === "EPIPE" || err.message === "socket hang up")
    return { kind: "reset", message: "the connection was closed without an answer (connection reset)" };
  if (code.startsWith("HPE_"))
    return { kind: "protocol", message: `the answer is not valid HTTP (${code}: ${err.message})` };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return { kind: "refused", message: `the host ${url.hostname} could not be resolved (${code})` };
  return { kind: "other", message: code ? `${code}: ${err.message}` : err.message };
}
