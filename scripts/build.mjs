// Builds the runnable entry points with esbuild (fast; type checking is `npm run typecheck`).
// dist/cli.js, dist/app.js and dist/sweep.js keep node_modules external; the Action bundle is self-contained
// and is built by scripts/build-action.mjs into action/dist/.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";

// The function sandbox's worker script, bundled in as a constant (scripts/sandbox.cjs).
const { sandboxDefine } = createRequire(import.meta.url)("./sandbox.cjs");
// Plugin replay's analytics.js, bundled in as a constant (scripts/analytics.cjs).
const { analyticsDefine } = createRequire(import.meta.url)("./analytics.cjs");

const entries = { cli: "src/cli/main.ts", app: "src/app.ts", sweep: "src/app/sweep-main.ts" };
const entryPoints = Object.fromEntries(Object.entries(entries).filter(([, file]) => existsSync(file)));

await build({
  entryPoints,
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  define: { ...sandboxDefine(), ...analyticsDefine() },
  sourcemap: "linked",
  logLevel: "warning",
});
