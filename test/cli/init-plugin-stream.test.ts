// `devcenter init --style plugin` and `--style stream`: scaffolds that pass the whole review as
// generated, replay included — the plugin in headless Chromium through analytics.js, the stream
// program on @segment/analytics-node against the local Tracking API sink — run as a real process.
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { packageRoot } from "../../src/cli/package-root.js";
import { captureIO } from "../helpers/cli.js";

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

async function scaffold(style: string, name = "Zed Metrics"): Promise<{ target: string; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), `devcenter-init-${style}-`));
  temps.push(dir);
  const io = captureIO(dir);
  expect(await main(["init", "zed-metrics", "--style", style, "--name", name], io)).toBe(0);
  return { target: join(dir, "zed-metrics"), out: io.out };
}

function review(target: string): {
  status: number | null;
  report: {
    readyFor: string;
    summary: { errors: number };
    replay: { summary: { fail: number; pass: number }; cases: { name: string; status: string; group?: string }[] };
    checklist: { id: string; status: string }[];
  };
  stderr: string;
} {
  const run = spawnSync(process.execPath, ["bin/devcenter.js", "review", target, "--format", "json"], {
    encoding: "utf8",
    timeout: 120_000,
    cwd: packageRoot(),
  });
  return { status: run.status, report: JSON.parse(run.stdout || "{}"), stderr: run.stderr };
}

describe("devcenter init --style plugin", () => {
  it("scaffolds a destination plugin that passes review in a real browser, ready for Public Beta", async () => {
    const { target, out } = await scaffold("plugin", "Zed Co");
    expect(out).toContain(
      "Created a plugin integration for Zed Co (slug zed-metrics)".replace("zed-metrics", "zed-co"),
    );
    const manifest = await readFile(join(target, "integration.yml"), "utf8");
    // The factory's name stays an identifier whatever the App is called.
    expect(manifest).toMatch(/global: ZedCoPlugins/);
    expect(await readFile(join(target, "plugin.js"), "utf8")).toContain("window.ZedCoPlugins = function");
    expect(manifest).toContain("hosts: [api.zed-co.example]");
    const { status, report, stderr } = review(target);
    expect(status, stderr).toBe(0);
    expect(report.replay.summary.fail).toBe(0);
    expect(report.replay.cases.some((c) => c.group === "plugin" && c.name.startsWith("Load"))).toBe(true);
    expect(report.checklist.find((c) => c.id === "plugin-page")).toMatchObject({ status: "pass" });
    expect(report.readyFor).toBe("public-beta");
  }, 150_000);
});

describe("devcenter init --style stream", () => {
  it("scaffolds a stream on @segment/analytics-node that passes review against the sink once installed", async () => {
    const { target, out } = await scaffold("stream");
    expect(out).toContain("npm install");
    const program = await readFile(join(target, "stream.js"), "utf8");
    expect(program).toContain('from "@segment/analytics-node"');
    expect(program).toContain('name: "zed-metrics"');
    expect(JSON.parse(await readFile(join(target, "package.json"), "utf8")).dependencies).toEqual({
      "@segment/analytics-node": "3.1.0",
    });
    // What `npm install` gives it: the same pinned package, linked from devcenter's own node_modules
    // (tests do not download).
    mkdirSync(join(target, "node_modules", "@segment"), { recursive: true });
    symlinkSync(
      join(packageRoot(), "node_modules", "@segment", "analytics-node"),
      join(target, "node_modules", "@segment", "analytics-node"),
      "dir",
    );
    const { status, report, stderr } = review(target);
    expect(status, `${stderr}\n${JSON.stringify(report.replay?.cases, null, 1)}`).toBe(0);
    expect(report.replay.summary.pass).toBeGreaterThanOrEqual(3);
    expect(report.readyFor).toBe("public-beta");
  }, 150_000);

  it("without the install, the review says the dependency is missing (red, not a hang)", async () => {
    const { target } = await scaffold("stream");
    const { status, report } = review(target);
    expect(status).toBe(1);
    expect(JSON.stringify(report.replay.cases)).toContain("@segment/analytics-node");
  }, 150_000);
});
