// Small timing helpers shared by the benches.
import { performance } from "node:perf_hooks";

/** Runs `fn` for about `ms` milliseconds (after a warm-up) and returns operations per second. */
export function opsPerSecond(fn: () => number, ms = 1000): number {
  const warmEnd = performance.now() + ms / 4;
  while (performance.now() < warmEnd) fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    ops += fn();
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Prints a Markdown table. */
export function table(header: string[], rows: (string | number)[][]): void {
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}
