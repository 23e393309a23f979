// Review time of a synthetic integration (the webhook example with N generated fixture events,
// replay off) for N = 1,000 and 10,000 in the same run: the ratio shows whether review is linear.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalSource } from "../src/replay/source-local.js";
import { review } from "../src/review.js";
import { fmt, table, timeAsync } from "./measure.js";

const PER_FILE = 10;

function event(i: number): Record<string, unknown> {
  const kinds = [
    {
      type: "track",
      event: "Order Completed",
      properties: {
        order_id: `o-${i}`,
        revenue: 25.5,
        currency: "USD",
        products: [{ product_id: `p-${i}`, price: 25.5, quantity: 1 }],
      },
    },
    {
      type: "identify",
      traits: { email: `user${i}@example.com`, firstName: "Ada", plan: "pro", createdAt: "2026-01-01T00:00:00.000Z" },
    },
    {
      type: "page",
      name: "Pricing",
      properties: { path: "/pricing", url: "https://acme.example/pricing", title: "Pricing" },
    },
    { type: "track", event: "Report Exported", properties: { report_format: "csv", row_count: i } },
    { type: "group", groupId: `g-${i % 50}`, traits: { name: "Initech", employees: 120 } },
  ];
  return {
    ...kinds[i % kinds.length],
    userId: `user-${i}`,
    messageId: `bench-${i}`,
    timestamp: "2026-01-15T10:00:00.000Z",
    context: { library: { name: "analytics-node", version: "3.1.0" }, ip: "203.0.113.7" },
  };
}

function synthetic(events: number): string {
  const dir = mkdtempSync(join(tmpdir(), "devcenter-bench-review-"));
  cpSync("examples/webhook", dir, { recursive: true });
  const fixtures = join(dir, "test/events");
  rmSync(fixtures, { recursive: true });
  mkdirSync(fixtures);
  for (let f = 0; f < events / PER_FILE; f++) {
    const batch = Array.from({ length: PER_FILE }, (_, k) => event(f * PER_FILE + k));
    writeFileSync(join(fixtures, `events-${String(f).padStart(5, "0")}.json`), JSON.stringify(batch, null, 2));
  }
  return dir;
}

async function medianMs(dir: string, runs: number): Promise<{ ms: number; errors: number; events: number }> {
  const times: number[] = [];
  let last = { errors: 0, events: 0 };
  for (let i = 0; i < runs; i++) {
    const { ms, value } = await timeAsync(() => review(new LocalSource(dir)));
    times.push(ms);
    last = { errors: value.summary.errors, events: value.events.events };
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, ...last };
}

export default async function (): Promise<void> {
  const small = synthetic(1_000);
  const large = synthetic(10_000);
  try {
    await medianMs(small, 2); // warm-up: module loading and JIT
    const a = await medianMs(small, 7);
    const b = await medianMs(large, 5);
    table(
      ["fixture events", "files", "review (median)", "events/s", "errors"],
      [
        [fmt(a.events), fmt(a.events / PER_FILE), `${fmt(a.ms, 1)} ms`, fmt((a.events * 1000) / a.ms), a.errors],
        [fmt(b.events), fmt(b.events / PER_FILE), `${fmt(b.ms, 1)} ms`, fmt((b.events * 1000) / b.ms), b.errors],
      ],
    );
    console.log(`\n10× the events took ${fmt(b.ms / a.ms, 2)}× the time (linear = 10×; goal: linear).`);
  } finally {
    rmSync(small, { recursive: true, force: true });
    rmSync(large, { recursive: true, force: true });
  }
}
