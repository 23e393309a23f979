// Time, injected: decisions take `now` from the derived state, never from the system clock.
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

const DAY = 24 * 60 * 60 * 1000;
const isWeekend = (d: Date) => d.getUTCDay() === 0 || d.getUTCDay() === 6;

/**
 * `start` plus `days` business days (Monday–Friday, UTC, no holidays). A start on a weekend counts
 * from the following Monday 00:00 UTC. Friday 15:00 + 2 → Tuesday 15:00.
 */
export function addBusinessDays(start: Date, days: number): Date {
  let t = new Date(start.getTime());
  if (isWeekend(t)) {
    t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
    while (isWeekend(t)) t = new Date(t.getTime() + DAY);
  }
  for (let i = 0; i < days; i++) {
    t = new Date(t.getTime() + DAY);
    while (isWeekend(t)) t = new Date(t.getTime() + DAY);
  }
  return t;
}

/** Whole business days from `start` to `end` (the largest n with addBusinessDays(start, n) ≤ end; 0 when end is earlier). */
export function businessDaysBetween(start: Date, end: Date): number {
  if (end <= start) return 0;
  // Skip ahead by whole weeks (5 business days each), then count the rest.
  let n = Math.max(0, Math.floor((end.getTime() - start.getTime()) / (7 * DAY)) - 1) * 5;
  while (addBusinessDays(start, n + 1) <= end) n++;
  return n;
}
