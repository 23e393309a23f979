// `npm run bench`: bundles every bench/*.bench.ts with esbuild — the form the CLI ships in
// (dist/ is an esbuild bundle too) — and runs them in turn. Running the sources under tsx would
// measure tsx's transform instead: it wraps every named closure in a `__name` call, which alone
// cost replay's per-request path ~8% of its CPU. Each bench compares against a baseline measured
// in the same run and prints ratios (absolute times drift on shared machines).
// `npm run bench -- spec` runs only the benches whose file name contains "spec".
import { build } from "esbuild";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// The function sandbox's worker script, bundled in as a constant (scripts/sandbox.cjs).
const { sandboxDefine } = createRequire(import.meta.url)("./sandbox.cjs");
// Plugin replay's analytics.js, bundled in as a constant (scripts/analytics.cjs).
const { analyticsDefine } = createRequire(import.meta.url)("./analytics.cjs");

const root = fileURLToPath(new URL("..", import.meta.url));
// At the same depth as bench/, so the benches' `new URL("../examples/", import.meta.url)` holds.
const out = join(root, ".bench-build");
const filter = process.argv[2];
const files = readdirSync(join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts") && (!filter || f.includes(filter)))
  .sort();
if (!files.length) {
  process.stderr.write(`bench: no bench/*.bench.ts matches "${filter}".\n`);
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: files.map((f) => join(root, "bench", f)),
  outdir: out,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  define: { ...sandboxDefine(), ...analyticsDefine() },
  logLevel: "warning",
});
// Each bench in a process of its own: one bench's imports (nock patches node:http for the App's)
// and garbage must not tilt the next one's ratios.
let failed = 0;
try {
  for (const file of files) {
    console.log(`\n## ${file.replace(/\.bench\.ts$/, "")}\n`);
    const entry = pathToFileURL(join(out, file.replace(/\.ts$/, ".mjs"))).href;
    const run = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `const m = await import(${JSON.stringify(entry)}); await m.default();`],
      { stdio: "inherit", cwd: root },
    );
    if (run.status !== 0) {
      failed++;
      process.stderr.write(`bench: ${file} failed (exit ${run.status ?? run.signal}).\n`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
