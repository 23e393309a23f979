// Webhook replay: each message delivered exactly as the platform delivers it, graded the way the
// platform grades the answer (2xx green, 501 yellow, anything else red), plus the probes a real
// delivery pipeline puts an endpoint through (wrong key, malformed body, duplicates, slowness).
import type { OutgoingHttpHeaders } from "node:http";
import { asMessage, Message, messageFields, messageSentence, msg } from "../core/markdown.js";
import { DEFAULT_POLICY } from "../core/policy.js";
import { capitalize, sentence, truncate } from "../core/text.js";
import type { CallType } from "../core/vocabulary.js";
import { exchangeOf, type Exchange, type Secret } from "./exchange.js";
import { HttpClient, type HttpResult } from "./http.js";
import { checkGolden, type GoldenPlace, type GoldenStore } from "./golden.js";
import { type Grade, reword } from "./grade.js";
import { recordOf, WEBHOOK_GOLDEN_WORDS } from "./webhook-golden.js";
import type { SuiteCase } from "./test-suite.js";
import type { CaseStatus, ReplayCase } from "./types.js";

export type { Grade } from "./grade.js";

/** Where and how to deliver. */
export interface WebhookTarget {
  url: string;
  apiKey: string;
  /** The custom settings sent in X-Segment-Settings (apiKey is never included). */
  settings: Record<string, unknown>;
  /** Calls the manifest says the endpoint handles; unknown in `--url` mode. */
  supports?: readonly CallType[];
  /** Component label for the cases. */
  component?: string;
  /** Where the URL is written (integration.yml's `webhook.url` line): a case about the URL points there. */
  where?: { file: string; line?: number };
  /** Sensitive settings: redacted from the exchanges the cases keep. */
  secrets?: readonly Secret[];
}

/** A message to deliver, with what a fixture expects of it. */
export interface ReplayInput extends SuiteCase {
  expect?: CaseStatus;
  /** A fixture's file (relative to the integration's folder) and the line its event starts on. */
  file?: string;
  line?: number;
  /** Where its golden entry lives (with WebhookOptions.golden). */
  golden?: GoldenPlace;
}

/** The `file`/`line` of a case replaying `input`. */
export function sourceOf(input: Pick<ReplayInput, "file" | "line">): Pick<ReplayCase, "file" | "line"> {
  if (!input.file) return {};
  return input.line !== undefined ? { file: input.file, line: input.line } : { file: input.file };
}

export interface WebhookOptions {
  /** Per-request deadline; default the built-in policy's (5 s). */
  timeoutMs?: number;
  /** Add the probe cases; default true. */
  probes?: boolean;
  onCase?: (c: ReplayCase) => void;
  signal?: AbortSignal;
  /**
   * Called after each delivery failure: extra words for its message (e.g. "the server exited").
   * Gets the failed answer: a connection that was refused or reset may mean the program behind the
   * endpoint just died, which the caller may take a moment to learn.
   */
  explainFailure?: (r: HttpResult | undefined) => string | Message | undefined | Promise<string | Message | undefined>;
  client?: HttpClient;
  /** Golden files: each case's deliveries compared with (or recorded in) its entry. */
  golden?: GoldenStore;
  /** The golden file of the probes (keyed by probe name). */
  probeGolden?: string;
}

export const WRONG_API_KEY = "devcenter-replay-wrong-api-key";
export const MALFORMED_BODY = '{"type":"track","event":"Signed Up","userId":"user-019mr8mf4r","properties":{"plan":';

/** `Basic base64("<apiKey>:")`: the key as user name, an empty password, the colon always there. */
export function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:`, "utf8").toString("base64")}`;
}

/** The headers the platform sends with every delivery. */
export function webhookHeaders(
  apiKey: string,
  settings: Record<string, unknown>,
  bodyLength?: number,
): OutgoingHttpHeaders {
  const { apiKey: _never, ...custom } = settings;
  const headers: OutgoingHttpHeaders = {
    Authorization: basicAuth(apiKey),
    "Content-Type": "application/json",
    "User-Agent": "Segment.io/1.0",
    Accept: "*/*",
    "Cache-Control": "no-cache",
    "X-Segment-Settings": Buffer.from(JSON.stringify(custom), "utf8").toString("base64"),
  };
  if (bodyLength !== undefined) headers["Content-Length"] = bodyLength;
  return headers;
}

/** The partner's `{"message": "…"}`, or the start of whatever text it answered. */
export function partnerMessage(body: string): string {
  const text = body.trim();
  if (!text) return "";
  if (text.startsWith("{")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === "object" && typeof (parsed as { message?: unknown }).message === "string") {
        return oneLine((parsed as { message: string }).message);
      }
    } catch {
      // not JSON: fall through to the raw text
    }
  }
  return oneLine(text);
}

function oneLine(s: string, max = 200): string {
  // Control characters and line breaks would break a terminal table or a Markdown cell.
  const flat = s
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return truncate(flat, max);
}

/** Whether the platform retries a delivery that got this answer (timeouts, 429 and 5xx). */
export function isRetryable(r: Pick<HttpResult, "status" | "error">): boolean {
  if (r.error && r.error.kind !== "too-large") return r.error.kind !== "aborted";
  const s = r.status ?? 0;
  return s === 429 || s >= 500;
}

/** The platform's grade for one answer. */
export function gradeAnswer(r: HttpResult): Grade {
  // Whether the platform retries a red answer is said once per run (the replay view), not on each case.
  const retryable = isRetryable(r);
  if (r.error)
    return { status: "fail", httpStatus: r.status, retryable, message: sentence(capitalize(r.error.message)) };
  const status = r.status ?? 0;
  const said = partnerMessage(r.body);
  const head = `HTTP ${status}${said ? `: ${said}` : ""}`;
  if (status >= 200 && status < 300) return { status: "pass", httpStatus: status, retryable: false, message: head };
  if (status === 501)
    return { status: "unsupported", httpStatus: status, retryable: false, message: `${head} (call not supported)` };
  return { status: "fail", httpStatus: status, retryable, message: head };
}

/** A sentence, then more words about it (the end of a program's output, say) when there are any. */
function withExtra(text: string, extra: string | undefined): string {
  const more = extra?.trim();
  return more ? `${sentence(text)} ${more}` : sentence(text);
}

/** withExtra in both forms: the text exactly withExtra's, the Markdown keeping both parts' own. */
function withExtraMessage(head: Message, extra: string | Message | undefined): Message {
  const first = messageSentence(head);
  const more = extra === undefined ? undefined : asMessage(extra);
  if (!more?.text.trim()) return first;
  return new Message(`${first.text} ${more.text.trim()}`, `${first.markdown} ${more.markdown.trim()}`);
}

/** A setting's name: plain in the text, a code span in the Markdown (the text predates code spans). */
function settingName(name: string): Message {
  return new Message(name, `\`${name}\``);
}

/** Applies the manifest's `supports` list and a fixture's expectation to a grade. */
export function judge(
  grade: Grade,
  type: string,
  supports: readonly CallType[] | undefined,
  expect: CaseStatus | undefined,
  style: "webhook" | "function" | "plugin" = "webhook",
): Grade {
  if (expect) {
    if (grade.status === expect) {
      return expect === "fail"
        ? { ...reword(grade, (m) => msg`Refused as the fixture expects: ${m}`), status: "pass" }
        : grade;
    }
    return {
      ...reword(grade, (m) => msg`The fixture expects ${expect}, but got ${grade.status}: ${m}`),
      status: "fail",
    };
  }
  // "Not supported" for a listed type stays yellow here: whether `supports` is wrong depends on the
  // other events of that type in the run (settleSupports, supports.ts).
  if (supports && !(supports as readonly string[]).includes(type) && grade.status === "pass") {
    const advice =
      style === "webhook"
        ? "a call the endpoint does not handle should answer 501"
        : style === "plugin"
          ? "add it to supports, or drop the plugin's handler for it"
          : "a call the function does not handle should have no handler or throw EventNotSupported";
    return reword(grade, (m) => msg`${m} (integration.yml does not list ${type} under supports; ${advice})`);
  }
  return grade;
}

/** A delivery's answer, with the exchange its case keeps. */
export type Delivered = HttpResult & { exchange: Exchange };

/**
 * Delivers one body as the platform does (its headers, Basic auth, X-Segment-Settings) and keeps
 * the exchange, redacted. `apiKey` defaults to the target's; another (the wrong-key probe's) is shown as sent.
 */
export async function deliver(
  client: HttpClient,
  url: URL,
  target: Pick<WebhookTarget, "apiKey" | "settings" | "secrets">,
  body: string,
  options: { timeoutMs: number; signal?: AbortSignal; apiKey?: string },
): Promise<Delivered> {
  const apiKey = options.apiKey ?? target.apiKey;
  const buf = Buffer.from(body, "utf8");
  const headers = webhookHeaders(apiKey, target.settings, buf.length);
  const r = await client.request(url, headers, buf, { timeoutMs: options.timeoutMs, signal: options.signal });
  const exchange = exchangeOf(
    {
      url,
      headers,
      body,
      apiKey,
      apiKeyIsSecret: apiKey === target.apiKey,
      settings: target.settings,
      secrets: target.secrets ?? [],
    },
    r,
  );
  return Object.assign(r, { exchange });
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Delivers every input in order, then the probes; one ReplayCase each. */
export async function replayWebhook(
  target: WebhookTarget,
  inputs: readonly ReplayInput[],
  options: WebhookOptions = {},
): Promise<ReplayCase[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_POLICY.delivery.timeoutMs;
  const url = webhookUrl(target.url);
  if (!url) {
    const c = invalidUrlCase(target);
    options.onCase?.(c);
    return [c];
  }
  const client = options.client ?? new HttpClient({ maxSockets: 4 });
  const cases: ReplayCase[] = [];
  const push = (c: ReplayCase): void => {
    if (target.component) c.component = target.component;
    cases.push(c);
    options.onCase?.(c);
  };
  // The same words (a dead program's last output) are said once: later failures point back at them.
  const said = new Set<string>();
  const extraFor = async (r?: HttpResult): Promise<string | Message | undefined> => {
    const extra = await options.explainFailure?.(r);
    if (!extra || !String(extra)) return undefined;
    if (said.has(String(extra)))
      return "The endpoint's program had stopped (its last output is with the first red case above).";
    said.add(String(extra));
    return extra;
  };
  const explain = async (g: Grade, r?: HttpResult): Promise<Grade> => {
    if (g.status !== "fail") return g;
    const extra = await extraFor(r);
    return extra ? { ...g, ...messageFields(withExtraMessage(asMessage(g), extra)) } : g;
  };
  const send: Send = (body, apiKey) =>
    deliver(client, url, target, body, { timeoutMs, signal: options.signal, apiKey });
  // A case that delivered something is compared with its golden entry (recorded when absent).
  const withGolden = (c: ReplayCase, place: GoldenPlace | undefined): ReplayCase => {
    if (!c.exchange) return c;
    const graded = { status: c.status, message: c.message, retryable: c.retryable ?? false };
    const sent = [recordOf(c.exchange)];
    const { grade, note, golden } = checkGolden(options.golden, place, graded, sent, WEBHOOK_GOLDEN_WORDS);
    const message = grade.message + note;
    // A message the golden check rewrote has no Markdown form: it is escaped whole.
    const { markdown: _md, ...rest } = c;
    return {
      ...(message === c.message ? c : rest),
      status: grade.status,
      message,
      ...(grade.status === "fail" ? { retryable: grade.retryable } : {}),
      ...(golden ? { golden } : {}),
    };
  };
  const timedOut: string[] = [];
  let slowest = { name: "", ms: 0 };
  let answered = 0;

  try {
    for (const [index, input] of inputs.entries()) {
      if (options.signal?.aborted) break;
      const r = await send(JSON.stringify(input.message));
      if (r.error?.kind === "aborted") break;
      if (r.error?.kind === "refused") {
        // Nothing listens there (any more): one cause, said once with the count, instead of one
        // identical red line per case; the cases after it could not be sent either.
        const extra = await extraFor(r);
        push(
          refusedCase(target, r, gradeAnswer(r), extra, {
            sent: index,
            left: inputs.length - index,
            probes: options.probes !== false,
            from: input.name,
          }),
        );
        return cases;
      }
      if (r.status !== undefined) answered++;
      if (r.error?.kind === "timeout") timedOut.push(input.name);
      else if (r.durationMs > slowest.ms) slowest = { name: input.name, ms: r.durationMs };
      const g = await explain(judge(gradeAnswer(r), input.type, target.supports, input.expect), r);
      push(
        withGolden(
          {
            name: input.name,
            type: input.type,
            group: input.group,
            status: g.status,
            ...(g.httpStatus !== undefined ? { httpStatus: g.httpStatus } : {}),
            durationMs: round(r.durationMs),
            message: g.message,
            ...(g.markdown !== undefined ? { markdown: g.markdown } : {}),
            ...(g.status === "fail" ? { retryable: g.retryable } : {}),
            ...sourceOf(input),
            exchange: r.exchange,
          },
          input.golden,
        ),
      );
    }
    if (options.probes !== false && !options.signal?.aborted) {
      const probeGolden = options.probeGolden;
      for (const c of await probes(send, inputs, target, timeoutMs, explain))
        push(withGolden(c, probeGolden ? { file: probeGolden, key: c.name } : undefined));
      push(timingProbe(timedOut, answered, slowest, timeoutMs));
    }
  } finally {
    if (!options.client) client.close();
  }
  return cases;
}

function webhookUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The one red case for a refused connection: before any case (nothing listening at webhook.url), or
 * after `sent` cases (the endpoint stopped during replay: the rest could not be sent).
 */
function refusedCase(
  target: WebhookTarget,
  r: Delivered,
  g: Grade,
  extra: string | Message | undefined,
  run: { sent: number; left: number; probes: boolean; from: string },
): ReplayCase {
  const rest = `${run.probes ? " nor the probes" : ""} could be sent: each needs the endpoint.`;
  // The grade's words (the connection's error, an address) are escaped; the setting names are code.
  const said = asMessage(g.message);
  const message = withExtraMessage(
    run.sent === 0
      ? msg`${said} None of the ${run.left} cases${rest} Start it (or set ${settingName("webhook.start")} so replay starts it) and check ${settingName("webhook.url")}`
      : msg`${said} The endpoint stopped answering after ${run.sent} of ${run.sent + run.left} cases: from "${run.from}" on, none of the ${run.left} remaining cases${rest}`,
    extra,
  );
  return {
    name: "Webhook URL",
    type: "probe",
    group: "probe",
    status: "fail",
    durationMs: round(r.durationMs),
    ...messageFields(message),
    retryable: g.retryable,
    ...(target.where ?? {}),
    exchange: r.exchange,
  };
}

function invalidUrlCase(target: WebhookTarget): ReplayCase {
  return {
    name: "Webhook URL",
    type: "probe",
    group: "probe",
    status: "fail",
    durationMs: 0,
    message: `"${target.url}" is not an http:// or https:// URL.`,
    ...(target.component ? { component: target.component } : {}),
  };
}

/** The probe that slow answers are timed out, from what the deliveries took. */
function timingProbe(
  timedOut: readonly string[],
  answered: number,
  slowest: { name: string; ms: number },
  timeoutMs: number,
): ReplayCase {
  return {
    name: "Probe — slow answers are timed out",
    type: "probe",
    group: "probe",
    status: timedOut.length || answered === 0 ? "fail" : "pass",
    durationMs: round(slowest.ms),
    message:
      answered === 0 && !timedOut.length
        ? "No message got an HTTP answer, so response times could not be checked."
        : timedOut.length
          ? `${timedOut.length} message(s) got no answer within ${timeoutMs} ms (${timedOut.slice(0, 5).join("; ")}${timedOut.length > 5 ? "; …" : ""}); the platform times out and retries them, which delivers them again.`
          : `Every message was answered within ${timeoutMs} ms${slowest.name ? `; the slowest took ${Math.round(slowest.ms)} ms (${slowest.name})` : ""}.`,
  };
}

type Send = (body: string, apiKey?: string) => Promise<Delivered>;

async function probes(
  send: Send,
  inputs: readonly ReplayInput[],
  target: WebhookTarget,
  _timeoutMs: number,
  explain: (g: Grade, r?: HttpResult) => Promise<Grade>,
): Promise<ReplayCase[]> {
  const supported = (t: string): boolean => !target.supports || (target.supports as readonly string[]).includes(t);
  const suite = inputs.filter((i) => i.group === "test-suite" || i.group === "spec");
  const pick = (prefer: string[]): ReplayInput | undefined =>
    prefer.map((t) => suite.find((i) => i.type === t && supported(i.type))).find(Boolean) ??
    suite.find((i) => supported(i.type)) ??
    inputs[0];
  const sample = pick(["track", "identify", "page", "group", "screen", "alias"]);
  const out: ReplayCase[] = [];
  const probe = (name: string, r: Delivered, status: CaseStatus, message: string): ReplayCase => ({
    name,
    type: "probe",
    group: "probe",
    status,
    ...(r.status !== undefined ? { httpStatus: r.status } : {}),
    durationMs: round(r.durationMs),
    message,
    exchange: r.exchange,
  });
  const answer = (r: HttpResult): string =>
    r.error ? r.error.message : `HTTP ${r.status}${partnerMessage(r.body) ? `: ${partnerMessage(r.body)}` : ""}`;
  // What came back, as a clause: "the answer was HTTP 200", "the connection was closed without an answer".
  const outcome = (r: HttpResult): string =>
    !r.error
      ? `the answer was ${answer(r)}`
      : r.error.kind === "timeout"
        ? `there was ${r.error.message}`
        : r.error.message;

  // 1. A wrong API key must be refused with 401 or 403.
  if (sample) {
    const wrongKey = { ...sample.message, messageId: "devcenter-probe-wrong-api-key" };
    const r = await send(JSON.stringify(wrongKey), WRONG_API_KEY);
    const ok = r.status === 401 || r.status === 403;
    const g = await explain({ status: ok ? "pass" : "fail", message: "", retryable: false }, r);
    out.push(
      probe(
        "Probe — a wrong API key is refused",
        r,
        g.status,
        ok
          ? sentence(`Refused with ${answer(r)}`)
          : withExtra(
              `Sent a ${sample.type} with the API key "${WRONG_API_KEY}", but ${outcome(r)}; an endpoint must refuse a key it does not know with 401 (or 403 when the key lacks permission)`,
              g.message,
            ),
      ),
    );
  }

  // 2. A malformed body must get 400, never a 5xx (which the platform would retry for hours).
  {
    const r = await send(MALFORMED_BODY);
    const ok = r.status === 400;
    const why =
      r.status !== undefined && r.status >= 500
        ? "a 5xx makes the platform retry the same broken body for up to 4 hours"
        : r.status !== undefined && r.status >= 200 && r.status < 300
          ? "accepting it hides the error from the customer's debugger"
          : "the contract asks for 400 for a malformed body";
    const g = await explain({ status: ok ? "pass" : "fail", message: "", retryable: false }, r);
    out.push(
      probe(
        "Probe — a malformed body gets 400",
        r,
        g.status,
        ok
          ? sentence(`Refused with ${answer(r)}`)
          : withExtra(`Sent truncated JSON, but ${outcome(r)}; it must answer 400 — ${why}`, g.message),
      ),
    );
  }

  // 3. The same messageId delivered twice (a retry) must not fail.
  if (sample) {
    const duplicate = { ...sample.message, messageId: "devcenter-probe-duplicate" };
    const body = JSON.stringify(duplicate);
    const first = await send(body);
    const second = await send(body);
    const g1 = gradeAnswer(first);
    const g2 = gradeAnswer(second);
    let status: CaseStatus;
    let message: string;
    if (g1.status === "fail") {
      status = "fail";
      message = `The first delivery of a ${sample.type} already failed (${answer(first)}), so duplicate handling could not be checked.`;
    } else if (g2.status === g1.status) {
      status = "pass";
      message = `Both deliveries of messageId "${duplicate.messageId}" were accepted (${answer(first)}, then ${answer(second)}).`;
    } else {
      status = "fail";
      message = `The first delivery got ${answer(first)}, the second (same messageId, as a retry would send it) got ${answer(second)}; a retried message must be accepted again (deduplicate on messageId instead of refusing).`;
    }
    const g = await explain({ status, message, retryable: false }, second);
    out.push(probe("Probe — the same messageId twice is accepted", second, g.status, g.message));
  }
  return out;
}
