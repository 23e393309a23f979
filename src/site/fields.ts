// Typed reads of untrusted JSON: a field of the wrong type is absent, text is clipped.
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function text(v: unknown, max = 500): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  if (!t) return undefined;
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

export function list(v: unknown, max = 1000): unknown[] {
  return Array.isArray(v) ? v.slice(0, max) : [];
}

export function texts(v: unknown, max = 50): string[] {
  return list(v, max)
    .map((x) => text(x, 100))
    .filter((x): x is string => x !== undefined);
}
