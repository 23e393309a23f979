// Plugin replay in a real headless Chromium (Debian's `chromium`, found on PATH or through
// DEVCENTER_CHROMIUM) through @segment/analytics-next. Every plugin below is a real browser script
// written to a temporary integration; one review (one browser) replays all of them as components
// of one manifest, so the browser starts once, as in a real review.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalSource } from "../../src/replay/source-local.js";
import type { Manifest, PluginComponent } from "../../src/manifest/types.js";
import { runReplay } from "../../src/replay/run.js";
import { findChromium } from "../../src/replay/plugin-browser.js";
import type { ReplayCase, ReplayReport } from "../../src/replay/types.js";

const example = fileURLToPath(new URL("../../examples/plugin/", import.meta.url));

/** A destination plugin factory whose handler bodies are given as source text. */
function plugin(
  global: string,
  body: { track?: string; load?: string; type?: string; extra?: string; top?: string } = {},
): string {
  return `${body.top ?? ""}
window.${global} = function (settings) {
  var loaded = false;
  ${body.extra ?? ""}
  return {
    name: "${global} plugin", type: "${body.type ?? "destination"}", version: "1.0.0",
    isLoaded: function () { return loaded; },
    load: function () { ${body.load ?? "loaded = true; return Promise.resolve();"} },
    track: function (ctx) { ${body.track ?? "return ctx;"} },
    page: function (ctx) { return ctx; },
  };
};
`;
}

const SCRIPTS: Record<string, string> = {
  "good.js": plugin("Good", {
    track:
      "return fetch('https://api.good.example/t', { method: 'POST', body: JSON.stringify({ e: ctx.event.event, k: settings.apiKey }) }).then(function () { return ctx; });",
  }),
  "factory-throws.js": `window.Throws = function (settings) {\n  throw new Error("no settings.region");\n};\n`,
  "returns-nothing.js": "window.Nothing = function () {};\n",
  "no-load.js":
    'window.NoLoad = function () { return { name: "x", type: "destination", version: "1", isLoaded: function () { return true; } }; };\n',
  "load-hangs.js": plugin("Hangs", { load: "return new Promise(function () {});" }),
  "loop.js": plugin("Loop", { track: "for (;;) {}" }),
  "load-loop.js": plugin("LoadLoop", { load: "for (;;) {}" }),
  "overwrites.js": plugin("Over", {
    extra: "window.fetch = function () { return Promise.resolve(new Response('')); }; window.analytics = {};",
  }),
  "undeclared.js": plugin("Leaky", {
    track:
      "return fetch('https://tracker.elsewhere.example/x?id=' + ctx.event.messageId).then(function () { return ctx; });",
  }),
  "no-global.js": "window.SomethingElse = function () {};\n",
  "dropper.js": plugin("Dropper", { type: "before", track: "ctx.cancel();" }),
  "enrich-throws.js": plugin("EnrichThrows", {
    type: "enrichment",
    track: "throw new TypeError('cannot read properties of undefined (reading \\'email\\')');",
  }),
  "slow.js": plugin("Slow", { track: "var t = performance.now(); while (performance.now() - t < 350) {} return ctx;" }),
  "early.js": plugin("Early", { top: "fetch('https://api.early.example/hello');" }),
  "pollutes.js": plugin("Polluter", { top: "window.earlyState = {}; window.helper = function () {};" }),
  "console.js": plugin("Noisy", { track: "console.error('Noisy: missing config'); return ctx;" }),
  // `*.wild.example` covers its subdomains, not the apex: track goes to a subdomain, page to the apex.
  "wildcard.js": plugin("Wild", {
    track: "return fetch('https://eu.wild.example/t', { method: 'POST' }).then(function () { return ctx; });",
    extra: "var page = function (ctx) { return fetch('https://wild.example/p').then(function () { return ctx; }); };",
  }).replace("page: function (ctx) { return ctx; }", "page: page"),
  "not-js.html": "<!doctype html><html><body>Not a script</body></html>\n",
};

function component(name: string, entry: string, global: string, extra: Partial<PluginComponent> = {}): PluginComponent {
  return {
    type: "plugin",
    name,
    entry,
    global,
    supports: ["track", "page"],
    settings: [{ label: "API Key", key: "apiKey", type: "string", required: true, sensitive: true }],
    testSettings: { apiKey: "test-write-key" },
    hosts: ["api.good.example"],
    ...extra,
  };
}

function manifest(components: PluginComponent[]): Manifest {
  return {
    apiVersion: "devcenter/v1",
    app: {
      name: "Acme",
      slug: "acme",
      description: "d",
      website: "https://acme.example",
      supportEmail: "a@acme.example",
      categories: ["Analytics"],
      logo: "l.svg",
      mark: "m.svg",
    },
    stage: "developer-preview",
    components,
  };
}

const TRACK = "Track — user signs up";
let dir: string;
let report: ReplayReport;
const of = (component: string) => report.cases.filter((c) => c.component === component);
const caseOf = (component: string, name: string): ReplayCase => {
  const c = of(component).find((x) => x.name === name);
  if (!c)
    throw new Error(
      `no case "${name}" for ${component}: ${JSON.stringify(
        of(component).map((x) => [x.name, x.status, x.message]),
        null,
        1,
      )}`,
    );
  return c;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "devcenter-plugin-"));
  mkdirSync(join(dir, "dist"));
  for (const [file, text] of Object.entries(SCRIPTS)) writeFileSync(join(dir, "dist", file), text);
  writeFileSync(join(dir, "dist", "binary.js"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48]));
  writeFileSync(join(dir, "dist", "huge.js"), `var x = "${"a".repeat(5 * 1024 * 1024)}";\n`);
  // Incompressible: random hex, ~150 KB gzipped.
  writeFileSync(
    join(dir, "dist", "heavy.js"),
    `${plugin("Heavy")}var blob = "${randomBytes(150 * 1024).toString("hex")}";\n`,
  );
  const components = [
    component("good", "dist/good.js", "Good"),
    component("missing", "dist/nope.js", "Nope"),
    component("binary", "dist/binary.js", "Bin"),
    component("html", "dist/not-js.html", "Html"),
    component("huge", "dist/huge.js", "Huge"),
    component("heavy", "dist/heavy.js", "Heavy"),
    component("factory-throws", "dist/factory-throws.js", "Throws"),
    component("returns-nothing", "dist/returns-nothing.js", "Nothing"),
    component("no-load", "dist/no-load.js", "NoLoad"),
    component("load-hangs", "dist/load-hangs.js", "Hangs"),
    component("loop", "dist/loop.js", "Loop"),
    component("load-loop", "dist/load-loop.js", "LoadLoop"),
    component("overwrites", "dist/overwrites.js", "Over"),
    component("undeclared", "dist/undeclared.js", "Leaky"),
    component("no-global", "dist/no-global.js", "Promised"),
    component("dropper", "dist/dropper.js", "Dropper"),
    component("enrich-throws", "dist/enrich-throws.js", "EnrichThrows"),
    component("slow", "dist/slow.js", "Slow"),
    component("early", "dist/early.js", "Early", { hosts: ["api.early.example"] }),
    component("pollutes", "dist/pollutes.js", "Polluter"),
    component("console", "dist/console.js", "Noisy"),
    component("wildcard", "dist/wildcard.js", "Wild", { hosts: ["*.wild.example"] }),
  ];
  report = await runReplay(manifest(components), new LocalSource(dir), { env: process.env, timeoutMs: 1_500 });
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("plugin replay in headless Chromium", () => {
  it("finds the machine's Chromium", () => {
    expect(findChromium(process.env)).toHaveProperty("path");
  });

  it("grades a well-behaved plugin: green handlers, yellow unhandled calls, clean page, requests recorded", () => {
    expect(caseOf("good", TRACK)).toMatchObject({ status: "pass", group: "test-suite", type: "track", requests: 1 });
    expect(caseOf("good", TRACK).message).toContain("api.good.example");
    expect(caseOf("good", "Identify — anonymous user")).toMatchObject({ status: "unsupported" });
    for (const name of [
      "Size — the plugin's script gzipped",
      "Load — factory and load()",
      "Globals — window left as it was",
      "Requests — none before load()",
      "Long tasks — main thread kept free",
    ]) {
      expect(caseOf("good", name)).toMatchObject({ status: "pass", group: "plugin" });
    }
    // No delete case: analytics.js has no deletion call.
    expect(of("good").some((c) => c.type === "delete")).toBe(false);
    // The golden file holds the request, with the write key redacted.
    const golden = JSON.parse(readFileSync(join(dir, "dist", "good.test-suite.golden.json"), "utf8"));
    expect(golden[TRACK]).toEqual([
      {
        method: "POST",
        url: "https://api.good.example/t",
        headers: {},
        body: { e: "Signed Up", k: "[REDACTED:apiKey]" },
      },
    ]);
  });

  it("reports unusable scripts as located red setup cases", () => {
    expect(caseOf("missing", "Plugin script")).toMatchObject({ status: "fail", group: "setup", file: "dist/nope.js" });
    expect(caseOf("missing", "Plugin script").message).toContain("does not exist");
    expect(caseOf("binary", "Plugin script").message).toContain("not JavaScript");
    expect(caseOf("huge", "Plugin script").message).toMatch(/dist\/huge\.js is 5120\.0 KB.*at most 2048\.0 KB/);
    const html = caseOf("html", "Load — the plugin's script");
    expect(html).toMatchObject({ status: "fail", file: "dist/not-js.html", line: 1 });
    expect(html.message).toMatch(/SyntaxError|Unexpected token/);
    expect(html.message).toContain("dist/not-js.html:1:");
  });

  it("fails a script over the gzip budget", () => {
    const size = caseOf("heavy", "Size — the plugin's script gzipped");
    expect(size.status).toBe("fail");
    expect(size.message).toMatch(/KB gzipped .* over the 100\.0 KB budget/);
    expect(caseOf("heavy", TRACK).status).toBe("pass"); // the rest still ran
  });

  it("reports factory and load problems with what to do", () => {
    const threw = caseOf("factory-throws", "Load — factory and load()");
    expect(threw).toMatchObject({ status: "fail", group: "setup", file: "dist/factory-throws.js", line: 2 });
    expect(threw.message).toContain("window.Throws(settings) threw: no settings.region");
    expect(threw.message).toContain("dist/factory-throws.js:2:");
    expect(caseOf("returns-nothing", "Load — factory and load()").message).toContain("returned nothing");
    expect(caseOf("no-load", "Load — factory and load()").message).toMatch(/"x" lacks load/);
    expect(caseOf("load-hangs", "Load — factory and load()").message).toMatch(
      /load\(\) of "Hangs plugin" did not resolve within the 1000 ms load budget/,
    );
    expect(caseOf("no-global", "Load — factory and load()").message).toContain("did not define window.Promised");
    // Nothing was sent for any of them.
    for (const name of ["factory-throws", "returns-nothing", "no-load", "load-hangs", "no-global"])
      expect(of(name).some((c) => c.group === "test-suite")).toBe(false);
  });

  it("kills a plugin stuck in an endless loop at the timeout and goes on with the next case", () => {
    const stuck = caseOf("loop", TRACK);
    expect(stuck.status).toBe("fail");
    expect(stuck.message).toContain("endless loop");
    // Later cases ran in a reopened page.
    expect(caseOf("loop", "Page — anonymous user visits the home page").status).toBe("pass");
    const later = of("loop").filter((c) => c.group === "test-suite" && c.type === "page");
    expect(later.every((c) => c.status === "pass")).toBe(true);
    // A load() that never gives the main thread back: the page is closed at the load budget.
    const load = caseOf("load-loop", "Load — factory and load()");
    expect(load).toMatchObject({ status: "fail", group: "setup", file: "dist/load-loop.js" });
    expect(load.message).toContain("kept the page's main thread busy past the 1000 ms load budget");
    // and the components after them were replayed too
    expect(caseOf("console", TRACK)).toBeDefined();
  });

  it("fails a plugin that replaces window.fetch or window.analytics", () => {
    const g = caseOf("overwrites", "Globals — window left as it was");
    expect(g.status).toBe("fail");
    expect(g.message).toContain("window.analytics");
    expect(g.message).toContain("window.fetch");
  });

  it("refuses and fails a request to a host not in `hosts`", () => {
    const c = caseOf("undeclared", TRACK);
    expect(c.status).toBe("fail");
    expect(c.message).toContain("tracker.elsewhere.example, not in `hosts`");
  });

  it("lets a wildcard in `hosts` cover subdomains, not the bare domain", () => {
    expect(caseOf("wildcard", TRACK)).toMatchObject({ status: "pass", requests: 1 });
    expect(caseOf("wildcard", TRACK).message).toContain("eu.wild.example");
    const page = of("wildcard").find((c) => c.type === "page" && c.group === "test-suite");
    expect(page?.status).toBe("fail");
    expect(page?.message).toContain("wild.example, not in `hosts`");
  });

  it("fails an enrichment plugin that stops events or throws", () => {
    expect(caseOf("dropper", TRACK).status).toBe("fail");
    expect(caseOf("dropper", TRACK).message).toContain(
      "cancelled the event (ctx.cancel), so it never reached the other destinations",
    );
    const threw = caseOf("enrich-throws", TRACK);
    expect(threw.status).toBe("fail");
    expect(threw.message).toMatch(/track handler of "EnrichThrows plugin" threw: cannot read properties/);
    expect(threw.message).toMatch(/dist\/enrich-throws\.js:\d+:\d+/);
  });

  it("measures long tasks, requests before load(), added globals and console errors", () => {
    const slow = caseOf("slow", "Long tasks — main thread kept free");
    expect(slow.status).toBe("fail");
    expect(slow.message).toMatch(/more than 200 ms, the longest \d+ ms during (Track|Spec — track)/);
    expect(caseOf("early", "Requests — none before load()")).toMatchObject({ status: "fail" });
    expect(caseOf("early", "Requests — none before load()").message).toContain("GET https://api.early.example/hello");
    const globals = caseOf("pollutes", "Globals — window left as it was");
    expect(globals.status).toBe("unsupported");
    expect(globals.message).toMatch(
      /added 2 globals besides window\.Polluter: (earlyState, helper|helper, earlyState)/,
    );
    const noisy = caseOf("console", TRACK);
    expect(noisy.status).toBe("fail");
    expect(noisy.message).toContain("console.error: Noisy: missing config (dist/console.js:");
  });
});

describe("plugin replay without a browser", () => {
  it("is a red case naming the package to install and DEVCENTER_CHROMIUM", async () => {
    const d = mkdtempSync(join(tmpdir(), "devcenter-plugin-nobrowser-"));
    try {
      cpSync(example, d, { recursive: true });
      const m = manifest([component("good", "plugin.js", "PulsePlugins", { hosts: ["api.pulse.example"] })]);
      const r = await runReplay(m, new LocalSource(d), { env: { PATH: "/nonexistent" } });
      const c = r.cases.find((x) => x.name === "Start the browser")!;
      expect(c).toMatchObject({ status: "fail", group: "setup" });
      expect(c.message).toContain("apt-get install chromium");
      expect(c.message).toContain("DEVCENTER_CHROMIUM");
      const named = await runReplay(m, new LocalSource(d), { env: { DEVCENTER_CHROMIUM: "/no/such/chrome" } });
      expect(named.cases.find((x) => x.name === "Start the browser")!.message).toContain(
        "DEVCENTER_CHROMIUM is set to /no/such/chrome",
      );
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
