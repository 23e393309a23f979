// A CliIO that records what a command printed, for in-process CLI tests.
import type { CliIO } from "../../src/cli/io.js";

export function captureIO(cwd = process.cwd(), env: NodeJS.ProcessEnv = {}): CliIO & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    cwd,
    env,
    isTTY: false,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}
