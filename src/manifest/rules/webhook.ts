// The webhook a subscription delivers to: HTTPS, or loopback for a test endpoint replay starts.
import { msg } from "../../core/markdown.js";
import { manifestRule, parseUrl, show } from "./context.js";

/** 127.0.0.0/8, ::1 and localhost names: a test endpoint on the machine running replay. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || /^127(?:\.\d{1,3}){3}$/.test(h) || h === "::1";
}

export const webhookUrl = manifestRule({
  id: "manifest/webhook-url",
  severity: "error",
  title: "Webhook URLs are HTTPS, or loopback for a local test endpoint",
  description:
    "`webhook.url` and `webhook.ready` must use https://, except for a test endpoint on the machine running replay: http://localhost, http://*.localhost, http://127.x.x.x or http://[::1]. They must not embed a user name or password. When `webhook.start` starts a local endpoint but `url` points elsewhere, a warning says replay will not reach what it started.",
  check({ manifest, report }) {
    for (const [i, c] of manifest.components.entries()) {
      if (c.type !== "subscription" || c.style !== "webhook") continue;
      const cp = `/components/${i}`;
      const w = c.webhook;
      for (const field of ["url", "ready"] as const) {
        const value = w[field];
        if (value === undefined) continue;
        const p = `${cp}/webhook/${field}`;
        const u = parseUrl(value);
        if (!u) continue; // the schema reported it
        if (u.username || u.password) {
          report(
            msg`${show(p)} contains a user name or password; credentials never belong in the repository. Use a setting (apiKey) instead.`,
            p,
          );
        } else if (u.protocol === "http:" && !isLoopbackHost(u.hostname)) {
          report(
            msg`${show(p)} uses plain http:// for ${u.hostname}; use https://, or http://127.0.0.1 / http://localhost for a test endpoint that replay starts on the runner.`,
            p,
          );
        } else if (u.protocol !== "http:" && u.protocol !== "https:") {
          report(msg`${show(p)} must be an http(s) URL; got ${JSON.stringify(value)}.`, p);
        }
      }
      const u = parseUrl(w.url);
      if (w.start !== undefined && u && !isLoopbackHost(u.hostname)) {
        report(
          msg`${show(`${cp}/webhook/url`)} points at ${u.hostname}, but \`webhook.start\` starts a local endpoint; replay will not send events to what it started. Point the URL at http://127.0.0.1:<port>.`,
          `${cp}/webhook/url`,
          { severity: "warning" },
        );
      }
    }
  },
});
