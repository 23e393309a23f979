// Reading events that are not a regular file: stdin (`-`), a pipe (`/dev/stdin`, bash's `<(…)`),
// a named FIFO, a character device. Their reported size says nothing (0 for a pipe), so they are
// read to the end under the same byte cap as a file, and an idle timeout replaces "never returns":
// a FIFO nobody writes to, or a writer that stalls, ends in a clear error instead of a hang.
//
// Paths are opened non-blocking and polled on the thread pool, never with a blocking open or read:
// a FIFO's open blocks until a writer appears and a pipe's read until data arrives, and neither can
// be cancelled, so the process would stay alive after the timeout. (epoll is no help either: Linux
// reports no hang-up on a FIFO re-opened after its writer closed, so the end would never be seen.)
import { constants } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { formatBytes } from "../core/limits.js";
import type { FileProblem } from "../core/file-diagnostic.js";

export type StreamRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: FileProblem; message: string };

/** How long a stream may stay silent (no writer yet, or no data) before the read gives up. */
export const DEFAULT_READ_TIMEOUT_MS = 10_000;
const CHUNK = 64 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tooLarge(name: string, max: number): StreamRead {
  return {
    ok: false,
    reason: "too-large",
    message: `More than ${formatBytes(max)} arrived on ${name}, over the ${formatBytes(max)} limit; split the events into smaller files.`,
  };
}

function silent(name: string, ms: number, fifoWithoutWriter: boolean): StreamRead {
  const seconds = `${Math.round(ms / 100) / 10} s`;
  return {
    ok: false,
    reason: "unreadable",
    message: fifoWithoutWriter
      ? `${name} is a FIFO and no program opened it for writing within ${seconds}; start the program that writes the events into it (or raise --read-timeout), or save the events to a file.`
      : `Nothing arrived on ${name} for ${seconds}; the program writing the events stalled (raise --read-timeout if it is only slow), or save the events to a file.`,
  };
}

/**
 * A named FIFO on disk (not an anonymous pipe reached through /dev/stdin or /dev/fd/N): reading it
 * before any writer opened it returns 0, which must mean "wait", not "end of file".
 */
async function isNamedFifo(abs: string): Promise<boolean> {
  const real = await realpath(abs).catch(() => undefined); // an anonymous pipe resolves to `pipe:[N]`, which does not exist
  return real !== undefined && !/^\/proc\//.test(real);
}

/** Reads a FIFO, pipe or device at `abs` to its end, at most `max` bytes. */
export async function readStreamPath(
  abs: string,
  name: string,
  max: number,
  timeoutMs: number,
  fifo: boolean,
): Promise<StreamRead> {
  const waitForWriter = fifo && (await isNamedFifo(abs));
  const handle = await open(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    let writerSeen = !waitForWriter;
    let idleSince = Date.now();
    let pause = 1;
    for (;;) {
      let n: number;
      try {
        const buf = Buffer.allocUnsafe(CHUNK);
        ({ bytesRead: n } = await handle.read(buf, 0, CHUNK, null));
        if (n > 0) chunks.push(buf.subarray(0, n));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
        n = -1; // a writer is there, with nothing to say yet
      }
      if (n > 0) {
        total += n;
        if (total > max) return tooLarge(name, max);
        writerSeen = true;
        idleSince = Date.now();
        pause = 1;
        continue;
      }
      if (n === 0 && writerSeen) return { ok: true, bytes: Buffer.concat(chunks, total) };
      if (n === -1) writerSeen = true;
      if (Date.now() - idleSince >= timeoutMs) return silent(name, timeoutMs, !writerSeen);
      await sleep(pause);
      pause = Math.min(pause * 2, 25);
    }
  } finally {
    await handle.close();
  }
}

/** Reads standard input to its end, at most `max` bytes (`-` on the command line). */
export function readStdin(
  stdin: NodeJS.ReadableStream & { destroy?: () => void },
  max: number,
  timeoutMs: number,
): Promise<StreamRead> {
  const name = "standard input";
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let timer: NodeJS.Timeout;
    const finish = (result: StreamRead) => {
      clearTimeout(timer);
      stdin.removeListener("data", onData);
      stdin.removeListener("end", onEnd);
      stdin.removeListener("error", onError);
      if (!result.ok) stdin.destroy?.();
      else stdin.pause();
      resolve(result);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(silent(name, timeoutMs, false)), timeoutMs);
    };
    const onData = (chunk: Buffer | string) => {
      const b = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      total += b.length;
      if (total > max) return finish(tooLarge(name, max));
      chunks.push(b);
      arm();
    };
    const onEnd = () => finish({ ok: true, bytes: Buffer.concat(chunks, total) });
    const onError = (err: Error) =>
      finish({ ok: false, reason: "unreadable", message: `${name} could not be read: ${err.message}` });
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.on("error", onError);
    arm();
    stdin.resume();
  });
}
