// Event names: the Spec's semantic events, their near misses, and the Title Case Object + Action style.
// Near misses are found through one normalised lookup table built at load time (case- and
// separator-insensitive, Action-Object order swaps, present-tense forms, Ecommerce v1 names and a
// small synonyms table) — never a fuzzy scan per event. Verdicts are cached per distinct name.
import { SEMANTIC_EVENTS, type SemanticEventData } from "./data/spec-data.js";

export type NameVerdict =
  /** Exactly a current semantic event of the Spec. */
  | { kind: "semantic"; event: SemanticEventData }
  /** Close to a semantic event: use `suggestion` instead (`legacy`: the name is from Ecommerce v1). */
  | { kind: "near-miss"; suggestion: string; legacy: boolean; event: SemanticEventData }
  /** A custom name in Title Case Object + Action. */
  | { kind: "ok" }
  /** A custom name that is not Title Case Object + Action; `suggestion` is the name rewritten. */
  | { kind: "style"; suggestion: string; reason: "case" | "one-word" };

/** Ecommerce v1 names whose v2 name is not simply the words swapped. */
const V1_RENAMES: Record<string, string> = {
  "Viewed Product Category": "Product List Viewed",
  "Completed Order": "Order Completed",
};

/** Names people use for a Spec concept (normalised form → Spec name). Keep it small and unambiguous. */
const SYNONYMS: Record<string, string> = {
  purchase: "Order Completed",
  purchased: "Order Completed",
  "purchase completed": "Order Completed",
  "purchase made": "Order Completed",
  "completed purchase": "Order Completed",
  buy: "Order Completed",
  bought: "Order Completed",
  "order placed": "Order Completed",
  "placed order": "Order Completed",
  "checkout completed": "Order Completed",
  "transaction completed": "Order Completed",
  install: "Application Installed",
  installed: "Application Installed",
  "first open": "Application Installed",
  uninstall: "Application Uninstalled",
  uninstalled: "Application Uninstalled",
  launch: "Application Opened",
  "app launched": "Application Opened",
  "application launched": "Application Opened",
  crash: "Application Crashed",
  signup: "Signed Up",
  "sign up": "Signed Up",
  "user signed up": "Signed Up",
  login: "Signed In",
  "log in": "Signed In",
  "logged in": "Signed In",
  "sign in": "Signed In",
  "user logged in": "Signed In",
  "user signed in": "Signed In",
  logout: "Signed Out",
  "log out": "Signed Out",
  "logged out": "Signed Out",
  "sign out": "Signed Out",
  "user logged out": "Signed Out",
  "user signed out": "Signed Out",
  "add to cart": "Product Added",
  "added to cart": "Product Added",
  "product added to cart": "Product Added",
  "remove from cart": "Product Removed",
  "removed from cart": "Product Removed",
  search: "Products Searched",
  searched: "Products Searched",
  refund: "Order Refunded",
  refunded: "Order Refunded",
  unsubscribe: "Unsubscribed",
};

/** Irregular past tenses used by the Spec's names → present forms people write. */
const IRREGULAR: Record<string, string[]> = { sent: ["send"], "sign up": [] };

const SMALL_WORDS = new Set([
  "a",
  "an",
  "and",
  "as",
  "at",
  "by",
  "for",
  "from",
  "in",
  "of",
  "on",
  "or",
  "the",
  "to",
  "with",
  "via",
  "vs",
]);

/** Splits a name into lower-case words: separators, camelCase humps and digit runs; "app" reads as "application". */
export function words(name: string, canonical = true): string[] {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase();
  const out: string[] = [];
  for (const w of spaced.split(/[^\p{L}\p{N}]+/u)) if (w) out.push(canonical && w === "app" ? "application" : w);
  return out;
}

export function normaliseName(name: string): string {
  return words(name).join(" ");
}

/** Present-tense forms of a past-tense word: completed → complete, viewed → view, shipped → ship, applied → apply. */
function presentForms(word: string): string[] {
  const irregular = IRREGULAR[word];
  if (irregular) return irregular;
  if (word.endsWith("ied")) return [word.slice(0, -3) + "y"];
  if (!word.endsWith("ed")) return [];
  const forms = [word.slice(0, -1), word.slice(0, -2)];
  const stem = word.slice(0, -2);
  if (stem.length > 2 && stem[stem.length - 1] === stem[stem.length - 2]) forms.push(stem.slice(0, -1));
  return forms;
}

interface Entry {
  event: SemanticEventData;
  legacy: boolean;
}

function buildLookup(): { exact: Map<string, SemanticEventData>; near: Map<string, Entry> } {
  const exact = new Map<string, SemanticEventData>();
  const current = new Map<string, SemanticEventData>();
  for (const e of SEMANTIC_EVENTS) if (!e.legacy && !current.has(e.name)) current.set(e.name, e);
  for (const e of current.values()) exact.set(e.name, e);

  const near = new Map<string, Entry>();
  const add = (key: string, entry: Entry) => {
    if (key && !near.has(key)) near.set(key, entry);
  };
  // 1. The names themselves, normalised (case, separators, camelCase).
  for (const e of current.values()) add(normaliseName(e.name), { event: e, legacy: false });
  // 2. Ecommerce v1 names, and their mapping to v2.
  for (const e of SEMANTIC_EVENTS) {
    if (!e.legacy) continue;
    const target = V1_RENAMES[e.name] ?? e.name.split(" ").slice(1).concat(e.name.split(" ")[0]!).join(" ");
    const v2 = current.get(target) ?? current.get(e.name);
    if (v2 && e.name !== v2.name) add(normaliseName(e.name), { event: v2, legacy: true });
  }
  for (const [v1, v2] of Object.entries(V1_RENAMES)) {
    const e = current.get(v2);
    if (e) add(normaliseName(v1), { event: e, legacy: true });
  }
  // 3. Action first ("Completed Order"), and present tense in either order ("Order Complete", "Complete Order").
  for (const e of current.values()) {
    const w = words(e.name);
    if (w.length < 2) {
      for (const p of presentForms(w[0] ?? "")) add(p, { event: e, legacy: false });
      continue;
    }
    const action = w[w.length - 1]!;
    const object = w.slice(0, -1);
    add([action, ...object].join(" "), { event: e, legacy: false });
    for (const p of presentForms(action)) {
      add([...object, p].join(" "), { event: e, legacy: false });
      add([p, ...object].join(" "), { event: e, legacy: false });
    }
  }
  // 4. Synonyms.
  for (const [syn, name] of Object.entries(SYNONYMS)) {
    const e = current.get(name);
    if (e) add(normaliseName(syn), { event: e, legacy: false });
  }
  return { exact, near };
}

const LOOKUP = buildLookup();

/** The Spec name that `name` should be, or undefined when it is not a near miss of a semantic event. */
export function suggestEventName(name: string): string | undefined {
  const v = analyseEventName(name);
  return v.kind === "near-miss" ? v.suggestion : undefined;
}

/** The semantic event `name` is exactly, if any. */
export function semanticEvent(name: string): SemanticEventData | undefined {
  return LOOKUP.exact.get(name);
}

/** Rewrites a name in Title Case with single spaces ("user_signed_up" → "User Signed Up"). */
export function titleCase(name: string): string {
  return words(name, false)
    .map((w, i) => (i > 0 && SMALL_WORDS.has(w) ? w : w[0]!.toUpperCase() + w.slice(1)))
    .join(" ");
}

/** True when `name` is words separated by single spaces, each capitalised (small words may stay lower case). */
function isTitleCase(name: string): boolean {
  let wordStart = true;
  let wordIndex = 0;
  let start = 0;
  for (let i = 0; i <= name.length; i++) {
    const c = i < name.length ? name.charCodeAt(i) : 32;
    if (c === 32) {
      if (wordStart) return false; // leading, trailing or double space
      if (wordIndex > 0) {
        const first = name.charCodeAt(start);
        if (first >= 97 && first <= 122 && !SMALL_WORDS.has(name.slice(start, i))) return false;
      }
      wordIndex++;
      wordStart = true;
      continue;
    }
    if (c === 95 || c === 45 || c === 46 || c === 47 || c === 58) return false; // _ - . / :
    if (wordStart) {
      start = i;
      wordStart = false;
      // First word: must start with an upper-case letter or a digit.
      if (wordIndex === 0 && !((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c > 127)) return false;
    }
  }
  return true;
}

const cache = new Map<string, NameVerdict>();
const CACHE_MAX = 10_000;

export function analyseEventName(name: string): NameVerdict {
  let v = cache.get(name);
  if (v) return v;
  v = computeVerdict(name);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(name, v);
  return v;
}

function computeVerdict(name: string): NameVerdict {
  const exact = LOOKUP.exact.get(name);
  if (exact) return { kind: "semantic", event: exact };
  const key = normaliseName(name);
  const near = LOOKUP.near.get(key);
  if (near && near.event.name !== name)
    return { kind: "near-miss", suggestion: near.event.name, legacy: near.legacy, event: near.event };
  if (!isTitleCase(name)) return { kind: "style", suggestion: titleCase(name), reason: "case" };
  if (name.indexOf(" ") < 0) return { kind: "style", suggestion: name, reason: "one-word" };
  return { kind: "ok" };
}
