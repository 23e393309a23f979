// What a partner does: install devcenter from its packed tarball into a fresh folder (runtime
// dependencies only, no TypeScript), then run `npx devcenter --version`, `--help` and a real
// review of an example. CI runs it after the tests (.ci/run); `npm run pack-check` locally.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "devcenter-pack-"));
let failed = false;

function run(cmd, args, cwd, { expect = 0, quiet = false } = {}) {
  const t = Date.now();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false" },
  });
  const ok = r.status === expect;
  console.log(`${ok ? "ok  " : "FAIL"} ${cmd} ${args.join(" ")} (exit ${r.status}, ${Date.now() - t} ms)`);
  if (!ok || !quiet) process.stdout.write(indent(`${r.stdout}${r.stderr}`));
  if (!ok) failed = true;
  return r;
}
const indent = (s) =>
  s.trim()
    ? `${s
        .trimEnd()
        .split("\n")
        .map((l) => `     ${l}`)
        .join("\n")}\n`
    : "";

try {
  const packed = run("npm", ["pack", "--pack-destination", work, "--silent"], root, { quiet: true });
  const tarball = join(work, packed.stdout.trim().split("\n").pop());
  const partner = join(work, "acme-integration");
  cpSync(join(root, "examples", "webhook"), partner, { recursive: true });
  writeFileSync(
    join(partner, "package.json"),
    `${JSON.stringify({ name: "acme-integration", private: true, type: "module" }, null, 2)}\n`,
  );
  run("npm", ["install", "--save-dev", tarball], partner, { quiet: true });
  for (const devOnly of ["typescript", "tsx", "vitest", "esbuild"]) {
    if (existsSync(join(partner, "node_modules", devOnly))) {
      console.log(`FAIL ${devOnly} was installed with devcenter: it is a development dependency`);
      failed = true;
    }
  }
  console.log(
    `     ${readdirSync(join(partner, "node_modules")).filter((n) => !n.startsWith(".")).length} top-level packages installed`,
  );
  const version = run("npx", ["devcenter", "--version"], partner);
  if (!/^devcenter \d+\.\d+\.\d+/.test(version.stdout)) failed = true;
  run("npx", ["devcenter", "--help"], partner, { quiet: true });
  run("npx", ["devcenter", "review", "."], partner, { quiet: true });
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(failed ? "pack-check: FAILED" : "pack-check: the packed tarball installs and reviews an example");
process.exit(failed ? 1 : 0);
