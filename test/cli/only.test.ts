// The fast inner loop (issue 14 part 2): `--only <case name | call type | fixture file>` and
// `--no-volume` on replay and review, against the webhook example's real server process.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { freePort } from "../replay/helpers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env, isTTY: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** The webhook example on a free port, with its manifest's volume bar made small (review runs volume when the manifest sets a bar). */
async function example(): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "devcenter-only-"));
  dirs.push(dir);
  cpSync(join(root, "examples", "webhook"), dir, { recursive: true });
  const file = join(dir, "integration.yml");
  let yml = readFileSync(file, "utf8").replaceAll("8787", String(port));
  yml = yml.replace(/events: 2000/, "events: 200").replace(/minEventsPerSecond: 100/, "minEventsPerSecond: 1");
  writeFileSync(file, yml);
  return { dir, env: { ...process.env, PORT: String(port) } };
}

type Case = { name: string; type: string; file?: string; group?: string };

describe("--only and --no-volume", () => {
  it("replay --only a call type, a case name, a fixture file (from the integration's folder or the current one)", async () => {
    const { dir, env } = await example();
    const byType = JSON.parse((await cli(["replay", dir, "--only", "identify", "--format", "json"], root, env)).stdout);
    expect(byType.cases.length).toBeGreaterThan(0);
    expect(byType.cases.every((c: Case) => c.type === "identify")).toBe(true);
    expect(byType.cases.some((c: Case) => c.type === "probe")).toBe(false);

    const byName = JSON.parse(
      (await cli(["replay", dir, "--only", "order-completed", "--format", "json"], root, env)).stdout,
    );
    expect(byName.cases.map((c: Case) => c.name)).toEqual(["order-completed"]);

    const byFile = JSON.parse(
      (await cli(["replay", ".", "--only", "test/events/order-completed.json", "--format", "json"], dir, env)).stdout,
    );
    expect(byFile.cases.map((c: Case) => c.file)).toEqual(["test/events/order-completed.json"]);
    const fromElsewhere = JSON.parse(
      (
        await cli(
          ["replay", dir, "--only", join(dir, "test/events/order-completed.json"), "--format", "json"],
          root,
          env,
        )
      ).stdout,
    );
    expect(fromElsewhere.cases).toHaveLength(1);
  });

  it("an --only that matches nothing is a usage error that says what it takes", async () => {
    const { dir, env } = await example();
    const r = await cli(["replay", dir, "--only", "no-such-case"], root, env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--only "no-such-case" matched no case');
    expect(r.stderr).toContain("call type");
    expect((await cli(["replay", dir, "--only", "track", "--volume", "10"], root, env)).code).toBe(2);
  });

  it("review --only replays just those cases and no volume; review --no-volume skips the manifest's volume bar", async () => {
    const { dir, env } = await example();
    const only = JSON.parse(
      (await cli(["review", dir, "--only", "order-completed", "--format", "json"], root, env)).stdout,
    );
    expect(only.replay.cases.map((c: Case) => c.name)).toEqual(["order-completed"]);
    expect(only.replay.volume).toBeUndefined();

    // The manifest sets a volume bar, so review would run volume; --no-volume leaves only that out.
    const noVolume = JSON.parse((await cli(["review", dir, "--no-volume", "--format", "json"], root, env)).stdout);
    expect(noVolume.replay.volume).toBeUndefined();
    expect(noVolume.replay.cases.some((c: Case) => c.group === "volume")).toBe(false);
    expect(noVolume.replay.cases.some((c: Case) => c.type === "probe")).toBe(true);
  });
});
