// The platform policy as data: policy.yml parsed with located findings, the stricter-of rule, the
// warnings a looser ask gets, and the grading of a volume run's raw numbers.
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, type Policy } from "../../src/core/policy.js";
import {
  describeBar,
  describeMeasured,
  effectiveBars,
  looserFlags,
  looserManifestValues,
  looserPolicy,
  volumeShortfalls,
} from "../../src/policy/bars.js";
import { parsePolicy } from "../../src/policy/parse.js";
import { ALL_RULES } from "../../src/checks/rules.js";

describe("parsePolicy", () => {
  it("an empty file, or a section left empty, is the built-in policy", () => {
    expect(parsePolicy("")).toEqual({ policy: DEFAULT_POLICY, ok: true, diagnostics: [] });
    expect(parsePolicy("# nothing overridden\nvolume:\n")).toMatchObject({ policy: DEFAULT_POLICY, ok: true });
  });

  it("overrides only what it names; the rest keeps the defaults", () => {
    const read = parsePolicy(
      "delivery:\n  timeoutMs: 3000\nvolume:\n  events: 20000\n  maxErrorRate: 0.001\ntestSuite:\n  version: 2\n",
    );
    expect(read.ok).toBe(true);
    expect(read.policy).toEqual({
      ...DEFAULT_POLICY,
      delivery: { timeoutMs: 3000 },
      volume: { ...DEFAULT_POLICY.volume, events: 20000, maxErrorRate: 0.001 },
      testSuite: { version: "2" },
    });
    // The defaults object itself is never changed.
    expect(DEFAULT_POLICY.volume.events).toBe(10_000);
  });

  it("an unknown key is an error at its line and column, with the closest known key", () => {
    const read = parsePolicy("volume:\n  event: 20000\nvolumes:\n  events: 1\n", "catalog/policy.yml");
    expect(read.ok).toBe(false);
    expect(read.policy).toBe(DEFAULT_POLICY);
    expect(read.diagnostics).toEqual([
      expect.objectContaining({
        ruleId: "policy/unknown-key",
        severity: "error",
        file: "catalog/policy.yml",
        line: 2,
        column: 3,
        message: expect.stringContaining("Did you mean `events`?"),
      }),
      expect.objectContaining({
        ruleId: "policy/unknown-key",
        line: 3,
        column: 1,
        message: expect.stringContaining("Did you mean `volume`?"),
      }),
    ]);
  });

  it("a value out of range or of the wrong kind is an error at the value, naming the range", () => {
    const read = parsePolicy(
      "delivery:\n  timeoutMs: 600001\nvolume:\n  concurrency: 2.5\n  maxErrorRate: 2\n  minEventsPerSecond: fast\n",
    );
    expect(read.diagnostics.map((d) => [d.ruleId, d.line, d.column])).toEqual([
      ["policy/value", 2, 14],
      ["policy/value", 4, 16],
      ["policy/value", 5, 17],
      ["policy/value", 6, 23],
    ]);
    expect(read.diagnostics[0]!.message).toBe(
      "policy.yml: `delivery.timeoutMs` (how long replay waits for each answer, in milliseconds) must be from 100 to 600,000, not 600,001.",
    );
    expect(read.diagnostics[1]!.message).toContain("whole number");
    expect(read.diagnostics[3]!.message).toContain('not "fast"');
  });

  it("broken YAML, a tag, an alias or a file that is not a mapping is an error, never a crash", () => {
    expect(parsePolicy("volume:\n\tevents: 1\n").diagnostics[0]).toMatchObject({ ruleId: "policy/yaml", line: 2 });
    expect(parsePolicy("volume: !!js/function >-\n  function () {}\n").ok).toBe(false);
    expect(parsePolicy("- a\n- b\n").diagnostics[0]).toMatchObject({ ruleId: "policy/yaml", line: 1, column: 1 });
    expect(parsePolicy("volume: 5\n").diagnostics[0]).toMatchObject({ ruleId: "policy/value", line: 1, column: 9 });
    expect(parsePolicy("x: &a 1\nvolume:\n  events: *a\n").ok).toBe(false);
    expect(parsePolicy("volume:\n  __proto__: 1\n").diagnostics[0]).toMatchObject({
      ruleId: "policy/unknown-key",
      line: 2,
    });
    expect(parsePolicy("a: 1\n".repeat(20_000)).diagnostics[0]).toMatchObject({ ruleId: "policy/yaml" });
  });

  it("every rule it reports is in the rule reference", () => {
    const ids = new Set(ALL_RULES.map((r) => r.id));
    for (const id of ["policy/yaml", "policy/unknown-key", "policy/value", "policy/looser-value"])
      expect(ids.has(id), id).toBe(true);
  });
});

describe("the stricter of the platform's and the partner's values applies", () => {
  it("a longer timeout or a smaller volume bar is not used; a stricter one is", () => {
    // The issue's false greens: timeoutMs 600000, and a 1-event bar at 0.5 events/s.
    const loose = effectiveBars(
      DEFAULT_POLICY,
      { webhook: { timeoutMs: 600_000 }, volume: { events: 1, concurrency: 1, minEventsPerSecond: 0.5 } },
      { timeoutMs: 600_000 },
    );
    expect(loose).toEqual({ timeoutMs: 5_000, volume: { ...DEFAULT_POLICY.volume, concurrency: 1 } });
    const strict = effectiveBars(
      DEFAULT_POLICY,
      { webhook: { timeoutMs: 2_000 }, volume: { events: 50_000, minEventsPerSecond: 500 } },
      { timeoutMs: 1_000, concurrency: 50 },
    );
    expect(strict).toEqual({
      timeoutMs: 1_000,
      volume: { ...DEFAULT_POLICY.volume, events: 50_000, minEventsPerSecond: 500 },
    });
  });

  it("a looser manifest value is a warning naming the platform value that applies", () => {
    const found = looserManifestValues(DEFAULT_POLICY, {
      webhook: { timeoutMs: 600_000 },
      volume: { events: 1, concurrency: 100, minEventsPerSecond: 0.5 },
    });
    expect(found.map((f) => f.pointer)).toEqual([
      "/webhook/timeoutMs",
      "/volume/events",
      "/volume/concurrency",
      "/volume/minEventsPerSecond",
    ]);
    expect(found[0]!.message.text).toContain("replay waits 5,000 ms (the platform's value)");
    expect(found[1]!.message.text).toContain("replay sends 10,000 events");
    // The setting is a code span in the Markdown form, the number in it as written.
    expect(found[0]!.message.markdown).toMatch(/^`webhook\.timeoutMs: 600000` is longer/);
    expect(
      looserManifestValues(DEFAULT_POLICY, {
        webhook: { timeoutMs: 1000 },
        volume: { events: 10_000, concurrency: 5, minEventsPerSecond: 200 },
      }),
    ).toEqual([]);
    expect(looserFlags(DEFAULT_POLICY, { timeoutMs: 600_000 })).toEqual([
      expect.stringMatching(
        /^--timeout 600000 is longer than the platform's delivery timeout, so replay waits 5,000 ms/,
      ),
    ]);
  });

  it("a run made under a looser policy is told apart, field by field", () => {
    const loose: Policy = {
      ...DEFAULT_POLICY,
      delivery: { timeoutMs: 600_000 },
      volume: { ...DEFAULT_POLICY.volume, events: 1, maxP95Ms: 60_000 },
    };
    expect(looserPolicy(loose, DEFAULT_POLICY)).toEqual([
      { area: "delivery", text: "a 600,000 ms delivery timeout (the platform's is 5,000 ms)" },
      { area: "volume", text: "a volume floor of 1 event (the platform's is 10,000)" },
      { area: "volume", text: "p95 ≤ 60,000 ms (the platform's is 1,000 ms)" },
    ]);
    expect(looserPolicy(DEFAULT_POLICY, loose)).toEqual([]);
  });
});

describe("grading a volume run's raw numbers", () => {
  const bar = DEFAULT_POLICY.volume;
  it("quotes the numbers and the bar", () => {
    const good = { events: 10_000, eventsPerSecond: 312, p95Ms: 180, errorRate: 0, concurrency: 20 };
    expect(volumeShortfalls(good, bar)).toEqual([]);
    expect(`${describeMeasured(good)}; the platform needs ${describeBar(bar)}`).toBe(
      "10,000 events at 312 events/s, p95 180 ms, no red answers; the platform needs 10,000 events at up to 20 in flight, 100 events/s, p95 ≤ 1,000 ms, no red answers",
    );
  });

  it("each shortfall says its number and the platform's", () => {
    // 0.9 s a request, one in flight, one event: the second false green of the issue.
    expect(
      volumeShortfalls({ events: 1, eventsPerSecond: 1.1, p95Ms: 900, errorRate: 0, concurrency: 1 }, bar),
    ).toEqual(["1 event measured, fewer than the 10,000 the platform asks for", "1 events/s is below 100 events/s"]);
    expect(
      volumeShortfalls({ events: 10_000, eventsPerSecond: 150, p95Ms: 1_800, errorRate: 0.0001, concurrency: 50 }, bar),
    ).toEqual([
      "50 deliveries in flight, more than the platform's 20",
      "p95 1,800 ms is above 1,000 ms",
      "0.01% of 10,000 answers were red (the platform allows none)",
    ]);
  });
});
