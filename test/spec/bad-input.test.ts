// Hostile and broken input: each gets a clear diagnostic, never a crash or a hang.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/core/limits.js";
import { MemorySource } from "../../src/core/source-memory.js";
import { validateEventText } from "../../src/spec/event-file.js";
import { loadFixtures } from "../../src/spec/fixtures.js";
import { jsonBytes, validateMessage } from "../../src/spec/validate.js";

const ok = { type: "track", userId: "u-1", event: "Report Exported" };

describe("prototype keys", () => {
  it("__proto__, constructor and prototype keys are warned about, and neither pollute nor confuse", () => {
    const text =
      '{"type": "identify", "userId": "u", "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "traits": {"__proto__": {"email": 5}, "constructor": 1, "toString": "x", "hasOwnProperty": 2}, "context": {"__proto__": {"ip": 1}}}';
    const r = validateEventText(text, "a.json");
    // One warning per key, at the key's value; nothing else (the traits and context under
    // __proto__ are not read as reserved traits or context fields).
    expect(r.diagnostics.map((d) => [d.ruleId, d.severity, d.path])).toEqual([
      ["spec/unsafe-key", "warning", "/__proto__"],
      ["spec/unsafe-key", "warning", "/constructor"],
      ["spec/unsafe-key", "warning", "/constructor/prototype"],
      ["spec/unsafe-key", "warning", "/traits/__proto__"],
      ["spec/unsafe-key", "warning", "/traits/constructor"],
      ["spec/unsafe-key", "warning", "/context/__proto__"],
    ]);
    const proto = r.diagnostics[3]!;
    expect(proto.message).toBe(
      '`traits` has the key "__proto__", which JavaScript code that copies or merges objects can turn into a change of prototype (prototype pollution); rename it or remove it.',
    );
    expect(text.slice(proto.column! - 1)).toMatch(/^\{"email": 5\}/);
    expect(r.diagnostics[0]!.message).toMatch(/^The message has the key "__proto__"/);
    // Parsed as ordinary own keys: no prototype was changed, here or globally.
    const m = r.messages[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(m)).toContain("__proto__");
    expect(Object.getPrototypeOf(m.traits)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.prototype).not.toHaveProperty("email");
  });

  it("caps the unsafe-key list", () => {
    const properties = Object.fromEntries(
      Array.from({ length: 15 }, (_, i) => [`p${i}`, JSON.parse('{"__proto__": 1}')]),
    );
    const f = validateMessage({ ...ok, properties }).filter((x) => x.ruleId === "spec/unsafe-key");
    expect(f.length).toBe(11);
    expect(f[10]!.message).toMatch(/^5 more `__proto__`/);
  });

  it("property and event names that are Object.prototype members are ordinary names", () => {
    for (const event of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const f = validateMessage({ ...ok, event, properties: { constructor: 1, __proto__x: 2, toString: 3 } });
      expect(
        f.every(
          (x) =>
            x.ruleId === "spec/event-name-case" || x.ruleId === "spec/property-case" || x.ruleId === "spec/unsafe-key",
        ),
      ).toBe(true);
      // Only the `constructor` key is unsafe; an event *name* is a value, not a key.
      expect(f.filter((x) => x.ruleId === "spec/unsafe-key").map((x) => x.path)).toEqual(["/properties/constructor"]);
    }
  });

  it("wrapper keys named __proto__ are reported, not followed", async () => {
    const text =
      '{"message": {"type": "track", "userId": "u", "event": "Report Exported"}, "__proto__": {"expect": "fail"}}';
    const r = await loadFixtures(new MemorySource("t", { "f/a.json": text }), "f");
    expect(r.diagnostics).toMatchObject([{ ruleId: "spec/fixture-wrapper", path: "/__proto__" }]);
    expect(r.fixtures[0]!.expect).toBe("pass");
  });
});

describe("deep nesting", () => {
  it("10,000-deep nesting is capped with a diagnostic", () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const text = `{"type": "track", "userId": "u", "event": "Report Exported", "properties": {"deep": ${deep}}}`;
    const r = validateEventText(text, "a.json");
    expect(r.diagnostics).toMatchObject([{ ruleId: "spec/too-deep", severity: "error", line: 1, column: 1 }]);
    expect(r.diagnostics[0]!.message).toContain(`${LIMITS.depth} levels`);
  });

  it("10,000-deep objects in NDJSON and invalid deep JSON do not overflow", () => {
    const deep = '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000);
    const r = validateEventText(`${deep}\n${JSON.stringify(ok)}\n`, "a.ndjson");
    expect(r.diagnostics.map((d) => d.ruleId)).toEqual(["spec/too-deep"]);
    const broken = "[".repeat(10_000) + "}";
    expect(validateEventText(broken, "b.json").diagnostics).toMatchObject([{ ruleId: "spec/json-syntax" }]);
  });
});

describe("size", () => {
  it("measures UTF-8 bytes exactly as JSON.stringify would", () => {
    for (const v of [ok, { s: 'é\u0001"\\😀\ud800x', n: [1.5, -0, 1e21, null, true], o: {} }, "x".repeat(40_000)])
      expect(jsonBytes(v)).toBe(Buffer.byteLength(JSON.stringify(v)));
  });

  it("flags an event over 32 KB but not one just under", () => {
    const pad = (n: number) => ({ ...ok, properties: { blob: "x".repeat(n) } });
    const base = Buffer.byteLength(JSON.stringify(pad(0)));
    expect(validateMessage(pad(32 * 1024 - base))).toEqual([]);
    expect(validateMessage(pad(32 * 1024 - base + 1))).toMatchObject([{ ruleId: "spec/event-too-large" }]);
  });

  it("truncates huge values in messages", () => {
    const f = validateMessage({ ...ok, event: "purchase_" + "x".repeat(1_000_000) });
    expect(f[0]!.message.length).toBeLessThan(300);
    const g = validateMessage({ ...ok, type: "t".repeat(100_000) });
    expect(g[0]!.message.length).toBeLessThan(300);
  });
});

describe("files", () => {
  it("refuses binary and invalid UTF-8 files", async () => {
    const source = new MemorySource(
      "t",
      new Map([
        ["f/binary.json", { type: "file", size: 4, bytes: new Uint8Array([0x7b, 0, 0x7d, 0]) }],
        ["f/latin1.json", { type: "file", size: 3, bytes: new Uint8Array([0x22, 0xe9, 0x22]) }],
      ]),
    );
    const r = await loadFixtures(source, "f");
    expect(r.diagnostics.map((d) => [d.file, d.ruleId])).toEqual([
      ["f/binary.json", "file/binary"],
      ["f/latin1.json", "file/invalid-utf8"],
    ]);
    expect(r.diagnostics[0]!.message).toMatch(/binary/);
    expect(r.diagnostics[1]!.message).toMatch(/UTF-8/);
  });

  it("refuses a 10 MB file without reading it", async () => {
    const source = new MemorySource("t", new Map([["f/huge.json", { type: "file", size: 10 * 1024 * 1024 }]]));
    const r = await loadFixtures(source, "f");
    expect(r.diagnostics).toMatchObject([{ ruleId: "file/too-large", file: "f/huge.json" }]);
    expect(r.diagnostics[0]!.message).toMatch(/limit/);
  });

  it("reports a missing folder and a symlink out of the repository", async () => {
    const missing = await loadFixtures(new MemorySource("t", {}), "nope");
    expect(missing.diagnostics).toMatchObject([{ ruleId: "file/missing", file: "nope" }]);
    const link = await loadFixtures(
      new MemorySource("t", new Map([["f/a.json", { type: "symlink", target: "../../etc/passwd" }]])),
      "f",
    );
    expect(link.diagnostics).toMatchObject([{ ruleId: "file/symlink-out" }]);
  });

  it("caps the events read from one file", () => {
    const line = JSON.stringify(ok) + "\n";
    const r = validateEventText(line.repeat(LIMITS.eventsPerFile + 5), "a.ndjson");
    expect(r.events).toBe(LIMITS.eventsPerFile);
    expect(r.diagnostics).toMatchObject([{ ruleId: "spec/too-many-events" }]);
  });

  it("caps the files read from one folder", async () => {
    const entries: Record<string, string> = {};
    for (let i = 0; i < LIMITS.filesPerFolder + 2; i++)
      entries[`f/${String(i).padStart(5, "0")}.json`] = JSON.stringify(ok);
    const r = await loadFixtures(new MemorySource("t", entries), "f");
    expect(r.files).toBe(LIMITS.filesPerFolder);
    expect(r.diagnostics).toMatchObject([{ ruleId: "spec/too-many-files", severity: "warning" }]);
  });

  it("non-object messages of every kind", () => {
    for (const v of [null, 1, "x", true, [], [ok]])
      expect(validateMessage(v)).toMatchObject([{ ruleId: "spec/not-an-object", path: "" }]);
  });
});

describe("files with a huge number of findings", () => {
  it("130,000 repeated keys in one message: ten findings and one that counts the rest, no crash", async () => {
    const { parseEventFile } = await import("../../src/spec/event-file.js");
    const keys = Array.from({ length: 130_000 }, () => '"a":1').join(",");
    const text = `{"type":"track","event":"Thing Done","userId":"u","properties":{${keys}}}`;
    const parsed = parseEventFile(text, "events/dup.json");
    const dups = parsed.diagnostics.filter((d) => d.ruleId === "spec/duplicate-key");
    expect(dups).toHaveLength(11);
    expect(dups[10]!.message).toMatch(
      /^129989 more keys are given more than once in this message \(the next at line 1, column \d+\); remove the repeats\.$/,
    );
  });

  it("100,000 NDJSON messages with a finding each go through validate-events without a stack overflow", async () => {
    const { validateEventPaths } = await import("../../src/cli/commands/validate-events.js");
    const dir = mkdtempSync(join(tmpdir(), "devcenter-many-"));
    try {
      writeFileSync(join(dir, "many.ndjson"), "{}\n".repeat(100_000));
      const result = await validateEventPaths(["many.ndjson"], dir);
      expect(result.diagnostics.length).toBeGreaterThanOrEqual(100_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("a duplicate inside an object that is itself given twice", () => {
  it("says neither value is used, instead of naming an undefined one", async () => {
    const { parseEventFile } = await import("../../src/spec/event-file.js");
    const text =
      '{"type":"track","event":"A Done","userId":"u","messageId":"1","properties":{"a":1,"a":2},"properties":{"b":1}}';
    const messages = parseEventFile(text, "events/x.json")
      .diagnostics.filter((d) => d.ruleId === "spec/duplicate-key")
      .map((d) => d.message);
    expect(messages).toHaveLength(2);
    expect(messages.join("\n")).not.toContain("undefined");
    expect(messages.find((m) => m.startsWith("`properties.a`"))).toContain(
      "neither is used (the object holding them is itself given again later, and that later one wins)",
    );
  });
});

describe("red replay cases", () => {
  it("a volume run that never ran is not counted on top of the red case that says why", async () => {
    const { redCases } = await import("../../src/report.js");
    const setup = {
      name: "Start the server",
      type: "setup",
      group: "setup",
      status: "fail" as const,
      durationMs: 0,
      message: "exited with code 1",
    };
    const notRun = { events: 0, eventsPerSecond: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, errorRate: 0, passed: false };
    expect(
      redCases({ replay: { summary: { pass: 0, unsupported: 0, fail: 1 }, cases: [setup], volume: notRun } }),
    ).toBe(1);
    // Below the bar with no red case of its own: counted once.
    expect(
      redCases({
        replay: {
          summary: { pass: 3, unsupported: 0, fail: 0 },
          cases: [],
          volume: { ...notRun, events: 100, eventsPerSecond: 20 },
        },
      }),
    ).toBe(1);
  });
});
