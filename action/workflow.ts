// Workflow commands: how a step talks to the runner through its standard output.
// Escaping follows the runner's parser: in a command's data `%`, CR and LF are escaped; in its
// properties also `:` and `,` (they separate properties). Nothing here reads process.env.
import { randomUUID } from "node:crypto";

export type AnnotationLevel = "error" | "warning" | "notice";

export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
}

/** Escapes the data part of a workflow command (after the second `::`). */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value (`file=…`, `title=…`). */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One workflow command line, without the trailing newline. */
export function formatCommand(
  command: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "")
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${command}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

export function annotationCommand(
  level: AnnotationLevel,
  message: string,
  properties: AnnotationProperties = {},
): string {
  // Property order as the toolkit writes it; the runner does not care, tests read it more easily.
  const { title, file, line, endLine, col, endColumn } = properties;
  return formatCommand(level, { title, file, line, endLine, col, endColumn }, message);
}

/** Where the step writes its log lines; a test passes an array. */
export interface Log {
  write(line: string): void;
}

export const stdoutLog: Log = { write: (line) => void process.stdout.write(line + "\n") };

export class Workflow {
  constructor(private readonly log: Log = stdoutLog) {}

  /**
   * Plain log text. Text in which a line could read as a command is printed with commands off: a
   * line starting with `::` (the runner trims leading blanks first), or holding `##[` anywhere
   * (the runner still honours the old `##[command]` syntax wherever it appears in a line).
   */
  info(message: string): void {
    const lines = message.split(/\r?\n/);
    if (lines.some((line) => line.trimStart().startsWith("::") || line.includes("##["))) return this.untrusted(message);
    for (const line of lines) this.log.write(line);
  }

  annotate(level: AnnotationLevel, message: string, properties?: AnnotationProperties): void {
    this.log.write(annotationCommand(level, message, properties));
  }

  notice(message: string): void {
    this.annotate("notice", message);
  }

  warning(message: string): void {
    this.annotate("warning", message);
  }

  error(message: string): void {
    this.annotate("error", message);
  }

  debug(message: string): void {
    this.log.write(formatCommand("debug", {}, message));
  }

  group(title: string): void {
    this.log.write(formatCommand("group", {}, title));
  }

  endGroup(): void {
    this.log.write("::endgroup::");
  }

  /**
   * Prints text that came from the partner's repository (file names, messages, event names)
   * with workflow commands switched off, so none of it can act as a command.
   */
  untrusted(text: string, token: string = randomUUID()): void {
    this.log.write(`::stop-commands::${token}`);
    for (const line of text.split(/\r?\n/)) this.log.write(line);
    this.log.write(`::${token}::`);
  }
}
