// The code of the worker thread a partner's function handlers run in. It is kept as source text and
// started with `new Worker(WORKER_SOURCE, { eval: true })`, so it runs the same from src/ (tests),
// from the esbuild bundle (dist/cli.js) and from the Action bundle, with no extra file to ship.
//
// Inside the worker:
// - the documented globals (fetch, Request, Response, Headers, URL, URLSearchParams, atob, btoa,
//   crypto = Node's crypto module, lodash as `_` taken from the partner's own dependencies) and
//   the error classes (EventNotSupported, InvalidEventPayload,
//   ValidationError, RetryError);
// - `fetch` is replaced: every request is recorded (secrets redacted, in plain, URL-encoded and
//   base64 forms) and answered from the fixture's partnerApi list, in order (or 200 `{}` when the
//   case declares none). A request made outside any event (while the module loads) is refused;
// - every other way out to the network (node:http, https, net, tls, dgram, child processes, worker
//   threads) is refused and recorded: the event fails, or the module fails to load;
// - the clock is frozen per event (Date.now() and `new Date()` give the event's fixed instant) and
//   local time is UTC (parsing included), so recorded requests never depend on the clock or time
//   zone and locale; Math.random and node:crypto's randomness are seeded from the messageId;
// - memory: the JavaScript heap is capped by resourceLimits; Buffers and ArrayBuffers (outside that
//   heap) are counted with it against the same cap, and the worker stops when the total is over;
// - process.exit is reported to the parent before the thread ends;
// - an error (thrown, uncaught, or failing the load) carries `at`: the first stack frame in the
//   integration's folder (workerData.root), as "src/handlers.js:51:30".
//
// Messages: parent → worker { type: "run", id, handler, args, answers, seed, clockMs };
// worker → parent { type: "loaded", handlers } | { type: "load-error", message, error? } |
// { type: "result", id, outcome, ... } | { type: "exit-called", code } |
// { type: "memory", heapMb, externalMb } | { type: "uncaught", ... }.

export const WORKER_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { AsyncLocalStorage } = require("node:async_hooks");
const { pathToFileURL, fileURLToPath } = require("node:url");
const nodePath = require("node:path");
const fs = require("node:fs");
const vm = require("node:vm");
const v8 = require("node:v8");
const net = require("node:net");
const dgram = require("node:dgram");
const childProcess = require("node:child_process");
const workerThreads = require("node:worker_threads");
const nodeModule = require("node:module");
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
// A worker cannot have a time zone of its own (TZ is read once per process), so local time is
// made UTC here. Text without a zone is parsed as UTC wall time: V8 takes it as local time. Which
// text names a zone follows V8's own date parser (src/date/dateparser-inl.h), so text that does
// ("… GMT+0900", "… EST", "…Z") keeps its meaning.
const ES5 = /^(?:[+-]\d{6}|\d{4})(?:-\d\d(?:-\d\d)?)?(?:[Tt](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)([Zz]|[+-]\d\d:?\d\d)?)?$/;
const MONTH_PREFIXES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const realGet = {};
for (const part of ["FullYear", "Month", "Date", "Hours", "Minutes", "Seconds", "Milliseconds"]) realGet[part] = P["get" + part];
const ZONE_WORDS = ["ut", "utc", "gmt", "z", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt"];
const isDigit = (c) => c >= 48 && c <= 57;
const isSpace = (ch) => /\s/.test(ch);
// Where V8's legacy parser would read a zone: returns { zone, cut } (cut: where an unclosed "("
// starts, since everything after it is ignored).
function scanZone(s) {
  let i = 0;
  let number = false;
  let time = 0; // time components read (4 = complete)
  const skipDash = () => { if (s[i] === "-") i++; };
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      const start = i;
      while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      const n = Number(s.slice(start, i));
      number = true;
      const expecting = (time === 1 && n < 60) || (time === 2 && n < 60) || (time === 3 && n < 1000);
      if (s[i] === ":") {
        i++;
        if (s[i] === ":") { i++; time += 2; } else { time++; if (s[i] === ".") i++; }
      } else if (s[i] === "." && (i++, expecting)) {
        time = 4;
        while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      } else if (expecting) time = 4;
      else skipDash();
    } else if (s[i] === "(") {
      const open = i;
      let depth = 0;
      do {
        if (s[i] === ")") depth--;
        else if (s[i] === "(") depth++;
        i++;
      } while (depth > 0 && i < s.length);
      if (depth > 0) return { zone: false, cut: open };
    } else if (c >= 65 && !isSpace(s[i])) {
      const start = i;
      while (i < s.length && s.charCodeAt(i) >= 65 && !isSpace(s[i])) i++;
      const word = s.slice(start, i).toLowerCase();
      if (number && ZONE_WORDS.includes(word)) return { zone: true };
      if (MONTH_PREFIXES.includes(word.slice(0, 3))) skipDash();
    } else if ((s[i] === "+" || s[i] === "-") && time > 0) return { zone: true };
    else i++;
  }
  return { zone: false, cut: s.length };
}
function parseText(s) {
  const real = RealDate.parse(s);
  if (Number.isNaN(real)) return real;
  const iso = ES5.exec(s);
  if (iso) return iso[1] && !iso[2] ? RealDate.parse(s + "Z") : real;
  const { zone, cut } = scanZone(s);
  if (zone) return real;
  // A zone appended after the text (before an unclosed comment) makes V8 read the same wall time as UTC.
  const utc = RealDate.parse(s.slice(0, cut) + " GMT " + s.slice(cut));
  if (!Number.isNaN(utc)) return utc;
  const d = new RealDate(real);
  return RealDate.UTC(realGet.FullYear.call(d), realGet.Month.call(d), realGet.Date.call(d), realGet.Hours.call(d), realGet.Minutes.call(d), realGet.Seconds.call(d), realGet.Milliseconds.call(d));
}
function FakeDate(...args) {
  if (!new.target) return new RealDate(clockMs).toString();
  if (args.length === 0) args = [clockMs];
  else if (args.length === 1 && typeof args[0] === "string") args = [parseText(args[0])];
  else if (args.length >= 2) args = [RealDate.UTC(...args)];
  return Reflect.construct(RealDate, args, new.target);
}
FakeDate.prototype = P;
// So that "new d.constructor(…)" (date-fns and friends) builds through the fake too.
Object.defineProperty(P, "constructor", { value: FakeDate, writable: true, configurable: true, enumerable: false });
FakeDate.now = () => clockMs;
FakeDate.UTC = RealDate.UTC;
FakeDate.parse = (s) => parseText(String(s));
globalThis.Date = FakeDate;
for (const part of ["FullYear", "Month", "Date", "Day", "Hours", "Minutes", "Seconds", "Milliseconds"]) {
  const getUTC = P["getUTC" + part];
  Object.defineProperty(P, "get" + part, { value: function () { return getUTC.call(this); }, writable: true, configurable: true });
  const setUTC = P["setUTC" + part];
  if (setUTC) Object.defineProperty(P, "set" + part, { value: function (...a) { return setUTC.apply(this, a); }, writable: true, configurable: true });
}
Object.defineProperty(P, "getTimezoneOffset", { value: () => 0, writable: true, configurable: true });
// Annex B's two-digit-year methods use local time too.
Object.defineProperty(P, "getYear", { value: function () { return P.getUTCFullYear.call(this) - 1900; }, writable: true, configurable: true });
Object.defineProperty(P, "setYear", {
  value: function (year) {
    const y = Number(year);
    const t = P.getTime.call(this);
    const d = new RealDate(Number.isNaN(t) ? 0 : t);
    P.setUTCFullYear.call(d, Number.isInteger(y) && y >= 0 && y <= 99 ? 1900 + y : y);
    return P.setTime.call(this, P.getTime.call(d));
  },
  writable: true,
  configurable: true,
});
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n, w = 2) => String(n).padStart(w, "0");
function dateString(d) { return DAYS[d.getUTCDay()] + " " + MONTHS[d.getUTCMonth()] + " " + pad(d.getUTCDate()) + " " + pad(d.getUTCFullYear(), 4); }
function timeString(d) { return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds()) + " GMT+0000 (Coordinated Universal Time)"; }
const valid = (d) => !Number.isNaN(P.getTime.call(d));
Object.defineProperty(P, "toString", { value: function () { return valid(this) ? dateString(this) + " " + timeString(this) : "Invalid Date"; }, writable: true, configurable: true });
Object.defineProperty(P, "toDateString", { value: function () { return valid(this) ? dateString(this) : "Invalid Date"; }, writable: true, configurable: true });
Object.defineProperty(P, "toTimeString", { value: function () { return valid(this) ? timeString(this) : "Invalid Date"; }, writable: true, configurable: true });
// The host's locale must not leak in either: no locale (or an empty list) means en-US, and no
// time zone (or an undefined one, as from an unset setting) means UTC.
const localeOf = (l) => (l === undefined || l === null || (Array.isArray(l) && l.length === 0) ? "en-US" : l);
const inUTC = (o) => ({ ...o, timeZone: (o && o.timeZone) || "UTC" });
for (const m of ["toLocaleString", "toLocaleDateString", "toLocaleTimeString"]) {
  const orig = P[m];
  Object.defineProperty(P, m, { value: function (locales, options) { return orig.call(this, localeOf(locales), inUTC(options)); }, writable: true, configurable: true });
}
for (const [proto, m] of [[Number.prototype, "toLocaleString"], [BigInt.prototype, "toLocaleString"], [String.prototype, "localeCompare"]]) {
  const orig = proto[m];
  const value = m === "localeCompare" ? function (that, locales, options) { return orig.call(this, that, localeOf(locales), options); } : function (locales, options) { return orig.call(this, localeOf(locales), options); };
  Object.defineProperty(proto, m, { value, writable: true, configurable: true });
}
for (const name of ["DateTimeFormat", "NumberFormat", "Collator", "PluralRules", "RelativeTimeFormat", "ListFormat", "Segmenter", "DisplayNames"]) {
  const Real = Intl[name];
  if (typeof Real !== "function") continue;
  const zoned = name === "DateTimeFormat";
  const Wrapped = function (locales, options) { return new Real(localeOf(locales), zoned ? inUTC(options) : options); };
  Object.defineProperty(Wrapped, "name", { value: name });
  Wrapped.prototype = Real.prototype;
  Wrapped.supportedLocalesOf = Real.supportedLocalesOf;
  Intl[name] = Wrapped;
}

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
// node:crypto's randomness is seeded the same way (idempotency keys, nonces): the same event sends
// the same request on every run, so golden files can hold it. Replay is a test; nothing here is
// meant to be secret.
function fillRandom(view) {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  return view;
}
function randomFillSync(buf, offset = 0, size) {
  const start = offset;
  const end = size === undefined ? buf.byteLength : start + size;
  fillRandom(new Uint8Array(buf.buffer || buf, (buf.byteOffset || 0) + start, end - start));
  return buf;
}
function randomInt(min, max, cb) {
  if (typeof max !== "number") { cb = max; max = min; min = 0; }
  const n = min + Math.floor(random() * (max - min));
  if (typeof cb === "function") { process.nextTick(cb, null, n); return; }
  return n;
}
// Some of these are getters on node:crypto: defined, not assigned.
const setOn = (obj, name, value) => Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: true });
function randomBytes(size, cb) {
  const b = fillRandom(Buffer.alloc(size));
  if (typeof cb === "function") { process.nextTick(cb, null, b); return; }
  return b;
}
setOn(nodeCrypto, "randomUUID", randomUUID);
setOn(nodeCrypto, "randomBytes", randomBytes);
setOn(nodeCrypto, "pseudoRandomBytes", randomBytes);
setOn(nodeCrypto, "randomFillSync", randomFillSync);
setOn(nodeCrypto, "randomFill", (buf, ...rest) => {
  const cb = rest.pop();
  randomFillSync(buf, ...rest);
  process.nextTick(cb, null, buf);
});
setOn(nodeCrypto, "randomInt", randomInt);
try {
  setOn(nodeCrypto, "getRandomValues", fillRandom);
} catch {
  // Not configurable on some Node versions: its getter reads webcrypto's, patched below.
}
Object.defineProperty(nodeCrypto.webcrypto, "getRandomValues", { value: fillRandom, writable: true, configurable: true });
Object.defineProperty(nodeCrypto.webcrypto, "randomUUID", { value: randomUUID, writable: true, configurable: true });
const cryptoGlobal = Object.assign({}, nodeCrypto, { randomUUID, webcrypto: nodeCrypto.webcrypto, subtle: nodeCrypto.webcrypto.subtle, getRandomValues: fillRandom });
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
// A secret leaks just as well encoded: every form a handler is likely to send is redacted too —
// URL-encoded (encodeURIComponent, form and URL serialisation), base64 and base64url of the value,
// of "value:" and ":value" (Basic credentials), and the part of the base64 text that depends only on
// the value wherever it sits in a longer encoded string (values of 8 characters or more).
// Longest forms first, so a form that contains another is redacted whole.
const b64 = (text) => Buffer.from(text, "utf8").toString("base64");
const toB64url = (t) => t.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
function urlForms(text) {
  const forms = [encodeURIComponent(text), new URLSearchParams([["a", text]]).toString().slice(2)];
  try {
    const u = new URL("http://h/");
    u.search = "?" + text;
    forms.push(u.search.slice(1));
    u.pathname = "/" + text;
    forms.push(u.pathname.slice(1));
  } catch {}
  return forms;
}
function secretForms(value) {
  const forms = [value, ...urlForms(value)];
  for (const text of [value, value + ":", ":" + value]) {
    const e = b64(text);
    forms.push(e, e.replace(/=+$/, ""), toB64url(e), ...urlForms(e));
  }
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length >= 8) {
    for (let shift = 0; shift < 3; shift++) {
      const e = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64");
      const core = e.slice(shift ? 4 : 0, Math.floor((shift + bytes.length) / 3) * 4);
      if (core.length >= 8) forms.push(core, toB64url(core), encodeURIComponent(core));
    }
  }
  return forms;
}
const redactions = [];
for (const s of secrets) {
  if (!s.value) continue;
  for (const form of new Set(secretForms(String(s.value)))) if (form.length >= 4) redactions.push({ form, label: "[REDACTED:" + s.key + "]" });
}
redactions.sort((a, b) => b.form.length - a.form.length);
function scrub(text) {
  if (typeof text !== "string") return text;
  for (const r of redactions) if (text.includes(r.form)) text = text.split(r.form).join(r.label);
  return text;
}
// Whatever the header is called, the credential of "Basic …" or "Bearer …" is not recorded.
const CREDENTIAL = /^(\s*(?:basic|bearer)\s+)\S[\s\S]*$/i;
function redactHeader(name, value) {
  if (SECRET_NAME.test(name)) return "[REDACTED]";
  return scrub(value).replace(CREDENTIAL, "$1[REDACTED]");
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
    // The query is redacted as text: re-serialising it through searchParams would re-encode every
    // other parameter (a "+" turning into a space), so a secret in it would no longer match.
    if (u.search) {
      u.search = u.search.slice(1).split("&").map((part) => {
        const name = part.split("=")[0];
        let decoded = name;
        try {
          decoded = decodeURIComponent(name.replace(/\+/g, " "));
        } catch {}
        return SECRET_FIELD.test(decoded) ? name + "=REDACTED" : part;
      }).join("&");
    }
    if (u.password) u.password = "REDACTED";
    if (u.username) {
      let user = u.username;
      try {
        user = decodeURIComponent(user);
      } catch {}
      if (scrub(user) !== user) u.username = "REDACTED";
    }
    return scrub(u.href);
  } catch {
    return scrub(href);
  }
}

// ---- fetch ----------------------------------------------------------------------------------
// fetch picks a random multipart boundary for a FormData body; recorded as one fixed name, so a
// golden file can hold it.
function stableBoundary(text) {
  return typeof text === "string" ? text.replace(/-{4}formdata-undici-\d+/g, "----formdata-devcenter") : text;
}

async function record(request) {
  const headers = {};
  const names = [];
  request.headers.forEach((_v, k) => names.push(k));
  names.sort();
  for (const k of names) headers[k] = stableBoundary(redactHeader(k, request.headers.get(k)));
  const entry = { method: request.method, url: redactUrl(request.url), headers };
  let text = "";
  try {
    text = request.body ? stableBoundary(await request.clone().text()) : "";
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
  if (!ctx) {
    if (live) return realFetch(request);
    // Outside any event there is no fixture to answer from, and nothing to record it in.
    const what = request.method + " " + redactUrl(request.url);
    const why = loading
      ? "sent " + what + " while loading, outside any handler: replay answers requests only inside a handler (onTrack, onIdentify, …), so at import time it would reach the real network unrecorded. Send it from the handler, or on first use"
      : "sent " + what + " outside any event (from a timer or callback started while loading): replay answers requests only inside a handler (onTrack, onIdentify, …)";
    throw new TypeError("fetch failed", { cause: refuse(why) });
  }
  // Like fetch itself: an already-aborted signal rejects before anything is sent (or recorded).
  if (request.signal.aborted) throw request.signal.reason;
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

// ---- every other way to the network ---------------------------------------------------------
// Only fetch is captured. node:http, https, http2 and tls all open their connections through
// net.Socket#connect, so refusing there closes them all; UDP, child processes and worker threads
// (which would start without these patches) are refused too. A refusal inside an event fails that
// event; while loading it is a load error. liveFetch (benchmarks) lets sockets through, as fetch.
const live = Boolean(workerData.liveFetch);
let loading = true;
const loadProblems = [];
function refuse(what) {
  const ctx = als.getStore();
  if (ctx) ctx.refused.push(what);
  else if (loading) loadProblems.push(what);
  return Object.assign(new Error("devcenter replay: the handler " + what + "."), { code: "ERR_DEVCENTER_NOT_CAPTURED" });
}
const NOT_FETCH = ", which replay does not capture: send partner API requests with fetch, so they are recorded and answered from the fixture's partnerApi";
function target(args) {
  let a = args[0];
  if (Array.isArray(a)) a = a[0]; // net's own normalised [options, callback]
  if (a && typeof a === "object") return a.path ? String(a.path) : (a.host || "localhost") + ":" + a.port;
  return (typeof args[1] === "string" ? args[1] : "localhost") + ":" + a;
}
const realConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  if (live) return realConnect.apply(this, args);
  const error = refuse("opened a connection to " + target(args) + " with node:http, https, net or tls" + NOT_FETCH);
  // Fails the way an unreachable host does: an "error" event, after the caller has its socket.
  process.nextTick(() => this.destroy(error));
  return this;
};
for (const m of ["send", "connect"]) {
  const real = dgram.Socket.prototype[m];
  dgram.Socket.prototype[m] = function (...args) {
    if (live) return real.apply(this, args);
    throw refuse("sent UDP packets with node:dgram" + NOT_FETCH);
  };
}
for (const name of ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"]) {
  childProcess[name] = function () {
    throw refuse("started a program with child_process." + name + ", which replay cannot watch (a function runs no programs on the platform); call the partner's API with fetch");
  };
}
workerThreads.Worker = class Worker {
  constructor() {
    throw refuse("started a worker thread, which would run without replay's fetch and clock; call the partner's API with fetch from the handler itself");
  }
};
nodeModule.syncBuiltinESMExports();

// ---- process.exit ---------------------------------------------------------------------------
const realExit = process.exit.bind(process);
process.exit = function (code) {
  parentPort.postMessage({ type: "exit-called", code: code === undefined ? 0 : code });
  realExit(code);
};

// ---- memory ---------------------------------------------------------------------------------
// resourceLimits caps the JavaScript heap at the memory cap; Buffers and ArrayBuffers live outside
// it (V8's "external" memory). Heap and external memory together may use twice the cap: checked
// on every MB allocated through Buffer and the ArrayBuffer and typed-array constructors (a loop
// that never yields), after every event and every 100 ms. Over it, a full garbage collection
// first, so only memory still held (a module-level array, a cache) ends the worker. Why twice and
// not the cap itself: inside a handler's frames a collection cannot free what they still reference
// (a loop's previous buffer), and V8 may keep the memory of a large dropped ArrayBuffer accounted
// for a while after collecting it, so the cap itself would stop handlers that hold nothing.
const limitBytes = 2 * Number(workerData.memoryMb) * 1024 * 1024;
let collect = typeof globalThis.gc === "function" ? globalThis.gc : undefined;
if (!collect) {
  // A worker cannot be started with --expose-gc; the flag is on just long enough to make one gc().
  try {
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc");
  } catch {
    collect = undefined;
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
}
const MB = 1024 * 1024;
let overCap = false;
/** Heap statistics when over the limit even after a full collection; undefined when within it. */
function overLimit() {
  let h = v8.getHeapStatistics();
  if (h.used_heap_size + h.external_memory <= limitBytes) return undefined;
  if (collect) {
    collect({ type: "major", execution: "sync" });
    h = v8.getHeapStatistics();
    if (h.used_heap_size + h.external_memory <= limitBytes) return undefined;
  }
  return h;
}
function checkMemory() {
  if (overCap || !(limitBytes > 0)) return;
  const h = overLimit();
  if (h) stopOverCap(h);
}
// V8 releases the memory of collected ArrayBuffers on a background thread, so right after a
// collection garbage may still count (more so on a busy machine). Outside a handler's frames there
// is time to let it settle: a few short waits, collecting again, before the worker is stopped.
let settling;
function checkMemorySettled() {
  if (overCap || !(limitBytes > 0)) return Promise.resolve();
  // One check at a time; whoever asks meanwhile (the timer, an event's reply) waits for its verdict.
  settling ??= (async () => {
    for (let attempt = 0; ; attempt++) {
      const h = overLimit();
      if (!h) return;
      if (attempt >= 5) return stopOverCap(h);
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  })().finally(() => {
    settling = undefined;
  });
  return settling;
}
function stopOverCap(h) {
  overCap = true;
  parentPort.postMessage({ type: "memory", heapMb: Math.round(h.used_heap_size / MB), externalMb: Math.round(h.external_memory / MB) });
  realExit(71);
  throw new RangeError("devcenter replay: the memory cap is exceeded; the function is stopped");
}
let sinceCheck = 0;
function allocated(bytes) {
  sinceCheck += bytes || 0;
  if (sinceCheck >= MB) {
    sinceCheck = 0;
    checkMemory();
  }
}
for (const name of ["ArrayBuffer", "SharedArrayBuffer", "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]) {
  const Real = globalThis[name];
  if (typeof Real !== "function") continue;
  // A Proxy keeps instanceof, statics, subclassing and the name; only construction is watched.
  const watched = new Proxy(Real, {
    construct(target, args, newTarget) {
      const made = Reflect.construct(target, args, newTarget === watched ? target : newTarget);
      allocated(made.byteLength);
      return made;
    },
  });
  Object.defineProperty(globalThis, name, { value: watched, writable: true, configurable: true, enumerable: false });
  // So that "x.constructor === Uint8Array" still holds (and species lookups construct through it).
  Object.defineProperty(Real.prototype, "constructor", { value: watched, writable: true, configurable: true, enumerable: false });
}
for (const name of ["alloc", "allocUnsafe", "allocUnsafeSlow", "from", "concat"]) {
  const real = Buffer[name];
  Buffer[name] = function (...args) {
    const made = real.apply(this, args);
    allocated(made && made.byteLength);
    return made;
  };
}
if (ArrayBuffer.prototype.resize) {
  const resize = ArrayBuffer.prototype.resize;
  ArrayBuffer.prototype.resize = function (n) {
    const r = resize.call(this, n);
    allocated(n);
    return r;
  };
}
setInterval(() => {
  checkMemorySettled().catch(() => {});
}, 100).unref();

// An error thrown outside a handler's promise (a timer, an event emitter) or a rejection nobody
// handles ends the worker; the parent is told which one first.
function fatal(kind, error) {
  const d = describe(error);
  // The event whose handler scheduled the failing work (a timer keeps its async context), so the
  // crash is blamed where it started, not on whichever event happens to be in flight.
  const origin = als.getStore();
  const from = origin && origin.id !== undefined ? { eventId: origin.id, handler: origin.handler } : {};
  parentPort.postMessage({ type: "uncaught", kind, name: d.name, message: d.message, ...(d.at ? { at: d.at } : {}), ...from });
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

// Where in the partner's code an error happened: the first stack frame in a file of the
// integration's folder (workerData.root; node_modules excluded), as "src/handlers.js:51:30".
const partnerRoot = workerData.root || nodePath.dirname(workerData.entry);
const FRAME = /^\s*at (?:.*? \()?(?:async )?(.+?):(\d+):(\d+)\)?$/;
function partnerFrame(error) {
  let stack;
  try {
    stack = error.stack;
  } catch {
    return undefined;
  }
  if (typeof stack !== "string") return undefined;
  for (const line of stack.split("\n")) {
    const m = FRAME.exec(line);
    if (!m) continue;
    let file = m[1];
    if (file.startsWith("file://")) {
      try {
        file = fileURLToPath(file);
      } catch {
        continue;
      }
    }
    if (!nodePath.isAbsolute(file)) continue;
    const rel = nodePath.relative(partnerRoot, file);
    if (!rel || rel.startsWith("..") || nodePath.isAbsolute(rel)) continue;
    const parts = rel.split(nodePath.sep);
    if (parts.includes("node_modules")) continue;
    return parts.join("/") + ":" + m[2] + ":" + m[3];
  }
  return undefined;
}

function describe(error) {
  if (error && typeof error === "object") {
    const name = typeof error.name === "string" ? error.name : (error.constructor && error.constructor.name) || "Error";
    const message = typeof error.message === "string" ? error.message : String(error);
    const at = partnerFrame(error);
    return at ? { name, message, at } : { name, message };
  }
  return { name: "non-Error value", message: String(error) };
}

/** The lines Node puts before the error's name in a syntax error's stack ("file:line", the source line, a caret). */
function stackHeader(error) {
  let stack;
  try {
    stack = error && error.stack;
  } catch {
    return undefined;
  }
  if (typeof stack !== "string") return undefined;
  const lines = stack.split("\n");
  const named = lines.findIndex((l) => /^[\w$.]*(Error|Exception)\b.*?:/.test(l) || /^[\w$.]*(Error|Exception)$/.test(l));
  return named > 0 ? lines.slice(0, Math.min(named, 6)).join("\n") : undefined;
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
  const ctx = { id: msg.id, handler: msg.handler, requests: [], answers: msg.answers, unmatched: [], refused: [], used: 0, live, hung: false };
  const reply = async (fields) => {
    // Memory still held when the event ends (a module-level array, say) ends the worker instead.
    try {
      await checkMemorySettled();
    } catch {
      return;
    }
    if (overCap) return;
    parentPort.postMessage({ type: "result", id: msg.id, requests: ctx.requests, unmatched: ctx.unmatched, refused: ctx.refused, unusedAnswers: ctx.answers ? Math.max(0, ctx.answers.length - ctx.used) : 0, ...fields });
  };
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

// What the module tried at import time that replay refused (a request, a socket) fails the load,
// even when the module caught the error.
function refusedWhileLoading() {
  loading = false;
  if (!loadProblems.length) return false;
  const more = loadProblems.length > 1 ? " (and " + (loadProblems.length - 1) + " more such attempt(s))" : "";
  parentPort.postMessage({ type: "load-error", message: "its top-level code " + loadProblems[0] + more + "." });
  return true;
}

load(workerData.entry).then(
  (found) => {
    if (refusedWhileLoading()) return;
    try {
      checkMemory();
    } catch {
      return;
    }
    handlers = found;
    parentPort.postMessage({ type: "loaded", handlers: Object.keys(found) });
  },
  (error) => {
    if (refusedWhileLoading()) return;
    const d = describe(error);
    const header = d.name === "SyntaxError" ? stackHeader(error) : undefined;
    parentPort.postMessage({ type: "load-error", message: d.name + ": " + d.message, error: { ...d, ...(header ? { header } : {}) } });
  },
);
`;
