// Runs a partner's program (a webhook server, a stream program) as a child process: a shell
// command from the manifest, its own process group, its output kept in a bounded buffer, an
// optional readiness probe, and a stop() that always ends the whole group in bounded time.
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { request as httpsRequest } from "node:https";
import { readFileSync, readdirSync } from "node:fs";
import { connect } from "node:net";
import { type Message, msg } from "../core/markdown.js";

export type ReadyProbe =
  /** Polled with GET until it answers 2xx. */
  | { url: string; timeoutMs?: number; intervalMs?: number }
  /** Polled with a TCP connect until it is accepted. */
  | { port: number; host?: string; timeoutMs?: number; intervalMs?: number };

export interface ProcessOptions {
  /** A shell command as written in the manifest (`node server.js`); run with `/bin/sh -c`. */
  command: string;
  cwd: string;
  /** Variables set for the program, over `baseEnv`. */
  env?: Record<string, string>;
  /**
   * The environment the variables are added to (PATH etc.): the front door passes its own, so
   * replay never reads process.env itself.
   */
  baseEnv: Readonly<Record<string, string | undefined>>;
  ready?: ReadyProbe;
  /** Bytes of output kept (the newest); default 64 KiB. */
  logLimitBytes?: number;
  /** Time between SIGTERM and SIGKILL in stop(); default 3 s. */
  graceMs?: number;
}

export interface ProcessExit {
  /** Exit code, or null when killed by a signal or never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the program could not be started at all (e.g. the folder does not exist). */
  error?: string;
  durationMs: number;
  /** Set by stop() when something in the group ignored SIGTERM and was killed with SIGKILL. */
  forced?: boolean;
}

export interface ProcessHandle {
  readonly command: string;
  readonly pid: number | undefined;
  /** stdout and stderr interleaved as they arrived; at most logLimitBytes (the newest). */
  logs(): string;
  /** The last `n` non-empty lines of output. */
  lastLines(n?: number): string[];
  /** Whether older output was dropped to stay within logLimitBytes. */
  logsTruncated(): boolean;
  /** Resolves when the program (the shell's process) has exited; never rejects. */
  readonly exited: Promise<ProcessExit>;
  /** The exit, once it happened. */
  exit(): ProcessExit | undefined;
  /** Resolves with the exit, or "timeout" if it did not exit within `timeoutMs` (it keeps running). */
  waitForExit(timeoutMs: number): Promise<ProcessExit | "timeout">;
  /** SIGTERM to the whole process group, SIGKILL after the grace period. Idempotent. */
  stop(): Promise<ProcessExit>;
}

export type StartFailure = "exited" | "timeout" | "spawn";

/** The program did not become ready; the process has already been stopped. */
export class ProcessStartError extends Error {
  constructor(
    /** The message in both forms: the command a code span in Markdown, the program's output escaped. */
    readonly said: Message,
    readonly reason: StartFailure,
    readonly logs: string,
    readonly exit: ProcessExit | undefined,
  ) {
    super(said.text);
    this.name = "ProcessStartError";
  }
}

const DEFAULT_LOG_LIMIT = 64 * 1024;
const DEFAULT_GRACE_MS = 3_000;
const DEFAULT_READY_TIMEOUT_MS = 10_000;

/** "exited with code 1", "was stopped by SIGTERM", "could not be started: …". */
export function describeExit(exit: ProcessExit): string {
  if (exit.error) return `could not be started: ${exit.error}`;
  const forced = exit.forced ? " (it ignored SIGTERM and was killed with SIGKILL)" : "";
  if (exit.signal) return `was stopped by ${exit.signal}${forced}`;
  return `exited with code ${exit.code}${forced}`;
}

/** Keeps the newest `limit` bytes of output. */
class LogBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    if (chunk.length >= this.limit) {
      this.chunks = [chunk.subarray(chunk.length - this.limit)];
      this.size = this.limit;
      this.truncated = true;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit) {
      const first = this.chunks[0]!;
      const over = this.size - this.limit;
      if (first.length <= over) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(over);
        this.size -= over;
      }
      this.truncated = true;
    }
  }

  text(): string {
    // A multi-byte character cut at the front decodes to U+FFFD; acceptable for logs.
    return Buffer.concat(this.chunks, this.size).toString("utf8");
  }
}

// Children still running when this process exits are killed (synchronously: no time to wait).
const live = new Set<{ kill(signal: NodeJS.Signals): void }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
  // A terminal's Ctrl-C does not reach a detached group: forward it. When nobody else listens for
  // the signal, restore the default behaviour (exit) by re-raising it.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = (): void => {
      for (const child of live) child.kill("SIGKILL");
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
}

const hasProc = (() => {
  try {
    readdirSync("/proc/self");
    return true;
  } catch {
    return false;
  }
})();

/** State letter from /proc/<pid>/stat, and the process group; undefined when gone. */
function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0]!, pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/**
 * Whether a process is still running. Zombies do not count: where PID 1 does not reap orphans
 * (containers, microVMs), a killed process can stay a zombie for ever.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!hasProc) return true;
  const stat = procStat(pid);
  return stat !== undefined && stat.state !== "Z" && stat.state !== "X";
}

/** Whether any live (non-zombie) process is left in the group. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (!hasProc) return true;
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = procStat(pid);
    if (stat && stat.pgrp === pgid && stat.state !== "Z" && stat.state !== "X") return true;
  }
  return false;
}

// Not unref'd: a CLI awaiting stop() must stay alive until the partner's program is gone.
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `command` and, when `ready` is given, waits until it answers. Rejects with a
 * ProcessStartError (after stopping the process) when it exits first or the deadline passes.
 */
export async function startProcess(options: ProcessOptions): Promise<ProcessHandle> {
  const handle = spawnProcess(options);
  if (!options.ready) {
    // spawn() reports a failure to start (a folder that does not exist) as an "error" event on the
    // next tick, never synchronously: wait that tick, or the check below could never see it.
    await new Promise((resolve) => setImmediate(resolve));
    const exit = handle.exit();
    if (exit?.error) throw new ProcessStartError(msg`\`${options.command}\` ${describeExit(exit)}`, "spawn", "", exit);
    return handle;
  }
  await waitUntilReady(handle, options.ready);
  return handle;
}

/** Starts `command` without waiting for anything. */
export function spawnProcess(options: ProcessOptions): ProcessHandle {
  const logs = new LogBuffer(options.logLimitBytes ?? DEFAULT_LOG_LIMIT);
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const startedAt = Date.now();
  let child: ChildProcess;
  let exitInfo: ProcessExit | undefined;
  let resolveExited!: (exit: ProcessExit) => void;
  const exited = new Promise<ProcessExit>((r) => (resolveExited = r));

  const env: NodeJS.ProcessEnv = { ...options.baseEnv, ...options.env };
  child = spawn("/bin/sh", ["-c", options.command], {
    cwd: options.cwd,
    env,
    detached: true, // its own process group, so stop() reaches everything it starts
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pid = child.pid;
  const entry = {
    kill(signal: NodeJS.Signals) {
      if (pid !== undefined) killGroup(pid, signal);
    },
  };
  if (pid !== undefined) {
    live.add(entry);
    installExitHook();
  }
  child.stdout!.on("data", (c: Buffer) => logs.push(c));
  child.stderr!.on("data", (c: Buffer) => logs.push(c));

  let finished = false;
  const finish = (exit: ProcessExit): void => {
    if (finished) return;
    finished = true;
    exitInfo = exit;
    resolveExited(exit);
  };
  child.on("error", (err) => {
    // Spawn failures (e.g. a cwd that does not exist) arrive here without an exit event.
    if (child.pid === undefined || child.exitCode === null) {
      live.delete(entry);
      finish({ code: null, signal: null, error: err.message, durationMs: Date.now() - startedAt });
    }
  });
  child.on("exit", (code, signal) => {
    const exit: ProcessExit = { code, signal, durationMs: Date.now() - startedAt };
    // Let the last output arrive, but do not wait for pipes a grandchild may hold open.
    let done = false;
    const settle = (): void => {
      if (done) return;
      done = true;
      finish(exit);
    };
    child.once("close", settle);
    setTimeout(settle, 250); // held: whoever awaits the exit must not be cut off before it settles
  });

  let stopping: Promise<ProcessExit> | undefined;
  const stop = (): Promise<ProcessExit> => {
    stopping ??= (async () => {
      if (pid === undefined) return exited;
      let forced = false;
      if (groupAlive(pid)) {
        killGroup(pid, "SIGTERM");
        const deadline = Date.now() + graceMs;
        // The group is gone once no member is left, whether or not the leader went first.
        while (Date.now() < deadline && groupAlive(pid)) await sleep(25);
        if (groupAlive(pid)) forced = killGroup(pid, "SIGKILL");
      }
      const exit = await exited;
      live.delete(entry);
      if (forced) exit.forced = true;
      return exit;
    })();
    return stopping;
  };
  void exited.then(() => {
    // Leader gone and nothing else left in its group: no need to kill it at parent exit.
    if (pid !== undefined && !groupAlive(pid)) live.delete(entry);
  });

  return {
    command: options.command,
    pid,
    logs: () => logs.text(),
    lastLines: (n = 20) =>
      logs
        .text()
        .split(/\r?\n/)
        .filter((l) => l.trim() !== "")
        .slice(-n),
    logsTruncated: () => logs.truncated,
    exited,
    exit: () => exitInfo,
    waitForExit: (timeoutMs) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve("timeout"), timeoutMs);
        void exited.then((e) => {
          clearTimeout(timer);
          resolve(e);
        });
      }),
    stop,
  };
}

/** A line of a stack trace ("    at main (file:///srv/server.js:3:9)", "    ... 7 lines matching"). */
const STACK_FRAME = /^\s+(at\s|\.\.\.\s)/;
/** A line that names an error: "Error [ERR_MODULE_NOT_FOUND]: Cannot find module …", "error: …". */
const ERROR_LINE = /Error|error:/;
/** Lines looked through, above the tail, for the error the tail's stack frames belong to. */
const ERROR_SEARCH_LINES = 200;

/**
 * The lines to show of a program's output, at most `lines` of them: the last ones, and — when
 * they are only the end of a crash (stack frames, Node's version line) — the line above them that
 * says what the error was, with "…" for what lies between. A crash's stack can be longer than
 * the tail, and the frames alone do not say what went wrong.
 */
export function tailLines(all: readonly string[], lines = 10): string[] {
  const n = Math.max(1, lines);
  const tail = all.slice(-n);
  const isErrorLine = (l: string): boolean => !STACK_FRAME.test(l) && ERROR_LINE.test(l);
  if (tail.length < n || tail.some(isErrorLine) || n < 3) return tail;
  const above = all.slice(0, all.length - tail.length);
  // The nearest error line above the tail: the heading of the stack it ends. Without one, the
  // nearest line that is not a stack frame.
  let at = -1;
  for (let i = above.length - 1; i >= 0 && i >= above.length - ERROR_SEARCH_LINES; i--) {
    if (isErrorLine(above[i]!)) {
      at = i;
      break;
    }
  }
  if (at < 0) {
    if (!tail.every((l) => STACK_FRAME.test(l))) return tail;
    for (let i = above.length - 1; i >= 0 && at < 0; i--) if (!STACK_FRAME.test(above[i]!)) at = i;
    if (at < 0) return tail;
  }
  // The error line, "…" for the lines left out, the last lines: `n` in all.
  return [above[at]!, "…", ...all.slice(-(n - 2))];
}

/** "; last lines of its output:\n  …" or "; it printed nothing". */
export function outputTail(handle: Pick<ProcessHandle, "lastLines">, lines = 10): string {
  const tail = tailLines(handle.lastLines(Math.max(lines, ERROR_SEARCH_LINES + lines)), lines);
  if (tail.length === 0) return "; it printed nothing.";
  return `; last lines of its output:\n${tail.map((l) => `  ${l}`).join("\n")}`;
}

type ProbeResult = { ok: true } | { ok: false; detail: string };

function probeUrl(url: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve({ ok: false, detail: `"${url}" is not a valid URL` });
      return;
    }
    const req = (parsed.protocol === "https:" ? httpsRequest : request)(
      parsed,
      { method: "GET", agent: false, timeout: timeoutMs, rejectUnauthorized: false },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 300 ? { ok: true } : { ok: false, detail: `it answered HTTP ${status}` });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ ok: false, detail: err.code ?? err.message }));
    req.end();
  });
}

function probePort(port: number, host: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once("connect", () => {
      socket.destroy();
      resolve({ ok: true });
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve({ ok: false, detail: err.code ?? err.message }));
  });
}

/** Polls the probe until it succeeds; on failure stops the process and throws ProcessStartError. */
export async function waitUntilReady(handle: ProcessHandle, ready: ReadyProbe): Promise<void> {
  const timeoutMs = ready.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const target = "url" in ready ? ready.url : `${ready.host ?? "127.0.0.1"}:${ready.port}`;
  const deadline = Date.now() + timeoutMs;
  let interval = ready.intervalMs ?? 100;
  let last = "it was never reached";
  let exited = false;
  void handle.exited.then(() => (exited = true));

  const fail = async (reason: StartFailure, said: Message): Promise<never> => {
    const exit = await handle.stop();
    throw new ProcessStartError(msg`${said}${outputTail(handle)}`, reason, handle.logs(), exit);
  };

  for (;;) {
    if (exited) {
      const exit = (await handle.exited) as ProcessExit;
      return fail(
        exit.error ? "spawn" : "exited",
        msg`\`${handle.command}\` ${describeExit(exit)} before it was ready (${target})`,
      );
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      return fail(
        "timeout",
        msg`\`${handle.command}\` was not ready within ${formatMs(timeoutMs)}: ${target} ${last.startsWith("it ") ? last : `failed with ${last}`}`,
      );
    }
    const attemptMs = Math.max(50, Math.min(2_000, remaining));
    const result =
      "url" in ready
        ? await probeUrl(ready.url, attemptMs)
        : await probePort(ready.port, ready.host ?? "127.0.0.1", attemptMs);
    if (result.ok) {
      if (exited) continue; // answered by something else while ours died: report the exit
      return;
    }
    last = result.detail;
    // Wake early if the process exits while we sleep.
    await Promise.race([sleep(Math.min(interval, Math.max(0, deadline - Date.now()))), handle.exited]);
    interval = Math.min(interval * 1.5, 500);
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
