// The clock and the locale. The clock is frozen per event (Date.now() and `new Date()` give the
// event's fixed instant) and local time is UTC (parsing included), so recorded requests never
// depend on when replay runs; the host's locale and time zone never leak into formatting either.
import { parseText } from "./date-text.js";

let clockMs = Date.UTC(2024, 2, 12, 14, 0, 0, 0);

/** The instant `Date.now()` and `new Date()` give until the next event. */
export function setClock(ms: number): void {
  clockMs = ms;
}

type Method = (this: unknown, ...args: any[]) => unknown;
/** Replaces a built-in method as the built-ins are defined: writable, configurable, not enumerable. */
function redefine(target: object, name: string, value: Method): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true });
}

export function installClock(): void {
  const RealDate = Date;
  const P = RealDate.prototype;
  const local = {
    FullYear: P.getFullYear,
    Month: P.getMonth,
    Date: P.getDate,
    Hours: P.getHours,
    Minutes: P.getMinutes,
    Seconds: P.getSeconds,
    Milliseconds: P.getMilliseconds,
  };
  const localParts = (d: Date): [number, number, number, number, number, number, number] => [
    local.FullYear.call(d),
    local.Month.call(d),
    local.Date.call(d),
    local.Hours.call(d),
    local.Minutes.call(d),
    local.Seconds.call(d),
    local.Milliseconds.call(d),
  ];
  const parse = (s: string): number => parseText(s, RealDate, localParts);
  function FakeDate(this: unknown, ...args: unknown[]): unknown {
    if (!new.target) return new RealDate(clockMs).toString();
    if (args.length === 0) args = [clockMs];
    else if (args.length === 1 && typeof args[0] === "string") args = [parse(args[0])];
    else if (args.length >= 2) args = [RealDate.UTC(...(args as [number, number]))];
    return Reflect.construct(RealDate, args, new.target);
  }
  FakeDate.prototype = P;
  // So that "new d.constructor(…)" (date-fns and friends) builds through the fake too.
  Object.defineProperty(P, "constructor", { value: FakeDate, writable: true, configurable: true, enumerable: false });
  FakeDate.now = () => clockMs;
  FakeDate.UTC = RealDate.UTC;
  FakeDate.parse = (s: unknown) => parse(String(s));
  globalThis.Date = FakeDate as unknown as DateConstructor;
  localTimeIsUTC(P, RealDate);
  installLocale(P);
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
const dateString = (d: Date): string =>
  DAYS[d.getUTCDay()] + " " + MONTHS[d.getUTCMonth()] + " " + pad(d.getUTCDate()) + " " + pad(d.getUTCFullYear(), 4);
const timeString = (d: Date): string =>
  pad(d.getUTCHours()) +
  ":" +
  pad(d.getUTCMinutes()) +
  ":" +
  pad(d.getUTCSeconds()) +
  " GMT+0000 (Coordinated Universal Time)";

/** Every local-time getter and setter of Date.prototype made its UTC twin; the text forms say UTC. */
function localTimeIsUTC(P: Date, RealDate: DateConstructor): void {
  const methods = P as unknown as Record<string, Method>;
  for (const part of ["FullYear", "Month", "Date", "Day", "Hours", "Minutes", "Seconds", "Milliseconds"]) {
    const getUTC = methods["getUTC" + part]!;
    redefine(P, "get" + part, function () {
      return getUTC.call(this);
    });
    const setUTC = methods["setUTC" + part];
    if (setUTC)
      redefine(P, "set" + part, function (...a) {
        return setUTC.apply(this, a);
      });
  }
  redefine(P, "getTimezoneOffset", () => 0);
  // Annex B's two-digit-year methods use local time too.
  redefine(P, "getYear", function () {
    return P.getUTCFullYear.call(this as Date) - 1900;
  });
  redefine(P, "setYear", function (year: unknown) {
    const y = Number(year);
    const t = P.getTime.call(this as Date);
    const d = new RealDate(Number.isNaN(t) ? 0 : t);
    P.setUTCFullYear.call(d, Number.isInteger(y) && y >= 0 && y <= 99 ? 1900 + y : y);
    return P.setTime.call(this as Date, P.getTime.call(d));
  });
  const valid = (d: unknown): boolean => !Number.isNaN(P.getTime.call(d as Date));
  redefine(P, "toString", function () {
    return valid(this) ? dateString(this as Date) + " " + timeString(this as Date) : "Invalid Date";
  });
  redefine(P, "toDateString", function () {
    return valid(this) ? dateString(this as Date) : "Invalid Date";
  });
  redefine(P, "toTimeString", function () {
    return valid(this) ? timeString(this as Date) : "Invalid Date";
  });
}

// The host's locale must not leak in either: no locale (or an empty list) means en-US, and no
// time zone (or an undefined one, as from an unset setting) means UTC.
const localeOf = (l: unknown): unknown =>
  l === undefined || l === null || (Array.isArray(l) && l.length === 0) ? "en-US" : l;
const inUTC = (o: { timeZone?: string } | undefined): object => ({ ...o, timeZone: (o && o.timeZone) || "UTC" });

function installLocale(P: Date): void {
  const methods = P as unknown as Record<string, Method>;
  for (const m of ["toLocaleString", "toLocaleDateString", "toLocaleTimeString"]) {
    const orig = methods[m]!;
    redefine(P, m, function (locales, options) {
      return orig.call(this, localeOf(locales), inUTC(options));
    });
  }
  const strings: [object, string][] = [
    [Number.prototype, "toLocaleString"],
    [BigInt.prototype, "toLocaleString"],
    [String.prototype, "localeCompare"],
  ];
  for (const [proto, m] of strings) {
    const orig = (proto as Record<string, Method>)[m]!;
    const value: Method =
      m === "localeCompare"
        ? function (that, locales, options) {
            return orig.call(this, that, localeOf(locales), options);
          }
        : function (locales, options) {
            return orig.call(this, localeOf(locales), options);
          };
    redefine(proto, m, value);
  }
  const intl = Intl as unknown as Record<string, unknown>;
  for (const name of [
    "DateTimeFormat",
    "NumberFormat",
    "Collator",
    "PluralRules",
    "RelativeTimeFormat",
    "ListFormat",
    "Segmenter",
    "DisplayNames",
  ]) {
    const Real = intl[name] as (new (locales: unknown, options: unknown) => object) & { supportedLocalesOf: unknown };
    if (typeof Real !== "function") continue;
    const zoned = name === "DateTimeFormat";
    const Wrapped = function (locales: unknown, options: { timeZone?: string } | undefined) {
      return new Real(localeOf(locales), zoned ? inUTC(options) : options);
    };
    Object.defineProperty(Wrapped, "name", { value: name });
    Wrapped.prototype = Real.prototype;
    Wrapped.supportedLocalesOf = Real.supportedLocalesOf;
    intl[name] = Wrapped;
  }
}
