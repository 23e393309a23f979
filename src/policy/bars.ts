// The bars a run must meet: the platform policy, made stricter (never looser) by what the partner
// asks for in the manifest or on the command line; what a looser ask is told; and the grading of a
// volume run's raw numbers against a bar, with the numbers quoted. Pure: the CLI, the Action, the
// checklist and the App all grade through here.
import type { Policy } from "../core/policy.js";
import { type Message, msg } from "../core/markdown.js";
import { plural } from "../core/text.js";

export type VolumeBar = Policy["volume"];

export interface Bars {
  /** The per-delivery (webhook) and per-event (function) deadline. */
  timeoutMs: number;
  volume: VolumeBar;
}

/** What the partner's manifest says for one subscription component (the fields that set bars). */
export interface ComponentAsk {
  webhook?: { timeoutMs?: number };
  volume?: { events?: number; concurrency?: number; minEventsPerSecond?: number };
}

/** What a front door's options ask for, and how that front door names them in a message. */
export interface FlagAsk {
  timeoutMs?: number;
  events?: number;
  concurrency?: number;
  /** How the front door writes each ask; default the CLI's flags (`--timeout 600000`). */
  names?: { timeoutMs: (v: number) => string; events: (v: number) => string; concurrency: (v: number) => string };
}

const CLI_NAMES = {
  timeoutMs: (v: number) => `--timeout ${v}`,
  events: (v: number) => `--volume ${v}`,
  concurrency: (v: number) => `--concurrency ${v}`,
};

const lowest = (...v: (number | undefined)[]): number => Math.min(...v.filter((x): x is number => x !== undefined));
const highest = (...v: (number | undefined)[]): number => Math.max(...v.filter((x): x is number => x !== undefined));

/** The stricter of the platform's and the partner's values: shorter timeout, more events, fewer in flight, higher throughput. */
export function effectiveBars(policy: Policy, component?: ComponentAsk, flags: FlagAsk = {}): Bars {
  const v = component?.volume;
  return {
    timeoutMs: lowest(policy.delivery.timeoutMs, component?.webhook?.timeoutMs, flags.timeoutMs),
    volume: {
      events: highest(policy.volume.events, v?.events, flags.events),
      concurrency: lowest(policy.volume.concurrency, v?.concurrency, flags.concurrency),
      minEventsPerSecond: highest(policy.volume.minEventsPerSecond, v?.minEventsPerSecond),
      maxP95Ms: policy.volume.maxP95Ms,
      maxErrorRate: policy.volume.maxErrorRate,
    },
  };
}

/** The strictest bars over several components (the checklist grades the report's one volume result). */
export function strictestBars(policy: Policy, components: readonly ComponentAsk[]): Bars {
  const all = components.length ? components.map((c) => effectiveBars(policy, c)) : [effectiveBars(policy)];
  return all.reduce((a, b) => ({
    timeoutMs: Math.min(a.timeoutMs, b.timeoutMs),
    volume: {
      events: Math.max(a.volume.events, b.volume.events),
      concurrency: Math.min(a.volume.concurrency, b.volume.concurrency),
      minEventsPerSecond: Math.max(a.volume.minEventsPerSecond, b.volume.minEventsPerSecond),
      maxP95Ms: Math.min(a.volume.maxP95Ms, b.volume.maxP95Ms),
      maxErrorRate: Math.min(a.volume.maxErrorRate, b.volume.maxErrorRate),
    },
  }));
}

export interface LooserAsk {
  /** JSON pointer below the component (`/webhook/timeoutMs`, `/volume/events`), for a manifest value. */
  pointer?: string;
  message: Message;
}

/** A manifest component's values that are looser than the platform's: each says which value applies instead. */
export function looserManifestValues(policy: Policy, component: ComponentAsk): LooserAsk[] {
  const out: LooserAsk[] = [];
  const t = component.webhook?.timeoutMs;
  if (t !== undefined && t > policy.delivery.timeoutMs) {
    out.push({
      pointer: "/webhook/timeoutMs",
      message: msg`\`webhook.timeoutMs: ${t}\` is longer than the platform's delivery timeout, so replay waits ${ms(policy.delivery.timeoutMs)} (the platform's value). A manifest may ask for a shorter timeout, never a longer one: lower it or remove it.`,
    });
  }
  const v = component.volume;
  if (v?.events !== undefined && v.events < policy.volume.events) {
    out.push({
      pointer: "/volume/events",
      message: msg`\`volume.events: ${v.events}\` is below the platform's volume floor, so replay sends ${num(policy.volume.events)} events (the platform's value). A manifest may raise the bar, never lower it: raise it or remove it.`,
    });
  }
  if (v?.concurrency !== undefined && v.concurrency > policy.volume.concurrency) {
    out.push({
      pointer: "/volume/concurrency",
      message: msg`\`volume.concurrency: ${v.concurrency}\` is more than the platform delivers at once, so replay keeps ${num(policy.volume.concurrency)} in flight (the platform's value): lower it or remove it.`,
    });
  }
  if (v?.minEventsPerSecond !== undefined && v.minEventsPerSecond < policy.volume.minEventsPerSecond) {
    out.push({
      pointer: "/volume/minEventsPerSecond",
      message: msg`\`volume.minEventsPerSecond: ${v.minEventsPerSecond}\` is below the platform's bar, so the volume run must reach ${num(policy.volume.minEventsPerSecond)} events/s (the platform's value). A manifest may raise the bar, never lower it: raise it or remove it.`,
    });
  }
  return out;
}

/** A front door's options that are looser than the platform's (a timeout longer, fewer events, more in flight). */
export function looserFlags(policy: Policy, flags: FlagAsk): string[] {
  const names = flags.names ?? CLI_NAMES;
  const out: string[] = [];
  if (flags.timeoutMs !== undefined && flags.timeoutMs > policy.delivery.timeoutMs) {
    out.push(
      `${names.timeoutMs(flags.timeoutMs)} is longer than the platform's delivery timeout, so replay waits ${ms(policy.delivery.timeoutMs)} (the platform's value); a shorter timeout may be asked for, never a longer one.`,
    );
  }
  if (flags.events !== undefined && flags.events < policy.volume.events) {
    out.push(
      `${names.events(flags.events)} is below the platform's volume floor, so replay sends ${num(policy.volume.events)} events (the platform's value); more may be asked for, never fewer.`,
    );
  }
  if (flags.concurrency !== undefined && flags.concurrency > policy.volume.concurrency) {
    out.push(
      `${names.concurrency(flags.concurrency)} is more than the platform delivers at once, so replay keeps ${num(policy.volume.concurrency)} in flight (the platform's value).`,
    );
  }
  return out;
}

export interface PolicyGap {
  /** Which gate the gap undermines: every replayed case (delivery, Test Suite) or the volume run. */
  area: "delivery" | "volume";
  text: string;
}

/** Where `used` (the policy a run was made under) is looser than `required`, one phrase each. */
export function looserPolicy(used: Policy, required: Policy): PolicyGap[] {
  const out: PolicyGap[] = [];
  const u = used.volume;
  const r = required.volume;
  const gap = (area: PolicyGap["area"], text: string) => out.push({ area, text });
  if (used.delivery.timeoutMs > required.delivery.timeoutMs)
    gap(
      "delivery",
      `a ${ms(used.delivery.timeoutMs)} delivery timeout (the platform's is ${ms(required.delivery.timeoutMs)})`,
    );
  if (used.testSuite.version !== required.testSuite.version)
    gap("delivery", `Test Suite version ${used.testSuite.version} (the platform's is ${required.testSuite.version})`);
  if (u.events < r.events) gap("volume", `a volume floor of ${events(u.events)} (the platform's is ${num(r.events)})`);
  if (u.concurrency > r.concurrency)
    gap("volume", `${num(u.concurrency)} deliveries in flight (the platform allows ${num(r.concurrency)})`);
  if (u.minEventsPerSecond < r.minEventsPerSecond)
    gap("volume", `a bar of ${num(u.minEventsPerSecond)} events/s (the platform's is ${num(r.minEventsPerSecond)})`);
  if (u.maxP95Ms > r.maxP95Ms) gap("volume", `p95 ≤ ${ms(u.maxP95Ms)} (the platform's is ${ms(r.maxP95Ms)})`);
  if (u.maxErrorRate > r.maxErrorRate)
    gap(
      "volume",
      `${percent(u.maxErrorRate)} red answers allowed (the platform allows ${r.maxErrorRate > 0 ? percent(r.maxErrorRate) : "none"})`,
    );
  return out;
}

/** The raw numbers of a volume run, as graded. `concurrency` is absent in runs from older versions. */
export interface VolumeNumbers {
  events: number;
  eventsPerSecond: number;
  p95Ms: number;
  errorRate: number;
  concurrency?: number;
}

/** What misses the bar, each with its number and the bar's; empty when the run meets it. */
export function volumeShortfalls(v: VolumeNumbers, bar: VolumeBar): string[] {
  const out: string[] = [];
  if (v.events < bar.events)
    out.push(`${events(v.events)} measured, fewer than the ${num(bar.events)} the platform asks for`);
  if (v.concurrency !== undefined && v.concurrency > bar.concurrency)
    out.push(`${num(v.concurrency)} deliveries in flight, more than the platform's ${num(bar.concurrency)}`);
  if (v.eventsPerSecond < bar.minEventsPerSecond)
    out.push(`${num(Math.round(v.eventsPerSecond))} events/s is below ${num(bar.minEventsPerSecond)} events/s`);
  if (v.p95Ms > bar.maxP95Ms) out.push(`p95 ${ms(v.p95Ms)} is above ${ms(bar.maxP95Ms)}`);
  if (v.errorRate > bar.maxErrorRate)
    out.push(`${percent(v.errorRate)} of ${num(v.events)} answers were red (${errorsAllowed(bar.maxErrorRate)})`);
  return out;
}

/** "10,000 events at 312 events/s, p95 180 ms, no red answers". */
export function describeMeasured(v: VolumeNumbers): string {
  const red = v.errorRate > 0 ? `${percent(v.errorRate)} red answers` : "no red answers";
  return `${events(v.events)} at ${num(Math.round(v.eventsPerSecond))} events/s, p95 ${ms(v.p95Ms)}, ${red}`;
}

/** "10,000 events at up to 20 in flight, 100 events/s, p95 ≤ 1,000 ms, no red answers". */
export function describeBar(bar: VolumeBar): string {
  return `${num(bar.events)} events at up to ${num(bar.concurrency)} in flight, ${num(bar.minEventsPerSecond)} events/s, p95 ≤ ${ms(bar.maxP95Ms)}, ${bar.maxErrorRate > 0 ? `at most ${percent(bar.maxErrorRate)} red answers` : "no red answers"}`;
}

/** "5,000 ms", "10,000": numbers as the checklist quotes them. */
export const num = (n: number): string => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
export const ms = (n: number): string => `${num(Math.round(n * 100) / 100)} ms`;
const events = (n: number): string => plural(n, "event");
const percent = (r: number): string => `${num(Math.round(r * 10_000) / 100)}%`;
const errorsAllowed = (r: number): string => (r > 0 ? `at most ${percent(r)} allowed` : "the platform allows none");
