// Rules on the App as a whole: its slug, Enable with Segment (OAuth), its customers.
import { msg } from "../../core/markdown.js";
import { manifestRule, parseUrl, show } from "./context.js";

/** Lowercase letters and digits in groups joined by single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const slugFormat = manifestRule({
  id: "manifest/slug-format",
  severity: "error",
  title: "The App slug is lowercase letters, digits and single hyphens",
  description:
    "`app.slug` identifies the App: it names its OAuth scope (`destination/<slug>`) and `context.integration.name` on stream events, and it is frozen once the App enters Public Beta. Use lowercase letters and digits joined by single hyphens, such as `acme-analytics`.",
  check({ manifest: m, report }) {
    if (SLUG_PATTERN.test(m.app.slug)) return;
    const suggestion = m.app.slug
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
    report(
      msg`\`app.slug\` must be lowercase letters and digits joined by single hyphens; got ${JSON.stringify(m.app.slug)}.${suggestion && SLUG_PATTERN.test(suggestion) ? ` Try "${suggestion}".` : ""}`,
      "/app/slug",
    );
  },
});

export const oauthScope = manifestRule({
  id: "manifest/oauth-scope",
  severity: "error",
  title: "The OAuth scope is `destination/<slug>`",
  description:
    "Enable with Segment grants the narrowest scope: a destination asks for its own `destination/<slug>` scope, with the App's slug.",
  check({ manifest: m, report }) {
    if (!m.oauth) return;
    const want = `destination/${m.app.slug}`;
    if (m.oauth.scope !== want) {
      report(
        msg`\`oauth.scope\` must be "${want}" (your App's own destination scope); got ${JSON.stringify(m.oauth.scope)}.`,
        "/oauth/scope",
      );
    }
  },
});

export const oauthRedirectUri = manifestRule({
  id: "manifest/oauth-redirect-uri",
  severity: "error",
  title: "OAuth redirect URIs are HTTPS without a fragment",
  description:
    "Authorization codes are sent to the redirect URIs, so each must be an https:// URL without a `#fragment`. The schema also limits the list to 5 distinct URIs.",
  check({ manifest: m, report }) {
    m.oauth?.redirectUris.forEach((uri, j) => {
      const u = parseUrl(uri);
      const p = `/oauth/redirectUris/${j}`;
      if (u?.protocol !== "https:") {
        report(
          msg`${show(p)} must be an https:// URL; got ${JSON.stringify(uri)}. Authorization codes must never travel over plain HTTP.`,
          p,
        );
      } else if (u.hash) {
        report(msg`${show(p)} must not contain a #fragment; OAuth redirect URIs cannot have one.`, p);
      }
    });
  },
});

export const customersUnique = manifestRule({
  id: "manifest/customers-unique",
  severity: "error",
  title: "Each customer workspace is listed once",
  description:
    "Public requires at least 3 distinct customer workspaces; a workspace listed twice (case-insensitively) counts once and is reported.",
  check({ manifest: m, report }) {
    const firstAt = new Map<string, number>();
    m.customers?.forEach((c, j) => {
      const k = c.workspace.toLowerCase();
      const first = firstAt.get(k);
      if (first === undefined) firstAt.set(k, j);
      else
        report(
          msg`\`customers[${j}]\` repeats the workspace "${c.workspace}" (already \`customers[${first}]\`); each customer counts once.`,
          `/customers/${j}/workspace`,
        );
    });
  },
});
