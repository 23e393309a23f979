// The script replay puts in the page before analytics.js: it makes the page deterministic (seeded
// randomness; the clock is fixed per event by the caller), watches it (errors with their place,
// long tasks, globals and built-ins the plugin replaces) and drives the plugin through
// analytics-next as a customer's site does. Plain ES2020 in a string: it runs in the browser,
// never in Node, and no compiler may rewrite it.
export const HARNESS_URL_PATH = "/__devcenter/harness.js";

export const HARNESS = String.raw`(() => {
"use strict";
const CALLS = ["track", "identify", "page", "screen", "group", "alias"];
const TYPES = ["before", "enrichment", "destination", "after", "utility"];
const REQUIRED = { name: "string", type: "string", version: "string", isLoaded: "function", load: "function" };
const H = {};
Object.defineProperty(window, "__devcenter", { value: H, enumerable: false });

// Seeded randomness: the same event sends the same bytes, so golden files hold.
let state = 1;
H.seed = (text) => { let h = 2166136261; for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); } state = h >>> 0 || 1; };
const next = () => { state = (state + 0x6d2b79f5) >>> 0; let t = state; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
Math.random = next;
crypto.getRandomValues = function (array) { const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength); for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256); return array; };
crypto.randomUUID = function () { const b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128; const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(""); return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20); };

// What went wrong, with its place.
H.errors = [];
const where = (e) => (e && e.filename ? { url: e.filename, line: e.lineno, column: e.colno } : {});
addEventListener("error", (e) => { H.errors.push(Object.assign({ kind: "error", message: String(e.message || (e.error && e.error.message) || "Script error"), stack: e.error && e.error.stack ? String(e.error.stack) : "" }, where(e))); });
addEventListener("unhandledrejection", (e) => { const r = e.reason; H.errors.push({ kind: "rejection", message: String(r && r.message ? r.message : r), stack: r && r.stack ? String(r.stack) : "" }); });
H.longTasks = [];
try { new PerformanceObserver((list) => { for (const t of list.getEntries()) H.longTasks.push({ start: t.startTime, duration: t.duration }); }).observe({ type: "longtask", buffered: true }); } catch (_) {}

const describe = (e) => ({ message: e && e.message ? String(e.message) : String(e), stack: e && e.stack ? String(e.stack) : "" });
const within = (promise, ms) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => resolve({ timedOut: true }), ms);
  Promise.resolve(promise).then((value) => { clearTimeout(timer); resolve({ value }); }, (error) => { clearTimeout(timer); reject(error); });
});

// analytics.js as the customer's page has it: window.analytics, the Segment.io destination
// pointed at a host replay answers, and a recording destination registered after the plugin so
// replay sees whether each event still reaches the other destinations.
H.delivered = new Set();
H.start = async (writeKey, apiHost) => {
  const [analytics] = await window.DevcenterAnalytics.AnalyticsBrowser.load({ writeKey, cdnSettings: { integrations: { "Segment.io": { apiKey: writeKey, apiHost, protocol: "https" } } } });
  window.analytics = analytics;
  H.analytics = analytics;
  H.builtins = { analytics, fetch: window.fetch, XMLHttpRequest: window.XMLHttpRequest, sendBeacon: navigator.sendBeacon, WebSocket: window.WebSocket, setTimeout: window.setTimeout, addEventListener: window.addEventListener, "console.log": console.log, "console.error": console.error, "JSON.stringify": JSON.stringify, "Promise": window.Promise };
  H.globals = new Set(Object.getOwnPropertyNames(window));
};

H.loadScript = (url) => new Promise((resolve) => {
  const s = document.createElement("script");
  s.src = url;
  s.onload = () => resolve({ ok: true });
  s.onerror = () => resolve({ ok: false });
  document.head.appendChild(s);
});

// The current event (or the load): what each of the plugin's handlers did.
H.current = { calls: [] };
// ctx.cancel(): analytics.js's way to stop an event (graded by whether it reached the others).
const cancelled = (e) => Boolean(e && typeof e === "object" && "reason" in e && "retry" in e && "type" in e);
const wrap = (plugin, method) => {
  const original = plugin[method];
  plugin[method] = function (ctx) {
    const call = { plugin: String(plugin.name), method, state: "pending" };
    H.current.calls.push(call);
    let result;
    try { result = original.apply(this, arguments); }
    catch (e) { call.state = cancelled(e) ? "cancelled" : "threw"; call.error = describe(e); if (call.state === "cancelled" && H.current.onCancel) H.current.onCancel(); throw e; }
    call.settled = Promise.resolve(result).then(() => { call.state = "resolved"; }, (e) => { call.state = cancelled(e) ? "cancelled" : "rejected"; call.error = describe(e); if (call.state === "cancelled" && H.current.onCancel) H.current.onCancel(); });
    return result;
  };
};

// Calls the factory window[global] with the settings, registers what it returns, then the recorder.
H.instantiate = async (global, settings, timeoutMs) => {
  const t0 = performance.now();
  H.current = { calls: [] };
  const factory = window[global];
  if (factory === undefined) return { problem: "undefined-global", typeOf: "undefined" };
  if (typeof factory !== "function") return { problem: "not-a-function", typeOf: factory === null ? "null" : typeof factory };
  let made;
  try {
    const r = await within(factory(settings), timeoutMs);
    if (r.timedOut) return { problem: "factory-timeout", ms: performance.now() - t0 };
    made = r.value;
  } catch (e) { return { problem: "factory-threw", error: describe(e) }; }
  const plugins = Array.isArray(made) ? made : [made];
  if (made === undefined || made === null || plugins.length === 0) return { problem: "returned-nothing", typeOf: made === null ? "null" : Array.isArray(made) ? "an empty array" : typeof made };
  const invalid = [];
  plugins.forEach((p, i) => {
    if (!p || typeof p !== "object") { invalid.push({ index: i, missing: [], got: p === null ? "null" : typeof p }); return; }
    const missing = Object.keys(REQUIRED).filter((k) => typeof p[k] !== REQUIRED[k]);
    const badType = typeof p.type === "string" && !TYPES.includes(p.type) ? p.type : undefined;
    if (missing.length || badType) invalid.push({ index: i, name: typeof p.name === "string" ? p.name : undefined, missing, badType });
  });
  if (invalid.length) return { problem: "invalid-plugin", invalid, count: plugins.length };
  const loads = [];
  const loading = [];
  for (const p of plugins) {
    for (const m of CALLS) if (typeof p[m] === "function") wrap(p, m);
    const load = p.load;
    p.load = function () {
      const entry = { plugin: String(p.name), state: "pending" };
      loads.push(entry);
      window.__devcenterPhase("load");
      let result;
      try { result = load.apply(this, arguments); }
      catch (e) { entry.state = "threw"; entry.error = describe(e); throw e; }
      const settled = Promise.resolve(result).then((v) => { entry.state = "resolved"; return v; }, (e) => { entry.state = "rejected"; entry.error = describe(e); throw e; });
      loading.push(settled.catch(() => undefined));
      return settled;
    };
  }
  const info = plugins.map((p) => ({ name: String(p.name), type: p.type, version: String(p.version), handles: CALLS.filter((m) => typeof p[m] === "function") }));
  try {
    const r = await within(H.analytics.register(...plugins), Math.max(0, timeoutMs - (performance.now() - t0)));
    if (r.timedOut) return { problem: "load-timeout", plugins: info, loads, ms: performance.now() - t0 };
    // analytics.js does not wait for a destination's load(): replay does, within the same budget.
    const l = await within(Promise.all(loading), Math.max(0, timeoutMs - (performance.now() - t0)));
    if (l.timedOut) return { problem: "load-timeout", plugins: info, loads, ms: performance.now() - t0 };
  } catch (e) { return { problem: "register-threw", plugins: info, loads, error: describe(e) }; }
  const ms = performance.now() - t0;
  const notLoaded = [];
  for (const p of plugins) { let ok = false; try { ok = p.isLoaded() === true; } catch (e) { ok = false; } if (!ok) notLoaded.push(String(p.name)); }
  await H.analytics.register({ name: "devcenter recorder", type: "destination", version: "1.0.0", isLoaded: () => true, load: () => Promise.resolve(),
    ...Object.fromEntries(CALLS.map((m) => [m, (ctx) => { H.delivered.add(ctx.event.messageId); return ctx; }])) });
  const globals = Object.getOwnPropertyNames(window).filter((k) => !H.globals.has(k) && k !== global);
  const replaced = Object.keys(H.builtins).filter((k) => { const [a, b] = k.split("."); const now = b ? window[a][b] : a === "sendBeacon" ? navigator.sendBeacon : window[a]; return now !== H.builtins[k]; });
  return { plugins: info, loads, ms, notLoaded, globals, replaced };
};

H.replacedBuiltins = () => Object.keys(H.builtins).filter((k) => { const [a, b] = k.split("."); const now = b ? window[a][b] : a === "sendBeacon" ? navigator.sendBeacon : window[a]; return now !== H.builtins[k]; });

// Sends one Spec message through analytics.js the way a page calls it.
H.send = async (m, timeoutMs) => {
  const t0 = performance.now();
  let stop;
  const stopped = new Promise((resolve) => { stop = resolve; });
  H.current = { calls: [], onCancel: stop };
  H.seed(String(m.messageId));
  const a = H.analytics;
  const options = { messageId: m.messageId };
  for (const k of ["timestamp", "anonymousId", "userId", "context", "integrations"]) if (m[k] !== undefined) options[k] = m[k];
  const props = m.properties || {};
  let p;
  try {
    switch (m.type) {
      case "track": p = a.track(m.event, props, options); break;
      case "page": p = a.page(m.category ?? null, m.name ?? null, props, options); break;
      case "screen": p = a.screen(m.category ?? null, m.name ?? null, props, options); break;
      case "identify": p = a.identify(m.userId ?? null, m.traits || {}, options); break;
      case "group": p = a.group(m.groupId, m.traits || {}, options); break;
      case "alias": p = a.alias(m.userId, m.previousId, options); break;
      default: return { skipped: true };
    }
  } catch (e) { return { threw: describe(e), calls: H.current.calls, ms: performance.now() - t0 }; }
  let timedOut = false;
  try {
    const r = await within(Promise.race([p, stopped]), timeoutMs);
    timedOut = Boolean(r.timedOut);
    const pending = H.current.calls.filter((c) => c.settled).map((c) => c.settled);
    if (!timedOut && pending.length) timedOut = Boolean((await within(Promise.all(pending), Math.max(0, timeoutMs - (performance.now() - t0)))).timedOut);
  } catch (e) { if (!cancelled(e)) return { threw: describe(e), calls: H.current.calls.map(strip), ms: performance.now() - t0 }; }
  return { timedOut, calls: H.current.calls.map(strip), delivered: H.delivered.has(m.messageId), ms: performance.now() - t0, replaced: H.replacedBuiltins() };
};
const strip = (c) => ({ plugin: c.plugin, method: c.method, state: c.state, error: c.error });
})();`;
