// Stream replay: run the partner's stream program against a local Tracking API sink and grade what
// it sent. One case per message (Spec + stream rules), then cases for the program's exit, silence,
// call types the manifest does not declare, requests the API would have refused, and the rate.
import { type Message, messageFields, msg } from "../core/markdown.js";
import { CALL_TYPES } from "../core/vocabulary.js";
import type { StreamComponent } from "../manifest/types.js";
import { describeExit, outputTail, spawnProcess, type ProcessExit } from "./process.js";
import { TRACKING_API_LIMITS, startSink, type CapturedMessage, type Rejection, type SinkEvent } from "./sink.js";
import type { ReplayCase } from "./types.js";
import { plural } from "../core/text.js";

export interface StreamReplayOptions {
  /** The app's slug: every message must carry it as context.integration.name. */
  slug: string;
  /** Extra variables for the program (DEVCENTER_WRITE_KEY and DEVCENTER_ENDPOINT are always set). */
  env?: Record<string, string>;
  /** The environment those are added to (PATH etc.), passed in by the front door. */
  baseEnv: Readonly<Record<string, string | undefined>>;
  /** How long the program may run before it is stopped; default 30 s. */
  timeoutMs?: number;
  /** SIGTERM → SIGKILL grace when it has to be stopped; default 3 s. */
  graceMs?: number;
  /** Messages graded one case each; the rest are summed up in one case. Default 500. */
  maxMessageCases?: number;
  onProgress?(c: ReplayCase): void;
  /** The `component` label on every case; default the component's name, else "stream". */
  label?: string;
  /** Aborting stops the program (as a timeout does) and grades what it sent so far. */
  signal?: AbortSignal;
}

export const STREAM_DEFAULT_TIMEOUT_MS = 30_000;

const GROUP = "stream";

function componentLabel(component: StreamComponent): string {
  return component.name ?? "stream";
}

function describeMessage(m: CapturedMessage): string {
  const sent = m.message;
  const quote = (v: unknown): string => {
    const s = String(v);
    return JSON.stringify(s.length > 60 ? `${s.slice(0, 59)}…` : s);
  };
  const detail =
    m.type === "track" && typeof sent.event === "string"
      ? ` ${quote(sent.event)}`
      : (m.type === "page" || m.type === "screen") && typeof sent.name === "string"
        ? ` ${quote(sent.name)}`
        : m.type === "group" && typeof sent.groupId === "string"
          ? ` ${quote(sent.groupId)}`
          : typeof sent.userId === "string"
            ? ` ${quote(sent.userId)}`
            : "";
  return `#${m.seq} ${m.type}${detail}`;
}

/** The case for one captured message. */
export function messageCase(m: CapturedMessage, component?: string): ReplayCase {
  const errors = m.findings.filter((f) => f.severity === "error");
  const warnings = m.findings.filter((f) => f.severity === "warning");
  let status: ReplayCase["status"] = "pass";
  let message: string;
  if (errors.length > 0) {
    status = "fail";
    const first = errors[0]!;
    const more = m.findings.length - 1;
    message = `${first.message}${first.path ? ` (at ${first.path})` : ""}${more > 0 ? ` (+${plural(more, "more finding")})` : ""}`;
  } else if (warnings.length > 0) {
    message = `Accepted with ${plural(warnings.length, "warning")}: ${warnings[0]!.message}`;
  } else {
    message = "Accepted; valid Spec.";
  }
  return {
    name: describeMessage(m),
    type: m.type,
    status,
    httpStatus: 200,
    durationMs: 0,
    message,
    ...(component ? { component } : {}),
    group: GROUP,
  };
}

/**
 * Runs `component.start` with DEVCENTER_WRITE_KEY and DEVCENTER_ENDPOINT pointing at a fresh sink,
 * waits for it to exit (stopping it after `timeoutMs`), and grades what it sent. A component without
 * `start` has nothing to run: no cases.
 */
export async function replayStream(
  component: StreamComponent,
  rootDir: string,
  options: StreamReplayOptions,
): Promise<ReplayCase[]> {
  if (!component.start) return [];
  const label = options.label ?? componentLabel(component);
  const timeoutMs = options.timeoutMs ?? STREAM_DEFAULT_TIMEOUT_MS;
  const maxMessageCases = options.maxMessageCases ?? 500;
  const cases: ReplayCase[] = [];
  const add = (c: ReplayCase): void => {
    cases.push(c);
    options.onProgress?.(c);
  };
  const probe = (
    name: string,
    status: ReplayCase["status"],
    message: string | Message,
    extra: Partial<ReplayCase> = {},
  ): void =>
    add({
      name,
      type: "probe",
      status,
      durationMs: 0,
      ...messageFields(message),
      component: label,
      group: GROUP,
      ...extra,
    });

  const sink = await startSink({ slug: options.slug, maxMessages: maxMessageCases });
  // Messages beyond the individually graded ones: counted, with the first failure kept.
  let overflow = 0;
  let overflowFailed = 0;
  let overflowFirstFailure: ReplayCase | undefined;
  let rateEvent: Extract<SinkEvent, { kind: "rate" }> | undefined;
  const unsubscribe = sink.subscribe((e) => {
    if (e.kind === "message") {
      const c = messageCase(e.message, label);
      if (e.message.seq <= maxMessageCases) add(c);
      else {
        overflow++;
        if (c.status === "fail") {
          overflowFailed++;
          overflowFirstFailure ??= c;
        }
      }
    } else if (e.kind === "rate") rateEvent ??= e;
  });

  let run: ProgramRun;
  try {
    run = await runProgram(component.start, rootDir, sink, options, timeoutMs);
  } finally {
    unsubscribe();
    await sink.close();
  }
  const summary = sink.summary();
  const [name, status, message] = programCase(component.start, run, summary.messages, timeoutMs);
  probe(name, status, message, { durationMs: run.runMs });
  const overflowed =
    overflow > 0 ? { count: overflow, failed: overflowFailed, first: overflowFirstFailure } : undefined;
  for (const args of sentCases(component, summary, sink.rejections(), { overflowed, maxMessageCases, rateEvent }))
    probe(...args);
  return cases;
}

interface ProgramRun {
  exit?: ProcessExit;
  timedOut: boolean;
  wasAborted: boolean;
  /** The end of its output, for a message. */
  tail: string;
  runMs: number;
}

/** Runs the stream program against the sink until it exits, the timeout or an abort; stops it then. */
async function runProgram(
  start: string,
  rootDir: string,
  sink: { writeKey: string; url: string },
  options: StreamReplayOptions,
  timeoutMs: number,
): Promise<ProgramRun> {
  const started = Date.now();
  const handle = spawnProcess({
    command: start,
    cwd: rootDir,
    env: { ...options.env, DEVCENTER_WRITE_KEY: sink.writeKey, DEVCENTER_ENDPOINT: sink.url },
    baseEnv: options.baseEnv,
    ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
  });
  const signal = options.signal;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<"aborted">((resolve) => {
    if (!signal) return;
    onAbort = () => resolve("aborted");
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  const waited = await Promise.race([handle.waitForExit(timeoutMs), aborted]);
  if (onAbort) signal?.removeEventListener("abort", onAbort);
  // Stop it on timeout; otherwise sweep anything it left running in its process group.
  const exit = await handle.stop();
  return {
    exit,
    timedOut: waited === "timeout",
    wasAborted: waited === "aborted",
    tail: outputTail(handle),
    runMs: Date.now() - started,
  };
}

type ProbeArgs = [name: string, status: ReplayCase["status"], message: string | Message, extra?: Partial<ReplayCase>];

/** The case about the program itself: it exited with 0, failed, timed out or was cancelled. */
function programCase(command: string, run: ProgramRun, messages: number, timeoutMs: number): ProbeArgs {
  const { exit, tail, runMs } = run;
  const received = `${plural(messages, "message")} received`;
  const name = "stream program exits";
  if (run.wasAborted)
    return [
      name,
      "fail",
      msg`Replay was cancelled; \`${command}\` was stopped after ${formatSeconds(runMs)}; ${received}.`,
    ];
  if (run.timedOut)
    return [
      name,
      "fail",
      msg`\`${command}\` did not exit within ${formatSeconds(timeoutMs)}, so replay stopped it${exit!.forced ? " (it ignored SIGTERM and was killed with SIGKILL)" : ""}; ${received}. A stream program run by replay must send its events and exit${tail}`,
    ];
  if (exit!.error || exit!.code !== 0)
    return [name, "fail", msg`\`${command}\` ${describeExit(exit!)}; ${received}${tail}`];
  return [name, "pass", msg`\`${command}\` exited with code 0 after ${formatSeconds(runMs)}; ${received}.`];
}

/** Cases about what the program sent: nothing, messages beyond the graded ones, undeclared calls, refused requests, the rate. */
function sentCases(
  component: StreamComponent,
  summary: ReturnType<Awaited<ReturnType<typeof startSink>>["summary"]>,
  rejections: readonly Rejection[],
  seen: {
    overflowed?: { count: number; failed: number; first?: ReplayCase };
    maxMessageCases: number;
    rateEvent?: Extract<SinkEvent, { kind: "rate" }>;
  },
): ProbeArgs[] {
  const { overflowed, maxMessageCases, rateEvent } = seen;
  const out: ProbeArgs[] = [];
  const probe = (...args: ProbeArgs): void => void out.push(args);
  if (summary.messages === 0 && summary.requests === 0) {
    probe(
      "stream sends messages",
      "fail",
      msg`The stream program sent nothing to the Tracking API. It must send to the URL in DEVCENTER_ENDPOINT (e.g. \`new Analytics({ writeKey: process.env.DEVCENTER_WRITE_KEY, host: process.env.DEVCENTER_ENDPOINT })\`) with the write key in DEVCENTER_WRITE_KEY.`,
    );
  } else if (summary.messages === 0) {
    probe(
      "stream sends messages",
      "fail",
      `The stream program made ${plural(summary.requests, "request")} but none was accepted (see the refused requests).`,
    );
  }

  if (overflowed) {
    probe(
      `${plural(overflowed.count, "more message")}`,
      overflowed.failed > 0 ? "fail" : "pass",
      overflowed.failed > 0
        ? `${plural(overflowed.failed, "message")} of them failed; the first: ${overflowed.first!.name}: ${overflowed.first!.message}`
        : `Graded together after the first ${maxMessageCases}; all valid.`,
    );
  }

  // Call types sent that the manifest does not declare: the docs and the catalog would be wrong.
  const declared = new Set<string>(component.emits);
  // (A type outside the Spec already failed its message's case.)
  const undeclared = Object.entries(summary.byType).filter(
    ([type]) => (CALL_TYPES as readonly string[]).includes(type) && !declared.has(type),
  );
  for (const [type, count] of undeclared) {
    probe(
      `emits declares ${type}`,
      "fail",
      msg`The stream sent ${plural(count, `${type} call`)}, but the manifest's \`emits\` lists only ${component.emits.join(", ") || "nothing"}; add ${type} to \`emits\` (and to the docs) or stop sending it.`,
    );
  }

  // Requests the real API would have refused, one case per reason.
  const byRule = new Map<string, Rejection[]>();
  for (const r of rejections) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), r]);
  for (const [ruleId, list] of byRule) {
    const total = summary.rejectionsByRule[ruleId] ?? list.length;
    const first = list[0]!;
    probe(
      REJECTION_TITLES[ruleId] ?? ruleId,
      "fail",
      `${plural(total, "request")} refused with HTTP ${first.status} (${ruleId}); the first, to ${first.endpoint}: ${first.message}`,
      { httpStatus: first.status },
    );
  }

  if (summary.rateExceeded) {
    probe(
      "request rate",
      "pass",
      `Warning: the stream peaked at ${summary.peakRequestsPerSecond} requests/s${rateEvent ? ` (first above the limit at ${rateEvent.at})` : ""}, above the about ${TRACKING_API_LIMITS.requestsPerSecond} requests/s a stream source should stay under; batch events (/v1/batch) or slow down.`,
    );
  }
  return out;
}

const REJECTION_TITLES: Record<string, string> = {
  "stream/request-too-large": "limits: request size",
  "stream/event-too-large": "limits: 32 KB per event",
  "stream/batch-too-many-events": "limits: 2,500 events per batch",
  "stream/unauthorized": "write key",
  "stream/bad-json": "request body is JSON",
  "stream/bad-encoding": "request encoding",
  "stream/bad-batch": "batch shape",
  "stream/unknown-endpoint": "Tracking API endpoint",
  "stream/method": "HTTP method",
};

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
