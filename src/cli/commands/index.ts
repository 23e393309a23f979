// Every `devcenter` subcommand, in the order --help lists them.
import type { Command } from "../command.js";
import { initCommand } from "./init.js";
import { sinkCommand } from "./sink.js";

export const commands: Command[] = [initCommand, sinkCommand];
