// The function sandbox (src/replay/sandbox/, TypeScript) bundled into the one script its worker
// thread runs (`new Worker(source, { eval: true })`): a CommonJS script with Node's built-ins
// required, nothing else outside it. The builds (build.mjs, build-action.mjs, bench.mjs) put it
// into their bundles as the constant __DEVCENTER_SANDBOX__; running from src/ (vitest, tsx),
// src/replay/sandbox/source.ts bundles it on first use with the same options. CommonJS so that
// both can load it synchronously. Deterministic: paths are relative to the repository.
const { buildSync } = require("esbuild");
const { join, resolve } = require("node:path");

const root = resolve(__dirname, "..");

/** The worker's script. */
function bundleSandbox() {
  const result = buildSync({
    absWorkingDir: root,
    entryPoints: [join(root, "src/replay/sandbox/main.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    legalComments: "none",
    charset: "utf8",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/** esbuild's `define` that puts the worker's script into a bundle. */
function sandboxDefine() {
  return { __DEVCENTER_SANDBOX__: JSON.stringify(bundleSandbox()) };
}

module.exports = { bundleSandbox, sandboxDefine };
