// Links to the partner's own site, and the UTM parameters the program asks them to carry.
export const UTM_PARAMS = [
  ["utm_source", "segmentio"],
  ["utm_medium", "docs"],
  ["utm_campaign", "partners"],
] as const;

export const UTM_QUERY = UTM_PARAMS.map(([k, v]) => `${k}=${v}`).join("&");

/** The partner's host from `app.website`, without `www.`; undefined when the website is not an http(s) URL. */
export function partnerHost(website: unknown): string | undefined {
  if (typeof website !== "string") return undefined;
  const url = parseHttpUrl(website.trim());
  return url ? stripWww(url.hostname) : undefined;
}

function stripWww(host: string): string {
  return host
    .toLowerCase()
    .replace(/^www\./, "")
    .replace(/\.$/, "");
}

function parseHttpUrl(s: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return undefined;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
}

/**
 * True when `href` points at the partner's site: the same host (with or without `www.`), a
 * subdomain of it, or a parent domain of it with at least two labels (app.acme.example → acme.example).
 */
export function isPartnerLink(href: string, host: string): boolean {
  const url = parseHttpUrl(href);
  if (!url) return false;
  const h = stripWww(url.hostname);
  if (h === host || h.endsWith("." + host)) return true;
  return h.includes(".") && host.endsWith("." + h);
}

/** What is wrong with a link's UTM parameters (empty when nothing), and the corrected URL. */
export function checkUtm(href: string): { problems: string[]; fixed: string } {
  const url = new URL(href);
  const problems: string[] = [];
  for (const [key, want] of UTM_PARAMS) {
    const got = url.searchParams.getAll(key);
    if (got.length === 0) problems.push(`${key}=${want} is missing`);
    else if (got.length > 1 || got[0] !== want) problems.push(`${key} is "${got.join('", "')}" instead of "${want}"`);
  }
  if (problems.length === 0) return { problems, fixed: href };
  // Rebuilt by hand so that the rest of the URL stays exactly as written.
  const hashAt = href.indexOf("#");
  const hash = hashAt === -1 ? "" : href.slice(hashAt);
  const beforeHash = hashAt === -1 ? href : href.slice(0, hashAt);
  const queryAt = beforeHash.indexOf("?");
  const base = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const keys = new Set<string>(UTM_PARAMS.map(([k]) => k));
  const kept = (queryAt === -1 ? "" : beforeHash.slice(queryAt + 1))
    .split("&")
    .filter((pair) => pair !== "" && !keys.has(pair.split("=")[0]!));
  const path = url.pathname === "/" && !/^[a-z]+:\/\/[^/?#]*\//i.test(base) ? base + "/" : base;
  return { problems, fixed: `${path}?${[...kept, UTM_QUERY].join("&")}${hash}` };
}
