// The files the runner reads after the step: GITHUB_OUTPUT (outputs) and GITHUB_STEP_SUMMARY
// (the job summary), plus the JSON report the Action leaves under RUNNER_TEMP.
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * One output in GITHUB_OUTPUT's multi-line form, `name<<DELIMITER\nvalue\nDELIMITER`, with a
 * delimiter that cannot occur in the value.
 */
export function formatOutput(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`The output ${name} contains its own delimiter.`);
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** Writes the outputs; returns false when the runner gave no GITHUB_OUTPUT (run by hand). */
export function writeOutputs(env: Env, outputs: Record<string, string>): boolean {
  if (!env.GITHUB_OUTPUT) return false;
  appendFileSync(
    env.GITHUB_OUTPUT,
    Object.entries(outputs)
      .map(([k, v]) => formatOutput(k, v))
      .join(""),
    "utf8",
  );
  return true;
}

export function writeSummary(env: Env, markdown: string): boolean {
  if (!env.GITHUB_STEP_SUMMARY) return false;
  appendFileSync(env.GITHUB_STEP_SUMMARY, markdown, "utf8");
  return true;
}

/** Writes the JSON report into a folder of its own under RUNNER_TEMP (steps never overwrite each other's). */
export function writeReportFile(env: Env, json: object): string {
  const dir = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), "devcenter-"));
  const file = join(dir, "report.json");
  writeFileSync(file, JSON.stringify(json, null, 2) + "\n", "utf8");
  return file;
}
