// A local stand-in for the platform's HTTP Tracking API, for stream programs and SDKs to send to.
// It answers the way the real API does (so `@segment/analytics-node`, analytics.js and plain HTTP
// clients work unchanged), enforces the documented limits, and Spec-validates every message.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { createGunzip, createInflate, type Gunzip, type Inflate } from "node:zlib";
import { validateMessage, type SpecFinding } from "../spec/validate.js";
import type { StreamRuleId } from "./stream-rules.js";
import { truncate } from "../core/text.js";

export type { SpecFinding } from "../spec/validate.js";
export type MessageValidator = (message: unknown) => SpecFinding[];

/** The Tracking API's documented limits for events sent into the platform. */
export const TRACKING_API_LIMITS = {
  /** one event, and the body of a single-call request */
  eventBytes: 32 * 1024,
  /** the body of a /v1/batch request */
  batchBytes: 500 * 1024,
  batchEvents: 2_500,
  /** above this a stream source is warned */
  requestsPerSecond: 50,
} as const;

export const STREAM_CALL_TYPES = ["identify", "track", "page", "screen", "group", "alias"] as const;
export type StreamCallType = (typeof STREAM_CALL_TYPES)[number];

/**
 * Paths the real API answers under /v1/: the full names, the one-letter forms analytics.js uses
 * (`/v1/t`, `/v1/b` …) and `/v1/import`, the older batch path server libraries still use.
 */
const ENDPOINTS: Record<string, StreamCallType | "batch"> = {
  identify: "identify",
  i: "identify",
  track: "track",
  t: "track",
  page: "page",
  p: "page",
  screen: "screen",
  s: "screen",
  group: "group",
  g: "group",
  alias: "alias",
  a: "alias",
  batch: "batch",
  b: "batch",
  import: "batch",
};

export interface SinkOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The key requests must carry; a random one when not given. */
  writeKey?: string;
  /** When set, every message must carry `context.integration.name` equal to it. */
  slug?: string;
  /** Messages kept for messages(); later ones are counted and reported live, not stored. Default 10,000. */
  maxMessages?: number;
  /** Rejections kept; default 1,000. */
  maxRejections?: number;
  /** Replaces the Spec validator (tests). */
  validate?: MessageValidator;
  /** Clock (tests). */
  now?: () => Date;
}

export interface CapturedMessage {
  /** 1-based order of arrival across all requests. */
  seq: number;
  receivedAt: string;
  /** The path it was sent to, e.g. `/v1/batch`. */
  endpoint: string;
  /** Which request carried it (1-based). */
  requestId: number;
  /** Position inside a batch request. */
  indexInBatch?: number;
  /** The call type: the message's own, or the endpoint's for single calls. */
  type: string;
  /** Size of the message as JSON, in bytes. */
  bytes: number;
  message: Record<string, unknown>;
  /** Spec findings, then the stream's own (`stream/*`). */
  findings: SpecFinding[];
}

/** The stream rules that refuse a request (the others are findings on a message it accepted). */
export type RejectionRule = Exclude<
  StreamRuleId,
  "stream/integration-name" | "stream/integration-version" | "stream/type-mismatch"
>;

/** A request the sink refused, as the real API would have. */
export interface Rejection {
  requestId: number;
  receivedAt: string;
  endpoint: string;
  status: number;
  ruleId: RejectionRule;
  message: string;
}

export type SinkEvent =
  | { kind: "message"; message: CapturedMessage }
  | { kind: "rejected"; rejection: Rejection }
  | { kind: "rate"; at: string; requestsPerSecond: number; limit: number };

export interface SinkSummary {
  /** Requests received, accepted or not (the health check and CORS preflights aside). */
  requests: number;
  rejectedRequests: number;
  /** Messages accepted. */
  messages: number;
  /** Messages accepted but not kept in memory (over maxMessages). */
  dropped: number;
  byType: Record<string, number>;
  messagesWithErrors: number;
  messagesWithWarnings: number;
  findingsByRule: Record<string, number>;
  rejectionsByRule: Record<string, number>;
  /** Most requests seen within one second. */
  peakRequestsPerSecond: number;
  rateExceeded: boolean;
}

export interface Sink {
  /** Base URL to give a program or SDK (`host`), e.g. `http://127.0.0.1:53211`. */
  readonly url: string;
  readonly port: number;
  readonly writeKey: string;
  messages(): CapturedMessage[];
  rejections(): Rejection[];
  summary(): SinkSummary;
  /** Live events; returns an unsubscribe function. */
  subscribe(listener: (event: SinkEvent) => void): () => void;
  close(): Promise<void>;
}

/** Reading a body that goes over its cap stops here, and a client still sending is cut off after this much more. */
const DRAIN_LIMIT_BYTES = 4 * 1024 * 1024;

type BodyResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; status: number; ruleId: RejectionRule; message: string; unread: boolean };

/** Reads (and inflates) a request body, stopping as soon as it passes `limit` decoded bytes. */
function readBody(req: IncomingMessage, limit: number, what: string): Promise<BodyResult> {
  const encoding = String(req.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  const tooLarge = (n: string): BodyResult => ({
    ok: false,
    status: 413,
    ruleId: "stream/request-too-large",
    message: `The request body is ${n}, over the ${limit / 1024} KB limit for ${what}.`,
    unread: true,
  });
  if (!["identity", "gzip", "x-gzip", "deflate", ""].includes(encoding)) {
    return Promise.resolve({
      ok: false,
      status: 415,
      ruleId: "stream/bad-encoding",
      message: `Content-Encoding "${encoding}" is not supported; send plain JSON or gzip.`,
      unread: true,
    });
  }
  const declared = Number(req.headers["content-length"]);
  const compressed = encoding !== "identity" && encoding !== "";
  if (!compressed && Number.isFinite(declared) && declared > limit)
    return Promise.resolve(tooLarge(`${declared} bytes`));

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let inflater: Gunzip | Inflate | undefined;
    const finish = (r: BodyResult): void => {
      if (done) return;
      done = true;
      if (inflater) {
        req.unpipe(inflater);
        inflater.removeAllListeners("data");
        inflater.destroy();
      }
      req.removeListener("data", onData);
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      if (done) return;
      size += chunk.length;
      if (size > limit) return finish(tooLarge(`more than ${limit} bytes`));
      chunks.push(chunk);
    };
    if (compressed) {
      inflater = encoding === "deflate" ? createInflate() : createGunzip();
      inflater.on("data", onData);
      inflater.on("end", () => finish({ ok: true, bytes: Buffer.concat(chunks, size) }));
      inflater.on("error", () =>
        finish({
          ok: false,
          status: 400,
          ruleId: "stream/bad-encoding",
          message: `The body is not valid ${encoding} data.`,
          unread: !req.complete,
        }),
      );
      // Compressed bytes beyond what the limit could ever inflate from are refused unread.
      let raw = 0;
      req.on("data", (c: Buffer) => {
        raw += c.length;
        if (raw > limit + 64 * 1024) finish(tooLarge(`more than ${limit} bytes`));
      });
      req.pipe(inflater);
    } else {
      req.on("data", onData);
      req.on("end", () => finish({ ok: true, bytes: Buffer.concat(chunks, size) }));
    }
    req.on("error", () =>
      finish({ ok: false, status: 400, ruleId: "stream/bad-json", message: "The request was cut off.", unread: false }),
    );
  });
}

/** The write key a request carries: Basic auth user name, else `writeKey` in the body. */
function headerKey(header: string | undefined): { scheme: "none" | "basic" | "other"; key?: string } {
  if (!header) return { scheme: "none" };
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== "basic" || !value) return { scheme: "other" };
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return { scheme: "basic", key: colon >= 0 ? decoded.slice(0, colon) : decoded };
}

/** Parser messages quote the body: keep terminal control characters and length out. */
function printable(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return truncate(clean, max + 1);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The stream's own rules, on top of the Spec. */
function streamFindings(
  message: Record<string, unknown>,
  endpointType: string | undefined,
  slug: string | undefined,
): SpecFinding[] {
  const findings: SpecFinding[] = [];
  if (endpointType && typeof message.type === "string" && message.type !== endpointType) {
    findings.push({
      ruleId: "stream/type-mismatch",
      severity: "warning",
      message: `The message says type "${message.type}" but was sent to /v1/${endpointType}; the endpoint decides, so it was recorded as ${endpointType}.`,
      path: "/type",
    });
  }
  if (slug !== undefined) {
    const context = isObject(message.context) ? message.context : undefined;
    const integration = context && isObject(context.integration) ? context.integration : undefined;
    if (!integration || typeof integration.name !== "string") {
      findings.push({
        ruleId: "stream/integration-name",
        severity: "error",
        message: `Every event a stream sends must carry context.integration.name = "${slug}" (the app's slug); this one has none.`,
        path: "/context/integration/name",
      });
    } else if (integration.name !== slug) {
      findings.push({
        ruleId: "stream/integration-name",
        severity: "error",
        message: `context.integration.name is "${integration.name}"; it must be the app's slug, "${slug}".`,
        path: "/context/integration/name",
      });
    } else if (integration.version === undefined || integration.version === "") {
      findings.push({
        ruleId: "stream/integration-version",
        severity: "warning",
        message: "context.integration has no version; send the version of the code that produced the event.",
        path: "/context/integration/version",
      });
    }
  }
  return findings;
}

/** What the sink keeps and counts, and how it answers: shared by the request handler and the Sink. */
function recorder(options: SinkOptions) {
  const writeKey = options.writeKey ?? `devcenter-${randomBytes(8).toString("hex")}`;
  const validate = options.validate ?? validateMessage;
  const now = options.now ?? (() => new Date());
  const maxMessages = options.maxMessages ?? 10_000;
  const maxRejections = options.maxRejections ?? 1_000;
  const slug = options.slug;

  const stored: CapturedMessage[] = [];
  const rejected: Rejection[] = [];
  const listeners = new Set<(e: SinkEvent) => void>();
  const summary: SinkSummary = {
    requests: 0,
    rejectedRequests: 0,
    messages: 0,
    dropped: 0,
    byType: {},
    messagesWithErrors: 0,
    messagesWithWarnings: 0,
    findingsByRule: {},
    rejectionsByRule: {},
    peakRequestsPerSecond: 0,
    rateExceeded: false,
  };
  let seq = 0;
  let requestSeq = 0;
  const recent: number[] = []; // request times (ms) within the last second
  let inExcess = false;

  const emit = (event: SinkEvent): void => {
    for (const l of listeners) {
      try {
        l(event);
      } catch {
        // a listener's failure must not break the sink
      }
    }
  };

  const countRate = (at: Date): void => {
    const t = at.getTime();
    recent.push(t);
    while (recent.length > 0 && recent[0]! <= t - 1000) recent.shift();
    const rate = recent.length;
    if (rate > summary.peakRequestsPerSecond) summary.peakRequestsPerSecond = rate;
    if (rate > TRACKING_API_LIMITS.requestsPerSecond) {
      summary.rateExceeded = true;
      if (!inExcess) {
        inExcess = true;
        emit({
          kind: "rate",
          at: at.toISOString(),
          requestsPerSecond: rate,
          limit: TRACKING_API_LIMITS.requestsPerSecond,
        });
      }
    } else inExcess = false;
  };

  const send = (res: ServerResponse, status: number, body: Record<string, unknown>, close = false): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(text),
      "Access-Control-Allow-Origin": "*",
      ...(close ? { Connection: "close" } : {}),
    });
    res.end(text);
  };

  /** Counts and keeps a refusal (a whole request, or one event of a batch). */
  const record = (r: Omit<Rejection, "receivedAt">, receivedAt: Date): Rejection => {
    const rejection: Rejection = { ...r, receivedAt: receivedAt.toISOString() };
    summary.rejectedRequests++;
    summary.rejectionsByRule[r.ruleId] = (summary.rejectionsByRule[r.ruleId] ?? 0) + 1;
    if (rejected.length < maxRejections) rejected.push(rejection);
    return rejection;
  };

  const reject = (
    req: IncomingMessage,
    res: ServerResponse,
    r: Omit<Rejection, "receivedAt">,
    receivedAt: Date,
    unread: boolean,
  ): void => {
    const rejection = record(r, receivedAt);
    send(res, r.status, { success: false, message: r.message, code: r.ruleId }, unread);
    if (unread) {
      // Let a client that is still sending read the answer, without keeping what it sends.
      let drained = 0;
      req.on("data", (c: Buffer) => {
        drained += c.length;
        if (drained > DRAIN_LIMIT_BYTES) req.socket.destroy();
      });
      req.resume();
    }
    emit({ kind: "rejected", rejection });
  };

  const capture = (
    message: Record<string, unknown>,
    endpoint: string,
    requestId: number,
    at: Date,
    endpointType: StreamCallType | undefined,
    index?: number,
  ): void => {
    const type = endpointType ?? (typeof message.type === "string" ? message.type : "unknown");
    const effective = endpointType ? { ...message, type: endpointType } : message;
    const findings = [...validate(effective), ...streamFindings(message, endpointType, slug)];
    const captured: CapturedMessage = {
      seq: ++seq,
      receivedAt: at.toISOString(),
      endpoint,
      requestId,
      ...(index !== undefined ? { indexInBatch: index } : {}),
      type,
      bytes: Buffer.byteLength(JSON.stringify(message)),
      message: effective,
      findings,
    };
    summary.messages++;
    summary.byType[type] = (summary.byType[type] ?? 0) + 1;
    if (findings.some((f) => f.severity === "error")) summary.messagesWithErrors++;
    else if (findings.some((f) => f.severity === "warning")) summary.messagesWithWarnings++;
    for (const f of findings) summary.findingsByRule[f.ruleId] = (summary.findingsByRule[f.ruleId] ?? 0) + 1;
    if (stored.length < maxMessages) stored.push(captured);
    else summary.dropped++;
    emit({ kind: "message", message: captured });
  };

  return {
    writeKey,
    now,
    summary,
    stored,
    rejected,
    listeners,
    nextRequestId: () => ++requestSeq,
    countRate,
    send,
    reject,
    record,
    emit,
    capture,
  };
}

type Recorder = ReturnType<typeof recorder>;

/** Answers one request as the Tracking API would, recording what it accepted or refused. */
async function handle(r: Recorder, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { now, summary, writeKey, countRate, send, capture } = r;
  const path = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "") || "/";
  if (answerPreflightOrHealth(r, req, res, path)) return;
  const name = path.startsWith("/v1/") ? path.slice(4) : undefined;
  const kind = name !== undefined && Object.hasOwn(ENDPOINTS, name) ? ENDPOINTS[name]! : undefined;
  const at = now();
  const requestId = r.nextRequestId();
  summary.requests++;
  const refuse = refuser(r, req, res, { requestId, path, at });
  if (!kind) {
    return refuse(
      404,
      "stream/unknown-endpoint",
      `There is no ${path}; send to /v1/identify, /v1/track, /v1/page, /v1/screen, /v1/group, /v1/alias or /v1/batch.`,
      true,
    );
  }
  if (req.method !== "POST")
    return refuse(405, "stream/method", `${path} takes POST requests, not ${req.method}.`, true);
  countRate(at);
  const isBatch = kind === "batch";
  const body = await readBody(
    req,
    isBatch ? TRACKING_API_LIMITS.batchBytes : TRACKING_API_LIMITS.eventBytes,
    isBatch ? "a batch" : "a single call",
  );
  if (!body.ok) return refuse(body.status, body.ruleId, body.message, body.unread);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.bytes.toString("utf8").replace(/^\uFEFF/, ""));
  } catch (err) {
    return refuse(400, "stream/bad-json", `The body is not valid JSON: ${printable((err as Error).message)}`, false);
  }
  if (!isObject(parsed)) return refuse(400, "stream/bad-json", "The body must be a JSON object.", false);

  const why = authProblem(req, parsed, writeKey);
  if (why) return refuse(401, "stream/unauthorized", why, false);

  if (!isBatch) {
    capture(parsed, path, requestId, at, kind);
    send(res, 200, { success: true });
    return;
  }

  acceptBatch(r, res, parsed, { requestId, path, at }, refuse);
}

/** Refuses the request (counted, kept and answered as the Tracking API would); `unread`: its body was not read. */
type Refuse = (status: number, ruleId: RejectionRule, message: string, unread: boolean) => void;

function refuser(
  r: Recorder,
  req: IncomingMessage,
  res: ServerResponse,
  request: { requestId: number; path: string; at: Date },
): Refuse {
  const { requestId, path, at } = request;
  return (status, ruleId, message, unread) =>
    r.reject(req, res, { requestId, endpoint: path, status, ruleId, message }, at, unread);
}

/** CORS preflight and the health check: answered without counting a request. */
function answerPreflightOrHealth(r: Recorder, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (req.method === "OPTIONS") {
    res.writeHead(204, {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "POST, OPTIONS",
      "Access-Control-Allow-Headers": "Content-Type, Authorization, Content-Encoding",
    });
    res.end();
    return true;
  }
  if (req.method === "GET" && (path === "/" || path === "/health")) {
    r.send(res, 200, {
      success: true,
      sink: "devcenter",
      endpoints: "/v1/identify, /v1/track, /v1/page, /v1/screen, /v1/group, /v1/alias, /v1/batch",
    });
    return true;
  }
  return false;
}

/** Authentication: Basic with the write key as user name; else `writeKey` in the body. Why it fails, or undefined. */
function authProblem(req: IncomingMessage, parsed: Record<string, unknown>, writeKey: string): string | undefined {
  const auth = headerKey(req.headers.authorization);
  const key = auth.scheme === "basic" ? auth.key : typeof parsed.writeKey === "string" ? parsed.writeKey : undefined;
  if (key === writeKey) return undefined;
  return auth.scheme === "other"
    ? "The Authorization header is not Basic auth; send the write key as the user name with an empty password."
    : key === undefined
      ? "No write key: send it as the Basic auth user name (empty password) or as writeKey in the body."
      : `Wrong write key ${JSON.stringify(key.length > 40 ? key.slice(0, 40) + "…" : key)}; this sink expects ${JSON.stringify(writeKey)}.`;
}

/** A /v1/batch body: its shape and limits checked, each event captured (one over 32 KB refused alone). */
function acceptBatch(
  r: Recorder,
  res: ServerResponse,
  parsed: Record<string, unknown>,
  request: { requestId: number; path: string; at: Date },
  refuse: Refuse,
): void {
  const { send, capture } = r;
  const { requestId, path, at } = request;
  const batch = parsed.batch;
  // A batch of the wrong shape is refused whole (400); nothing in it is kept.
  if (!Array.isArray(batch))
    return refuse(400, "stream/bad-batch", 'A batch body must hold its messages in a "batch" array.', false);
  if (batch.length > TRACKING_API_LIMITS.batchEvents) {
    return refuse(
      400,
      "stream/batch-too-many-events",
      `The batch holds ${batch.length} events, over the limit of ${TRACKING_API_LIMITS.batchEvents}; split it.`,
      false,
    );
  }
  const notObject = batch.findIndex((item) => !isObject(item));
  if (notObject >= 0) return refuse(400, "stream/bad-batch", `batch[${notObject}] is not a JSON object.`, false);
  // The 32 KB limit is per event: an event over it is refused alone, with its reason, and the rest
  // of the batch is validated and kept.
  const tooLarge = new Set<number>();
  for (const [i, item] of (batch as Record<string, unknown>[]).entries()) {
    const bytes = Buffer.byteLength(JSON.stringify(item));
    if (bytes <= TRACKING_API_LIMITS.eventBytes) continue;
    tooLarge.add(i);
    const label = typeof item.event === "string" ? ` ("${item.event.slice(0, 60)}")` : "";
    const message = `batch[${i}]${label} is ${Math.ceil(bytes / 1024)} KB, over the 32 KB limit per event; that event was refused, the rest of the batch was accepted.`;
    r.emit({
      kind: "rejected",
      rejection: r.record({ requestId, endpoint: path, status: 400, ruleId: "stream/event-too-large", message }, at),
    });
  }
  // Batch-level context is merged under each message's own, as the real API does.
  const shared = isObject(parsed.context) ? parsed.context : undefined;
  for (const [i, item] of (batch as Record<string, unknown>[]).entries()) {
    if (tooLarge.has(i)) continue;
    const message = shared
      ? { ...item, context: { ...shared, ...(isObject(item.context) ? item.context : {}) } }
      : item;
    capture(message, path, requestId, at, undefined, i);
  }
  send(res, 200, { success: true });
}

/** Starts the sink on 127.0.0.1 (an ephemeral port unless `port` is given). */
export async function startSink(options: SinkOptions = {}): Promise<Sink> {
  const r = recorder(options);
  const { send, stored, rejected, summary, listeners } = r;
  const server = createServer(
    { requestTimeout: 60_000, headersTimeout: 30_000, keepAliveTimeout: 5_000 },
    (req, res) => {
      handle(r, req, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, { success: false, message: `devcenter sink: ${(err as Error).message}` });
        else res.destroy();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.removeListener("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    writeKey: r.writeKey,
    messages: () => [...stored],
    rejections: () => [...rejected],
    summary: () => structuredClone(summary),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
