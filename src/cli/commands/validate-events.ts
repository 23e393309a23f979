// `devcenter validate-events <path>...`: Spec validation of message files (one message, an
// array, or NDJSON; fixture wrappers included; replay's golden files skipped). The JSON output
// is a contract other tools read.
import type { Stats } from "node:fs";
import { readdir, stat, open } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { compareDiagnostics, countBySeverity, type Diagnostic } from "../../core/diagnostic.js";
import { LIMITS, formatBytes } from "../../core/limits.js";
import { decodeText, plural } from "../../core/text.js";
import { fileDiagnostic, type FileProblem } from "../../core/file-diagnostic.js";
import { fixturesFromText } from "../../spec/fixtures.js";
import { SPEC_RULE } from "../../spec/rules.js";
import { renderDiagnosticsText } from "../../render/text.js";
import { inlineCode, messageMarkdown } from "../../render/escape.js";
import { styleFor } from "../../render/style.js";
import type { Command } from "../command.js";
import { EXIT, UsageError, parseFormat, type CliIO } from "../io.js";
import { DEFAULT_READ_TIMEOUT_MS, readStdin, readStreamPath, type StreamRead } from "../read-stream.js";

const EVENT_FILE = /\.(json|ndjson|jsonl)$/i;
/** Golden files replay writes next to fixtures are recordings, not events. */
const GOLDEN = /\.golden\.(json|ndjson|jsonl)$/i;

/** What to read: a regular file, a pipe/FIFO/device read as a stream, or standard input (`-`). */
interface Input {
  kind: "file" | "fifo" | "device" | "stdin";
  abs: string;
  /** The name diagnostics carry. */
  name: string;
}

/**
 * Names of this process's standard input: read from the stream already open, since re-opening the
 * path fails when stdin is a socket (as when Node or systemd starts the command).
 */
const STDIN_PATHS = new Set(["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

/** Files named on the command line, folders expanded to their event files (sorted). */
async function expand(paths: string[], cwd: string): Promise<{ inputs: Input[]; problems: Diagnostic[] }> {
  const files: string[] = [];
  const inputs: Input[] = [];
  const problems: Diagnostic[] = [];
  const walk = async (abs: string): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (files.length >= LIMITS.filesPerFolder) return;
      const child = join(abs, e.name);
      if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) await walk(child);
      else if (e.isFile() && EVENT_FILE.test(e.name) && !GOLDEN.test(e.name)) files.push(child);
    }
  };
  // A path that does not exist is a mistake on the command line, not a finding in the events: exit 2
  // before anything is validated, like every other usage error.
  const found: { p: string; abs: string; st: Stats | undefined; error?: Error }[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (p === "-" || STDIN_PATHS.has(abs)) {
      found.push({ p, abs: "-", st: undefined });
      continue;
    }
    try {
      found.push({ p, abs, st: await stat(abs) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") missing.push(p);
      else found.push({ p, abs, st: undefined, error: err as Error });
    }
  }
  if (missing.length) throw new UsageError(`no such file or folder: ${missing.join(", ")}`);
  for (const { p, abs, st, error } of found) {
    if (abs === "-") inputs.push({ kind: "stdin", abs, name: p === "-" ? "<stdin>" : p });
    else if (!st)
      problems.push(
        fileDiagnostic(
          { reason: "unreadable", message: `${p} could not be read: ${error?.message ?? "unknown error"}` },
          { file: p },
        ),
      );
    else if (st.isDirectory()) {
      const before = files.length;
      await walk(abs);
      // A warning, not an error nor a usage error: nothing in the events is wrong, and a CI job that
      // validates a folder its build may leave empty should not fail on that. JSON consumers still
      // see it in `diagnostics`, and a mistyped folder is obvious in every format.
      if (files.length === before && files.length < LIMITS.filesPerFolder)
        problems.push({
          ruleId: SPEC_RULE.noEventFiles.id,
          severity: "warning",
          message: `No event files found under ${p}: validate-events reads .json, .ndjson and .jsonl files (not replay's .golden.* recordings); check the path.`,
          file: p,
        });
      for (const f of files.slice(before)) inputs.push({ kind: "file", abs: f, name: relative(cwd, f) || f });
    } else if (st.isFile()) inputs.push({ kind: "file", abs, name: relative(cwd, abs) || abs });
    // A pipe's or device's size says nothing about what it holds: read it as a stream, named as given.
    else inputs.push({ kind: st.isFIFO() ? "fifo" : "device", abs, name: p });
  }
  return { inputs, problems };
}

async function readCapped(
  abs: string,
  max: number,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; reason: FileProblem; message: string }> {
  const handle = await open(abs, "r");
  try {
    const { size } = await handle.stat();
    if (size > max)
      return {
        ok: false,
        reason: "too-large",
        message: `The file is ${formatBytes(size)}, over the ${formatBytes(max)} limit; split it into smaller files.`,
      };
    const buf = Buffer.alloc(size);
    await handle.read(buf, 0, size, 0);
    return { ok: true, bytes: buf };
  } finally {
    await handle.close();
  }
}

export interface ValidateEventsResult {
  summary: { files: number; events: number; errors: number; warnings: number };
  diagnostics: Diagnostic[];
}

export interface ValidateEventsOptions {
  /** Standard input, for `-`. */
  stdin?: NodeJS.ReadableStream;
  /** How long a pipe, FIFO or standard input may stay silent before the read gives up. */
  readTimeoutMs?: number;
}

function readInput(input: Input, options: ValidateEventsOptions): Promise<StreamRead> {
  const max = LIMITS.eventFileBytes;
  const timeout = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  if (input.kind === "file") return readCapped(input.abs, max);
  if (input.kind === "stdin") {
    if (!options.stdin)
      return Promise.resolve({
        ok: false,
        reason: "unreadable",
        message: "Standard input is not available here; name a file instead of `-`.",
      });
    return readStdin(options.stdin, max, timeout);
  }
  return readStreamPath(input.abs, input.name, max, timeout, input.kind === "fifo");
}

export async function validateEventPaths(
  paths: string[],
  cwd: string,
  options: ValidateEventsOptions = {},
): Promise<ValidateEventsResult> {
  const { inputs, problems } = await expand(paths, cwd);
  const diagnostics: Diagnostic[] = [...problems];
  let events = 0;
  for (const input of inputs) {
    const file = input.name;
    const read = await readInput(input, options).catch((err: Error) => ({
      ok: false as const,
      reason: "unreadable" as const,
      message: `${file} could not be read: ${err.message}`,
    }));
    if (!read.ok) {
      diagnostics.push(fileDiagnostic(read, { file }));
      continue;
    }
    const text = decodeText(read.bytes, file);
    if (!text.ok) {
      diagnostics.push(fileDiagnostic(text, { file }));
      continue;
    }
    // Fixture files (a message wrapped with `expect` and `partnerApi`) are understood too.
    const result = fixturesFromText(text.text, file, file);
    events += result.events;
    for (const d of result.diagnostics) diagnostics.push(d); // no spread: a file may hold 100,000 findings
  }
  diagnostics.sort(compareDiagnostics);
  return { summary: { files: inputs.length, events, ...countBySeverity(diagnostics) }, diagnostics };
}

/** The JSON contract: only these keys, in this order. */
function toJson(result: ValidateEventsResult): string {
  return JSON.stringify({
    summary: result.summary,
    diagnostics: result.diagnostics.map((d) => ({
      file: d.file ?? "",
      index: d.index ?? -1,
      ruleId: d.ruleId,
      severity: d.severity === "error" ? "error" : "warning",
      message: d.message,
      path: d.path ?? "",
      ...(d.line !== undefined ? { line: d.line, column: d.column } : {}),
    })),
  });
}

function toMarkdown(result: ValidateEventsResult): string {
  const { files, events, errors, warnings } = result.summary;
  const out = [
    `### Spec validation: ${plural(events, "event")} in ${plural(files, "file")} — ${plural(errors, "error")}, ${plural(warnings, "warning")}`,
    "",
  ];
  if (result.diagnostics.length) {
    out.push("| | File | Event | Path | Rule | Message |", "|---|---|---|---|---|---|");
    for (const d of result.diagnostics) {
      const where = d.line !== undefined ? `${d.file}:${d.line}:${d.column}` : (d.file ?? "");
      out.push(
        `| ${d.severity === "error" ? "❌" : "⚠️"} | ${inlineCode(where, { inTable: true })} | ${d.index ?? ""} | ${inlineCode(d.path ?? "", { inTable: true })} | ${inlineCode(d.ruleId, { inTable: true })} | ${messageMarkdown(d)} |`,
      );
    }
  }
  return out.join("\n") + "\n";
}

export const validateEventsCommand: Command = {
  name: "validate-events",
  usage: "validate-events <path>...",
  summary: "Validate Segment messages (a message, an array, or NDJSON per file) against the Spec.",
  help: [
    "--format text|json|markdown   output format (default text)",
    `--read-timeout MS            how long a pipe, FIFO or stdin may stay silent (default ${DEFAULT_READ_TIMEOUT_MS})`,
    "Folders are searched for .json, .ndjson and .jsonl files; `-` reads standard input.",
    "Pipes and FIFOs (/dev/stdin, <(…), mkfifo) are read to their end, under the same size cap as a file.",
  ],
  options: { format: { type: "string", short: "f" }, "read-timeout": { type: "string" } },
  async run(args, io: CliIO) {
    const format = parseFormat(args.values.format as string | undefined);
    if (args.positionals.length === 0) throw new UsageError("name at least one file or folder of events.");
    const timeoutText = args.values["read-timeout"] as string | undefined;
    const readTimeoutMs = timeoutText === undefined ? DEFAULT_READ_TIMEOUT_MS : Number(timeoutText);
    if (!Number.isInteger(readTimeoutMs) || readTimeoutMs < 1)
      throw new UsageError(`--read-timeout must be a whole number of milliseconds, at least 1; got "${timeoutText}".`);
    if (args.positionals.filter((p) => p === "-").length > 1)
      throw new UsageError("`-` (standard input) can be named once.");
    if (args.positionals.includes("-") && io.stdin?.isTTY)
      throw new UsageError(
        "`-` reads events from standard input, which is a terminal here: pipe them in (`cat events.ndjson | devcenter validate-events -`) or name the file.",
      );
    const result = await validateEventPaths(args.positionals, io.cwd, {
      readTimeoutMs,
      ...(io.stdin ? { stdin: io.stdin } : {}),
    });
    if (format === "json") io.stdout(toJson(result) + "\n");
    else if (format === "markdown") io.stdout(toMarkdown(result));
    else {
      const style = styleFor(io.isTTY, io.env);
      const { files, events, errors, warnings } = result.summary;
      if (result.diagnostics.length)
        io.stdout(renderDiagnosticsText(result.diagnostics, style).replace(/^\n/, "") + "\n\n");
      io.stdout(
        `${plural(events, "event")} in ${plural(files, "file")}: ${errors ? style.red(plural(errors, "error")) : style.green("0 errors")}, ${plural(warnings, "warning")}\n`,
      );
    }
    return result.summary.errors > 0 ? EXIT.findings : EXIT.ok;
  },
};
