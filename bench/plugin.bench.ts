// Plugin replay. (1) The Test Suite, fixtures and Spec events through examples/plugin, browser
// start included: wall time of a whole replay (one browser per review), median of 3. (2) What the
// plugin adds to each event: in one page and run, the same track call through analytics-next with
// the plugin registered (one instance) and with no plugin (another instance), alternated in rounds;
// the ratio is per-event cost with the plugin / without it.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalSource } from "../src/replay/source-local.js";
import { loadManifest } from "../src/manifest/load.js";
import { analyticsScript, BrowserHandle } from "../src/replay/plugin-browser.js";
import { runReplay } from "../src/replay/run.js";
import { fmt, table, timeAsync } from "./measure.js";

const EVENTS = 500;
const ROUNDS = 5;

async function wholeReplay(dir: string): Promise<{ ms: number; cases: number; fail: number }> {
  const source = new LocalSource(dir);
  const loaded = await loadManifest(source);
  const { ms, value } = await timeAsync(() => runReplay(loaded.manifest!, source, { env: process.env }));
  return { ms, cases: value.cases.length, fail: value.summary.fail };
}

/** Per-event milliseconds with and without the plugin, measured in the same page. */
async function perEvent(pluginScript: string): Promise<{ withPlugin: number; without: number }> {
  const handle = new BrowserHandle(process.env);
  try {
    const started = await handle.get();
    if ("problem" in started) throw new Error(started.problem.text);
    const context = await started.browser.newContext();
    const files: Record<string, string> = {
      "/": "<!doctype html><title>bench</title>",
      "/a.js": analyticsScript(),
      "/p.js": pluginScript,
    };
    await context.route("**/*", (route) => {
      const u = new URL(route.request().url());
      const body = u.host === "bench.devcenter.test" ? files[u.pathname] : undefined;
      return body !== undefined
        ? route.fulfill({ status: 200, contentType: u.pathname === "/" ? "text/html" : "text/javascript", body })
        : route.fulfill({ status: 200, headers: { "access-control-allow-origin": "*" }, body: "" });
    });
    const page = await context.newPage();
    await page.goto("https://bench.devcenter.test/");
    await page.addScriptTag({ url: "/a.js" });
    await page.addScriptTag({ url: "/p.js" });
    // Segment.io disabled in both instances: only the plugin differs between them.
    const result = (await page.evaluate(`(async () => {
      const load = (key) => window.DevcenterAnalytics.AnalyticsBrowser.load({ writeKey: key, cdnSettings: { integrations: {} } }, { integrations: { "Segment.io": false } }).then(([a]) => a);
      const bare = await load("bare");
      const withPlugin = await load("plugin");
      await withPlugin.register(window.PulsePlugins({ apiKey: "bench-key" }));
      const run = async (a, n) => { const t = performance.now(); for (let i = 0; i < n; i++) await a.track("Bench Event", { i }); return (performance.now() - t) / n; };
      await run(bare, 50); await run(withPlugin, 50);
      let w = 0, b = 0;
      for (let r = 0; r < ${ROUNDS}; r++) { b += await run(bare, ${EVENTS}); w += await run(withPlugin, ${EVENTS}); }
      return { withPlugin: w / ${ROUNDS}, without: b / ${ROUNDS} };
    })()`)) as { withPlugin: number; without: number };
    await context.close();
    return result;
  } finally {
    await handle.close();
  }
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "devcenter-bench-plugin-"));
  cpSync("examples/plugin", dir, { recursive: true });
  try {
    await wholeReplay(dir); // warm-up: module loading, the analytics bundle, the disk cache
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await wholeReplay(dir));
    runs.sort((a, b) => a.ms - b.ms);
    const median = runs[1]!;
    const cost = await perEvent(readFileSync(join(dir, "plugin.js"), "utf8"));
    table(
      ["measure", "value", "note"],
      [
        [
          "plugin replay of examples/plugin, browser start included (median of 3)",
          `${fmt(median.ms)} ms`,
          `${median.cases} cases, ${median.fail} red`,
        ],
        [
          "track through analytics-next, no plugin",
          `${fmt(cost.without * 1000, 1)} µs/event`,
          `${EVENTS} × ${ROUNDS} events, same page`,
        ],
        [
          "track through analytics-next, with examples/plugin",
          `${fmt(cost.withPlugin * 1000, 1)} µs/event`,
          "its handler answers from the routed host",
        ],
        ["per-event cost ratio, with / without the plugin", `${fmt(cost.withPlugin / cost.without, 2)}×`, ""],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
