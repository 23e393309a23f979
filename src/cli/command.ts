// The shape of one `devcenter` subcommand: its options (node:util parseArgs), help and run().
import type { ParseArgsConfig } from "node:util";
import type { CliIO } from "./io.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** One line per option, for --help. */
  help: string[];
  options: Options;
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}
