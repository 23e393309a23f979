// The browser plugin replay drives: headless Chromium from the machine (Debian's `chromium`, or the
// Chrome GitHub's Ubuntu runners ship), started once per review through playwright-core (which
// never downloads a browser), and the analytics.js the customer's page runs: @segment/analytics-next
// from devcenter's own dependencies, bundled into one classic script — never fetched from a CDN.
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { type Message, msg, words } from "../core/markdown.js";

/** Executables looked for on PATH when DEVCENTER_CHROMIUM is not set, in this order. */
export const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] as const;

/** Said wherever no browser was found: what to install, and the variable that names one. */
export const NO_BROWSER_HELP = words(
  "Plugin replay needs headless Chromium: install Debian/Ubuntu's `chromium` package (`apt-get install chromium`), or set DEVCENTER_CHROMIUM to the path of a Chromium or Chrome executable. GitHub's Ubuntu runners ship Chrome as `google-chrome`.",
);

/** Launch arguments that work as root, offline, in a container. */
const LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser executable: DEVCENTER_CHROMIUM, else the first of CHROMIUM_NAMES on PATH. */
export function findChromium(
  env: Readonly<Record<string, string | undefined>>,
): { path: string } | { problem: Message } {
  const named = env.DEVCENTER_CHROMIUM;
  if (named) {
    return executable(named)
      ? { path: named }
      : { problem: msg`DEVCENTER_CHROMIUM is set to ${named}, which is not an executable file. ${NO_BROWSER_HELP}` };
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const name of CHROMIUM_NAMES) if (executable(join(dir, name))) return { path: join(dir, name) };
  }
  return { problem: msg`No Chromium was found on PATH (looked for ${CHROMIUM_NAMES.join(", ")}). ${NO_BROWSER_HELP}` };
}

/**
 * One browser for a whole review, started on first use (a review without plugins starts none) and
 * closed by the caller. A browser that cannot start is remembered, so every plugin gets the same
 * red case instead of a second 30-second attempt.
 */
export class BrowserHandle {
  private started?: Promise<{ browser: Browser } | { problem: Message }>;

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  get(): Promise<{ browser: Browser } | { problem: Message }> {
    this.started ??= this.launch();
    return this.started;
  }

  private async launch(): Promise<{ browser: Browser } | { problem: Message }> {
    const found = findChromium(this.env);
    if ("problem" in found) return found;
    try {
      const { chromium } = await import("playwright-core");
      const browser = await chromium.launch({
        executablePath: found.path,
        // playwright-core gives the browser a fresh profile of its own (a temporary user-data-dir).
        args: LAUNCH_ARGS,
        timeout: 30_000,
        // The browser's own environment: HOME and PATH, no partner secrets.
        env: { PATH: this.env.PATH ?? "", HOME: this.env.HOME ?? tmpdir() },
      });
      return { browser };
    } catch (err) {
      const first =
        String((err as Error).message ?? err)
          .split("\n")
          .find((l) => l.trim()) ?? "unknown error";
      return { problem: msg`${found.path} did not start: ${first.trim()}. ${NO_BROWSER_HELP}` };
    }
  }

  async close(): Promise<void> {
    const started = await this.started;
    if (started && "browser" in started) await started.browser.close().catch(() => undefined);
  }
}

declare const __DEVCENTER_ANALYTICS__: string | undefined;

let built: string | undefined;

/**
 * analytics-next as one classic script defining `window.DevcenterAnalytics.AnalyticsBrowser`: the
 * builds put it into their bundles (scripts/analytics.cjs); running from src/ (tests, tsx) it is
 * bundled here on first use with the same options, from node_modules — never from a CDN.
 */
export function analyticsScript(): string {
  if (typeof __DEVCENTER_ANALYTICS__ === "string") return __DEVCENTER_ANALYTICS__;
  if (built === undefined) {
    const script = fileURLToPath(new URL("../../scripts/analytics.cjs", import.meta.url));
    const { bundleAnalytics } = createRequire(import.meta.url)(script) as { bundleAnalytics: () => string };
    built = bundleAnalytics();
  }
  return built;
}
