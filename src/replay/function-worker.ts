// The code of the worker thread a partner's function handlers run in. It is kept as source text and
// started with `new Worker(WORKER_SOURCE, { eval: true })`, so it runs the same from src/ (tests),
// from the esbuild bundle (dist/cli.js) and from the Action bundle, with no extra file to ship.
//
// Inside the worker:
// - the documented globals (fetch, Request, Response, Headers, URL, URLSearchParams, atob, btoa,
//   crypto = Node's crypto module, lodash as `_` taken from the partner's own dependencies) and
//   the error classes (EventNotSupported, InvalidEventPayload,
//   ValidationError, RetryError);
// - `fetch` is replaced: every request is recorded (secrets redacted) and answered from the
//   fixture's partnerApi list, in order (or 200 `{}` when the case declares none);
// - the clock is frozen per event (Date.now() and `new Date()` give the event's fixed instant) and
//   local-time methods behave as UTC, so recorded requests never depend on the clock or time zone;
//   Math.random and crypto.randomUUID are seeded from the messageId;
// - process.exit is reported to the parent before the thread ends.
//
// Messages: parent → worker { type: "run", id, handler, args, answers, seed, clockMs };
// worker → parent { type: "loaded", handlers } | { type: "load-error", message } |
// { type: "result", id, outcome, ... } | { type: "exit-called", code }.

export const WORKER_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { AsyncLocalStorage } = require("node:async_hooks");
const { pathToFileURL } = require("node:url");
const fs = require("node:fs");
const vm = require("node:vm");
const nodeCrypto = require("node:crypto");

const HANDLERS = ["onIdentify", "onTrack", "onPage", "onScreen", "onGroup", "onAlias", "onDelete", "onBatch"];
const als = new AsyncLocalStorage();
const realFetch = globalThis.fetch;
const secrets = workerData.secrets || [];

// ---- error classes ------------------------------------------------------------------------
function defineError(name) {
  const C = class extends Error {
    constructor(message) {
      super(message);
      this.name = name;
    }
  };
  Object.defineProperty(C, "name", { value: name });
  return C;
}
for (const name of ["EventNotSupported", "InvalidEventPayload", "ValidationError", "RetryError"]) {
  globalThis[name] = defineError(name);
}

// ---- clock and time zone -------------------------------------------------------------------
let clockMs = Date.UTC(2024, 2, 12, 14, 0, 0, 0);
const RealDate = Date;
const P = RealDate.prototype;
const LOCAL_ISO = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?$/;
function FakeDate(...args) {
  if (!new.target) return new RealDate(clockMs).toString();
  if (args.length === 0) args = [clockMs];
  else if (args.length === 1 && typeof args[0] === "string" && LOCAL_ISO.test(args[0].trim())) args = [args[0].trim().replace(" ", "T") + "Z"];
  else if (args.length >= 2) args = [RealDate.UTC(...args)];
  return Reflect.construct(RealDate, args, new.target);
}
FakeDate.prototype = P;
FakeDate.now = () => clockMs;
FakeDate.UTC = RealDate.UTC;
FakeDate.parse = (s) => (typeof s === "string" && LOCAL_ISO.test(s.trim()) ? RealDate.parse(s.trim().replace(" ", "T") + "Z") : RealDate.parse(s));
globalThis.Date = FakeDate;
for (const part of ["FullYear", "Month", "Date", "Day", "Hours", "Minutes", "Seconds", "Milliseconds"]) {
  const getUTC = P["getUTC" + part];
  Object.defineProperty(P, "get" + part, { value: function () { return getUTC.call(this); }, writable: true, configurable: true });
  const setUTC = P["setUTC" + part];
  if (setUTC) Object.defineProperty(P, "set" + part, { value: function (...a) { return setUTC.apply(this, a); }, writable: true, configurable: true });
}
Object.defineProperty(P, "getTimezoneOffset", { value: () => 0, writable: true, configurable: true });
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n, w = 2) => String(n).padStart(w, "0");
function dateString(d) { return DAYS[d.getUTCDay()] + " " + MONTHS[d.getUTCMonth()] + " " + pad(d.getUTCDate()) + " " + pad(d.getUTCFullYear(), 4); }
function timeString(d) { return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds()) + " GMT+0000 (Coordinated Universal Time)"; }
const valid = (d) => !Number.isNaN(P.getTime.call(d));
Object.defineProperty(P, "toString", { value: function () { return valid(this) ? dateString(this) + " " + timeString(this) : "Invalid Date"; }, writable: true, configurable: true });
Object.defineProperty(P, "toDateString", { value: function () { return valid(this) ? dateString(this) : "Invalid Date"; }, writable: true, configurable: true });
Object.defineProperty(P, "toTimeString", { value: function () { return valid(this) ? timeString(this) : "Invalid Date"; }, writable: true, configurable: true });
for (const m of ["toLocaleString", "toLocaleDateString", "toLocaleTimeString"]) {
  const orig = P[m];
  Object.defineProperty(P, m, { value: function (locales, options) { return orig.call(this, locales || "en-US", { timeZone: "UTC", ...options }); }, writable: true, configurable: true });
}
const RealDTF = Intl.DateTimeFormat;
function DateTimeFormat(locales, options) { return new RealDTF(locales || "en-US", { timeZone: "UTC", ...options }); }
DateTimeFormat.prototype = RealDTF.prototype;
DateTimeFormat.supportedLocalesOf = RealDTF.supportedLocalesOf;
Intl.DateTimeFormat = DateTimeFormat;

// ---- seeded randomness ----------------------------------------------------------------------
let rngState = 1;
function seed(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  rngState = h >>> 0 || 1;
}
function random() {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
Math.random = random;
function randomUUID() {
  const h = [];
  for (let i = 0; i < 16; i++) h.push(Math.floor(random() * 256));
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.map((b) => b.toString(16).padStart(2, "0")).join("");
  return x.slice(0, 8) + "-" + x.slice(8, 12) + "-" + x.slice(12, 16) + "-" + x.slice(16, 20) + "-" + x.slice(20);
}
const cryptoGlobal = Object.assign({}, nodeCrypto, { randomUUID, webcrypto: nodeCrypto.webcrypto, subtle: nodeCrypto.webcrypto.subtle, getRandomValues: (a) => nodeCrypto.webcrypto.getRandomValues(a) });
Object.defineProperty(globalThis, "crypto", { value: cryptoGlobal, writable: true, configurable: true });

// ---- lodash ---------------------------------------------------------------------------------
// The platform gives handlers lodash as the global "_". Replay ships no copy of its own (the
// Action bundle has no node_modules): "_" is resolved, on first use, from the partner's project,
// starting at the handler module's folder, so "npm install --save-dev lodash@4" provides it. Until
// then, using "_" throws an error that says so. A module may still declare its own "_".
let lodash;
Object.defineProperty(globalThis, "_", {
  configurable: true,
  enumerable: false,
  get() {
    if (lodash === undefined) {
      try {
        lodash = require("node:module").createRequire(workerData.entry)("lodash");
      } catch {
        throw new ReferenceError("_ is not defined here: the platform gives handlers lodash as the global _, and devcenter replay loads it from your project — add it with npm install --save-dev lodash@4");
      }
    }
    return lodash;
  },
  set(value) {
    lodash = value;
  },
});

// ---- redaction ------------------------------------------------------------------------------
// Header names: anything that looks like a credential. Body fields and query parameters: only names
// that clearly hold one (so an "idempotency_key" or "dedupe_key" stays visible).
const SECRET_NAME = /authorization|cookie|key|token|secret|password|passwd|signature|credential|session/i;
const SECRET_FIELD = /api[_-]?key|access[_-]?key|private[_-]?key|secret|token|password|passwd|authorization|credential/i;
function scrub(text) {
  if (typeof text !== "string") return text;
  for (const s of secrets) if (s.value && text.includes(s.value)) text = text.split(s.value).join("[REDACTED:" + s.key + "]");
  return text;
}
function redactJson(value) {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === "object") {
    const out = {};
    for (const k of Object.keys(value)) out[k] = SECRET_FIELD.test(k) && value[k] !== null && typeof value[k] !== "object" ? "[REDACTED]" : redactJson(value[k]);
    return out;
  }
  return typeof value === "string" ? scrub(value) : value;
}
function redactUrl(href) {
  try {
    const u = new URL(href);
    for (const [k] of u.searchParams) if (SECRET_FIELD.test(k)) u.searchParams.set(k, "REDACTED");
    if (u.password) u.password = "REDACTED";
    if (u.username) u.username = scrub(u.username);
    return scrub(u.href);
  } catch {
    return scrub(href);
  }
}

// ---- fetch ----------------------------------------------------------------------------------
async function record(request) {
  const headers = {};
  const names = [];
  request.headers.forEach((_v, k) => names.push(k));
  names.sort();
  for (const k of names) headers[k] = SECRET_NAME.test(k) ? "[REDACTED]" : scrub(request.headers.get(k));
  const entry = { method: request.method, url: redactUrl(request.url), headers };
  let text = "";
  try {
    text = request.body ? await request.clone().text() : "";
  } catch {
    text = "";
  }
  if (text) {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    entry.body = parsed !== undefined ? redactJson(parsed) : scrub(text);
  }
  return entry;
}

function sameUrl(a, b) {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

function waitFor(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(signal.reason);
    const timer = ms === Infinity ? undefined : setTimeout(resolve, ms);
    if (signal) signal.addEventListener("abort", () => { if (timer) clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}

async function fakeFetch(input, init) {
  const ctx = als.getStore();
  const request = new Request(input, init);
  if (!ctx) return realFetch(request);
  const index = ctx.requests.length;
  const entry = await record(request);
  ctx.requests.push(entry);
  if (ctx.live) return realFetch(request);
  if (ctx.answers === null) {
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  }
  const answer = ctx.answers[index];
  const what = request.method + " " + entry.url;
  if (!answer) {
    ctx.unmatched.push("request " + (index + 1) + " (" + what + ") is not declared in partnerApi, which has " + ctx.answers.length + " answer(s)");
    throw new TypeError("fetch failed", { cause: new Error("devcenter replay: undeclared partner API request " + what) });
  }
  // An answer without a url (fault replay) answers whatever the handler asks.
  if (answer.url !== undefined && (String(answer.method || "GET").toUpperCase() !== request.method.toUpperCase() || !sameUrl(answer.url, request.url))) {
    ctx.unmatched.push("request " + (index + 1) + " was " + what + " but partnerApi[" + index + "] declares " + String(answer.method || "GET").toUpperCase() + " " + redactUrl(String(answer.url)));
    throw new TypeError("fetch failed", { cause: new Error("devcenter replay: unexpected partner API request " + what) });
  }
  ctx.used = index + 1;
  const signal = request.signal;
  if (answer.delayMs) await waitFor(answer.delayMs, signal);
  if (answer.error === "timeout") {
    ctx.hung = true;
    await waitFor(Infinity, signal);
  }
  if (answer.error === "reset") {
    const cause = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", errno: -104, syscall: "read" });
    throw new TypeError("fetch failed", { cause });
  }
  const headers = new Headers(answer.headers || {});
  let body = null;
  if (answer.body !== undefined && answer.body !== null) {
    if (typeof answer.body === "string") body = answer.body;
    else {
      body = JSON.stringify(answer.body);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
    }
  }
  const status = answer.status || 200;
  const noBody = status === 204 || status === 205 || status === 304;
  return new Response(noBody ? null : body, { status, headers });
}
globalThis.fetch = fakeFetch;

// ---- process.exit ---------------------------------------------------------------------------
const realExit = process.exit.bind(process);
process.exit = function (code) {
  parentPort.postMessage({ type: "exit-called", code: code === undefined ? 0 : code });
  realExit(code);
};

// An error thrown outside a handler's promise (a timer, an event emitter) or a rejection nobody
// handles ends the worker; the parent is told which one first.
function fatal(kind, error) {
  const d = describe(error);
  parentPort.postMessage({ type: "uncaught", kind, name: d.name, message: d.message });
  realExit(70);
}
process.on("uncaughtException", (error) => fatal("exception", error));
process.on("unhandledRejection", (error) => fatal("rejection", error));

// ---- loading the module ---------------------------------------------------------------------
function pick(obj) {
  const out = {};
  if (!obj || (typeof obj !== "object" && typeof obj !== "function")) return out;
  for (const name of HANDLERS) if (typeof obj[name] === "function") out[name] = obj[name];
  return out;
}

async function load(entry) {
  let handlers = {};
  let importError;
  try {
    const ns = await import(pathToFileURL(entry).href);
    handlers = { ...pick(ns.default), ...pick(ns["module.exports"]), ...pick(ns) };
  } catch (error) {
    importError = error;
  }
  if (Object.keys(handlers).length > 0) return handlers;
  // The platform's own style: a script declaring top-level async functions, no exports.
  let source;
  try {
    source = fs.readFileSync(entry, "utf8");
  } catch (error) {
    throw importError || error;
  }
  const probe = HANDLERS.map((n) => n + ": typeof " + n + " === 'function' ? " + n + " : undefined").join(", ");
  const wrapped = "(function (require, module, exports) {\n" + source + "\n;return { " + probe + " };\n})";
  let fn;
  try {
    fn = vm.runInThisContext(wrapped, { filename: entry, lineOffset: -1 });
  } catch (error) {
    throw importError || error;
  }
  const { createRequire } = require("node:module");
  const mod = { exports: {} };
  const found = fn(createRequire(entry), mod, mod.exports);
  return { ...pick(found), ...pick(mod.exports) };
}

function describe(error) {
  if (error && typeof error === "object") {
    const name = typeof error.name === "string" ? error.name : (error.constructor && error.constructor.name) || "Error";
    const message = typeof error.message === "string" ? error.message : String(error);
    return { name, message };
  }
  return { name: "non-Error value", message: String(error) };
}

function summarise(value) {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 200 ? text.slice(0, 199) + "…" : text;
  } catch {
    return String(value);
  }
}

let handlers = {};
parentPort.on("message", (msg) => {
  if (msg.type !== "run") return;
  const ctx = { requests: [], answers: msg.answers, unmatched: [], used: 0, live: Boolean(workerData.liveFetch), hung: false };
  const reply = (fields) => parentPort.postMessage({ type: "result", id: msg.id, requests: ctx.requests, unmatched: ctx.unmatched, unusedAnswers: ctx.answers ? Math.max(0, ctx.answers.length - ctx.used) : 0, ...fields });
  const fn = handlers[msg.handler];
  if (typeof fn !== "function") return reply({ outcome: "missing" });
  clockMs = msg.clockMs;
  seed(String(msg.seed));
  als.run(ctx, async () => {
    try {
      const value = await fn(...msg.args);
      reply({ outcome: "return", value: summarise(value) });
    } catch (error) {
      reply({ outcome: "throw", error: describe(error) });
    }
  });
});

load(workerData.entry).then(
  (found) => {
    handlers = found;
    parentPort.postMessage({ type: "loaded", handlers: Object.keys(found) });
  },
  (error) => {
    const d = describe(error);
    parentPort.postMessage({ type: "load-error", message: d.name + ": " + d.message + (error && error.stack ? "\n" + String(error.stack).split("\n").slice(1, 4).join("\n") : "") });
  },
);
`;
