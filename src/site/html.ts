// HTML that is escaped by default: every value interpolated into `html\`…\`` is escaped unless it
// is itself the result of `html` (or `trusted()`, used only for markdown-it's output, which escapes
// partner text itself). Partner text can therefore add no markup, script or style to a page.
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | boolean | undefined | null | readonly Value[];

function render(value: Value): string {
  if (value === undefined || value === null || value === false) return "";
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup produced by code that escaped its own input (markdown-it with html: false). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** A URL a partner wrote, usable in href only when it is http(s) or mailto; otherwise undefined. */
export function safeUrl(url: unknown): string | undefined {
  if (typeof url !== "string" || url.length > 2000) return undefined;
  const u = url.trim();
  return /^(https?:\/\/[^\s<>"']+|mailto:[^\s<>"':/]+@[^\s<>"']+)$/i.test(u) ? u : undefined;
}
