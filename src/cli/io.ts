// What a CLI command may touch: its streams and working folder. Tests pass their own.
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Colour and progress lines only on a terminal. */
  isTTY: boolean;
  /** Standard input, for commands that read `-`. */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export class UsageError extends Error {}

export const FORMATS = ["text", "json", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: string | undefined, allowed: readonly Format[] = FORMATS): Format {
  const format = (value ?? "text") as Format;
  if (!allowed.includes(format)) throw new UsageError(`--format must be one of ${allowed.join(", ")}; got "${value}".`);
  return format;
}

let watchingStdout = false;

export function processIO(): CliIO {
  if (!watchingStdout) {
    watchingStdout = true;
    process.stdout.on("error", (err: NodeJS.ErrnoException) => {
      // The reader went away (`devcenter … | head`): nothing is left to say, and no stack trace.
      if (err.code === "EPIPE") process.exit(process.exitCode ?? EXIT.ok);
      process.stderr.write(
        `devcenter: could not write the output (${err.code ?? err.message}); is the disk full or the output closed?\n`,
      );
      process.exit(EXIT.usage);
    });
  }
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    stdin: process.stdin,
  };
}
