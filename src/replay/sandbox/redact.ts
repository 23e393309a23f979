// Secrets never reach a recorded request. Header names: anything that looks like a credential.
// Body fields and query parameters: only names that clearly hold one (so an "idempotency_key" or
// "dedupe_key" stays visible). Every secret value is redacted wherever it appears, in every form a
// handler is likely to send it.

const SECRET_NAME = /authorization|cookie|key|token|secret|password|passwd|signature|credential|session/i;
const SECRET_FIELD =
  /api[_-]?key|access[_-]?key|private[_-]?key|secret|token|password|passwd|authorization|credential/i;
// Whatever the header is called, the credential of "Basic …" or "Bearer …" is not recorded.
const CREDENTIAL = /^(\s*(?:basic|bearer)\s+)\S[\s\S]*$/i;

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
const toB64url = (t: string): string => t.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function urlForms(text: string): string[] {
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

/**
 * A secret leaks just as well encoded: URL-encoded (encodeURIComponent, form and URL
 * serialisation), base64 and base64url of the value, of "value:" and ":value" (Basic credentials),
 * and the part of the base64 text that depends only on the value wherever it sits in a longer
 * encoded string (values of 8 characters or more).
 */
function secretForms(value: string): string[] {
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

/** Redaction for one set of secrets (the settings replay knows to be sensitive). */
export class Redactor {
  /** Longest forms first, so a form that contains another is redacted whole. */
  private readonly redactions: { form: string; label: string }[] = [];

  constructor(secrets: readonly { key: string; value: string }[]) {
    for (const s of secrets) {
      if (!s.value) continue;
      for (const form of new Set(secretForms(String(s.value))))
        if (form.length >= 4) this.redactions.push({ form, label: "[REDACTED:" + s.key + "]" });
    }
    this.redactions.sort((a, b) => b.form.length - a.form.length);
  }

  scrub(text: string): string {
    if (typeof text !== "string") return text;
    for (const r of this.redactions) if (text.includes(r.form)) text = text.split(r.form).join(r.label);
    return text;
  }

  header(name: string, value: string): string {
    if (SECRET_NAME.test(name)) return "[REDACTED]";
    return this.scrub(value).replace(CREDENTIAL, "$1[REDACTED]");
  }

  json(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.json(v));
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      const o = value as Record<string, unknown>;
      for (const k of Object.keys(o))
        out[k] = SECRET_FIELD.test(k) && o[k] !== null && typeof o[k] !== "object" ? "[REDACTED]" : this.json(o[k]);
      return out;
    }
    return typeof value === "string" ? this.scrub(value) : value;
  }

  url(href: string): string {
    try {
      const u = new URL(href);
      // The query is redacted as text: re-serialising it through searchParams would re-encode every
      // other parameter (a "+" turning into a space), so a secret in it would no longer match.
      if (u.search) u.search = u.search.slice(1).split("&").map(redactParameter).join("&");
      if (u.password) u.password = "REDACTED";
      if (u.username) {
        let user = u.username;
        try {
          user = decodeURIComponent(user);
        } catch {}
        if (this.scrub(user) !== user) u.username = "REDACTED";
      }
      return this.scrub(u.href);
    } catch {
      return this.scrub(href);
    }
  }
}

function redactParameter(part: string): string {
  const name = part.split("=")[0]!;
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, " "));
  } catch {}
  return SECRET_FIELD.test(decoded) ? name + "=REDACTED" : part;
}
