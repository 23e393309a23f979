// `devcenter replay [dir]`: the Test Suite, fixtures, probes, faults (and volume, when asked)
// against every component of the integration in `dir`. `devcenter replay --url URL --api-key KEY`
// does the same for any running webhook endpoint. Exit 0 iff no case failed and the volume bar
// was met; 1 otherwise; 2 for usage errors.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatLocation } from "../../core/diagnostic.js";
import { LocalSource } from "../../replay/source-local.js";
import { MANIFEST_FILE } from "../../core/vocabulary.js";
import { loadManifest } from "../../manifest/load.js";
import { styleFor } from "../../render/style.js";
import { progressLine, replayJson, replayMarkdown, replayText } from "../../render/replay.js";
import { replayPassed, replayUrl, runReplay, type ReplayOptions } from "../../replay/run.js";
import type { ReplayReport } from "../../replay/types.js";
import type { Command, ParsedArgs } from "../command.js";
import { policyFindings } from "../../policy/findings.js";
import { policyOption } from "../policy-option.js";
import { onlyHelp, checkOnlyMatched, onlyMatcher } from "../only.js";
import { EXIT, UsageError, parseFormat, type CliIO } from "../io.js";
import { parseSettings, positiveInt } from "../webhook-options.js";

async function run(args: ParsedArgs, io: CliIO): Promise<number> {
  const v = args.values;
  const format = parseFormat(v.format as string | undefined);
  const url = v.url as string | undefined;
  const apiKey = v["api-key"] as string | undefined;
  const settings = parseSettings(v.settings as string | undefined);
  const events = positiveInt("--volume", v.volume as string | undefined);
  const concurrency = positiveInt("--concurrency", v.concurrency as string | undefined, 1000);
  const timeoutMs = positiveInt("--timeout", v.timeout as string | undefined, 600_000);
  const only = v.only as string | undefined;
  if ((only !== undefined || v["no-volume"]) && events !== undefined)
    throw new UsageError(`--volume cannot go with ${only !== undefined ? "--only" : "--no-volume"}.`);
  if (concurrency !== undefined && events === undefined) throw new UsageError("--concurrency needs --volume N.");
  if (url === undefined && (apiKey !== undefined || settings !== undefined))
    throw new UsageError("--api-key and --settings go with --url URL.");
  if (url !== undefined) {
    if (apiKey === undefined || apiKey === "")
      throw new UsageError("--url needs --api-key KEY (the key the endpoint accepts).");
    if (args.positionals.length) throw new UsageError("Give either a folder or --url, not both.");
    if (v.update) throw new UsageError("--update rewrites an integration's golden files; it does not apply to --url.");
    try {
      const u = new URL(url);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    } catch {
      throw new UsageError(`--url must be an http:// or https:// URL; got "${url}".`);
    }
  }
  if (args.positionals.length > 1)
    throw new UsageError(`replay takes at most one folder; got ${args.positionals.length}.`);

  const policy = await policyOption(v.policy, io.cwd);
  const flags = { timeoutMs, events, concurrency };
  // A value looser than the platform's is not used; say so before the run, where it is read.
  const warn = (d: { file?: string; line?: number; column?: number; message: string }) =>
    io.stderr(`devcenter replay: warning: ${d.file ? `${formatLocation(d)}: ` : ""}${d.message}\n`);
  const style = styleFor(io.isTTY, io.env);
  const progress = io.isTTY
    ? (c: Parameters<NonNullable<ReplayOptions["onProgress"]>>[0]) => io.stderr(progressLine(c, style))
    : undefined;
  let lastPct = -1;
  const volumeProgress = io.isTTY
    ? (done: number, total: number) => {
        const pct = Math.floor((done * 100) / total);
        if (pct >= lastPct + 10) {
          lastPct = pct;
          io.stderr(style.dim(`volume: ${done}/${total} events\n`));
        }
      }
    : undefined;
  const volume = events !== undefined ? { events, ...(concurrency !== undefined ? { concurrency } : {}) } : undefined;

  let report: ReplayReport;
  if (url !== undefined) {
    for (const d of policyFindings(policy, undefined, undefined, flags)) warn(d);
    report = await replayUrl({
      url,
      policy,
      only: onlyMatcher(only, io.cwd, io.cwd),
      apiKey: apiKey!,
      ...(settings ? { settings } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(volume ? { volume } : {}),
      onProgress: progress,
      onVolumeProgress: volumeProgress,
    });
  } else {
    const dir = resolve(io.cwd, args.positionals[0] ?? ".");
    if (!existsSync(join(dir, MANIFEST_FILE))) {
      throw new UsageError(
        `${dir} has no ${MANIFEST_FILE}; run replay in an integration's folder, pass the folder, or use --url URL --api-key KEY.`,
      );
    }
    const source = new LocalSource(dir);
    const loaded = await loadManifest(source);
    if (!loaded.manifest) {
      const errors = loaded.diagnostics.filter((d) => d.severity === "error");
      io.stderr(
        `devcenter replay: ${MANIFEST_FILE} has ${errors.length} error(s); fix them first (\`devcenter review\` lists them all):\n`,
      );
      for (const d of errors.slice(0, 20)) io.stderr(`  ${formatLocation(d)}  ${d.message}  (${d.ruleId})\n`);
      return EXIT.findings;
    }
    for (const d of policyFindings(policy, loaded.manifest, loaded, flags)) warn(d);
    report = await runReplay(loaded.manifest, source, {
      env: io.env,
      policy,
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(volume ? { volume } : {}),
      update: Boolean(v.update),
      only: onlyMatcher(only, dir, io.cwd),
      onProgress: progress,
      onVolumeProgress: volumeProgress,
    });
    if (report.cases.length === 0)
      io.stderr(
        `devcenter replay: ${MANIFEST_FILE} has no subscription or stream component, so there was nothing to replay.\n`,
      );
  }

  checkOnlyMatched(only, report);
  if (format === "json") io.stdout(replayJson(report));
  else if (format === "markdown") io.stdout(replayMarkdown(report));
  else io.stdout(replayText(report, style, Boolean(v.show)));
  return replayPassed(report) ? EXIT.ok : EXIT.findings;
}

export const replayCommand: Command = {
  name: "replay",
  usage: "replay [dir] | replay --url URL --api-key KEY",
  summary:
    "Send the Test Suite, fixtures, probes and faults to the integration's webhook or function handlers (and volume, when asked).",
  help: [
    "[dir]                 the integration's folder (default: the current folder)",
    "--url URL             replay against a running webhook endpoint instead of a folder",
    "--api-key KEY         the API key the endpoint accepts (with --url)",
    "--settings JSON       other settings, sent in X-Segment-Settings (with --url)",
    "--volume N            also send N events (never fewer than the policy's) and measure events/s and latency",
    "--concurrency C       requests in flight during volume replay (at most the policy's; default 20)",
    "--timeout MS          per-request / per-event deadline (at most the policy's; default 5000)",
    "--policy FILE         the platform policy to grade against (a policy.yml; default the built-in one)",
    ...onlyHelp(22),
    "--update              rewrite the golden files that differ (what handlers sent; what a webhook",
    "                      was sent and the status it answered)",
    "--show                with each webhook case, the request sent, the answer and a curl command",
    "                      that sends it again (JSON output always has them, as `exchange`)",
    "--format text|json|markdown",
  ],
  options: {
    url: { type: "string" },
    "api-key": { type: "string" },
    settings: { type: "string" },
    volume: { type: "string" },
    concurrency: { type: "string" },
    timeout: { type: "string" },
    policy: { type: "string" },
    update: { type: "boolean" },
    only: { type: "string" },
    "no-volume": { type: "boolean" },
    show: { type: "boolean" },
    format: { type: "string" },
  },
  run,
};
