// The workflow partners copy: least privilege, the safe trigger, and inputs the Action declares.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { INPUT_DEFAULTS } from "../../action/inputs.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const workflow = parse(read("templates/workflows/devcenter.yml")) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

describe("templates/workflows/devcenter.yml", () => {
  it("runs on pull_request only, never pull_request_target", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(read("templates/workflows/devcenter.yml")).not.toMatch(/^\s*pull_request_target\s*:/m);
  });

  it("asks for the least permissions: read the code, write checks", () => {
    expect(workflow.permissions).toEqual({ contents: "read", checks: "write" });
  });

  it("checks out without leaving the token in .git/config (replay runs the partner's code)", () => {
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with?.["persist-credentials"]).toBe(false);
  });

  it("uses the Action with inputs it declares, and passes secrets through env", () => {
    const action = steps.find((s) => /\/action@/.test(s.uses ?? ""));
    expect(action).toBeDefined();
    for (const key of Object.keys(action!.with ?? {})) expect(Object.keys(INPUT_DEFAULTS)).toContain(key);
    expect(Object.values(action!.env ?? {}).every((v) => /^\$\{\{ secrets\.[A-Z_]+ \}\}$/.test(v))).toBe(true);
  });
});

describe("docs/action.md", () => {
  const doc = read("docs/action.md");
  it("documents every input and output of action.yml", () => {
    const yml = parse(read("action/action.yml")) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, unknown>;
    };
    for (const name of [...Object.keys(yml.inputs), ...Object.keys(yml.outputs)]) expect(doc).toContain(`\`${name}\``);
  });
  it("explains why pull_request_target must not run the pull request's code", () => {
    expect(doc).toMatch(/pull_request_target/);
  });
});
