// Plugin replay: the partner's device-mode plugin in a real page, through analytics.js, as a
// customer's site runs it. One page per plugin component (a fresh one after a stuck event), in the
// one browser of the review. Every request the page makes is intercepted: the page, analytics.js
// and the plugin's script are served from memory, the Segment.io destination and the plugin's
// declared `hosts` are answered locally (the plugin's requests recorded for golden files), and
// anything else is refused — nothing leaves the machine.
//
// Cases: the plugin's size, its load (factory, load(), isLoaded()), every message of the Test
// Suite, the fixtures and the Spec events (green the handler resolved; yellow no handler or not in
// `supports`; red a throw, a rejection, a timeout, a page or console error, an undeclared host, or
// an event that no longer reached the other destinations), then the page's hygiene over the whole
// run: globals added or built-ins replaced, requests before load(), long tasks.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { BrowserContext, Page, Route } from "playwright-core";
import type { Policy } from "../core/policy.js";
import { normalizePath } from "../core/source.js";
import { plural, sentence } from "../core/text.js";
import type { PluginComponent } from "../manifest/types.js";
import type { PartnerApiResponse } from "../spec/fixtures.js";
import type { GoldenStore, RecordedRequest } from "./golden.js";
import { analyticsScript, type BrowserHandle } from "./plugin-browser.js";
import { HARNESS, HARNESS_URL_PATH } from "./plugin-harness.js";
import type { CaseStatus, ReplayCase } from "./types.js";
import { judge, sourceOf, type Grade, type ReplayInput } from "./webhook.js";

/** The customer's page: an https origin only replay answers. */
const PAGE_ORIGIN = "https://www.devcenter.test";
/** Where the page's Segment.io destination sends (answered 200, not the plugin's traffic). */
const SEGMENT_HOST = "api.segment.devcenter.test";
const ANALYTICS_URL_PATH = "/__devcenter/analytics-next.js";
/** Over this the script is not loaded at all (a customer's page would not survive it either). */
export const MAX_ENTRY_BYTES = 2 * 1024 * 1024;
/** Past a deadline in the page, how long replay waits for the page itself before closing it. */
const STUCK_GRACE_MS = 1_000;
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 devcenter-replay";

export interface PluginInput extends ReplayInput {
  /** A fixture's answers from the plugin's hosts (else 200 with an empty body). */
  answers?: PartnerApiResponse[] | null;
  golden?: { file: string; key: string };
}

export interface PluginReplayOptions {
  browser: BrowserHandle;
  /** The platform's plugin budgets. */
  budget: Policy["plugin"];
  /** Per-event deadline. */
  timeoutMs: number;
  /** The component's settings as the factory receives them. */
  settings: Record<string, unknown>;
  /** Values never written to golden files (the write key). */
  secrets: { key: string; value: string }[];
  golden?: GoldenStore;
  onCase: (c: ReplayCase) => void;
  signal?: AbortSignal;
}

interface Recorded {
  phase: string;
  method: string;
  url: string;
  host: string;
  declared: boolean;
  body?: unknown;
}

interface PageError {
  kind: string;
  message: string;
  stack?: string;
  url?: string;
  line?: number;
  column?: number;
}

interface HandlerCall {
  plugin: string;
  method: string;
  state: "pending" | "resolved" | "threw" | "rejected" | "cancelled";
  error?: { message: string; stack: string };
}

interface PluginInfo {
  name: string;
  type: string;
  version: string;
  handles: string[];
}

interface Instantiated {
  problem?: "undefined-global" | "not-a-function" | "factory-timeout" | "factory-threw" | "returned-nothing" | "invalid-plugin" | "load-timeout" | "register-threw";
  typeOf?: string;
  error?: { message: string; stack: string };
  invalid?: { index: number; name?: string; missing: string[]; badType?: string; got?: string }[];
  count?: number;
  plugins?: PluginInfo[];
  loads?: { plugin: string; state: string; error?: { message: string; stack: string } }[];
  ms?: number;
  notLoaded?: string[];
  globals?: string[];
  replaced?: string[];
}

interface Sent {
  skipped?: boolean;
  threw?: { message: string; stack: string };
  timedOut?: boolean;
  calls?: HandlerCall[];
  delivered?: boolean;
  ms?: number;
  replaced?: string[];
}

/** The page's clock until the first event sets its own timestamp. */
const SUITE_START = Date.UTC(2024, 2, 12, 14, 0, 0);

const round = (ms: number): number => Math.round(ms * 10) / 10;
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

/** A page in the browser with the plugin's script loaded, and what it saw. */
class PluginPage {
  requests: Recorded[] = [];
  consoleErrors: PageError[] = [];
  phase = "page";
  answers: PartnerApiResponse[] = [];
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(handle: { browser: import("playwright-core").Browser }, files: Map<string, { body: string | Buffer; type: string }>, hosts: readonly string[]): Promise<PluginPage> {
    const context = await handle.browser.newContext({ userAgent: USER_AGENT, locale: "en-US", timezoneId: "UTC", viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
    const page = await context.newPage();
    const p = new PluginPage(context, page);
    await context.exposeBinding("__devcenterPhase", (_source, phase: string) => {
      if (p.phase === "entry") p.phase = String(phase);
    });
    await context.route("**/*", (route) => p.answer(route, files, hosts));
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      const text = m.text();
      if (/^Failed to load resource\b/.test(text)) return; // a refused request: reported as a request
      const loc = m.location();
      p.consoleErrors.push({ kind: "console", message: text, url: loc.url, line: loc.lineNumber + 1, column: loc.columnNumber + 1 });
    });
    await page.goto(`${PAGE_ORIGIN}/`, { waitUntil: "load", timeout: 30_000 });
    return p;
  }

  private async answer(route: Route, files: Map<string, { body: string | Buffer; type: string }>, hosts: readonly string[]): Promise<void> {
    const req = route.request();
    let url: URL;
    try {
      url = new URL(req.url());
    } catch {
      return route.abort("blockedbyclient").catch(() => undefined);
    }
    const cors = { "access-control-allow-origin": PAGE_ORIGIN, "access-control-allow-credentials": "true", "access-control-allow-headers": "*", "access-control-allow-methods": "*" };
    if (`${url.protocol}//${url.host}` === PAGE_ORIGIN) {
      const file = files.get(url.pathname);
      if (file) return route.fulfill({ status: 200, contentType: file.type, body: file.body }).catch(() => undefined);
    }
    if (url.hostname === SEGMENT_HOST) return route.fulfill({ status: 200, headers: cors, contentType: "application/json", body: "{}" }).catch(() => undefined);
    if (req.method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors }).catch(() => undefined);
    const declared = hostDeclared(url.hostname, hosts);
    let body: unknown;
    const text = req.postData();
    if (text !== null) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    this.requests.push({ phase: this.phase, method: req.method(), url: url.href, host: url.hostname, declared, ...(body !== undefined ? { body } : {}) });
    if (!declared) return route.abort("blockedbyclient").catch(() => undefined);
    const i = this.answers.findIndex((a) => a.method.toUpperCase() === req.method() && sameUrl(a.url, url));
    const a = i >= 0 ? this.answers.splice(i, 1)[0] : undefined;
    if (a?.error) return route.abort(a.error === "timeout" ? "timedout" : "connectionreset").catch(() => undefined);
    if (a?.delayMs) await new Promise((r) => setTimeout(r, Math.min(a.delayMs!, 30_000)));
    const answerBody = a?.body === undefined ? "" : typeof a.body === "string" ? a.body : JSON.stringify(a.body);
    return route.fulfill({ status: a?.status ?? 200, headers: { ...cors, ...(a?.headers ?? {}) }, body: answerBody }).catch(() => undefined);
  }

  /** Errors the page's harness saw since the last call. */
  async takeErrors(): Promise<PageError[]> {
    const inPage = (await this.page.evaluate("window.__devcenter.errors.splice(0)").catch(() => [])) as PageError[];
    return [...inPage, ...this.consoleErrors.splice(0)];
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

function hostDeclared(host: string, hosts: readonly string[]): boolean {
  const h = host.toLowerCase();
  return hosts.some((d) => {
    const x = d.toLowerCase();
    return x.startsWith("*.") ? h.endsWith(x.slice(1)) : h === x;
  });
}

function sameUrl(declared: string, actual: URL): boolean {
  try {
    const d = new URL(declared);
    return d.host === actual.host && d.pathname === actual.pathname && (d.search === "" || d.search === actual.search);
  } catch {
    return false;
  }
}

type Outcome<T> = { value: T } | { stuck: true } | { closed: string };

/** page.evaluate with a deadline: a page whose main thread never comes back is closed. */
async function evaluate<T>(p: PluginPage, expression: string, deadlineMs: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<"stuck">((resolve) => {
    timer = setTimeout(() => resolve("stuck"), deadlineMs + STUCK_GRACE_MS);
  });
  const run = p.page.evaluate(expression).then(
    (value) => ({ value: value as T }),
    (err: Error) => ({ closed: String(err.message ?? err).split("\n")[0]! }),
  );
  const r = await Promise.race([run, stuck]);
  clearTimeout(timer);
  if (r === "stuck") {
    await p.close();
    return { stuck: true };
  }
  return r;
}

/** Runs one plugin component's cases. */
export async function replayPlugin(component: PluginComponent, label: string, root: string, inputs: readonly PluginInput[], options: PluginReplayOptions): Promise<void> {
  const push = (c: Omit<ReplayCase, "component">): void => options.onCase({ ...c, component: label });
  const setup = (name: string, message: string, extra: Partial<ReplayCase> = {}): void =>
    push({ name, type: "setup", group: "setup", status: "fail", durationMs: 0, message, ...extra });
  const hygiene = (name: string, status: CaseStatus, message: string, extra: Partial<ReplayCase> = {}): void =>
    push({ name, type: "plugin", group: "plugin", status, durationMs: 0, message, ...extra });

  // The script, as the customer's page would download it.
  const entry = normalizePath(component.entry);
  if (!entry.ok) return setup("Plugin script", entry.message);
  const entryFile = join(root, entry.path);
  let size: number;
  try {
    const st = statSync(entryFile);
    if (!st.isFile()) return setup("Plugin script", `${entry.path} is not a file; point \`entry\` at the plugin's built script.`, { file: entry.path });
    size = st.size;
  } catch {
    return setup("Plugin script", `The entry ${entry.path} does not exist; point \`entry\` at the plugin's built browser script (build it before replay).`, { file: entry.path });
  }
  if (size > MAX_ENTRY_BYTES) {
    return setup("Plugin script", `${entry.path} is ${kb(size)}; a plugin's script must be at most ${kb(MAX_ENTRY_BYTES)} before compression to be loaded into a customer's page at all (and within ${kb(options.budget.maxGzipBytes)} gzipped). Ship a minified build.`, { file: entry.path });
  }
  const bytes = readFileSync(entryFile);
  const text = bytes.toString("utf8");
  if (bytes.includes(0) || Buffer.from(text, "utf8").length !== bytes.length) {
    return setup("Plugin script", `${entry.path} is not JavaScript: it holds binary data (not UTF-8 text). Point \`entry\` at the plugin's built .js file.`, { file: entry.path });
  }
  const gzip = gzipSync(bytes, { level: 9 }).length;
  hygiene(
    "Size — the plugin's script gzipped",
    gzip <= options.budget.maxGzipBytes ? "pass" : "fail",
    gzip <= options.budget.maxGzipBytes
      ? `${entry.path} is ${kb(gzip)} gzipped (${kb(size)} raw), within the ${kb(options.budget.maxGzipBytes)} budget.`
      : `${entry.path} is ${kb(gzip)} gzipped (${kb(size)} raw), over the ${kb(options.budget.maxGzipBytes)} budget: every visitor of the customer's site downloads it. Trim dependencies or load the rest lazily.`,
    { file: entry.path },
  );

  const started = await options.browser.get();
  if ("problem" in started) return setup("Start the browser", `${started.problem}\nNo plugin case could run without it.`);

  const entryUrl = `${PAGE_ORIGIN}/${entry.path}`;
  const files = new Map<string, { body: string | Buffer; type: string }>([
    ["/", { body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer site</title><script src="${HARNESS_URL_PATH}"></script><script src="${ANALYTICS_URL_PATH}"></script></head><body><h1>Customer site</h1></body></html>`, type: "text/html" }],
    [HARNESS_URL_PATH, { body: HARNESS, type: "text/javascript" }],
    [ANALYTICS_URL_PATH, { body: analyticsScript(), type: "text/javascript" }],
    [`/${entry.path}`, { body: bytes, type: "text/javascript" }],
  ]);
  const hosts = component.hosts ?? [];
  const place = (e: { stack?: string; url?: string; line?: number; column?: number } | undefined): string | undefined => placeIn(e, entryUrl, entry.path);
  const describeError = (e: PageError): string => {
    const at = place(e);
    return `${e.kind === "console" ? "console.error" : e.kind === "rejection" ? "unhandled rejection" : "page error"}: ${e.message}${at ? ` (${at})` : ""}`;
  };

  /** A page with analytics.js and the plugin loaded, or why not (already reported when `report`). */
  const openPage = async (report: boolean): Promise<PluginPage | undefined> => {
    let p: PluginPage;
    try {
      p = await PluginPage.open(started, files, hosts);
    } catch (err) {
      if (report) setup("Open the page", `The test page did not open: ${(err as Error).message.split("\n")[0]}.`);
      return undefined;
    }
    // The clock is fixed per event (timestamps in what the plugin sends hold for golden files);
    // installing it now, before the page's built-ins are noted, keeps its timers from counting as
    // the plugin's doing.
    await p.page.clock.setFixedTime(SUITE_START).catch(() => undefined);
    const ready = await evaluate<void>(p, `window.__devcenter.start(${JSON.stringify(String(options.settings[component.settings[0]?.key ?? "apiKey"] ?? "devcenter-write-key"))}, ${JSON.stringify(`${SEGMENT_HOST}/v1`)})`, 10_000);
    if (!("value" in ready)) {
      if (report) setup("Open the page", "analytics.js did not start in the test page; this is a devcenter problem, not the plugin's.");
      await p.close();
      return undefined;
    }
    p.phase = "entry";
    const t0 = performance.now();
    const script = await evaluate<{ ok: boolean }>(p, `window.__devcenter.loadScript(${JSON.stringify(entryUrl)})`, options.budget.loadTimeoutMs);
    const scriptErrors = "value" in script ? await p.takeErrors() : [];
    if (!("value" in script) || !script.value.ok || scriptErrors.length) {
      if (report) {
        const why = "stuck" in script ? `it kept the page's main thread busy past ${options.budget.loadTimeoutMs} ms (an endless loop at the top level?) and the page was closed` : scriptErrors.length ? scriptErrors.map(describeError).join("; ") : "the page could not run it";
        const at = scriptErrors.map((e) => place(e)).find(Boolean);
        setup("Load — the plugin's script", `${entry.path} did not run: ${why}. It must be a browser script (already built, not a module or a Node file) that defines window.${component.global}.`, fileLine(at, entry.path));
      }
      await p.close();
      return undefined;
    }
    const inst = await evaluate<Instantiated>(p, `window.__devcenter.instantiate(${JSON.stringify(component.global)}, ${JSON.stringify(options.settings)}, ${options.budget.loadTimeoutMs})`, options.budget.loadTimeoutMs);
    const ms = performance.now() - t0;
    const errors = "value" in inst ? await p.takeErrors() : [];
    if (!report) {
      p.phase = "event";
      if ("value" in inst && !inst.value.problem) return p;
      await p.close();
      return undefined;
    }
    if (!("value" in inst)) {
      setup("Load — factory and load()", `window.${component.global}(settings) or the plugin's load() kept the page's main thread busy past the ${options.budget.loadTimeoutMs} ms load budget (an endless loop?); the page was closed and no event was sent.`, { file: entry.path });
      return undefined;
    }
    const v = inst.value;
    const problem = loadProblem(v, component.global, options.budget.loadTimeoutMs, entry.path, place);
    const loadErrors = (v.loads ?? []).filter((l) => l.state === "threw" || l.state === "rejected");
    if (problem || loadErrors.length || v.notLoaded?.length) {
      const why =
        problem?.message ??
        (loadErrors.length
          ? `load() of ${loadErrors.map((l) => `"${l.plugin}" ${l.state === "threw" ? "threw" : "rejected"}: ${l.error?.message ?? "?"}${place(l.error) ? ` (${place(l.error)})` : ""}`).join("; ")}. analytics.js drops a destination whose load() fails, so the customer would get nothing`
          : `isLoaded() of ${v.notLoaded!.map((n) => `"${n}"`).join(", ")} is still not true after load() resolved; analytics.js would hold every event for it`);
      setup("Load — factory and load()", `${sentence(why)}${errors.length ? ` Also: ${errors.map(describeError).join("; ")}.` : ""}\nNo event was sent.`, fileLine(problem?.at ?? place(loadErrors[0]?.error), entry.path));
      await p.close();
      return undefined;
    }
    const within = ms <= options.budget.loadTimeoutMs;
    const names = (v.plugins ?? []).map((x) => `"${x.name}" (${x.type} ${x.version})`).join(", ");
    const red = !within || errors.length > 0;
    push({
      name: "Load — factory and load()",
      type: "plugin",
      group: "plugin",
      status: red ? "fail" : "pass",
      durationMs: round(ms),
      message: errors.length
        ? `Loading raised ${errors.map(describeError).join("; ")}.`
        : within
          ? `window.${component.global}(settings) returned ${names}; load() resolved and isLoaded() is true in ${Math.round(ms)} ms (budget ${options.budget.loadTimeoutMs} ms).`
          : `Loading took ${Math.round(ms)} ms, over the ${options.budget.loadTimeoutMs} ms budget: the customer's page waits for it.`,
      file: entry.path,
    });
    const globals = v.globals ?? [];
    const replaced = v.replaced ?? [];
    hygiene(
      "Globals — window left as it was",
      replaced.length ? "fail" : globals.length ? "unsupported" : "pass",
      replaced.length
        ? `The plugin replaced ${replaced.map((g) => `window.${g}`).join(", ")}: the customer's site and analytics.js rely on ${replaced.length === 1 ? "it" : "them"}. Never overwrite page built-ins or window.analytics.`
        : globals.length
          ? `The plugin added ${plural(globals.length, "global")} besides window.${component.global}: ${globals.slice(0, 10).join(", ")}${globals.length > 10 ? ", …" : ""}. They can collide with the customer's own scripts; keep state inside the plugin.`
          : `The plugin added nothing to window besides window.${component.global} and replaced no built-in.`,
      { file: entry.path },
    );
    p.phase = "event";
    return p;
  };

  let page = await openPage(true);
  if (!page) return;
  const longTasks: { duration: number; during: string }[] = [];
  const collect = async (p: PluginPage, during: string): Promise<void> => {
    p.requests.splice(0);
    const tasks = (await p.page.evaluate("window.__devcenter.longTasks.splice(0)").catch(() => [])) as { duration: number }[];
    for (const t of tasks) longTasks.push({ duration: t.duration, during });
  };
  const requestsBeforeLoad = page.requests.filter((r) => r.phase === "entry");
  await collect(page, "load");

  let sent = 0;
  for (const input of inputs) {
    if (options.signal?.aborted) break;
    if (input.type === "delete") continue; // analytics.js has no deletion call: the platform deletes server-side
    if (!page) {
      page = await openPage(false);
      if (!page) {
        push({ name: input.name, type: input.type, group: input.group, status: "fail", durationMs: 0, message: "Not sent: the page could not be opened again after an earlier event stopped it.", ...sourceOf(input) });
        continue;
      }
      await collect(page, "load");
    }
    page.answers = [...(input.answers ?? [])];
    page.phase = input.name;
    const at = typeof input.message.timestamp === "string" ? Date.parse(input.message.timestamp) : NaN;
    if (!Number.isNaN(at)) await page.page.clock.setFixedTime(at).catch(() => undefined);
    const r = await evaluate<Sent>(page, `window.__devcenter.send(${JSON.stringify(input.message)}, ${options.timeoutMs})`, options.timeoutMs);
    sent++;
    const errors = "value" in r ? await page.takeErrors() : [];
    await new Promise((res) => setTimeout(res, 0));
    const mine = page.requests.filter((q) => q.phase === input.name);
    await collect(page, input.name);
    let g: Grade;
    if ("stuck" in r) {
      g = { status: "fail", retryable: false, message: `The page's main thread was still busy ${Math.round((options.timeoutMs + STUCK_GRACE_MS) / 1000)} s after the event was sent (an endless loop in the plugin's ${input.type} handler?); the page was closed and reopened for the next case. A customer's page would have frozen.` };
      page = undefined;
    } else if ("closed" in r) {
      g = { status: "fail", retryable: false, message: `The page closed while the event was handled: ${r.closed}` };
      await page.close();
      page = undefined;
    } else {
      g = gradeSent(r.value, input.type, errors, mine, (e) => place(e), describeError, options.timeoutMs);
    }
    g = judge(g, input.type, component.supports, input.expect, "plugin");
    let note = "";
    let written: ReplayCase["golden"];
    const declared = mine.filter((q) => q.declared);
    if (options.golden && input.golden) {
      if (g.status !== "fail") {
        const check = options.golden.check(input.golden.file, input.golden.key, declared.map((q) => redact(q, options.secrets)));
        if (check.status === "differs") g = { ...g, status: "fail", message: `The requests differ from ${check.file}: ${check.difference}. Run with --update if the change is intended. (${g.message})` };
        else if (check.status === "created") {
          note = ` Recorded ${plural(declared.length, "request")} in ${check.file}.`;
          written = { file: check.file, status: "created" };
        } else if (check.status === "updated") {
          note = ` Updated ${check.file} (${check.difference}).`;
          written = { file: check.file, status: "updated" };
        }
      } else options.golden.keep(input.golden.file, input.golden.key);
    }
    push({
      name: input.name,
      type: input.type,
      group: input.group,
      status: g.status,
      durationMs: "value" in r ? round(r.value.ms ?? 0) : options.timeoutMs,
      message: g.message + note,
      requests: declared.length,
      ...sourceOf(input),
      ...(written ? { golden: written } : {}),
    });
  }
  if (page) {
    await collect(page, "the last event");
    await page.close();
  }

  // Hygiene over the whole run.
  const early = requestsBeforeLoad;
  hygiene(
    "Requests — none before load()",
    early.length ? "fail" : "pass",
    early.length
      ? `The script sent ${plural(early.length, "request")} before analytics.js called load(): ${early.slice(0, 3).map((q) => `${q.method} ${q.url}`).join(", ")}. A plugin contacts nothing until it is loaded (the customer's consent tools rely on it).`
      : "The script sent no request before analytics.js called load().",
    { file: entry.path },
  );
  if (sent > 0 || longTasks.length > 0) {
    const worst = longTasks.reduce<{ duration: number; during: string } | undefined>((w, t) => (!w || t.duration > w.duration ? t : w), undefined);
    const over = longTasks.filter((t) => t.duration > options.budget.maxLongTaskMs);
    hygiene(
      "Long tasks — main thread kept free",
      over.length ? "fail" : "pass",
      over.length
        ? `${plural(over.length, "task")} blocked the page's main thread for more than ${options.budget.maxLongTaskMs} ms, the longest ${Math.round(worst!.duration)} ms during ${worst!.during}: the customer's page cannot respond meanwhile. Split the work or defer it.`
        : worst
          ? `The longest task on the main thread took ${Math.round(worst.duration)} ms (budget ${options.budget.maxLongTaskMs} ms).`
          : `No task on the main thread took more than 50 ms (budget ${options.budget.maxLongTaskMs} ms).`,
      { file: entry.path },
    );
  }
}

/** Why the factory or registration failed, with the place in the script. */
function loadProblem(v: Instantiated, global: string, budgetMs: number, entryPath: string, place: (e?: { stack?: string }) => string | undefined): { message: string; at?: string } | undefined {
  switch (v.problem) {
    case undefined:
      return undefined;
    case "undefined-global":
      return { message: `${entryPath} ran but did not define window.${global}. Set \`global\` in integration.yml to the name the script assigns its factory to (window.${global} = (settings) => plugin)` };
    case "not-a-function":
      return { message: `window.${global} is ${v.typeOf === "object" ? "an object" : v.typeOf}, not a function: the script must define a factory, window.${global} = (settings) => plugin (or an array of plugins)` };
    case "factory-timeout":
      return { message: `window.${global}(settings) returned a promise that did not resolve within the ${budgetMs} ms load budget` };
    case "factory-threw":
      return { message: `window.${global}(settings) threw: ${v.error?.message}${place(v.error) ? ` (${place(v.error)})` : ""}`, at: place(v.error) };
    case "returned-nothing":
      return { message: `window.${global}(settings) returned ${v.typeOf === "undefined" ? "nothing" : v.typeOf}: it must return a plugin object (or an array of them) for analytics.register` };
    case "invalid-plugin": {
      const parts = (v.invalid ?? []).map((x) => {
        const who = x.name ? `"${x.name}"` : (v.count ?? 1) > 1 ? `plugin #${x.index + 1}` : "the plugin";
        if (x.got) return `${who} is ${x.got}, not an object`;
        const bits = [];
        if (x.missing.length) bits.push(`lacks ${x.missing.join(", ")}`);
        if (x.badType) bits.push(`has type "${x.badType}" (one of before, enrichment, destination, after, utility)`);
        return `${who} ${bits.join(" and ")}`;
      });
      return { message: `window.${global}(settings) returned what analytics.js rejects: ${parts.join("; ")}. A plugin needs name, type, version, isLoaded() and load()` };
    }
    case "load-timeout": {
      const pending = (v.loads ?? []).filter((l) => l.state === "pending").map((l) => `"${l.plugin}"`);
      return { message: `load()${pending.length ? ` of ${pending.join(", ")}` : ""} did not resolve within the ${budgetMs} ms load budget; analytics.js waits for it before delivering any event` };
    }
    case "register-threw":
      return { message: `analytics.register refused the plugin: ${v.error?.message}`, at: place(v.error) };
  }
}

/** The grade of one event from what the plugin's handlers did. */
function gradeSent(
  r: Sent,
  type: string,
  errors: PageError[],
  requests: Recorded[],
  place: (e?: { stack?: string }) => string | undefined,
  describeError: (e: PageError) => string,
  timeoutMs: number,
): Grade {
  const fail = (message: string): Grade => ({ status: "fail", retryable: false, message });
  const calls = r.calls ?? [];
  const bad = calls.find((c) => c.state === "threw" || c.state === "rejected");
  // An undeclared host first: refusing it is often what made the handler fail.
  const undeclared = requests.filter((q) => !q.declared);
  if (undeclared.length) {
    const hostsNamed = [...new Set(undeclared.map((q) => q.host))];
    return fail(`The plugin sent ${plural(undeclared.length, "request")} to ${hostsNamed.join(", ")}, not in \`hosts\` (replay refused ${undeclared.length === 1 ? "it" : "them"}): ${undeclared[0]!.method} ${undeclared[0]!.url}. Declare every host the plugin contacts, or stop sending there.`);
  }
  if (r.threw) return fail(`analytics.${type}() threw: ${r.threw.message}${place(r.threw) ? ` (${place(r.threw)})` : ""}.`);
  if (bad) return fail(`The ${bad.method} handler of "${bad.plugin}" ${bad.state === "threw" ? "threw" : "returned a rejected promise"}: ${bad.error?.message ?? "?"}${place(bad.error) ? ` (${place(bad.error)})` : ""}.`);
  if (r.delivered === false && calls.some((c) => c.state === "cancelled")) {
    const who = calls.find((c) => c.state === "cancelled")!;
    return fail(`The ${who.method} handler of "${who.plugin}" cancelled the event (ctx.cancel), so it never reached the other destinations on the page. A plugin must not stop the customer's events; every destination of theirs would have lost it.`);
  }
  if (r.timedOut) {
    const pending = calls.filter((c) => c.state === "pending").map((c) => `"${c.plugin}"`);
    return fail(`The ${type} handler${pending.length ? ` of ${pending.join(", ")}` : ""} did not resolve within ${timeoutMs} ms.`);
  }
  if (errors.length) return fail(`Handling the event raised ${errors.map(describeError).join("; ")}.`);
  if (r.replaced?.length) return fail(`After the event, ${r.replaced.map((g) => `window.${g}`).join(", ")} ${r.replaced.length === 1 ? "is" : "are"} no longer the page's own: the plugin replaced ${r.replaced.length === 1 ? "it" : "them"}.`);
  if (r.delivered === false) {
    return fail(`The event never reached the other destinations on the page: a before or enrichment plugin stopped it (it must return the event, not drop it). Every destination of the customer's would have lost it.`);
  }
  const handled = calls.filter((c) => c.method === type);
  if (handled.length === 0) return { status: "unsupported", retryable: false, message: `No plugin handles ${type} (no ${type} method); the event went on to the other destinations.` };
  const sent = requests.filter((q) => q.declared);
  return {
    status: "pass",
    retryable: false,
    message: `${handled.map((c) => `"${c.plugin}"`).join(", ")} handled ${type} in ${Math.round(r.ms ?? 0)} ms${sent.length ? `, sending ${plural(sent.length, "request")} (${[...new Set(sent.map((q) => q.host))].join(", ")})` : ""}.`,
  };
}

/** `dist/plugin.js:12:7` from an error's stack, or its url/line/column, when it points into the plugin's script. */
function placeIn(e: { stack?: string; url?: string; line?: number; column?: number } | undefined, entryUrl: string, entryPath: string): string | undefined {
  if (!e) return undefined;
  if (e.url === entryUrl && e.line) return `${entryPath}:${e.line}${e.column ? `:${e.column}` : ""}`;
  const m = e.stack ? new RegExp(`${entryUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+):(\\d+)`).exec(e.stack) : null;
  return m ? `${entryPath}:${m[1]}:${m[2]}` : undefined;
}

function fileLine(at: string | undefined, entryPath: string): Pick<ReplayCase, "file" | "line"> {
  const m = at ? /:(\d+)(?::\d+)?$/.exec(at) : null;
  return m ? { file: entryPath, line: Number(m[1]) } : { file: entryPath };
}

/** A request for a golden file: the write key and other secrets replaced, as written and URL-encoded. */
function redact(q: Recorded, secrets: readonly { key: string; value: string }[]): RecordedRequest {
  let json = JSON.stringify({ method: q.method, url: q.url, headers: {}, ...(q.body !== undefined ? { body: q.body } : {}) });
  for (const s of secrets) {
    for (const form of new Set([s.value, encodeURIComponent(s.value), Buffer.from(s.value).toString("base64")])) {
      if (form.length >= 4) json = json.split(JSON.stringify(form).slice(1, -1)).join(`[REDACTED:${s.key}]`);
    }
  }
  return JSON.parse(json) as RecordedRequest;
}
