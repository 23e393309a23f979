// Function replay: the partner's handler module runs in its own worker thread (memory cap,
// per-event timeout, the documented globals, captured outbound HTTP), one event at a time, and
// each outcome is graded as the platform grades it: return green, missing handler or
// EventNotSupported yellow, anything else red. A module that does not load, loops, allocates
// without bound (JavaScript heap or Buffers), reaches the network other than through fetch or
// calls process.exit becomes red cases; the worker is replaced and replay goes on.
import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { Worker } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import type { CallType } from "../core/vocabulary.js";
import type { ResultMessage, RunMessage, SandboxData, WorkerMessage } from "./sandbox/messages.js";
import { insideRoot } from "./sandbox/paths.js";
import { sandboxSource } from "./sandbox/source.js";
import { messageSentence, msg } from "../core/markdown.js";
import { checkGolden, requestsDiffer, type GoldenStore, type GoldenWords, type RecordedRequest } from "./golden.js";
import type { CaseStatus, ReplayCase } from "./types.js";
import { sentence } from "../core/text.js";
import { judge, sourceOf, type Grade, type ReplayInput } from "./webhook.js";

/** One answer of the partner's own API, as a fixture declares it. */
export interface PartnerAnswer {
  method?: string;
  /** Absent: answers any request (fault replay). */
  url?: string;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  error?: "timeout" | "reset";
}

export type OutcomeKind = "return" | "throw" | "missing" | "timeout" | "exit" | "oom" | "crash" | "load-error";

/** An error a handler threw: `at` is where, in the partner's code ("src/handlers.js:51:30"). */
export interface HandlerError {
  name: string;
  message: string;
  at?: string;
}

export interface HandlerOutcome {
  kind: OutcomeKind;
  /** For throw: the error's name and message. For the others: what happened. */
  error?: HandlerError;
  /** What the handler returned (JSON, cut to 200 characters). */
  value?: string;
  requests: RecordedRequest[];
  /** How many requests were sent, when they were only counted (`record: false`); else requests.length. */
  sent?: number;
  /** Requests that partnerApi did not declare (each fails the case). */
  unmatched: string[];
  /** Network access other than fetch (node:http, net, …) that replay refused (each fails the case). */
  refused?: string[];
  unusedAnswers: number;
  durationMs: number;
}

export interface FunctionRunnerOptions {
  /** Absolute path of the handler module. */
  entry: string;
  /**
   * The integration's folder: messages name files relative to it, and an error's location is the
   * first stack frame in a file below it (node_modules excluded). Default: the entry's folder.
   */
  root?: string;
  /** Values redacted from recorded requests. */
  secrets?: { key: string; value: string }[];
  /** Per-event deadline; default 5 s. */
  timeoutMs?: number;
  /** Deadline for loading the module; default max(timeoutMs, 10 s). */
  loadTimeoutMs?: number;
  /** Memory cap of the worker (JavaScript heap plus Buffers and ArrayBuffers); default 128 MB. */
  memoryMb?: number;
  /** Let requests reach the network (still recorded); for benchmarks. */
  liveFetch?: boolean;
}

export const HANDLER_NAMES: Record<CallType, string> = {
  identify: "onIdentify",
  track: "onTrack",
  page: "onPage",
  screen: "onScreen",
  group: "onGroup",
  alias: "onAlias",
  delete: "onDelete",
};

export const DEFAULT_FUNCTION_TIMEOUT_MS = 5_000;
export const DEFAULT_MEMORY_MB = 128;
const FIXED_CLOCK = Date.UTC(2024, 2, 12, 14, 0, 0, 0);

type LoadState = { ok: true; worker: Worker; handlers: string[] } | { ok: false; message: string };

interface Pending {
  resolve: (o: HandlerOutcome) => void;
  timer: NodeJS.Timeout;
  start: number;
  /** The worker the event was sent to: only its death fails the event. */
  worker: Worker;
}

/** A worker running one handler module; replaced whenever it dies. */
export class FunctionRunner {
  private readonly timeoutMs: number;
  private readonly memoryMb: number;
  private readonly loadTimeoutMs: number;
  private state?: Promise<LoadState>;
  /** A module that failed to load fails the same way every time: not retried. */
  private failed?: string;
  /** Where the load failed in the partner's code ("src/handlers.js:3:14"), when known. */
  private failedAt?: string;
  private pending = new Map<number, Pending>();
  private nextId = 0;
  private output = "";
  private closed = false;
  /** The worker `state` belongs to. */
  private current?: Worker;
  /** Crashes caused by work a handler left running after it returned (see takeLateCrashes). */
  private lateCrashes: { handler: string; message: string }[] = [];
  /** Events waiting to be sent, with the worker they go to (see send). */
  private outbox?: { worker: Worker; runs: RunMessage["runs"] };

  private readonly root: string;
  /** The entry as messages name it: relative to the integration's folder. */
  private readonly shown: string;

  constructor(private readonly options: FunctionRunnerOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS;
    this.memoryMb = options.memoryMb ?? DEFAULT_MEMORY_MB;
    this.loadTimeoutMs = options.loadTimeoutMs ?? Math.max(this.timeoutMs, 10_000);
    this.root = options.root ?? dirname(options.entry);
    this.shown = insideRoot(this.root, options.entry) ?? options.entry;
  }

  /** The handlers the module defines, or why it could not be loaded. */
  async load(): Promise<{ ok: true; handlers: string[] } | { ok: false; message: string; at?: string }> {
    const s = await this.ensure();
    if (s.ok) return { ok: true, handlers: s.handlers };
    return this.failedAt ? { ...s, at: this.failedAt } : s;
  }

  /** The last lines the handler printed (console.log), for messages. */
  lastOutput(lines = 5): string[] {
    return this.output
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .slice(-lines);
  }

  private ensure(): Promise<LoadState> {
    if (this.failed) return Promise.resolve({ ok: false, message: this.failed });
    if (this.closed) return Promise.resolve({ ok: false, message: "replay was stopped" });
    this.state ??= this.spawn();
    return this.state;
  }

  private spawn(): Promise<LoadState> {
    return new Promise<LoadState>((resolve) => {
      let loaded = false;
      let exitCalled: number | undefined;
      let lastError: (Error & { code?: string }) | undefined;
      let uncaught:
        | { kind: string; name: string; message: string; at?: string; eventId?: number; handler?: string }
        | undefined;
      let overCap: { heapMb: number; externalMb: number } | undefined;
      const workerData: SandboxData = {
        entry: this.options.entry,
        root: this.root,
        secrets: this.options.secrets ?? [],
        liveFetch: Boolean(this.options.liveFetch),
        memoryMb: this.memoryMb,
      };
      const worker = new Worker(sandboxSource(), {
        eval: true,
        workerData,
        resourceLimits: {
          maxOldGenerationSizeMb: this.memoryMb,
          maxYoungGenerationSizeMb: Math.min(16, Math.max(4, this.memoryMb / 8)),
        },
        // What a handler reads; the worker's Date itself makes local time UTC (a worker cannot
        // have a time zone of its own).
        env: { TZ: "UTC" },
        execArgv: [],
        stdout: true,
        stderr: true,
      });
      this.current = worker;
      const keep = (chunk: Buffer): void => {
        this.output = (this.output + chunk.toString("utf8")).slice(-4096);
      };
      worker.stdout.on("data", keep);
      worker.stderr.on("data", keep);
      const loadTimer = setTimeout(() => {
        if (loaded) return;
        this.failed = `${this.shown} did not finish loading within ${this.loadTimeoutMs} ms (does its top-level code loop or wait forever?)`;
        resolve({ ok: false, message: this.failed });
        void worker.terminate();
      }, this.loadTimeoutMs);

      worker.on("message", (msg: WorkerMessage) => {
        if (msg.type === "loaded") {
          loaded = true;
          clearTimeout(loadTimer);
          resolve({ ok: true, worker, handlers: msg.handlers });
        } else if (msg.type === "load-error") {
          loaded = true;
          clearTimeout(loadTimer);
          // The worker is ended once the message is known: until then it is still `current`,
          // so nothing starts another one meanwhile.
          void this.loadError(msg).then(({ text, at }) => {
            this.failed = `${this.shown} could not be loaded: ${text}`;
            this.failedAt = at;
            resolve({ ok: false, message: this.failed });
            void worker.terminate();
          });
        } else if (msg.type === "exit-called") {
          exitCalled = msg.code;
        } else if (msg.type === "uncaught") {
          uncaught = msg;
        } else if (msg.type === "memory") {
          overCap = msg;
        } else if (msg.type === "results") {
          for (const result of msg.results) this.settle(result);
        }
      });
      worker.on("error", (err: Error & { code?: string }) => {
        lastError = err;
      });
      worker.on("exit", (code) => {
        clearTimeout(loadTimer);
        // The next event starts a fresh worker (unless a newer one already replaced this one).
        if (this.current === worker) {
          this.current = undefined;
          this.state = undefined;
        }
        const oom = lastError?.code === "ERR_WORKER_OUT_OF_MEMORY";
        const why: { kind: OutcomeKind; message: string } =
          exitCalled !== undefined
            ? {
                kind: "exit",
                message: `called process.exit(${exitCalled}); a handler must return or throw, never end the process`,
              }
            : overCap
              ? {
                  kind: "oom",
                  message: `used more than the ${this.memoryMb} MB memory cap allows (the heap ${this.memoryMb} MB, the heap and Buffers/ArrayBuffers together ${2 * this.memoryMb} MB) and was stopped: ${overCap.externalMb} MB of Buffers/ArrayBuffers and ${overCap.heapMb} MB of JavaScript heap still held after garbage collection (memory kept between events, e.g. in a module-level array, counts too)`,
                }
              : oom
                ? { kind: "oom", message: `used more than the ${this.memoryMb} MB memory cap and was stopped` }
                : uncaught
                  ? {
                      kind: "crash",
                      message:
                        uncaught.kind === "rejection"
                          ? `left a promise rejection unhandled (${uncaught.name}: ${uncaught.message}${where(uncaught.at)}), which ends the function`
                          : `crashed with an uncaught ${uncaught.name}: ${uncaught.message}${where(uncaught.at)} (thrown outside the handler's promise, e.g. in a timer)`,
                    }
                  : lastError
                    ? {
                        kind: "crash",
                        message: `crashed with an uncaught ${lastError.name}: ${lastError.message} (an error thrown outside the handler's promise, e.g. in a timer)`,
                      }
                    : { kind: "crash", message: `its worker ended unexpectedly (exit code ${code})` };
        if (!loaded) {
          loaded = true;
          this.failed = `${this.shown} ${why.message} while loading`;
          resolve({ ok: false, message: this.failed });
          return;
        }
        // The failing work began in an event that had already finished: its own case was green,
        // so the crash is reported on its own (and on whatever was in flight, below).
        if (uncaught?.eventId !== undefined && uncaught.handler && !this.pending.has(uncaught.eventId)) {
          this.lateCrashes.push({ handler: uncaught.handler, message: why.message });
        }
        for (const [id, p] of this.pending) {
          if (p.worker !== worker) continue; // sent to the worker that replaced this one
          this.pending.delete(id);
          clearTimeout(p.timer);
          // Work an earlier handler left running (a timer) ended the function: say whose it was.
          const message =
            uncaught?.eventId !== undefined && uncaught.eventId !== id && uncaught.handler
              ? `${why.message}; it was thrown by work ${uncaught.handler} left running after it returned (a handler must finish its work before it returns), and this event was in flight when it ended the function`
              : why.message;
          p.resolve({
            kind: why.kind,
            error: { name: why.kind, message },
            requests: [],
            unmatched: [],
            unusedAnswers: 0,
            durationMs: performance.now() - p.start,
          });
        }
      });
    });
  }

  /**
   * "SyntaxError: Unexpected end of input at src/handlers.js:3:1": the error, and where it is. A
   * syntax error's place is in the header Node puts before the name in its stack (CommonJS, and
   * ES modules on recent Node); where there is none (ES modules on Node 20), `node --check` on
   * the file, which only parses it, says where.
   */
  private async loadError(msg: Extract<WorkerMessage, { type: "load-error" }>): Promise<{ text: string; at?: string }> {
    const e = msg.error;
    if (!e) return { text: msg.message.trimEnd() };
    let at = e.at;
    if (e.name === "SyntaxError") {
      at =
        (e.header && syntaxErrorLocation(e.header, this.root)) ??
        syntaxErrorLocation(await checkSyntax(this.options.entry), this.root) ??
        at;
    }
    return { text: `${e.name}: ${e.message.trim()}${where(at)}`.trimEnd(), at };
  }

  /**
   * With other events in flight (a volume run), events leave in one message per turn of the event
   * loop, as their results come back: a message each woke the worker's thread once per event. One
   * event at a time (a replay) goes at once.
   */
  private send(worker: Worker, run: RunMessage["runs"][number]): void {
    if (this.pending.size <= 1 && !this.outbox) {
      worker.postMessage({ type: "run", runs: [run] } satisfies RunMessage);
      return;
    }
    if (this.outbox?.worker !== worker) {
      this.flush();
      this.outbox = { worker, runs: [] };
      setImmediate(() => this.flush());
    }
    this.outbox.runs.push(run);
  }

  private flush(): void {
    const box = this.outbox;
    this.outbox = undefined;
    if (box) box.worker.postMessage({ type: "run", runs: box.runs } satisfies RunMessage);
  }

  private settle(msg: ResultMessage): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    p.resolve({
      kind: msg.outcome,
      ...(msg.error ? { error: msg.error } : {}),
      ...(msg.value !== undefined ? { value: msg.value } : {}),
      requests: msg.requests,
      ...(msg.sent !== undefined ? { sent: msg.sent } : {}),
      unmatched: msg.unmatched,
      ...(msg.refused?.length ? { refused: msg.refused } : {}),
      unusedAnswers: msg.unusedAnswers,
      durationMs: performance.now() - p.start,
    });
  }

  /** Crashes from work handlers left running after they returned, since the last call. */
  takeLateCrashes(): { handler: string; message: string }[] {
    return this.lateCrashes.splice(0);
  }

  /**
   * Runs one handler with `args`; answers outbound requests from `answers` (null: 200 `{}` to every
   * request). `record: false` counts the requests instead of recording them (`sent`).
   */
  async run(
    handler: string,
    args: unknown[],
    opts: { answers: PartnerAnswer[] | null; seed: string; clockMs?: number; record?: boolean },
  ): Promise<HandlerOutcome> {
    const state = await this.ensure();
    if (!state.ok)
      return {
        kind: "load-error",
        error: { name: "load-error", message: state.message },
        requests: [],
        unmatched: [],
        unusedAnswers: 0,
        durationMs: 0,
      };
    const { worker } = state;
    const id = ++this.nextId;
    return new Promise<HandlerOutcome>((resolve) => {
      const start = performance.now();
      const timer = setTimeout(() => {
        if (!this.pending.has(id)) return;
        this.pending.delete(id);
        resolve({
          kind: "timeout",
          error: { name: "timeout", message: `did not finish within ${this.timeoutMs} ms` },
          requests: [],
          unmatched: [],
          unusedAnswers: 0,
          durationMs: performance.now() - start,
        });
        // Other events in flight on this worker die with it (reported as crashes).
        if (this.current === worker) {
          this.current = undefined;
          this.state = undefined;
        }
        void worker.terminate();
      }, this.timeoutMs);
      this.pending.set(id, { resolve, timer, start, worker });
      this.send(worker, {
        id,
        handler,
        args,
        answers: opts.answers,
        seed: opts.seed,
        clockMs: opts.clockMs ?? FIXED_CLOCK,
        record: opts.record ?? true,
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const s = this.state;
    const current = this.current;
    this.state = undefined;
    this.current = undefined;
    if (s) await s;
    if (current) await current.terminate();
  }
}

/** " at src/handlers.js:51:30", or "" when the place is not known. */
function where(at: string | undefined): string {
  return at ? ` at ${at}` : "";
}

/**
 * "src/handlers.js:3:14" from the header Node writes before a syntax error's name (in its stack,
 * and in `node --check`'s output): `<file>:<line>`, the source line, a caret under the column.
 * Undefined when there is no such header, or its file is not below `root`.
 */
export function syntaxErrorLocation(text: string, root: string): string | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^(file:\/\/\S+|\/.*|[A-Za-z]:\\.*):(\d+)$/.exec(lines[i]!);
    if (!m) continue;
    const rel = insideRoot(root, m[1]!);
    if (!rel) continue;
    const source = lines[i + 1];
    const caret = lines[i + 2] ?? "";
    // The caret marks the column; at the end of the input (an empty line) there is none to draw.
    const column = caret.includes("^") ? caret.indexOf("^") + 1 : source !== undefined ? source.length + 1 : undefined;
    return `${rel}:${m[2]}${column !== undefined ? `:${column}` : ""}`;
  }
  return undefined;
}

/** What `node --check <file>` prints (it parses the file and runs nothing); "" when it could not run. */
function checkSyntax(file: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--check", file],
      { timeout: 10_000, maxBuffer: 1024 * 1024, env: { ...process.env, NODE_OPTIONS: "" } },
      (_err, _stdout, stderr) => resolve(String(stderr ?? "")),
    );
  });
}

/** The platform's grade for a handler outcome. */
export function gradeOutcome(o: HandlerOutcome, handler: string): Grade {
  if (o.refused?.length) {
    const more = o.refused.length > 1 ? ` (and ${o.refused.length - 1} more such attempt(s))` : "";
    return { status: "fail", retryable: false, message: `${handler} ${o.refused[0]}${more}.` };
  }
  if (o.unmatched.length) {
    return {
      status: "fail",
      retryable: false,
      message: `${handler} made ${o.unmatched.length === 1 ? "a request" : "requests"} the fixture's partnerApi does not declare: ${o.unmatched.join("; ")}.`,
    };
  }
  const n = o.sent ?? o.requests.length;
  const sent = n ? ` (${n} partner API request${n === 1 ? "" : "s"})` : "";
  switch (o.kind) {
    case "missing":
      return {
        status: "unsupported",
        retryable: false,
        message: `The module has no ${handler} handler (counts as EventNotSupported).`,
      };
    case "return":
      return {
        status: "pass",
        retryable: false,
        message: `${handler} returned${o.value !== undefined ? ` ${o.value}` : ""}${sent}.`,
      };
    case "throw": {
      const e = o.error!;
      const text = `${handler} threw ${e.name}${e.message ? ` "${e.message}"` : ""}${e.name === "EventNotSupported" ? "" : where(e.at)}${sent}`;
      if (e.name === "EventNotSupported") return { status: "unsupported", retryable: false, message: `${text}.` };
      if (e.name === "RetryError")
        return { status: "fail", retryable: true, message: `${text} — the platform retries it.` };
      if (e.name === "InvalidEventPayload" || e.name === "ValidationError")
        return { status: "fail", retryable: false, message: `${text} — the platform discards the event.` };
      return {
        status: "fail",
        retryable: false,
        message: `${text} — an unexpected error; the event fails and is not retried.`,
      };
    }
    case "timeout":
      return {
        status: "fail",
        retryable: true,
        message: `${handler} ${o.error?.message ?? "timed out"}; the platform times it out and retries.`,
      };
    default:
      return { status: "fail", retryable: false, message: `${handler} ${o.error?.message ?? o.kind}.` };
  }
}

export interface FunctionTarget {
  /** Every setting the handler receives (apiKey included). */
  settings: Record<string, unknown>;
  supports?: readonly CallType[];
  component?: string;
}

/** A function case's golden check in its message (checkGolden, golden.ts). */
function goldenWords(kind: OutcomeKind, requests: number): GoldenWords {
  return {
    // Only a handler that returned normally sent what it meant to: a thrown error (even one the
    // fixture expects) or a missing handler is the thing to look at, and --update would save what
    // it sent as the expected requests.
    differs:
      kind === "return"
        ? requestsDiffer
        : (file, difference, said) =>
            msg`${messageSentence(said)} Its requests also differ from ${file}: ${sentence(difference ?? "")} Look at the ${kind === "missing" ? "missing handler" : "error"} first; ${file} is left as it is.`,
    recorded: (file) => ` Recorded ${requests} request(s) in ${file}.`,
  };
}

/** A message to replay, with its fixture's partner API answers and where its golden entry lives. */
export interface FunctionInput extends ReplayInput {
  /** null or absent: every request gets 200 `{}`. */
  answers?: PartnerAnswer[] | null;
  /** Root-relative golden file and the key of this case inside it. */
  golden?: { file: string; key: string };
}

export interface FunctionReplayOptions {
  /** Run the fault cases; default true. */
  faults?: boolean;
  golden?: GoldenStore;
  onCase?: (c: ReplayCase) => void;
  signal?: AbortSignal;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** `file`/`line` from "src/handlers.js:3:14". */
function placeOf(at: string | undefined): Pick<ReplayCase, "file" | "line"> {
  const m = at ? /^(.+?):(\d+)(?::\d+)?$/.exec(at) : null;
  return m ? { file: m[1]!, line: Number(m[2]) } : {};
}

function clockOf(message: Record<string, unknown>): number | undefined {
  const t = message.timestamp;
  if (typeof t !== "string") return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Runs every input through the handler module, then the fault cases and (if defined) onBatch. */
export async function replayFunction(
  runner: FunctionRunner,
  target: FunctionTarget,
  inputs: readonly FunctionInput[],
  options: FunctionReplayOptions = {},
): Promise<ReplayCase[]> {
  const cases: ReplayCase[] = [];
  const push = (c: ReplayCase): void => {
    if (target.component) c.component = target.component;
    cases.push(c);
    options.onCase?.(c);
  };
  const loaded = await runner.load();
  if (!loaded.ok) {
    // One red case that says why, rather than the same load error repeated on every message.
    push({
      name: "Load the handler module",
      type: "setup",
      group: "setup",
      status: "fail",
      durationMs: 0,
      message: `${loaded.message}\nNo handler could run, so no message was sent.`,
      ...placeOf(loaded.at),
    });
    return cases;
  }
  const handlers = new Set(loaded.handlers);
  let faultSample: { input: FunctionInput; handler: string } | undefined;

  for (const input of inputs) {
    if (options.signal?.aborted) break;
    const handler = HANDLER_NAMES[input.type] ?? `on${input.type.charAt(0).toUpperCase()}${input.type.slice(1)}`;
    const o = await runner.run(handler, [input.message, target.settings], {
      answers: input.answers ?? null,
      seed: String(input.message.messageId ?? input.name),
      clockMs: clockOf(input.message),
    });
    let g = judge(gradeOutcome(o, handler), input.type, target.supports, input.expect, "function");
    // An undeclared request, or the network reached other than through fetch, fails whatever was expected.
    if (o.unmatched.length || o.refused?.length) g = { ...gradeOutcome(o, handler) };
    else if (o.unusedAnswers > 0 && g.status !== "fail")
      g = { ...g, message: `${g.message} (${o.unusedAnswers} declared partnerApi answer(s) were not used)` };
    // A crash, a timeout or an undeclared request leaves the golden file alone, whatever was
    // expected: recording (or comparing) what such a handler sent would bury the fault and, with
    // --update, save it as expected. (checkGolden leaves it alone for a red case too.)
    const recordable = (o.kind === "return" || o.kind === "throw" || o.kind === "missing") && !o.unmatched.length;
    const checked = recordable
      ? checkGolden(options.golden, input.golden, g, o.requests, goldenWords(o.kind, o.requests.length))
      : { grade: g, note: "" };
    if (!recordable && options.golden && input.golden) options.golden.keep(input.golden.file, input.golden.key);
    push({
      name: input.name,
      type: input.type,
      group: input.group,
      status: checked.grade.status,
      durationMs: round(o.durationMs),
      message: checked.grade.message + checked.note,
      ...(checked.grade.status === "fail" ? { retryable: checked.grade.retryable } : {}),
      requests: o.requests.length,
      ...sourceOf(input),
      ...(checked.golden ? { golden: checked.golden } : {}),
    });
    if (!faultSample && o.kind === "return" && o.requests.length > 0 && input.group !== "fault")
      faultSample = { input, handler };
  }

  if (!options.signal?.aborted && loaded.ok && handlers.has("onBatch")) {
    const batch = inputs.filter(
      (i) => i.group === "test-suite" && (!target.supports || target.supports.includes(i.type)),
    );
    if (batch.length) {
      const o = await runner.run("onBatch", [batch.map((i) => i.message), target.settings], {
        answers: null,
        seed: "batch",
        clockMs: clockOf(batch[0]!.message),
      });
      const g = gradeOutcome(o, "onBatch");
      push({
        name: `Batch — the Test Suite's ${batch.length} supported messages through onBatch`,
        type: "batch",
        group: "test-suite",
        status: g.status,
        durationMs: round(o.durationMs),
        message: g.message,
        ...(g.status === "fail" ? { retryable: g.retryable } : {}),
      });
    }
  }

  // Work a handler left running that crashed the function after that handler's case was graded.
  for (const late of runner.takeLateCrashes()) {
    push({
      name: `Late crash — work ${late.handler} left running`,
      type: "crash",
      group: "test-suite",
      status: "fail",
      durationMs: 0,
      message: `${late.handler} returned, but work it left running (a timer, an unawaited promise) ${late.message.replace(/^crashed/, "crashed the function")}. A handler must finish its work before it returns.`,
      retryable: false,
    });
  }

  if (options.faults !== false && !options.signal?.aborted && loaded.ok) {
    if (!faultSample) {
      push({
        name: "Fault — partner API failures",
        type: "fault",
        group: "fault",
        status: "unsupported",
        durationMs: 0,
        message: "No message made the handler call the partner's API and return, so fault replay had nothing to break.",
      });
    } else {
      for (const c of await faultCases(runner, target, faultSample.input, faultSample.handler, options.signal)) push(c);
    }
  }
  return cases;
}

export interface Fault {
  name: string;
  answer: PartnerAnswer;
  /** Whether the platform must retry: the handler must throw RetryError (or time out). */
  retry: boolean;
}

export const FAULTS: readonly Fault[] = [
  { name: "answers 500", answer: { status: 500, body: { message: "Internal Server Error" } }, retry: true },
  {
    name: "answers 503",
    answer: { status: 503, body: { message: "Down for maintenance" }, headers: { "retry-after": "120" } },
    retry: true,
  },
  {
    name: "answers 429",
    answer: { status: 429, body: { message: "Too many requests" }, headers: { "retry-after": "30" } },
    retry: true,
  },
  { name: "times out", answer: { error: "timeout" }, retry: true },
  { name: "resets the connection", answer: { error: "reset" }, retry: true },
  { name: "answers 400", answer: { status: 400, body: { message: "Bad request: email is invalid" } }, retry: false },
  { name: "answers 401", answer: { status: 401, body: { message: "Invalid API key" } }, retry: false },
];

async function faultCases(
  runner: FunctionRunner,
  target: FunctionTarget,
  input: FunctionInput,
  handler: string,
  signal?: AbortSignal,
): Promise<ReplayCase[]> {
  const out: ReplayCase[] = [];
  for (const fault of FAULTS) {
    if (signal?.aborted) break;
    const answers = Array.from({ length: 10 }, () => fault.answer);
    const o = await runner.run(handler, [input.message, target.settings], {
      answers,
      seed: `fault-${fault.name}`,
      clockMs: clockOf(input.message),
    });
    const g = gradeOutcome(o, handler);
    const retried = o.kind === "timeout" || (o.kind === "throw" && o.error?.name === "RetryError");
    let status: CaseStatus;
    let message: string;
    if (fault.retry) {
      status = retried ? "pass" : "fail";
      message = retried
        ? `${g.message.replace(/ — the platform retries it\.$/, "")} — the platform retries it, as it should.`
        : o.kind === "return"
          ? `${handler} returned normally although the partner API ${fault.name}: the event is lost. Throw RetryError so the platform retries it.`
          : `${g.message.replace(/ — .*$/, "")} — the partner API ${fault.name}, which is temporary: throw RetryError so the platform retries it.`;
    } else {
      status = retried ? "fail" : "pass";
      message = retried
        ? `${g.message.replace(/ — .*$/, "")} — but the partner API ${fault.name}, which a retry cannot fix: throw ValidationError or InvalidEventPayload instead.`
        : `${g.message.replace(/ — .*$/, "")} — not retried, as it should be.`;
    }
    out.push({
      name: `Fault — partner API ${fault.name} (${input.name})`,
      type: input.type,
      group: "fault",
      status,
      durationMs: round(o.durationMs),
      message,
    });
  }
  return out;
}
