// `devcenter review [dir]` and `devcenter checklist [dir]`: the full review of a local
// integration — manifest, Spec, docs, replay against the partner's code, checklist.
import { withoutMarkdown } from "../../core/diagnostic.js";
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { loadBaselineDir } from "../../catalog/baseline.js";
import { LocalSource } from "../../replay/source-local.js";
import { MANIFEST_FILE, STAGE_TITLES } from "../../core/vocabulary.js";
import { review } from "../../review.js";
import { reviewFailed, type Report } from "../../report.js";
import { runReplay, volumeRequest } from "../../replay/run.js";
import { renderChecklistMarkdown } from "../../render/checklist.js";
import { reportToJson } from "../../render/json.js";
import { renderReportMarkdown } from "../../render/markdown.js";
import { renderChecklistText, renderReportText, renderSummaryLine } from "../../render/text.js";
import { styleFor } from "../../render/style.js";
import type { Command, Options, ParsedArgs } from "../command.js";
import { policyOption } from "../policy-option.js";
import { onlyHelp, checkOnlyMatched, onlyMatcher } from "../only.js";
import { EXIT, UsageError, parseFormat, type CliIO } from "../io.js";

const options: Options = {
  format: { type: "string", short: "f" },
  manifest: { type: "string" },
  "no-replay": { type: "boolean" },
  "no-volume": { type: "boolean" },
  only: { type: "string" },
  volume: { type: "string" },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  policy: { type: "string" },
  baseline: { type: "string" },
  show: { type: "boolean" },
};

const help = [
  "--format text|json|markdown   output format (default text)",
  "--manifest FILE               the manifest, relative to dir (default integration.yml);",
  "                              its folder is the integration reviewed",
  "--no-replay                   skip replay (no partner code runs)",
  "--volume N                    run the high-volume check with N events (default: when the",
  "                              manifest has a `volume` section; never fewer than the policy's)",
  "--concurrency C               volume replay concurrency (at most the policy's; default 20)",
  "--timeout MS                  per-event replay timeout (at most the policy's; default 5000)",
  "--policy FILE                 the platform policy to grade against (a policy.yml; default",
  "                              the built-in one)",
  "--baseline DIR                the approved version (an integration folder or a catalog record",
  "                              folder): adds the change check against it",
  ...onlyHelp(30),
  "--show                        with each red webhook case, the request sent, the answer and a",
  "                              curl command that sends it again (JSON always has them)",
];

function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive whole number; got "${value}".`);
  return n;
}

async function runReview(args: ParsedArgs, io: CliIO): Promise<Report> {
  if (args.positionals.length > 1) throw new UsageError("review one integration folder at a time.");
  let dir = resolve(io.cwd, args.positionals[0] ?? ".");
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new UsageError(`${args.positionals[0] ?? "."} is not a folder.`);
  // Paths in a manifest are relative to its own folder: review that folder.
  let manifestFile = args.values.manifest as string | undefined;
  if (manifestFile) {
    dir = resolve(dir, dirname(manifestFile));
    manifestFile = basename(manifestFile);
  } else if (!(await stat(join(dir, MANIFEST_FILE)).catch(() => undefined))) {
    const several = (await readdir(join(dir, "integrations"), { withFileTypes: true }).catch(() => []))
      .filter((e) => e.isDirectory() && existsSync(join(dir, "integrations", e.name, MANIFEST_FILE)))
      .map((e) => `integrations/${e.name}`);
    if (several.length) {
      throw new UsageError(
        `${args.positionals[0] ?? "."} holds several integrations; review one at a time, e.g. \`npx devcenter review ${join(args.positionals[0] ?? ".", several[0]!)}\` (${several.join(", ")}).`,
      );
    }
  }
  const volume = positiveInt(args.values.volume, "--volume");
  const concurrency = positiveInt(args.values.concurrency, "--concurrency");
  const timeoutMs = positiveInt(args.values.timeout, "--timeout");
  const policy = await policyOption(args.values.policy, io.cwd);
  const only = args.values.only as string | undefined;
  if ((only !== undefined || args.values["no-volume"]) && volume !== undefined)
    throw new UsageError(`--volume cannot go with ${only !== undefined ? "--only" : "--no-volume"}.`);
  const source = new LocalSource(dir);
  const baselineArg = args.values.baseline as string | undefined;
  const baseline =
    baselineArg !== undefined ? await loadBaselineDir(resolve(io.cwd, baselineArg), baselineArg) : undefined;
  const progress = io.isTTY && args.values.format !== "json";
  const report = await review(source, {
    manifestFile,
    policy,
    flags: { timeoutMs, events: volume, concurrency },
    ...(baseline ? { baseline, now: new Date() } : {}),
    replay: args.values["no-replay"]
      ? undefined
      : (manifest) => {
          if (progress) io.stderr(`Replaying against ${manifest.app.name}…\n`);
          return runReplay(manifest, source, {
            env: io.env,
            policy,
            timeoutMs,
            volume: volumeRequest(
              manifest,
              only !== undefined || args.values["no-volume"] ? false : { events: volume, concurrency },
            ),
            only: onlyMatcher(only, dir, io.cwd),
            onProgress: progress
              ? (c) => io.stderr(`  ${c.status === "pass" ? "✓" : c.status === "unsupported" ? "~" : "✗"} ${c.name}\n`)
              : undefined,
          });
        },
  });
  checkOnlyMatched(only, report.replay);
  return report;
}

export const reviewCommand: Command = {
  name: "review",
  usage: "review [dir]",
  summary: "Review an integration: manifest, Spec, docs, replay and the Public Beta checklist.",
  help,
  options,
  async run(args, io) {
    const format = parseFormat(args.values.format as string | undefined);
    const report = await runReview(args, io);
    if (format === "json") io.stdout(JSON.stringify(reportToJson(report), null, 2) + "\n");
    else if (format === "markdown") io.stdout(renderReportMarkdown(report));
    else io.stdout(renderReportText(report, styleFor(io.isTTY, io.env), { show: Boolean(args.values.show) }));
    return reviewFailed(report) ? EXIT.findings : EXIT.ok;
  },
};

export const checklistCommand: Command = {
  name: "checklist",
  usage: "checklist [dir]",
  summary: "Show the Public Beta checklist and what blocks the next stage.",
  help,
  options,
  async run(args, io) {
    const format = parseFormat(args.values.format as string | undefined);
    const report = await runReview(args, io);
    if (format === "json")
      io.stdout(
        JSON.stringify({ readyFor: report.readyFor, checklist: report.checklist.map(withoutMarkdown) }, null, 2) + "\n",
      );
    else if (format === "markdown")
      io.stdout(
        `### Checklist — ready for ${STAGE_TITLES[report.readyFor]}\n\n${renderChecklistMarkdown(report.checklist)}`,
      );
    else {
      const style = styleFor(io.isTTY, io.env);
      io.stdout(`${renderChecklistText(report, style)}\n\n${renderSummaryLine(report, style)}\n`);
    }
    return reviewFailed(report) ? EXIT.findings : EXIT.ok;
  },
};
