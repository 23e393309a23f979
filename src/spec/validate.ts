// Spec validation of one message: the hot path. A clean message allocates nothing (the shared empty
// result is returned); findings are built only when something is wrong. Only fixed field names are
// read with property access; keys chosen by the sender are looked up in Maps, never in plain objects,
// so `__proto__` / `constructor` keys cannot reach a prototype (they are reported as spec/unsafe-key).
import { msg, type Message, words } from "../core/markdown.js";
import type { Severity } from "../core/diagnostic.js";
import { LIMITS } from "../core/limits.js";
import { CURRENCY_CODES } from "./data/currencies.js";
import {
  CONTEXT_FIELDS,
  GROUP_TRAITS,
  IDENTIFY_TRAITS,
  MESSAGE_TYPES,
  PAGE_PROPERTIES,
  SCREEN_PROPERTIES,
  type SemanticEventData,
  type SpecType,
} from "./data/spec-data.js";
import { analyseEventName } from "./names.js";
import { MAX_EVENT_BYTES, MAX_MESSAGE_ID, SPEC_RULE as R, type SpecRuleId } from "./rules.js";

export interface SpecFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The message as Markdown (Diagnostic.markdown); the sink's JSON leaves it out. */
  markdown?: string;
  /** JSON pointer within the message ("" is the message itself). */
  path: string;
}

/**
 * A finding whose message has a Markdown form, made only if read (a getter on the prototype, and
 * the Message in a private field, so JSON and object spreads carry the plain fields only, as the
 * sink's JSON output wants).
 */
class Finding implements SpecFinding {
  // Assigned in the order plain findings have, so JSON output is the same.
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly path: string;
  readonly #source: Message;
  constructor(ruleId: string, severity: Severity, source: Message, path: string) {
    this.ruleId = ruleId;
    this.severity = severity;
    this.message = source.text;
    this.path = path;
    this.#source = source;
  }
  get markdown(): string {
    return this.#source.markdown;
  }
}

/** Returned for every clean message: frozen and shared, so do not push into it (copy first). */
const NO_FINDINGS: SpecFinding[] = Object.freeze([]) as unknown as SpecFinding[];

/** Findings of the message being validated; allocated on the first finding. */
let out: SpecFinding[] | undefined;

function report(ruleId: SpecRuleId, severity: Severity, message: string | Message, path: string): void {
  (out ??= []).push(
    typeof message === "string" ? { ruleId, severity, message, path } : new Finding(ruleId, severity, message, path),
  );
}

// ---------------------------------------------------------------------------------------------
// Message text helpers (only called when there is something to say).

const MAX_QUOTE = 60;

/** A value as a partner would recognise it, truncated and escaped so that it is safe in any output. */
export function show(value: unknown): string {
  if (typeof value === "string") {
    const cut = value.length > MAX_QUOTE ? value.slice(0, MAX_QUOTE - 1) + "…" : value;
    return JSON.stringify(cut);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "number") return Number.isFinite(value) ? `the number ${value}` : "a non-finite number";
  if (typeof value === "boolean") return `${value}`;
  return `a ${typeof value}`;
}

/** "a string", "a number (42)", … for "but it is …" sentences. */
function kindOf(value: unknown): string {
  if (typeof value === "string") return `the string ${show(value)}`;
  return show(value);
}

/** kindOf, saying why when a date-typed value is a well-formed date that does not exist. */
function kindFor(value: unknown, type: SpecType): string {
  if (type === "date" && typeof value === "string" && isoDate(value) === ISO.noSuchDate)
    return `${kindOf(value)}, which is not a real date or time (${noSuchDate(value)})`;
  return kindOf(value);
}

/** JSON pointer from segments. */
export function pointer(...segments: (string | number)[]): string {
  let p = "";
  for (const s of segments) p += "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1");
  return p;
}

const TYPE_WORDS: Record<SpecType, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  date: "an ISO-8601 date-time string",
  array: "an array",
  object: "an object",
  "string|object": "a string or an object",
};

// ---------------------------------------------------------------------------------------------
// Lookups built once.

const TYPES: ReadonlySet<string> = new Set<string>(MESSAGE_TYPES);

function typeMap(list: [string, SpecType][]): Map<string, SpecType> {
  return new Map(list);
}
const IDENTIFY_TRAIT_TYPES = typeMap(IDENTIFY_TRAITS);
const GROUP_TRAIT_TYPES = typeMap(GROUP_TRAITS);
const PAGE_PROPERTY_TYPES = typeMap(PAGE_PROPERTIES);
const SCREEN_PROPERTY_TYPES = typeMap(SCREEN_PROPERTIES);

/** camelCase reserved trait → its snake_case form (firstName → first_name), for traits that have one. */
function snakePairs(list: [string, SpecType][]): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name] of list) {
    const snake = name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
    if (snake !== name) pairs.push([name, snake]);
  }
  return pairs;
}
const IDENTIFY_SNAKE = snakePairs(IDENTIFY_TRAITS);
const GROUP_SNAKE = snakePairs(GROUP_TRAITS);
function withSnake(map: Map<string, SpecType>, pairs: [string, string][]): Map<string, SpecType> {
  const m = new Map(map);
  for (const [camel, snake] of pairs) m.set(snake, map.get(camel)!);
  return m;
}
const IDENTIFY_ALL = withSnake(IDENTIFY_TRAIT_TYPES, IDENTIFY_SNAKE);
const GROUP_ALL = withSnake(GROUP_TRAIT_TYPES, GROUP_SNAKE);

/** Per semantic event: top-level property types, and item property types of array properties. */
interface EventTypes {
  top: Map<string, SpecType>;
  items: Map<string, Map<string, SpecType>>;
}
const eventTypes = new WeakMap<SemanticEventData, EventTypes>();
function typesOf(e: SemanticEventData): EventTypes {
  let t = eventTypes.get(e);
  if (t) return t;
  t = { top: new Map(), items: new Map() };
  for (const [name, type] of e.properties) {
    const dollar = name.indexOf(".$.");
    if (dollar < 0) t.top.set(name, type);
    else {
      const list = name.slice(0, dollar);
      let m = t.items.get(list);
      if (!m) t.items.set(list, (m = new Map()));
      m.set(name.slice(dollar + 3), type);
    }
  }
  eventTypes.set(e, t);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Small predicates.

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Two digits at i as a number, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** What isoDate found. */
export const ISO = { ok: 0, notIso: 1, noSuchDate: 2, noZone: 3 } as const;

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * ISO-8601 date or date-time: YYYY-MM-DD, optionally followed by T (or a space) hh:mm[:ss[.fff]] and
 * Z or ±hh:mm / ±hhmm / ±hh. Returns ISO.ok (a date, or a date-time with its zone), ISO.noZone (a
 * date-time without Z or offset), ISO.noSuchDate (well formed, but no such day or time: 2020-02-30,
 * 24:30) or ISO.notIso. Hand-written: no regex, no allocation.
 */
export function isoDate(s: string): number {
  const n = s.length;
  if (n < 10) return ISO.notIso;
  for (let i = 0; i < 4; i++) if (!isDigit(s.charCodeAt(i))) return ISO.notIso;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return ISO.notIso;
  const month = two(s, 5);
  const day = two(s, 8);
  if (month < 1 || month > 12 || day < 1 || day > 31) return ISO.notIso;
  let result: number = ISO.ok;
  if (day > DAYS_IN_MONTH[month]!) result = ISO.noSuchDate;
  else if (month === 2 && day === 29) {
    const year = (s.charCodeAt(0) - 48) * 1000 + (s.charCodeAt(1) - 48) * 100 + two(s, 2);
    if (year % 4 !== 0 || (year % 100 === 0 && year % 400 !== 0)) result = ISO.noSuchDate;
  }
  if (n === 10) return result;
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 116 && t !== 32) return ISO.notIso; // T t space
  const hh = two(s, 11);
  if (hh < 0 || hh > 24 || s.charCodeAt(13) !== 58) return ISO.notIso;
  const mm = two(s, 14);
  if (mm < 0 || mm > 59) return ISO.notIso;
  let late = hh === 24 && mm > 0; // 24:00 is midnight at the end of the day; 24:30 is no time
  let i = 16;
  if (s.charCodeAt(i) === 58) {
    const ss = two(s, i + 1);
    if (ss < 0 || ss > 60) return ISO.notIso;
    if (hh === 24 && ss > 0) late = true;
    i += 3;
    if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
      i++;
      const start = i;
      while (i < n && isDigit(s.charCodeAt(i))) i++;
      if (i === start) return ISO.notIso;
    }
  }
  if (late) result = ISO.noSuchDate;
  if (i === n) return result === ISO.ok ? ISO.noZone : result;
  const z = s.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === n) return result; // Z z
  if (z !== 43 && z !== 45) return ISO.notIso; // + -
  const oh = two(s, i + 1);
  if (oh < 0 || oh > 23) return ISO.notIso;
  i += 3;
  if (i === n) return result;
  if (s.charCodeAt(i) === 58) i++;
  const om = two(s, i);
  return om >= 0 && om <= 59 && i + 2 === n ? result : ISO.notIso;
}

/** An ISO-8601 date, or date-time with or without a zone, that exists. */
export function isIsoDate(s: string): boolean {
  const r = isoDate(s);
  return r === ISO.ok || r === ISO.noZone;
}

const MONTHS = [
  "",
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** Why a well-formed date does not exist: "February 2023 has 28 days", or the hour-24 rule. */
function noSuchDate(s: string): string {
  const month = two(s, 5);
  const day = two(s, 8);
  const year = Number(s.slice(0, 4));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month]!;
  if (day > days) return `${MONTHS[month]} ${year} has ${days} days`;
  return "24:00 is the only time with hour 24";
}

/** snake_case: lower-case letters, digits and underscores (also accepted: dots and $ used by nested notations). */
function isSnake(key: string): boolean {
  const n = key.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i);
    if ((c >= 97 && c <= 122) || isDigit(c) || c === 95) continue;
    return false;
  }
  return true;
}

/** Whether `v` fits `type`; "loose" when it is a number where a string is expected (a warning). */
function fits(v: unknown, type: SpecType): "yes" | "no" | "loose" {
  switch (type) {
    case "string":
      return typeof v === "string" ? "yes" : typeof v === "number" ? "loose" : "no";
    case "number":
      return typeof v === "number" && Number.isFinite(v) ? "yes" : "no";
    case "boolean":
      return typeof v === "boolean" ? "yes" : "no";
    case "date":
      return typeof v === "string" && isIsoDate(v) ? "yes" : "no";
    case "array":
      return Array.isArray(v) ? "yes" : "no";
    case "object":
      return isObject(v) ? "yes" : "no";
    case "string|object":
      return typeof v === "string" || isObject(v) ? "yes" : "no";
  }
}

// ---------------------------------------------------------------------------------------------
// Size and depth: one walk that bounds the compact JSON size from above without allocating;
// only when the bound passes the limit is the exact UTF-8 size computed.

let deepPath: (string | number)[] | undefined;
/** Set by boundBytes when an object has a `__proto__`, `constructor` or `prototype` key. */
let unsafeSeen = false;

/** Upper bound of the compact JSON size in bytes (6 per UTF-16 unit covers escapes), or -1 past LIMITS.depth. */
function boundBytes(v: unknown, depth: number): number {
  if (typeof v === "string") return 2 + 6 * v.length;
  if (typeof v !== "object" || v === null) return 24;
  if (depth >= LIMITS.depth) {
    deepPath = [];
    return -1;
  }
  let total = 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const b = boundBytes(v[i], depth + 1);
      if (b < 0) {
        deepPath!.unshift(i);
        return -1;
      }
      total += b + 1;
    }
    return total;
  }
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    if (k === "__proto__" || k === "constructor" || k === "prototype") unsafeSeen = true;
    const b = boundBytes((v as Record<string, unknown>)[k], depth + 1);
    if (b < 0) {
      deepPath!.unshift(k);
      return -1;
    }
    total += 3 + 6 * k.length + b + 1;
  }
  return total;
}

function stringBytes(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) n += c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6;
    else if (c === 34 || c === 92) n += 2;
    else if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 6;
    } else if (c >= 0xdc00 && c <= 0xdfff) n += 6;
    else n += 3;
  }
  return n;
}

/** Exact compact JSON.stringify size in UTF-8 bytes (depth already known to be bounded). */
export function jsonBytes(v: unknown): number {
  if (typeof v === "string") return stringBytes(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v).length : 4;
  if (typeof v === "boolean") return v ? 4 : 5;
  if (v === null) return 4;
  if (typeof v !== "object") return 0;
  if (Array.isArray(v)) {
    let n = 2 + Math.max(0, v.length - 1);
    for (const x of v) n += x === undefined || typeof x === "function" ? 4 : jsonBytes(x);
    return n;
  }
  let n = 2;
  let first = true;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || typeof x === "function") continue;
    n += (first ? 0 : 1) + stringBytes(k) + 1 + jsonBytes(x);
    first = false;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// The checks.

const LIST_CAP = 10;

function checkSizeAndDepth(m: Record<string, unknown>): boolean {
  unsafeSeen = false;
  const bound = boundBytes(m, 0);
  if (bound < 0) {
    const path = pointer(...deepPath!);
    deepPath = undefined;
    report(
      R.tooDeep.id,
      "error",
      `The message nests deeper than ${LIMITS.depth} levels (at ${path.length > 80 ? path.slice(0, 79) + "…" : path}); flatten it — nothing below that depth was checked.`,
      "",
    );
    return false;
  }
  if (bound > MAX_EVENT_BYTES) {
    const bytes = jsonBytes(m);
    if (bytes > MAX_EVENT_BYTES)
      report(
        R.eventTooLarge.id,
        "error",
        `The message is ${bytes.toLocaleString("en-US")} bytes as JSON, over the platform's limit of ${MAX_EVENT_BYTES.toLocaleString("en-US")} bytes (32 KB) per event; send large data by reference (a URL or an id) instead.`,
        "",
      );
  }
  return true;
}

const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * `__proto__`, `constructor` and `prototype` keys anywhere in the message (only walked when boundBytes
 * saw one). JSON.parse made them ordinary own keys and nothing here assigns through them, so they
 * pollute nothing; they are reported because code downstream that copies or merges may not be as careful.
 */
function checkUnsafeKeys(m: Record<string, unknown>): void {
  let count = 0;
  const path: (string | number)[] = [];
  const walk = (v: unknown): void => {
    if (typeof v !== "object" || v === null) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
      return;
    }
    for (const k of Object.keys(v)) {
      path.push(k);
      if (UNSAFE_KEYS.has(k) && ++count <= LIST_CAP) {
        const where =
          path.length > 1
            ? msg`\`${path
                .slice(0, -1)
                .map((s, i) => (typeof s === "number" ? `[${s}]` : (i ? "." : "") + s))
                .join("")}\``
            : "The message";
        report(
          R.unsafeKey.id,
          "warning",
          msg`${where} has the key "${k}", which JavaScript code that copies or merges objects can turn into a change of prototype (prototype pollution); rename it or remove it.`,
          pointer(...path),
        );
      }
      walk((v as Record<string, unknown>)[k]);
      path.pop();
    }
  };
  walk(m);
  if (count > LIST_CAP)
    report(
      R.unsafeKey.id,
      "warning",
      msg`${count - LIST_CAP} more \`__proto__\`, \`constructor\` or \`prototype\` keys (only the first ${LIST_CAP} are listed).`,
      "",
    );
}

/** context / integrations / traits / properties: an object, or absent. Returns the object when usable. */
function objectField(key: string, v: unknown, path: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (isObject(v)) return v;
  if (Array.isArray(v) && v.length === 0) {
    report(
      R.emptyArrayObject.id,
      "warning",
      msg`\`${key}\` is an empty array []; send an empty object {} or leave \`${key}\` out (an empty map serialised as an array is a common PHP quirk).`,
      path,
    );
    return undefined;
  }
  report(
    R.fieldType.id,
    "error",
    msg`\`${key}\` must be an object but it is ${kindOf(v)}; send \`${key}\` as a JSON object.`,
    path,
  );
  return undefined;
}

function stringField(key: string, v: unknown, path: string, numberIsWarning = false): void {
  if (v === undefined || v === null || typeof v === "string") return;
  if (numberIsWarning && typeof v === "number")
    report(
      R.fieldType.id,
      "warning",
      msg`\`${key}\` is the number ${v}; send it as a string ("${v}") so that every destination matches it the same way.`,
      path,
    );
  else report(R.fieldType.id, "error", msg`\`${key}\` must be a string but it is ${kindOf(v)}.`, path);
}

function checkTimestamp(key: string, v: unknown): void {
  if (v === undefined || v === null) return;
  if (typeof v === "string") {
    const r = isoDate(v);
    if (r === ISO.ok) return;
    if (r === ISO.noZone) {
      report(
        R.timestampZone.id,
        "warning",
        msg`\`${key}\` is ${show(v)}, which has no time zone, so it does not say which moment it is; the Spec's timestamps are UTC — add "Z" if it is UTC (${show(v + "Z")}) or its offset, such as "+02:00".`,
        "/" + key,
      );
      return;
    }
    if (r === ISO.noSuchDate) {
      report(
        R.timestampFormat.id,
        "error",
        msg`\`${key}\` is ${show(v)}, which is not a real date or time (${noSuchDate(v)}); send the date-time the event happened, like "2024-05-01T12:00:00.000Z" (UTC).`,
        "/" + key,
      );
      return;
    }
  }
  const lenient = key === "originalTimestamp";
  const what = typeof v === "number" ? `the number ${v} (an epoch?)` : kindOf(v);
  report(
    R.timestampFormat.id,
    lenient ? "warning" : "error",
    msg`\`${key}\` is ${what}, not an ISO-8601 date-time; send it like "2024-05-01T12:00:00.000Z" (UTC).`,
    "/" + key,
  );
}

/** Returns 1 (valid id), 0 (absent), or -1 (present but unusable). */
function checkId(key: string, v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "string") return v.length > 0 ? 1 : 0;
  if (typeof v === "number") {
    report(
      R.identityType.id,
      "warning",
      msg`\`${key}\` is the number ${v}; send ids as strings ("${v}") so that destinations match the same user.`,
      "/" + key,
    );
    return 1;
  }
  report(
    R.identityType.id,
    "error",
    msg`\`${key}\` must be a string but it is ${kindOf(v)}; send the user's id as a string.`,
    "/" + key,
  );
  return -1;
}

function checkTraits(
  traits: Record<string, unknown>,
  types: Map<string, SpecType>,
  pairs: [string, string][],
  base: string,
  call: string,
): void {
  for (const k in traits) {
    if (!Object.hasOwn(traits, k)) continue;
    const type = types.get(k);
    if (type === undefined) continue;
    const v = traits[k];
    if (v === undefined) continue;
    // null is how a trait is removed from a profile: not a wrong type.
    if (v === null) continue;
    const ok = fits(v, type);
    if (ok === "yes") continue;
    if (ok === "loose")
      report(
        R.traitType.id,
        "warning",
        msg`Trait \`${k}\` is the number ${v}; the Spec types it as a string — send "${v}".`,
        base + pointer(k),
      );
    else
      report(
        R.traitType.id,
        "error",
        msg`Trait \`${k}\` is reserved by the Spec for ${call} traits as ${TYPE_WORDS[type]}, but it is ${kindFor(v, type)}; send ${TYPE_WORDS[type]} or use another trait name for this value.`,
        base + pointer(k),
      );
  }
  for (const [camel, snake] of pairs) {
    if (
      traits[camel] !== undefined &&
      traits[snake] !== undefined &&
      Object.hasOwn(traits, camel) &&
      Object.hasOwn(traits, snake)
    )
      report(
        R.traitBothCases.id,
        "error",
        msg`Trait \`${camel}\` is given twice, also as \`${snake}\`; keep only \`${camel}\` (destinations read one and drop the other).`,
        base + pointer(snake),
      );
  }
}

function checkContext(ctx: Record<string, unknown>): void {
  for (const [name, type] of CONTEXT_FIELDS) {
    const v = ctx[name];
    if (v === undefined || v === null || !Object.hasOwn(ctx, name)) continue;
    if (name === "traits") {
      if (isObject(v)) checkTraits(v, IDENTIFY_ALL, IDENTIFY_SNAKE, "/context/traits", "identify");
      else objectField("context.traits", v, "/context/traits");
      continue;
    }
    const ok = fits(v, type);
    if (ok === "yes") continue;
    if (ok === "loose")
      report(
        R.fieldType.id,
        "warning",
        msg`\`context.${name}\` is the number ${v}; the Spec types it as a string — send "${v}".`,
        pointer("context", name),
      );
    else if (type === "object" && Array.isArray(v) && v.length === 0)
      report(
        R.emptyArrayObject.id,
        "warning",
        msg`\`context.${name}\` is an empty array []; send {} or leave it out.`,
        pointer("context", name),
      );
    else
      report(
        R.fieldType.id,
        "error",
        msg`\`context.${name}\` must be ${TYPE_WORDS[type]} but it is ${kindOf(v)}.`,
        pointer("context", name),
      );
  }
}

/** Types of properties the Spec defines (page/screen properties, semantic event properties). */
function checkPropertyTypes(
  props: Record<string, unknown>,
  types: Map<string, SpecType>,
  where: string,
  items?: Map<string, Map<string, SpecType>>,
): void {
  for (const k in props) {
    if (!Object.hasOwn(props, k)) continue;
    const type = types.get(k);
    if (type === undefined) continue;
    const v = props[k];
    if (v === undefined) continue;
    if (k === "revenue" || k === "value" || k === "currency") continue; // own rules
    if (v === null) {
      // A warning: SDKs send null for an optional number; destinations skip it rather than fail.
      if (type === "number")
        report(
          R.propertyType.id,
          "warning",
          msg`Property \`${k}\` is a number (${where}) but here it is null; leave \`${k}\` out when there is no value.`,
          pointer("properties", k),
        );
      continue;
    }
    const ok = fits(v, type);
    if (ok === "loose")
      report(
        R.propertyType.id,
        "warning",
        msg`Property \`${k}\` is the number ${v}; ${where} types it as a string — send "${v}".`,
        pointer("properties", k),
      );
    else if (ok === "no")
      report(
        R.propertyType.id,
        "error",
        msg`Property \`${k}\` must be ${TYPE_WORDS[type]} (${where}) but it is ${kindFor(v, type)}.`,
        pointer("properties", k),
      );
    else if (type === "array" && items) {
      const itemTypes = items.get(k);
      if (itemTypes) checkItems(v as unknown[], k, itemTypes, where);
    }
  }
}

function checkItems(list: unknown[], key: string, types: Map<string, SpecType>, where: string): void {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObject(item)) continue;
    for (const k in item) {
      if (!Object.hasOwn(item, k)) continue;
      const type = types.get(k);
      if (type === undefined) continue;
      const v = item[k];
      if (v === undefined) continue;
      if (v === null) {
        if (type === "number")
          report(
            R.propertyType.id,
            "warning",
            msg`\`${key}[${i}].${k}\` is a number (${where}) but here it is null; leave \`${k}\` out when there is no value.`,
            pointer("properties", key, i, k),
          );
        continue;
      }
      const ok = fits(v, type);
      if (ok === "loose")
        report(
          R.propertyType.id,
          "warning",
          msg`\`${key}[${i}].${k}\` is the number ${v}; ${where} types it as a string — send "${v}".`,
          pointer("properties", key, i, k),
        );
      else if (ok === "no")
        report(
          R.propertyType.id,
          "error",
          msg`\`${key}[${i}].${k}\` must be ${TYPE_WORDS[type]} (${where}) but it is ${kindFor(v, type)}.`,
          pointer("properties", key, i, k),
        );
    }
  }
}

function checkTrackProperties(props: Record<string, unknown>): void {
  for (const key of ["revenue", "value"] as const) {
    const v = props[key];
    if (v === undefined || !Object.hasOwn(props, key)) continue;
    if (typeof v === "number" && Number.isFinite(v)) continue;
    const num =
      typeof v === "string" && /^\s*[$€£]?\s*-?\d+([.,]\d+)?\s*$/.test(v)
        ? v.replace(/[^\d.,-]/g, "").replace(",", ".")
        : "";
    const fix = num
      ? `send ${num} (a number: no quotes, no currency sign)`
      : v === null
        ? msg`send a decimal number such as 25.5, or leave \`${key}\` out when there is none`
        : "send a decimal number such as 25.5";
    // null is a missing value (a warning); a string or another type is a wrong one (an error).
    report(
      R.revenueNumber.id,
      v === null ? "warning" : "error",
      msg`Property \`${key}\` must be a number but it is ${kindOf(v)}; destinations add it up, so ${fix}.`,
      pointer("properties", key),
    );
  }
  const cur = props.currency;
  if (cur !== undefined && cur !== null && Object.hasOwn(props, "currency")) {
    if (typeof cur !== "string")
      report(
        R.currencyCode.id,
        "error",
        msg`Property \`currency\` must be an ISO 4217 code such as "USD" but it is ${kindOf(cur)}.`,
        "/properties/currency",
      );
    else if (!CURRENCY_CODES.has(cur)) {
      const upper = cur.trim().toUpperCase();
      if (CURRENCY_CODES.has(upper))
        report(
          R.currencyCode.id,
          "warning",
          msg`Property \`currency\` is ${show(cur)}; ISO 4217 codes are upper case — send "${upper}".`,
          "/properties/currency",
        );
      else
        report(
          R.currencyCode.id,
          "error",
          msg`Property \`currency\` is ${show(cur)}, not an ISO 4217 currency code; use a three-letter code such as "USD" or "EUR".`,
          "/properties/currency",
        );
    }
  }
}

function checkPropertyCase(props: Record<string, unknown>, exempt: Map<string, SpecType> | undefined): void {
  let count = 0;
  for (const k in props) {
    if (!Object.hasOwn(props, k) || isSnake(k) || exempt?.has(k)) continue;
    count++;
    if (count <= LIST_CAP) {
      const snake = k
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_+|_+$/g, "");
      report(
        R.propertyCase.id,
        "warning",
        `Property ${show(k)} is not snake_case; name it ${snake ? `"${snake}"` : "with lower-case letters, digits and underscores"}.`,
        pointer("properties", k),
      );
    }
  }
  if (count > LIST_CAP)
    report(
      R.propertyCase.id,
      "warning",
      `${count - LIST_CAP} more properties are not snake_case (only the first ${LIST_CAP} are listed).`,
      "/properties",
    );
}

function checkEventName(event: string, props: Record<string, unknown> | undefined): void {
  const v = analyseEventName(event);
  let exempt: Map<string, SpecType> | undefined;
  if (v.kind === "semantic" || v.kind === "near-miss") {
    const t = typesOf(v.event);
    exempt = t.top;
    if (v.kind === "near-miss") {
      const why = v.legacy ? " (it is the Ecommerce v1 name)" : "";
      report(
        R.nearMiss.id,
        "warning",
        `Event name ${show(event)} looks like the Spec's "${v.suggestion}"${why}; rename it "${v.suggestion}" so destinations recognise it.`,
        "/event",
      );
    }
    if (props) checkPropertyTypes(props, t.top, `the Spec's "${v.event.name}" event`, t.items);
  } else if (v.kind === "style") {
    if (v.reason === "case")
      report(
        R.eventNameCase.id,
        "warning",
        `Event name ${show(event)} is not Title Case Object + Action; name it like ${show(v.suggestion)} (words capitalised, separated by single spaces).`,
        "/event",
      );
    else
      report(
        R.eventNameCase.id,
        "warning",
        `Event name ${show(event)} is one word; name events for an object and a past-tense action, like "Report Exported".`,
        "/event",
      );
  }
  if (props) checkPropertyCase(props, exempt);
}

/**
 * Validates one Spec message. Returns every finding (not just the first); the shared empty array when
 * the message is clean.
 */
export function validateMessage(message: unknown): SpecFinding[] {
  out = undefined;
  run(message);
  const found = out;
  out = undefined;
  return found ?? NO_FINDINGS;
}

function run(message: unknown): void {
  if (!isObject(message)) {
    const what = Array.isArray(message)
      ? "an array (put each message in the file's top-level array, not inside another)"
      : kindOf(message);
    report(R.notAnObject.id, "error", `A message must be a JSON object but this is ${what}.`, "");
    return;
  }
  const m = message;
  if (!checkSizeAndDepth(m)) return;
  const type = checkType(m);
  const uid = checkIdentity(m, type);
  checkCommonFields(m);
  checkCall(m, type, uid);
  if (unsafeSeen) {
    unsafeSeen = false;
    checkUnsafeKeys(m);
  }
}

/** The call type (or the legacy `action`) checked; the type the rest is validated as, if any. */
function checkType(m: Record<string, unknown>): string | undefined {
  let type: string | undefined;
  const rawType = m.type;
  const action = m.action;
  const hasAction = action !== undefined && Object.hasOwn(m, "action");
  if (rawType === undefined || rawType === null) {
    if (hasAction) {
      // A legacy payload is flagged for migration, not rejected: it is validated as the call it names.
      const known = typeof action === "string" && TYPES.has(action);
      report(
        R.legacyAction.id,
        known ? "warning" : "error",
        msg`Legacy payload: the message uses \`action\` instead of \`type\`; to migrate, rename \`action\` to \`type\`${known ? ` ("type": "${action}")` : ` and use one of ${MESSAGE_TYPES.join(", ")}`}.`,
        "/action",
      );
      if (known) type = action as string;
    } else
      report(
        R.typeMissing.id,
        "error",
        msg`The message has no \`type\`; add "type" with one of ${MESSAGE_TYPES.join(", ")}.`,
        "",
      );
  } else if (typeof rawType === "string" && TYPES.has(rawType)) {
    type = rawType;
    if (hasAction)
      report(
        R.legacyAction.id,
        "warning",
        msg`The message has both \`type\` and the legacy \`action\`; delete \`action\`.`,
        "/action",
      );
  } else {
    const lower = typeof rawType === "string" ? rawType.trim().toLowerCase() : "";
    const fix = TYPES.has(lower) ? `use "${lower}" (lower case)` : `use one of ${MESSAGE_TYPES.join(", ")}`;
    report(
      R.typeUnknown.id,
      "error",
      msg`\`type\` is ${show(rawType)}, which is not a Spec call type; ${fix}.`,
      "/type",
    );
    if (TYPES.has(lower)) type = lower;
  }

  return type;
}

/** userId / anonymousId (and their legacy and case variants); userId's state as checkId gives it. */
function checkIdentity(m: Record<string, unknown>, type: string | undefined): number {
  const uid = checkId("userId", m.userId);
  const aid = checkId("anonymousId", m.anonymousId);
  const legacyUid = m.user_id !== undefined && m.user_id !== null && Object.hasOwn(m, "user_id");
  if (legacyUid) {
    if (uid > 0)
      report(
        R.legacyUserId.id,
        "warning",
        msg`The message has both \`userId\` and the legacy \`user_id\`; delete \`user_id\`.`,
        "/user_id",
      );
    else
      report(
        R.legacyUserId.id,
        "warning",
        msg`Legacy payload: the message uses \`user_id\`; to migrate, rename it to \`userId\` (current libraries and destinations read \`userId\`).`,
        "/user_id",
      );
  }
  // A Spec key written in another case ("userID", "UserId", "anonymousID"): keys are case-sensitive,
  // so the platform does not see it. Said at that key, with the name that was meant.
  const variant = (name: string): string | undefined =>
    Object.keys(m).find((k) => k !== name && k.toLowerCase() === name.toLowerCase());
  const meant = (name: string, v: string): Message =>
    msg`The message has \`${v}\`, which the platform does not read: keys are case-sensitive. Did you mean \`${name}\`?`;
  if (type === "delete") {
    const v = variant("userId");
    if (uid <= 0 && !legacyUid)
      report(
        R.identityMissing.id,
        "error",
        v && uid === 0
          ? meant("userId", v)
          : msg`A delete message must carry the \`userId\` whose data is to be deleted; add it.`,
        v && uid === 0 ? pointer(v) : "",
      );
  } else if (uid <= 0 && aid <= 0 && !legacyUid) {
    const name =
      uid === 0 && variant("userId") ? "userId" : aid === 0 && variant("anonymousId") ? "anonymousId" : undefined;
    if (name)
      report(
        R.identityMissing.id,
        "error",
        msg`${meant(name, variant(name)!)} Every call needs \`userId\` or \`anonymousId\` (a non-empty string).`,
        pointer(variant(name)!),
      );
    else if (uid === 0 && aid === 0)
      report(
        R.identityMissing.id,
        "error",
        msg`The message has neither \`userId\` nor \`anonymousId\`; every call needs one of them (a non-empty string).`,
        "",
      );
  }
  const midVariant = m.messageId === undefined ? variant("messageId") : undefined;
  if (midVariant)
    report(
      R.fieldType.id,
      "warning",
      msg`${meant("messageId", midVariant)} Without it the platform makes up a messageId, so a retried delivery is not recognised as the same message.`,
      pointer(midVariant),
    );

  return uid;
}

/** The fields common to every call: context, integrations, messageId, the timestamps. */
function checkCommonFields(m: Record<string, unknown>): void {
  const ctx = objectField("context", m.context, "/context");
  objectField("integrations", m.integrations, "/integrations");
  const mid = m.messageId;
  if (mid !== undefined && mid !== null) {
    if (typeof mid !== "string") stringField("messageId", mid, "/messageId");
    else if (mid.length > MAX_MESSAGE_ID)
      report(
        R.messageIdLength.id,
        "error",
        msg`\`messageId\` is ${mid.length} characters long (${show(mid)}); the limit is ${MAX_MESSAGE_ID} — use a UUID.`,
        "/messageId",
      );
  }
  checkTimestamp("timestamp", m.timestamp);
  checkTimestamp("sentAt", m.sentAt);
  checkTimestamp("receivedAt", m.receivedAt);
  checkTimestamp("originalTimestamp", m.originalTimestamp);
  if (ctx) checkContext(ctx);
}

/** What each call type adds: traits, groupId, previousId, event and properties, page and screen names. */
function checkCall(m: Record<string, unknown>, type: string | undefined, uid: number): void {
  switch (type) {
    case "identify": {
      const traits = objectField("traits", m.traits, "/traits");
      if (traits) checkTraits(traits, IDENTIFY_ALL, IDENTIFY_SNAKE, "/traits", "identify");
      break;
    }
    case "group": {
      const gid = m.groupId;
      if (gid === undefined || gid === null || gid === "")
        report(
          R.groupIdMissing.id,
          "error",
          msg`A group call needs a \`groupId\` (the account or organisation's id); add it.`,
          "",
        );
      else stringField("groupId", gid, "/groupId", true);
      const traits = objectField("traits", m.traits, "/traits");
      if (traits) checkTraits(traits, GROUP_ALL, GROUP_SNAKE, "/traits", "group");
      break;
    }
    case "alias": {
      const prev = m.previousId;
      const missing: string[] = [];
      if (uid === 0) missing.push("`userId` (the new id)");
      if (prev === undefined || prev === null || prev === "") missing.push("`previousId` (the id being merged)");
      else stringField("previousId", prev, "/previousId", true);
      if (missing.length)
        report(
          R.aliasIdsMissing.id,
          "error",
          words(`An alias call needs ${missing.join(" and ")}; add ${missing.length > 1 ? "them" : "it"}.`),
          "",
        );
      break;
    }
    case "track": {
      const event = m.event;
      const props = objectField("properties", m.properties, "/properties");
      if (event === undefined || event === null || (typeof event === "string" && event.trim() === ""))
        report(
          R.eventMissing.id,
          "error",
          words('A track call needs an `event` name such as "Report Exported"; add it.'),
          "",
        );
      else if (typeof event !== "string")
        report(R.fieldType.id, "error", msg`\`event\` must be a string but it is ${kindOf(event)}.`, "/event");
      else checkEventName(event, props);
      if (props) checkTrackProperties(props);
      break;
    }
    case "page":
    case "screen": {
      stringField("name", m.name, "/name");
      stringField("category", m.category, "/category");
      const props = objectField("properties", m.properties, "/properties");
      if (props)
        checkPropertyTypes(
          props,
          type === "page" ? PAGE_PROPERTY_TYPES : SCREEN_PROPERTY_TYPES,
          `the Spec's ${type} properties`,
        );
      break;
    }
  }
}
