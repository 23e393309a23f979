// The devcenter GitHub Action (action.yml → dist/index.js, bundled by scripts/build-action.mjs).
// Runs the same review as `devcenter review` on the checked-out workspace, replays the partner's
// code on this runner, and reports through the channels a workflow step has: annotations, the job
// summary, outputs, a JSON report file and the `devcenter replay` check run the App reads.
import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { readPolicyFile } from "../src/replay/policy-file.js";
import { DEFAULT_POLICY, type Policy } from "../src/core/policy.js";
import { LocalSource } from "../src/replay/source-local.js";
import { renderReportText } from "../src/render/text.js";
import { reportToJson } from "../src/render/json.js";
import { STATUS_ICON } from "../src/render/replay.js";
import type { Report } from "../src/report.js";
import { review } from "../src/review.js";
import { loadBaselineDir } from "../src/catalog/baseline.js";
import { runReplay, volumeRequest } from "../src/replay/run.js";
import type { ReplayCase } from "../src/replay/types.js";
import {
  RESERVED_FOR_THE_ACTION,
  createdGoldenFiles,
  planAnnotations,
  repositoryPath,
  replayFindings,
} from "./annotations.js";
import { replayCheckRun } from "./check-run.js";
import { createCheckRun, headSha, runUrl } from "./github.js";
import { InputError, readInputs, type Inputs } from "./inputs.js";
import { decide } from "./result.js";
import { NOTICES, checkRunCreated, crashed, goldenCreatedWarning, notRunSummary, resultLine } from "./messages.js";
import { writeOutputs, writeReportFile, writeSummary } from "./runner-files.js";
import { buildSummary } from "./summary.js";
import { Workflow } from "./workflow.js";

type Env = NodeJS.ProcessEnv;

async function main(env: Env, log: Workflow): Promise<number> {
  // 1. Read the inputs, then take every credential out of the environment the partner's code
  //    inherits (it needs none of them). Not a sandbox: that code runs as our user and could
  //    read this process; the `pull_request` trigger (read-only token on forks) is the boundary.
  const inputs = readInputs(env);
  withholdCredentials(env);
  const given = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const workspace = await realpath(given).catch(() => {
    throw new InputError(
      `The workspace ${given} (GITHUB_WORKSPACE) does not exist; run actions/checkout before this step.`,
    );
  });
  const folder = resolve(workspace, inputs.path);
  if (!(await stat(folder).catch(() => undefined))?.isDirectory()) {
    throw new InputError(
      `The input \`path\` is "${inputs.path}", which is not a folder in the workspace (${workspace}).`,
    );
  }
  // The integration's folder relative to the repository root ("" at the root): annotations need
  // it. A folder outside the checkout (through `..`, an absolute path or a symlink) is refused:
  // replay would run code the pull request does not hold, and annotations would point nowhere.
  const integrationDir = relative(workspace, await realpath(folder))
    .split(sep)
    .join("/");
  if (integrationDir === ".." || integrationDir.startsWith("../") || isAbsolute(integrationDir)) {
    throw new InputError(
      `The input \`path\` is "${inputs.path}", which leads outside the workspace (${workspace}); give the integration's folder relative to the repository root.`,
    );
  }
  if (isAbsolute(inputs.manifest) || inputs.manifest.split(/[\\/]/).includes("..")) {
    throw new InputError(
      `The input \`manifest\` is "${inputs.manifest}"; it must be a file name inside \`path\` (no \`..\`, not absolute).`,
    );
  }

  // 2. The platform's bars: the built-in policy, or the policy.yml the `policy` input names.
  const policy = await readPolicy(inputs.policy, workspace);

  // 3. Review: manifest, Spec, docs, replay (unless disabled) and the checklist.
  const report = await runReview(folder, inputs, policy, env, log);

  // 4. Annotations: the 10 errors, 10 warnings and 10 notes GitHub shows, on repository paths;
  //    red replay cases count as errors. Golden files replay had to create here (none were
  //    committed) get one warning of their own, with a slot kept for it.
  const golden = createdGoldenFiles(report.replay).map((f) => repositoryPath(integrationDir, f));
  const reserved = { ...RESERVED_FOR_THE_ACTION, warning: RESERVED_FOR_THE_ACTION.warning + (golden.length ? 1 : 0) };
  const plan = planAnnotations(
    [...report.diagnostics, ...replayFindings(report.replay)],
    integrationDir,
    undefined,
    reserved,
  );
  for (const a of plan.shown) log.annotate(a.level, a.message, a.properties);
  if (golden.length) log.annotate("warning", goldenCreatedWarning(golden), { title: "devcenter: replay golden files" });

  // 5. The JSON report file (written first, so the summary can point at it if it has to be cut).
  const reportFile = writeReportFile(env, reportToJson(report));

  // 6. The job summary: everything, within GitHub's 1 MiB.
  writeSummary(env, buildSummary(report, plan, reportFile, { integrationDir }));

  // 7. Outputs.
  const outcome = decide(report, inputs.failOn, golden.length ? 1 : 0);
  writeOutputs(env, { result: outcome.result, "ready-for": report.readyFor, report: reportFile });

  // 8. The `devcenter replay` check run for the App; never fails the step by itself.
  if (!inputs.replay) log.info(NOTICES.replayOff);
  else if (report.replay) await publishCheckRun(report, integrationDir, inputs.token, env, log);
  else log.info(NOTICES.replayNotRun);

  // 9. The exit code.
  log.info(resultLine(outcome, inputs.failOn, report.readyFor));
  return outcome.result === "pass" ? 0 : 1;
}

/** The review, with the partner's code replayed on this runner; its text goes to the log. */
/** The Action's inputs as a workflow writes them (it has no timeout input). */
const ACTION_INPUT_NAMES = {
  timeoutMs: (v: number) => `A timeout of ${v} ms`,
  events: (v: number) => `The input \`volume: ${v}\``,
  concurrency: (v: number) => `The input \`concurrency: ${v}\``,
};

/** The policy the `policy` input names (a file in the workspace), or the built-in one. */
async function readPolicy(path: string | undefined, workspace: string): Promise<Policy> {
  if (!path) return DEFAULT_POLICY;
  const read = await readPolicyFile(resolve(workspace, path), path);
  if (!read.ok)
    throw new InputError(
      `The input \`policy\` is "${path}": ${read.message.replace(/^The policy \S+ /, "that file ")}`,
    );
  return read.policy;
}

async function runReview(folder: string, inputs: Inputs, policy: Policy, env: Env, log: Workflow): Promise<Report> {
  const source = new LocalSource(folder);
  log.group(inputs.replay ? "devcenter review and replay" : "devcenter review");
  const progress = (c: ReplayCase) =>
    log.info(
      `${STATUS_ICON[c.status]} ${c.name} (${c.type}${c.httpStatus ? `, HTTP ${c.httpStatus}` : ""}): ${c.message}`,
    );
  // The baseline is the approved version: a folder the workflow checked out (never run, only read).
  const baseline = inputs.baseline
    ? await loadBaselineDir(resolve(env.GITHUB_WORKSPACE || process.cwd(), inputs.baseline), inputs.baseline)
    : undefined;
  const report = await review(source, {
    manifestFile: inputs.manifest,
    policy,
    // The Action's own inputs, named as the workflow writes them, in a warning when looser than the policy.
    flags: { events: inputs.volume || undefined, concurrency: inputs.concurrency, names: ACTION_INPUT_NAMES },
    ...(baseline ? { baseline, now: new Date() } : {}),
    replay: inputs.replay
      ? (manifest) =>
          runReplay(manifest, source, {
            // `{ env: NAME }` test settings read CI secrets from here.
            env,
            policy,
            volume: volumeRequest(
              manifest,
              inputs.volume === 0 ? false : { events: inputs.volume, concurrency: inputs.concurrency },
            ),
            onProgress: progress,
          })
      : undefined,
  });
  log.endGroup();
  // Everything in the report may echo the partner's files: printed with workflow commands off.
  log.untrusted(renderReportText(report));
  return report;
}

async function publishCheckRun(
  report: Report,
  integrationDir: string,
  token: string,
  env: Env,
  log: Workflow,
): Promise<void> {
  if (!token) return log.notice(NOTICES.noToken);
  if (!env.GITHUB_REPOSITORY) return log.notice(NOTICES.noRepository);
  const sha = await headSha(env);
  if (!sha) return log.notice(NOTICES.noHeadSha);
  const result = await createCheckRun(
    env,
    token,
    replayCheckRun(report.replay!, integrationDir, sha, runUrl(env), new Date()),
  );
  if (result.ok) log.info(checkRunCreated(result.url, sha));
  else if (result.reason === "forbidden") log.notice(NOTICES.readOnlyToken(result.status ?? 403));
  else log.warning(NOTICES.checkRunFailed(result.detail));
}

/** Variables that grant access to this repository or to the runner's services. */
const CREDENTIALS = [
  "INPUT_TOKEN",
  "ACTIONS_RUNTIME_TOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_URL",
];

function withholdCredentials(env: Env): void {
  for (const name of CREDENTIALS) delete env[name];
}

const log = new Workflow();
// Hold the event loop open until the story ends: a step that exits while a promise is still
// pending (an unref'd timer being the only thing left) would end with code 13 and no report.
const keepAlive = setInterval(() => undefined, 60_000);
try {
  process.exitCode = await main(process.env, log);
} catch (err) {
  const message = err instanceof InputError ? err.message : crashed((err as Error).message ?? String(err));
  log.error(message);
  if (!(err instanceof InputError) && (err as Error).stack) log.debug((err as Error).stack!);
  // Whatever reads the step's outputs or the job summary learns why there is no review.
  try {
    writeOutputs(process.env, { result: "fail" });
    writeSummary(process.env, notRunSummary(message));
  } catch {
    // The runner's files are not writable: the error annotation above is what there is.
  }
  process.exitCode = 1;
} finally {
  clearInterval(keepAlive);
}
// Replay stops what it started; should anything still hold the event loop, do not hang the job.
setTimeout(() => process.exit(), 10_000).unref();
