import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { INPUT_DEFAULTS, inputEnvName, readInputs } from "../../action/inputs.js";

const actionYml = parse(readFileSync(new URL("../../action/action.yml", import.meta.url), "utf8")) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

describe("inputs", () => {
  it("names the variables as the runner does: upper case, hyphens kept", () => {
    expect(inputEnvName("fail-on")).toBe("INPUT_FAIL-ON");
    expect(inputEnvName("path")).toBe("INPUT_PATH");
  });

  it("has the defaults action.yml declares, and no other inputs", () => {
    const declared = Object.fromEntries(Object.entries(actionYml.inputs).map(([k, v]) => [k, String(v.default)]));
    expect(declared).toEqual(INPUT_DEFAULTS);
  });

  it("action.yml runs the committed bundle on node24 and declares the three outputs", () => {
    expect(actionYml.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(Object.keys(actionYml.outputs).sort()).toEqual(["ready-for", "report", "result"]);
  });

  it("uses the defaults when nothing is set; no token without the runner", () => {
    expect(readInputs({})).toEqual({
      path: ".",
      replay: true,
      failOn: "error",
      token: "",
      manifest: "integration.yml",
    });
  });

  it("reads every input", () => {
    const env = {
      INPUT_PATH: " integrations/acme ",
      INPUT_REPLAY: "False",
      INPUT_VOLUME: "500",
      INPUT_CONCURRENCY: "4",
      "INPUT_FAIL-ON": "warning",
      INPUT_TOKEN: "ghs_x",
      INPUT_MANIFEST: "devcenter.yml",
    };
    expect(readInputs(env)).toEqual({
      path: "integrations/acme",
      replay: false,
      volume: 500,
      concurrency: 4,
      failOn: "warning",
      token: "ghs_x",
      manifest: "devcenter.yml",
    });
  });

  it.each([
    [{ INPUT_REPLAY: "yes" }, /`replay` must be true or false/],
    [{ "INPUT_FAIL-ON": "errors" }, /`fail-on` must be one of error, warning/],
    [{ INPUT_VOLUME: "-1" }, /`volume` must be a whole number/],
    [{ INPUT_CONCURRENCY: "0" }, /`concurrency` must be a whole number from 1/],
    [{ INPUT_VOLUME: "1e3" }, /`volume`/],
  ])("refuses %j", (env, message) => {
    expect(() => readInputs(env)).toThrow(message);
  });
});
