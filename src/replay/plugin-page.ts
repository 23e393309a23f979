// The customer's page that plugin replay drives: analytics.js and the plugin's script served
// from memory, every request the page makes intercepted (the Segment.io destination and the
// plugin's declared hosts answered locally and recorded, anything else refused), and evaluate()
// with a deadline so a page whose main thread never comes back is closed rather than awaited.
import type { BrowserContext, Page, Route } from "playwright-core";
import type { PartnerApiResponse } from "../spec/fixtures.js";

/** The customer's page: an https origin only replay answers. */
export const PAGE_ORIGIN = "https://www.devcenter.test";
/** Where the page's Segment.io destination sends (answered 200, not the plugin's traffic). */
export const SEGMENT_HOST = "api.segment.devcenter.test";
/** Past a deadline in the page, how long replay waits for the page itself before closing it. */
export const STUCK_GRACE_MS = 1_000;
const USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 devcenter-replay";

/** What the page serves from memory, by path. */
export type PageFiles = Map<string, { body: string | Buffer; type: string }>;

export interface Recorded {
  phase: string;
  method: string;
  url: string;
  host: string;
  declared: boolean;
  body?: unknown;
}

export interface PageError {
  kind: string;
  message: string;
  stack?: string;
  url?: string;
  line?: number;
  column?: number;
}

/** A page in the browser with the plugin's script loaded, and what it saw. */
export class PluginPage {
  requests: Recorded[] = [];
  consoleErrors: PageError[] = [];
  phase = "page";
  answers: PartnerApiResponse[] = [];
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(
    handle: { browser: import("playwright-core").Browser },
    files: PageFiles,
    hosts: readonly string[],
  ): Promise<PluginPage> {
    const context = await handle.browser.newContext({
      userAgent: USER_AGENT,
      locale: "en-US",
      timezoneId: "UTC",
      viewport: { width: 1280, height: 800 },
      serviceWorkers: "block",
    });
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
      p.consoleErrors.push({
        kind: "console",
        message: text,
        url: loc.url,
        line: loc.lineNumber + 1,
        column: loc.columnNumber + 1,
      });
    });
    await page.goto(`${PAGE_ORIGIN}/`, { waitUntil: "load", timeout: 30_000 });
    return p;
  }

  private async answer(route: Route, files: PageFiles, hosts: readonly string[]): Promise<void> {
    const req = route.request();
    let url: URL;
    try {
      url = new URL(req.url());
    } catch {
      return route.abort("blockedbyclient").catch(() => undefined);
    }
    const cors = {
      "access-control-allow-origin": PAGE_ORIGIN,
      "access-control-allow-credentials": "true",
      "access-control-allow-headers": "*",
      "access-control-allow-methods": "*",
    };
    if (`${url.protocol}//${url.host}` === PAGE_ORIGIN) {
      const file = files.get(url.pathname);
      if (file) return route.fulfill({ status: 200, contentType: file.type, body: file.body }).catch(() => undefined);
    }
    if (url.hostname === SEGMENT_HOST)
      return route
        .fulfill({ status: 200, headers: cors, contentType: "application/json", body: "{}" })
        .catch(() => undefined);
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
    this.requests.push({
      phase: this.phase,
      method: req.method(),
      url: url.href,
      host: url.hostname,
      declared,
      ...(body !== undefined ? { body } : {}),
    });
    if (!declared) return route.abort("blockedbyclient").catch(() => undefined);
    const i = this.answers.findIndex((a) => a.method.toUpperCase() === req.method() && sameUrl(a.url, url));
    const a = i >= 0 ? this.answers.splice(i, 1)[0] : undefined;
    if (a?.error) return route.abort(a.error === "timeout" ? "timedout" : "connectionreset").catch(() => undefined);
    if (a?.delayMs) await new Promise((r) => setTimeout(r, Math.min(a.delayMs!, 30_000)));
    const answerBody = a?.body === undefined ? "" : typeof a.body === "string" ? a.body : JSON.stringify(a.body);
    return route
      .fulfill({ status: a?.status ?? 200, headers: { ...cors, ...(a?.headers ?? {}) }, body: answerBody })
      .catch(() => undefined);
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

export type Outcome<T> = { value: T } | { stuck: true } | { closed: string };

/** page.evaluate with a deadline: a page whose main thread never comes back is closed. */
export async function evaluate<T>(p: PluginPage, expression: string, deadlineMs: number): Promise<Outcome<T>> {
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
