// The Action's runtime (issue 14 part 3): action.yml runs the bundle on `node24`, while the CLI
// needs Node.js 20.18+. The bundle is run on both: this process's Node (20 here and in CI) and
// Node 24 — from the `node` npm package, which .ci/run installs at DEVCENTER_NODE24 (default
// /tmp/devcenter-node24/node_modules/.bin/node). Outside CI a machine without it runs Node 20 only;
// in CI a missing Node 24 fails the test.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { builtBundle, REPO, runAction } from "./harness.js";

const NODE24 = process.env.DEVCENTER_NODE24 || "/tmp/devcenter-node24/node_modules/.bin/node";
const { bundleDir, api } = builtBundle("devcenter-action-runtime-");

function major(node: string): number {
  const v = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  return Number(/^v(\d+)\./.exec(v)?.[1]);
}

describe("the Action's runtime", () => {
  it("action.yml runs node24, and the README says so next to the CLI's Node.js 20.18+", () => {
    const action = parse(readFileSync(join(REPO, "action/action.yml"), "utf8")) as {
      runs: { using: string; main: string };
    };
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    expect(readme).toContain("The Action runs on Node.js 24 (`runs.using: node24` in `action/action.yml`");
    expect(readme).toContain("On a fresh machine with Node.js 20.18+ and npm");
  });

  it("the bundle reviews examples/webhook on Node 20 and on Node 24", async () => {
    const runtimes = [process.execPath];
    if (existsSync(NODE24)) runtimes.push(NODE24);
    else
      expect(
        process.env.CI,
        `Node 24 is not at ${NODE24}: .ci/run installs it (npm i --prefix /tmp/devcenter-node24 node@24…)`,
      ).toBeFalsy();
    const majors: number[] = [];
    for (const node of runtimes) {
      majors.push(major(node));
      const run = await runAction({ bundleDir, integration: "examples/webhook", api, node, inputs: { volume: "0" } });
      expect(run.code, `on ${node} (Node ${majors.at(-1)}):\n${run.stderr}`).toBe(0);
      expect(run.outputs.result).toBe("pass");
      expect(JSON.parse(readFileSync(run.outputs.report!, "utf8")).replay.summary.fail).toBe(0);
    }
    expect(majors[0]).toBe(Number(process.versions.node.split(".")[0]));
    if (runtimes.length > 1) expect(majors[1]).toBe(24);
  }, 240_000);
});
