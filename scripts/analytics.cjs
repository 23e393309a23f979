// analytics.js for plugin replay: @segment/analytics-next (the version devcenter depends on)
// bundled from its ESM build into one classic script defining `window.DevcenterAnalytics`. The
// UMD build on the package fetches chunks from the CDN; this bundle needs nothing from outside.
// The builds (build.mjs, build-action.mjs, bench.mjs) put it into their bundles as the constant
// __DEVCENTER_ANALYTICS__; running from src/ (vitest, tsx), src/replay/plugin-browser.ts bundles
// it on first use with the same options. Deterministic: nothing depends on the clock or machine.
const { buildSync } = require("esbuild");
const { resolve } = require("node:path");

const root = resolve(__dirname, "..");

/** The page's analytics.js. */
function bundleAnalytics() {
  const result = buildSync({
    absWorkingDir: root,
    stdin: { contents: 'export { AnalyticsBrowser } from "@segment/analytics-next";', resolveDir: root, loader: "js" },
    bundle: true,
    format: "iife",
    globalName: "DevcenterAnalytics",
    platform: "browser",
    target: "es2020",
    minify: true,
    legalComments: "none",
    charset: "utf8",
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/** esbuild's `define` that puts analytics.js into a bundle. */
function analyticsDefine() {
  return { __DEVCENTER_ANALYTICS__: JSON.stringify(bundleAnalytics()) };
}

module.exports = { bundleAnalytics, analyticsDefine };
