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
import type { Browser } from "playwright-core";
import { asMessage, type Message, messageFields, messageSentence, msg } from "../core/markdown.js";
import type { Policy } from "../core/policy.js";
import { normalizePath } from "../core/source.js";
import { plural } from "../core/text.js";
import type { PluginComponent } from "../manifest/types.js";
import type { PartnerApiResponse } from "../spec/fixtures.js";
import { checkGolden, requestsDiffer, type GoldenStore, type GoldenWords, type RecordedRequest } from "./golden.js";
import { type Grade, reword } from "./grade.js";
import { analyticsScript, type BrowserHandle } from "./plugin-browser.js";
import { HARNESS, HARNESS_URL_PATH } from "./plugin-harness.js";
import {
  evaluate,
  PAGE_ORIGIN,
  type PageError,
  type PageFiles,
  PluginPage,
  type Recorded,
  SEGMENT_HOST,
  STUCK_GRACE_MS,
} from "./plugin-page.js";
import type { CaseStatus, ReplayCase } from "./types.js";
import { judge, sourceOf, type ReplayInput } from "./webhook.js";

const ANALYTICS_URL_PATH = "/__devcenter/analytics-next.js";
/** Over this the script is not loaded at all (a customer's page would not survive it either). */
export const MAX_ENTRY_BYTES = 2 * 1024 * 1024;

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
  problem?:
    | "undefined-global"
    | "not-a-function"
    | "factory-timeout"
    | "factory-threw"
    | "returned-nothing"
    | "invalid-plugin"
    | "load-timeout"
    | "register-threw";
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

/** Runs one plugin component's cases. */
export async function replayPlugin(
  component: PluginComponent,
  label: string,
  root: string,
  inputs: readonly PluginInput[],
  options: PluginReplayOptions,
): Promise<void> {
  const run = new PluginRun(component, label, options);
  const script = run.readScript(root);
  if (!script) return;
  const started = await options.browser.get();
  if ("problem" in started)
    return run.setup("Start the browser", msg`${started.problem}\nNo plugin case could run without it.`);
  await run.replay(started, script, inputs);
}

/** The plugin's built script, read and checked before any page opens. */
interface Script {
  path: string;
  bytes: Buffer;
}

/** One plugin component's replay: the page, its cases reported as they happen, the hygiene seen over the run. */
class PluginRun {
  private readonly longTasks: { duration: number; during: string }[] = [];
  private entryUrl = "";
  private entryPath = "";
  private files: PageFiles = new Map();
  private browser: { browser: Browser } | undefined;

  constructor(
    private readonly component: PluginComponent,
    private readonly label: string,
    private readonly options: PluginReplayOptions,
  ) {}

  private push(c: Omit<ReplayCase, "component">): void {
    this.options.onCase({ ...c, component: this.label });
  }

  setup(name: string, message: string | Message, extra: Partial<ReplayCase> = {}): void {
    this.push({
      name,
      type: "setup",
      group: "setup",
      status: "fail",
      durationMs: 0,
      ...messageFields(message),
      ...extra,
    });
  }

  private hygiene(name: string, status: CaseStatus, message: string): void {
    this.push({ name, type: "plugin", group: "plugin", status, durationMs: 0, message, file: this.entryPath });
  }

  private place(e: { stack?: string; url?: string; line?: number; column?: number } | undefined): string | undefined {
    return placeIn(e, this.entryUrl, this.entryPath);
  }

  private describeError(e: PageError): string {
    const at = this.place(e);
    return `${e.kind === "console" ? "console.error" : e.kind === "rejection" ? "unhandled rejection" : "page error"}: ${e.message}${at ? ` (${at})` : ""}`;
  }

  /** The script, as the customer's page would download it, and its size case; undefined (reported) when it cannot be loaded. */
  readScript(root: string): Script | undefined {
    const { budget } = this.options;
    const entry = normalizePath(this.component.entry);
    if (!entry.ok) return void this.setup("Plugin script", entry.message);
    const file = { file: entry.path };
    const entryFile = join(root, entry.path);
    let size: number;
    try {
      const st = statSync(entryFile);
      if (!st.isFile())
        return void this.setup(
          "Plugin script",
          msg`${entry.path} is not a file; point \`entry\` at the plugin's built script.`,
          file,
        );
      size = st.size;
    } catch {
      return void this.setup(
        "Plugin script",
        msg`The entry ${entry.path} does not exist; point \`entry\` at the plugin's built browser script (build it before replay).`,
        file,
      );
    }
    if (size > MAX_ENTRY_BYTES) {
      return void this.setup(
        "Plugin script",
        `${entry.path} is ${kb(size)}; a plugin's script must be at most ${kb(MAX_ENTRY_BYTES)} before compression to be loaded into a customer's page at all (and within ${kb(budget.maxGzipBytes)} gzipped). Ship a minified build.`,
        file,
      );
    }
    const bytes = readFileSync(entryFile);
    const text = bytes.toString("utf8");
    if (bytes.includes(0) || Buffer.from(text, "utf8").length !== bytes.length) {
      return void this.setup(
        "Plugin script",
        msg`${entry.path} is not JavaScript: it holds binary data (not UTF-8 text). Point \`entry\` at the plugin's built .js file.`,
        file,
      );
    }
    this.entryPath = entry.path;
    const gzip = gzipSync(bytes, { level: 9 }).length;
    const within = gzip <= budget.maxGzipBytes;
    this.hygiene(
      "Size — the plugin's script gzipped",
      within ? "pass" : "fail",
      within
        ? `${entry.path} is ${kb(gzip)} gzipped (${kb(size)} raw), within the ${kb(budget.maxGzipBytes)} budget.`
        : `${entry.path} is ${kb(gzip)} gzipped (${kb(size)} raw), over the ${kb(budget.maxGzipBytes)} budget: every visitor of the customer's site downloads it. Trim dependencies or load the rest lazily.`,
    );
    return { path: entry.path, bytes };
  }

  /** Loads the plugin in a page, sends every input, then reports the run's hygiene. */
  async replay(browser: { browser: Browser }, script: Script, inputs: readonly PluginInput[]): Promise<void> {
    this.browser = browser;
    this.entryUrl = `${PAGE_ORIGIN}/${script.path}`;
    this.files = new Map([
      [
        "/",
        {
          body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer site</title><script src="${HARNESS_URL_PATH}"></script><script src="${ANALYTICS_URL_PATH}"></script></head><body><h1>Customer site</h1></body></html>`,
          type: "text/html",
        },
      ],
      [HARNESS_URL_PATH, { body: HARNESS, type: "text/javascript" }],
      [ANALYTICS_URL_PATH, { body: analyticsScript(), type: "text/javascript" }],
      [`/${script.path}`, { body: script.bytes, type: "text/javascript" }],
    ]);
    let page = await this.openPage(true);
    if (!page) return;
    const requestsBeforeLoad = page.requests.filter((r) => r.phase === "entry");
    await this.collect(page, "load");
    let sent = 0;
    for (const input of inputs) {
      if (this.options.signal?.aborted) break;
      if (input.type === "delete") continue; // analytics.js has no deletion call: the platform deletes server-side
      if (!page) {
        page = await this.openPage(false);
        if (!page) {
          this.push({
            name: input.name,
            type: input.type,
            group: input.group,
            status: "fail",
            durationMs: 0,
            message: "Not sent: the page could not be opened again after an earlier event stopped it.",
            ...sourceOf(input),
          });
          continue;
        }
        await this.collect(page, "load");
      }
      page = await this.send(page, input);
      sent++;
    }
    if (page) {
      await this.collect(page, "the last event");
      await page.close();
    }
    this.reportRunHygiene(requestsBeforeLoad, sent);
  }

  /** Long tasks seen so far, and the recorded requests cleared for the next event. */
  private async collect(p: PluginPage, during: string): Promise<void> {
    p.requests.splice(0);
    const tasks = (await p.page.evaluate("window.__devcenter.longTasks.splice(0)").catch(() => [])) as {
      duration: number;
    }[];
    for (const t of tasks) this.longTasks.push({ duration: t.duration, during });
  }

  /** A page with analytics.js and the plugin loaded, or why not (reported as cases when `report`). */
  private async openPage(report: boolean): Promise<PluginPage | undefined> {
    const { component, options } = this;
    let p: PluginPage;
    try {
      p = await PluginPage.open(this.browser!, this.files, component.hosts ?? []);
    } catch (err) {
      if (report) this.setup("Open the page", `The test page did not open: ${(err as Error).message.split("\n")[0]}.`);
      return undefined;
    }
    // The clock is fixed per event (timestamps in what the plugin sends hold for golden files);
    // installing it now, before the page's built-ins are noted, keeps its timers from counting as
    // the plugin's doing.
    await p.page.clock.setFixedTime(SUITE_START).catch(() => undefined);
    const writeKey = String(options.settings[component.settings[0]?.key ?? "apiKey"] ?? "devcenter-write-key");
    const ready = await evaluate<void>(
      p,
      `window.__devcenter.start(${JSON.stringify(writeKey)}, ${JSON.stringify(`${SEGMENT_HOST}/v1`)})`,
      10_000,
    );
    if (!("value" in ready)) {
      if (report)
        this.setup(
          "Open the page",
          "analytics.js did not start in the test page; this is a devcenter problem, not the plugin's.",
        );
      await p.close();
      return undefined;
    }
    p.phase = "entry";
    const t0 = performance.now();
    const budgetMs = options.budget.loadTimeoutMs;
    const script = await evaluate<{ ok: boolean }>(
      p,
      `window.__devcenter.loadScript(${JSON.stringify(this.entryUrl)})`,
      budgetMs,
    );
    const scriptErrors = "value" in script ? await p.takeErrors() : [];
    if (!("value" in script) || !script.value.ok || scriptErrors.length) {
      if (report) {
        const why =
          "stuck" in script
            ? `it kept the page's main thread busy past ${budgetMs} ms (an endless loop at the top level?) and the page was closed`
            : scriptErrors.length
              ? scriptErrors.map((e) => this.describeError(e)).join("; ")
              : "the page could not run it";
        const at = scriptErrors.map((e) => this.place(e)).find(Boolean);
        this.setup(
          "Load — the plugin's script",
          `${this.entryPath} did not run: ${why}. It must be a browser script (already built, not a module or a Node file) that defines window.${component.global}.`,
          fileLine(at, this.entryPath),
        );
      }
      await p.close();
      return undefined;
    }
    const inst = await evaluate<Instantiated>(
      p,
      `window.__devcenter.instantiate(${JSON.stringify(component.global)}, ${JSON.stringify(options.settings)}, ${budgetMs})`,
      budgetMs,
    );
    const ms = performance.now() - t0;
    const errors = "value" in inst ? await p.takeErrors() : [];
    const loaded = report ? this.reportLoad(inst, ms, errors) : "value" in inst && !inst.value.problem;
    if (!loaded) {
      await p.close();
      return undefined;
    }
    p.phase = "event";
    return p;
  }

  /** The load case and the globals case; false when the plugin did not load (reported). */
  private reportLoad(
    inst: Awaited<ReturnType<typeof evaluate<Instantiated>>>,
    ms: number,
    errors: PageError[],
  ): boolean {
    const { component, entryPath } = this;
    const budgetMs = this.options.budget.loadTimeoutMs;
    if (!("value" in inst)) {
      this.setup(
        "Load — factory and load()",
        `window.${component.global}(settings) or the plugin's load() kept the page's main thread busy past the ${budgetMs} ms load budget (an endless loop?); the page was closed and no event was sent.`,
        { file: entryPath },
      );
      return false;
    }
    const v = inst.value;
    const problem = loadProblem(v, component.global, budgetMs, entryPath, (e) => this.place(e));
    const loadErrors = (v.loads ?? []).filter((l) => l.state === "threw" || l.state === "rejected");
    if (problem || loadErrors.length || v.notLoaded?.length) {
      const why = asMessage(
        problem?.message ??
          (loadErrors.length
            ? `load() of ${loadErrors.map((l) => `"${l.plugin}" ${l.state === "threw" ? "threw" : "rejected"}: ${l.error?.message ?? "?"}${this.place(l.error) ? ` (${this.place(l.error)})` : ""}`).join("; ")}. analytics.js drops a destination whose load() fails, so the customer would get nothing`
            : `isLoaded() of ${v.notLoaded!.map((n) => `"${n}"`).join(", ")} is still not true after load() resolved; analytics.js would hold every event for it`),
      );
      const also = errors.length ? ` Also: ${errors.map((e) => this.describeError(e)).join("; ")}.` : "";
      this.setup(
        "Load — factory and load()",
        msg`${messageSentence(why)}${also}\nNo event was sent.`,
        fileLine(problem?.at ?? this.place(loadErrors[0]?.error), entryPath),
      );
      return false;
    }
    const within = ms <= budgetMs;
    const names = (v.plugins ?? []).map((x) => `"${x.name}" (${x.type} ${x.version})`).join(", ");
    this.push({
      name: "Load — factory and load()",
      type: "plugin",
      group: "plugin",
      status: !within || errors.length > 0 ? "fail" : "pass",
      durationMs: round(ms),
      message: errors.length
        ? `Loading raised ${errors.map((e) => this.describeError(e)).join("; ")}.`
        : within
          ? `window.${component.global}(settings) returned ${names}; load() resolved and isLoaded() is true in ${Math.round(ms)} ms (budget ${budgetMs} ms).`
          : `Loading took ${Math.round(ms)} ms, over the ${budgetMs} ms budget: the customer's page waits for it.`,
      file: entryPath,
    });
    const globals = v.globals ?? [];
    const replaced = v.replaced ?? [];
    this.hygiene(
      "Globals — window left as it was",
      replaced.length ? "fail" : globals.length ? "unsupported" : "pass",
      replaced.length
        ? `The plugin replaced ${replaced.map((g) => `window.${g}`).join(", ")}: the customer's site and analytics.js rely on ${replaced.length === 1 ? "it" : "them"}. Never overwrite page built-ins or window.analytics.`
        : globals.length
          ? `The plugin added ${plural(globals.length, "global")} besides window.${component.global}: ${globals.slice(0, 10).join(", ")}${globals.length > 10 ? ", …" : ""}. They can collide with the customer's own scripts; keep state inside the plugin.`
          : `The plugin added nothing to window besides window.${component.global} and replaced no built-in.`,
    );
    return true;
  }

  /** Sends one event through analytics.js and reports its case; the page to go on with (undefined when it had to close). */
  private async send(page: PluginPage, input: PluginInput): Promise<PluginPage | undefined> {
    const { options } = this;
    page.answers = [...(input.answers ?? [])];
    page.phase = input.name;
    const at = typeof input.message.timestamp === "string" ? Date.parse(input.message.timestamp) : NaN;
    if (!Number.isNaN(at)) await page.page.clock.setFixedTime(at).catch(() => undefined);
    const r = await evaluate<Sent>(
      page,
      `window.__devcenter.send(${JSON.stringify(input.message)}, ${options.timeoutMs})`,
      options.timeoutMs,
    );
    const errors = "value" in r ? await page.takeErrors() : [];
    await new Promise((res) => setTimeout(res, 0));
    const mine = page.requests.filter((q) => q.phase === input.name);
    await this.collect(page, input.name);
    let next: PluginPage | undefined = page;
    let g: Grade;
    if ("stuck" in r) {
      g = {
        status: "fail",
        retryable: false,
        message: `The page's main thread was still busy ${Math.round((options.timeoutMs + STUCK_GRACE_MS) / 1000)} s after the event was sent (an endless loop in the plugin's ${input.type} handler?); the page was closed and reopened for the next case. A customer's page would have frozen.`,
      };
      next = undefined;
    } else if ("closed" in r) {
      g = { status: "fail", retryable: false, message: `The page closed while the event was handled: ${r.closed}` };
      await page.close();
      next = undefined;
    } else {
      g = gradeSent(
        r.value,
        input.type,
        errors,
        mine,
        (e) => this.place(e),
        (e) => this.describeError(e),
        options.timeoutMs,
      );
    }
    g = judge(g, input.type, this.component.supports, input.expect, "plugin");
    const declared = mine.filter((q) => q.declared);
    const checked = checkGolden(
      this.options.golden,
      input.golden,
      g,
      declared.map((q) => redact(q, this.options.secrets)),
      goldenWords(declared.length),
    );
    const said = reword(checked.grade, (m) => msg`${m}${checked.note}`);
    this.push({
      name: input.name,
      type: input.type,
      group: input.group,
      status: checked.grade.status,
      durationMs: "value" in r ? round(r.value.ms ?? 0) : options.timeoutMs,
      message: said.message,
      ...(said.markdown !== undefined ? { markdown: said.markdown } : {}),
      requests: declared.length,
      ...sourceOf(input),
      ...(checked.golden ? { golden: checked.golden } : {}),
    });
    return next;
  }

  /** Hygiene over the whole run: requests before load(), long tasks. */
  private reportRunHygiene(early: Recorded[], sent: number): void {
    const { maxLongTaskMs } = this.options.budget;
    this.hygiene(
      "Requests — none before load()",
      early.length ? "fail" : "pass",
      early.length
        ? `The script sent ${plural(early.length, "request")} before analytics.js called load(): ${early
            .slice(0, 3)
            .map((q) => `${q.method} ${q.url}`)
            .join(", ")}. A plugin contacts nothing until it is loaded (the customer's consent tools rely on it).`
        : "The script sent no request before analytics.js called load().",
    );
    if (sent === 0 && this.longTasks.length === 0) return;
    const worst = this.longTasks.reduce<{ duration: number; during: string } | undefined>(
      (w, t) => (!w || t.duration > w.duration ? t : w),
      undefined,
    );
    const over = this.longTasks.filter((t) => t.duration > maxLongTaskMs);
    this.hygiene(
      "Long tasks — main thread kept free",
      over.length ? "fail" : "pass",
      over.length
        ? `${plural(over.length, "task")} blocked the page's main thread for more than ${maxLongTaskMs} ms, the longest ${Math.round(worst!.duration)} ms during ${worst!.during}: the customer's page cannot respond meanwhile. Split the work or defer it.`
        : worst
          ? `The longest task on the main thread took ${Math.round(worst.duration)} ms (budget ${maxLongTaskMs} ms).`
          : `No task on the main thread took more than 50 ms (budget ${maxLongTaskMs} ms).`,
    );
  }
}

/** Why the factory or registration failed, with the place in the script. */
function loadProblem(
  v: Instantiated,
  global: string,
  budgetMs: number,
  entryPath: string,
  place: (e?: { stack?: string }) => string | undefined,
): { message: string | Message; at?: string } | undefined {
  switch (v.problem) {
    case undefined:
      return undefined;
    case "undefined-global":
      return {
        message: msg`${entryPath} ran but did not define window.${global}. Set \`global\` in integration.yml to the name the script assigns its factory to (window.${global} = (settings) => plugin)`,
      };
    case "not-a-function":
      return {
        message: `window.${global} is ${v.typeOf === "object" ? "an object" : v.typeOf}, not a function: the script must define a factory, window.${global} = (settings) => plugin (or an array of plugins)`,
      };
    case "factory-timeout":
      return {
        message: `window.${global}(settings) returned a promise that did not resolve within the ${budgetMs} ms load budget`,
      };
    case "factory-threw":
      return {
        message: `window.${global}(settings) threw: ${v.error?.message}${place(v.error) ? ` (${place(v.error)})` : ""}`,
        at: place(v.error),
      };
    case "returned-nothing":
      return {
        message: `window.${global}(settings) returned ${v.typeOf === "undefined" ? "nothing" : v.typeOf}: it must return a plugin object (or an array of them) for analytics.register`,
      };
    case "invalid-plugin": {
      const parts = (v.invalid ?? []).map((x) => {
        const who = x.name ? `"${x.name}"` : (v.count ?? 1) > 1 ? `plugin #${x.index + 1}` : "the plugin";
        if (x.got) return `${who} is ${x.got}, not an object`;
        const bits = [];
        if (x.missing.length) bits.push(`lacks ${x.missing.join(", ")}`);
        if (x.badType) bits.push(`has type "${x.badType}" (one of before, enrichment, destination, after, utility)`);
        return `${who} ${bits.join(" and ")}`;
      });
      return {
        message: `window.${global}(settings) returned what analytics.js rejects: ${parts.join("; ")}. A plugin needs name, type, version, isLoaded() and load()`,
      };
    }
    case "load-timeout": {
      const pending = (v.loads ?? []).filter((l) => l.state === "pending").map((l) => `"${l.plugin}"`);
      return {
        message: `load()${pending.length ? ` of ${pending.join(", ")}` : ""} did not resolve within the ${budgetMs} ms load budget; analytics.js waits for it before delivering any event`,
      };
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
  const fail = (message: string | Message): Grade => ({ status: "fail", retryable: false, ...messageFields(message) });
  const calls = r.calls ?? [];
  const bad = calls.find((c) => c.state === "threw" || c.state === "rejected");
  // An undeclared host first: refusing it is often what made the handler fail.
  const undeclared = requests.filter((q) => !q.declared);
  if (undeclared.length) {
    const hostsNamed = [...new Set(undeclared.map((q) => q.host))];
    return fail(
      msg`The plugin sent ${plural(undeclared.length, "request")} to ${hostsNamed.join(", ")}, not in \`hosts\` (replay refused ${undeclared.length === 1 ? "it" : "them"}): ${undeclared[0]!.method} ${undeclared[0]!.url}. Declare every host the plugin contacts, or stop sending there.`,
    );
  }
  if (r.threw)
    return fail(`analytics.${type}() threw: ${r.threw.message}${place(r.threw) ? ` (${place(r.threw)})` : ""}.`);
  if (bad)
    return fail(
      `The ${bad.method} handler of "${bad.plugin}" ${bad.state === "threw" ? "threw" : "returned a rejected promise"}: ${bad.error?.message ?? "?"}${place(bad.error) ? ` (${place(bad.error)})` : ""}.`,
    );
  if (r.delivered === false && calls.some((c) => c.state === "cancelled")) {
    const who = calls.find((c) => c.state === "cancelled")!;
    return fail(
      `The ${who.method} handler of "${who.plugin}" cancelled the event (ctx.cancel), so it never reached the other destinations on the page. A plugin must not stop the customer's events; every destination of theirs would have lost it.`,
    );
  }
  if (r.timedOut) {
    const pending = calls.filter((c) => c.state === "pending").map((c) => `"${c.plugin}"`);
    return fail(
      `The ${type} handler${pending.length ? ` of ${pending.join(", ")}` : ""} did not resolve within ${timeoutMs} ms.`,
    );
  }
  if (errors.length) return fail(`Handling the event raised ${errors.map(describeError).join("; ")}.`);
  if (r.replaced?.length)
    return fail(
      `After the event, ${r.replaced.map((g) => `window.${g}`).join(", ")} ${r.replaced.length === 1 ? "is" : "are"} no longer the page's own: the plugin replaced ${r.replaced.length === 1 ? "it" : "them"}.`,
    );
  if (r.delivered === false) {
    return fail(
      `The event never reached the other destinations on the page: a before or enrichment plugin stopped it (it must return the event, not drop it). Every destination of the customer's would have lost it.`,
    );
  }
  const handled = calls.filter((c) => c.method === type);
  if (handled.length === 0)
    return {
      status: "unsupported",
      retryable: false,
      message: `No plugin handles ${type} (no ${type} method); the event went on to the other destinations.`,
    };
  const sent = requests.filter((q) => q.declared);
  return {
    status: "pass",
    retryable: false,
    message: `${handled.map((c) => `"${c.plugin}"`).join(", ")} handled ${type} in ${Math.round(r.ms ?? 0)} ms${sent.length ? `, sending ${plural(sent.length, "request")} (${[...new Set(sent.map((q) => q.host))].join(", ")})` : ""}.`,
  };
}

/** `dist/plugin.js:12:7` from an error's stack, or its url/line/column, when it points into the plugin's script. */
function placeIn(
  e: { stack?: string; url?: string; line?: number; column?: number } | undefined,
  entryUrl: string,
  entryPath: string,
): string | undefined {
  if (!e) return undefined;
  if (e.url === entryUrl && e.line) return `${entryPath}:${e.line}${e.column ? `:${e.column}` : ""}`;
  const m = e.stack
    ? new RegExp(`${entryUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+):(\\d+)`).exec(e.stack)
    : null;
  return m ? `${entryPath}:${m[1]}:${m[2]}` : undefined;
}

function fileLine(at: string | undefined, entryPath: string): Pick<ReplayCase, "file" | "line"> {
  const m = at ? /:(\d+)(?::\d+)?$/.exec(at) : null;
  return m ? { file: entryPath, line: Number(m[1]) } : { file: entryPath };
}

/** A plugin case's golden check in its message (checkGolden, golden.ts). */
function goldenWords(requests: number): GoldenWords {
  return { differs: requestsDiffer, recorded: (file) => ` Recorded ${plural(requests, "request")} in ${file}.` };
}

/** A request for a golden file: the write key and other secrets replaced, as written and URL-encoded. */
function redact(q: Recorded, secrets: readonly { key: string; value: string }[]): RecordedRequest {
  let json = JSON.stringify({
    method: q.method,
    url: q.url,
    headers: {},
    ...(q.body !== undefined ? { body: q.body } : {}),
  });
  for (const s of secrets) {
    for (const form of new Set([s.value, encodeURIComponent(s.value), Buffer.from(s.value).toString("base64")])) {
      if (form.length >= 4) json = json.split(JSON.stringify(form).slice(1, -1)).join(`[REDACTED:${s.key}]`);
    }
  }
  return JSON.parse(json) as RecordedRequest;
}
