// Every `devcenter` subcommand, in the order --help lists them.
import type { Command } from "../command.js";
import { catalogAddCommand } from "./catalog-add.js";
import { catalogBuildCommand } from "./catalog-build.js";
import { diffCommand } from "./diff.js";
import { initCommand } from "./init.js";
import { replayCommand } from "./replay.js";
import { sendCommand } from "./send.js";
import { checklistCommand, reviewCommand } from "./review.js";
import { sinkCommand } from "./sink.js";
import { validateEventsCommand } from "./validate-events.js";

export const commands: Command[] = [
  reviewCommand,
  checklistCommand,
  validateEventsCommand,
  replayCommand,
  sendCommand,
  sinkCommand,
  initCommand,
  diffCommand,
  catalogAddCommand,
  catalogBuildCommand,
];
