// `devcenter`: the partner's front door on a laptop. Exit 0 = no errors, 1 = errors found,
// 2 = usage or internal error.
import { parseArgs } from "node:util";
import { commands } from "./commands/index.js";
import { EXIT, UsageError, processIO, type CliIO } from "./io.js";
import { VERSION } from "../version.js";
import { closest } from "../core/suggest.js";
import type { Command } from "./command.js";

function usage(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    "Usage: devcenter <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    "",
    "Run `devcenter <command> --help` for a command's options.",
    "Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.",
    "",
  ].join("\n");
}

/** node:util's parse errors, in one sentence with a suggestion where there is one. */
function parseArgsMessage(e: Error & { code?: string }, command: Command): string {
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const given = /'(-[^']*)'/.exec(e.message)?.[1] ?? "";
    const names = Object.keys(command.options).map((o) => `--${o}`);
    const near = closest(given, names);
    return `unknown option ${given}.${near ? ` Did you mean ${near}?` : names.length ? ` Options: ${names.join(", ")}.` : ""}`;
  }
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const flag = /'(--?[^']*)'/.exec(e.message)?.[1];
    if (flag && /ambiguous|forget/.test(e.message))
      return `${flag} needs a value (a value starting with "-" is written ${flag}=-5).`;
  }
  return e.message;
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === "--version" || name === "-v") {
    io.stdout(`devcenter ${VERSION}\n`);
    return EXIT.ok;
  }
  // Two-word commands (`catalog add`) first, then one-word ones.
  const command = commands.find((c) => c.name === `${name} ${rest[0]}`) ?? commands.find((c) => c.name === name);
  if (!command) {
    const group = commands.filter((c) => c.name.startsWith(`${name} `)).map((c) => c.name.slice(name.length + 1));
    if (group.length)
      io.stderr(
        `devcenter ${name}: name one of: ${group.join(", ")}${rest[0] ? ` (not "${rest[0]}")` : ""}.\n\n${usage()}`,
      );
    else {
      const near = closest(name, [...new Set(commands.map((c) => c.name.split(" ")[0]!))]);
      io.stderr(`devcenter: unknown command "${name}".${near ? ` Did you mean \`${near}\`?` : ""}\n\n${usage()}`);
    }
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseArgs({
      args: command.name.includes(" ") ? rest.slice(1) : rest,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout(
        [
          `Usage: devcenter ${command.usage}`,
          "",
          command.summary,
          "",
          "Options:",
          ...command.help.map((h) => `  ${h}`),
          "",
        ].join("\n"),
      );
      return EXIT.ok;
    }
    return await command.run({ values, positionals }, io);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof UsageError || e.code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(
        `devcenter ${command.name}: ${parseArgsMessage(e, command)}\nRun \`devcenter ${command.name} --help\` for its options.\n`,
      );
      return EXIT.usage;
    }
    io.stderr(
      `devcenter ${command.name}: internal error: ${e.stack ?? e.message}\nThis is a bug in devcenter; please report it with the command you ran.\n`,
    );
    return EXIT.usage;
  }
}
