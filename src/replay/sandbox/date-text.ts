// Date text read as UTC wall time. A worker cannot have a time zone of its own (TZ is read once
// per process), so the sandbox makes local time UTC. Text without a zone is parsed as UTC wall
// time: V8 takes it as local time. Which text names a zone follows V8's own date parser
// (src/date/dateparser-inl.h), so text that does ("… GMT+0900", "… EST", "…Z") keeps its meaning.

const ES5 = /^(?:[+-]\d{6}|\d{4})(?:-\d\d(?:-\d\d)?)?(?:[Tt](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)([Zz]|[+-]\d\d:?\d\d)?)?$/;
const MONTH_PREFIXES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const ZONE_WORDS = ["ut", "utc", "gmt", "z", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt"];
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (ch: string | undefined): boolean => /\s/.test(ch as string);

/** Where V8's legacy parser would read a zone; `cut`: where an unclosed "(" starts (everything after it is ignored). */
function scanZone(s: string): { zone: true } | { zone: false; cut: number } {
  let i = 0;
  let number = false;
  let time = 0; // time components read (4 = complete)
  const skipDash = (): void => {
    if (s[i] === "-") i++;
  };
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      const start = i;
      while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      const n = Number(s.slice(start, i));
      number = true;
      const expecting = (time === 1 && n < 60) || (time === 2 && n < 60) || (time === 3 && n < 1000);
      if (s[i] === ":") {
        i++;
        if (s[i] === ":") {
          i++;
          time += 2;
        } else {
          time++;
          if (s[i] === ".") i++;
        }
      } else if (s[i] === "." && (i++, expecting)) {
        time = 4;
        while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      } else if (expecting) time = 4;
      else skipDash();
    } else if (s[i] === "(") {
      const open = i;
      let depth = 0;
      do {
        if (s[i] === ")") depth--;
        else if (s[i] === "(") depth++;
        i++;
      } while (depth > 0 && i < s.length);
      if (depth > 0) return { zone: false, cut: open };
    } else if (c >= 65 && !isSpace(s[i])) {
      const start = i;
      while (i < s.length && s.charCodeAt(i) >= 65 && !isSpace(s[i])) i++;
      const word = s.slice(start, i).toLowerCase();
      if (number && ZONE_WORDS.includes(word)) return { zone: true };
      if (MONTH_PREFIXES.includes(word.slice(0, 3))) skipDash();
    } else if ((s[i] === "+" || s[i] === "-") && time > 0) return { zone: true };
    else i++;
  }
  return { zone: false, cut: s.length };
}

/**
 * `Date.parse` with local time read as UTC. `RealDate` is the original Date; `localParts` its
 * original local-time getters (the sandbox makes the prototype's getters UTC).
 */
export function parseText(
  s: string,
  RealDate: DateConstructor,
  localParts: (d: Date) => [number, number, number, number, number, number, number],
): number {
  const real = RealDate.parse(s);
  if (Number.isNaN(real)) return real;
  const iso = ES5.exec(s);
  if (iso) return iso[1] && !iso[2] ? RealDate.parse(s + "Z") : real;
  const scan = scanZone(s);
  if (scan.zone) return real;
  // A zone appended after the text (before an unclosed comment) makes V8 read the same wall time as UTC.
  const utc = RealDate.parse(s.slice(0, scan.cut) + " GMT " + s.slice(scan.cut));
  if (!Number.isNaN(utc)) return utc;
  return RealDate.UTC(...localParts(new RealDate(real)));
}
