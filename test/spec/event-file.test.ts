import { describe, expect, it } from "vitest";
import { parseEventFile, validateEventText } from "../../src/spec/event-file.js";
import { validateMessage } from "../../src/spec/validate.js";

const ok = (event = "Report Exported") => ({ type: "track", userId: "u-1", event });

describe("file formats", () => {
  it("reads a single message", () => {
    const r = validateEventText(JSON.stringify(ok()), "a.json");
    expect(r).toEqual({ events: 1, messages: [ok()], diagnostics: [] });
  });

  it("reads an array of messages, with the index of each", () => {
    const text = JSON.stringify([ok(), { type: "track", userId: "u" }, ok()], null, 2);
    const r = validateEventText(text, "a.json");
    expect(r.events).toBe(3);
    expect(r.diagnostics.map((d) => [d.ruleId, d.index])).toEqual([["spec/event-missing", 1]]);
  });

  it("reads NDJSON, by content or by extension, skipping blank lines", () => {
    const text = [ok(), ok("Purchase"), ok()].map((m) => JSON.stringify(m)).join("\n\n") + "\n";
    for (const file of ["a.json", "a.ndjson", "a.jsonl"]) {
      const r = validateEventText(text, file);
      expect(r.events).toBe(3);
      expect(r.diagnostics).toMatchObject([{ ruleId: "spec/semantic-event-near-miss", index: 1, line: 3, path: "/event" }]);
    }
    // A one-line NDJSON file is a single message.
    expect(parseEventFile(JSON.stringify(ok()), "a.ndjson").format).toBe("ndjson");
  });

  it("reports a bad NDJSON line and keeps the others", () => {
    const text = `${JSON.stringify(ok())}\n{"type": "track",}\n${JSON.stringify(ok())}\n`;
    const r = validateEventText(text, "a.ndjson");
    expect(r.events).toBe(2);
    expect(r.diagnostics).toMatchObject([{ ruleId: "spec/json-syntax", line: 2, column: 18 }]);
  });

  it("warns about an empty file", () => {
    expect(validateEventText("  \n", "a.json").diagnostics).toMatchObject([{ ruleId: "spec/empty-file", severity: "warning" }]);
  });

  it("ignores a byte order mark", () => {
    expect(validateEventText("\uFEFF" + JSON.stringify(ok()), "a.json").diagnostics).toEqual([]);
  });
});

describe("line and column", () => {
  it("points at the offending value in a pretty-printed array", () => {
    const text = [
      "[",
      '  {"type": "track", "userId": "u", "event": "Report Exported"},',
      "  {",
      '    "type": "track",',
      '    "userId": "u",',
      '    "event": "Report Exported",',
      '    "properties": {"nested": {"a": 1}, "revenue": "25"}',
      "  }",
      "]",
    ].join("\n");
    const [d] = validateEventText(text, "a.json").diagnostics;
    expect(d).toMatchObject({ ruleId: "spec/revenue-number", index: 1, path: "/properties/revenue", line: 7, column: 51 });
    expect(text.split("\n")[6]!.slice(50, 54)).toBe('"25"');
  });

  it("points at the message for a missing field, and at array items by index", () => {
    const text = '[\n  {"type": "group", "userId": "u"},\n  {"type": "track", "userId": "u", "event": "Order Completed", "properties": {"products": [{"price": 1}, {"price": "x"}]}}\n]';
    const ds = validateEventText(text, "a.json").diagnostics;
    expect(ds[0]).toMatchObject({ ruleId: "spec/group-id-missing", index: 0, path: "", line: 2, column: 3 });
    expect(ds[1]).toMatchObject({ ruleId: "spec/property-type", index: 1, path: "/properties/products/1/price", line: 3 });
    expect(text.split("\n")[2]!.slice(ds[1]!.column! - 1)).toMatch(/^"x"/);
  });

  it("handles keys with / and ~ in pointers", () => {
    const text = '{"type": "track", "userId": "u", "event": "Report Exported", "properties": {"a/b~c": 1}}';
    const [d] = validateEventText(text, "a.json").diagnostics;
    expect(d).toMatchObject({ ruleId: "spec/property-case", path: "/properties/a~1b~0c", line: 1, column: text.indexOf(": 1}") + 3 });
  });

  it("gives syntax errors a line and column", () => {
    const text = '{\n  "type": "track",\n  "userId": \'u\'\n}';
    expect(validateEventText(text, "a.json").diagnostics).toMatchObject([{ ruleId: "spec/json-syntax", line: 3, column: 13 }]);
    const trailing = '[\n  {"type": "track"},\n]';
    expect(validateEventText(trailing, "a.json").diagnostics).toMatchObject([{ ruleId: "spec/json-syntax", line: 3, column: 1 }]);
  });
});

describe("validateMessage", () => {
  it("returns the shared empty result for a clean message", () => {
    const a = validateMessage(ok());
    expect(a).toEqual([]);
    expect(validateMessage(ok("Account Created"))).toBe(a);
  });

  it("reports every problem, not just the first", () => {
    const f = validateMessage({ type: "track", event: "Purchase", messageId: "x".repeat(101), timestamp: "yesterday", properties: { revenue: "1", currency: "dollars" } });
    expect(f.map((x) => x.ruleId).sort()).toEqual(
      ["spec/currency-code", "spec/identity-missing", "spec/message-id-length", "spec/revenue-number", "spec/semantic-event-near-miss", "spec/timestamp-format"].sort(),
    );
  });

  it("says what is wrong and what to do, naming the value", () => {
    const [f] = validateMessage(ok("Purchase"));
    expect(f!.message).toBe(`Event name "Purchase" looks like the Spec's "Order Completed"; rename it "Order Completed" so destinations recognise it.`);
  });

  it("warns on numeric ids and lower-case currency, errors on object ids", () => {
    expect(validateMessage({ type: "page", userId: 42 })).toMatchObject([{ ruleId: "spec/identity-type", severity: "warning" }]);
    expect(validateMessage({ ...ok("Order Completed"), properties: { currency: "usd" } })).toMatchObject([{ ruleId: "spec/currency-code", severity: "warning" }]);
    expect(validateMessage({ type: "page", anonymousId: ["a"] })).toMatchObject([{ ruleId: "spec/identity-type", severity: "error" }]);
  });

  it("flags legacy payloads with how to migrate, validating them as the call they name", () => {
    const legacy = validateMessage({ action: "identify", user_id: "u" });
    expect(legacy.map((f) => [f.ruleId, f.severity])).toEqual([
      ["spec/legacy-action", "warning"],
      ["spec/legacy-user-id", "warning"],
    ]);
    expect(legacy[0]!.message).toContain('rename `action` to `type` ("type": "identify")');
    expect(legacy[1]!.message).toContain("rename it to `userId`");
    // Validated as a track: the missing event name is still an error.
    expect(validateMessage({ action: "track", user_id: "u" }).map((f) => f.ruleId)).toContain("spec/event-missing");
    expect(validateMessage({ action: "launch", userId: "u" }).map((f) => [f.ruleId, f.severity])).toContainEqual(["spec/legacy-action", "error"]);
    expect(validateMessage({ ...ok(), action: "track", user_id: "u" }).map((f) => [f.ruleId, f.severity])).toEqual([
      ["spec/legacy-action", "warning"],
      ["spec/legacy-user-id", "warning"],
    ]);
  });

  it("accepts ISO-8601 variants and refuses others", () => {
    for (const t of ["2024-05-01", "2024-05-01T12:00Z", "2024-05-01T12:00:00+02:00", "2024-05-01T12:00:00.123456-0500", "2024-05-01 12:00:00Z"])
      expect(validateMessage({ ...ok(), timestamp: t }), t).toEqual([]);
    for (const t of ["2024-5-1", "2024-05-01T25:00:00Z", "May 1, 2024", "2024-05-01T12:00:00ZZ", ""])
      expect(validateMessage({ ...ok(), timestamp: t })[0]?.ruleId, t).toBe("spec/timestamp-format");
  });

  it("does not flag the Spec's own camelCase property names on semantic events", () => {
    expect(validateMessage({ ...ok("Message Sent"), properties: { conversationId: "c", messageId: "m" } })).toEqual([]);
  });

  it("caps repeated property-case warnings", () => {
    const properties = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`prop${i}X`, i]));
    const f = validateMessage({ ...ok(), properties });
    expect(f.length).toBe(11);
    expect(f[10]!.message).toMatch(/^40 more properties/);
  });
});
