#!/usr/bin/env node
// The `devcenter` command. dist/cli.js is built on `npm ci` (the `prepare` script).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write("devcenter: dist/cli.js is missing; run `npm run build` in the devcenter checkout.\n");
  process.exit(2);
}
let finished = false;
// If the event loop ever empties while a command is still awaiting something, Node would exit
// silently with code 13; say so instead of losing the output.
process.on("exit", (code) => {
  if (!finished && code === 13) {
    process.stderr.write(
      "devcenter: internal error: the command stopped before it finished (an unsettled wait). Please report it.\n",
    );
    process.exitCode = 2;
  }
});
const { main } = await import(built.href);
process.exitCode = await main(process.argv.slice(2));
finished = true;
