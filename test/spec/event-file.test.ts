import { describe, expect, it } from "vitest";
import { parseEventFile, validateEventText } from "../../src/spec/event-file.js";
import { fixturesFromText } from "../../src/spec/fixtures.js";
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
      expect(r.diagnostics).toMatchObject([
        { ruleId: "spec/semantic-event-near-miss", index: 1, line: 3, path: "/event" },
      ]);
    }
    // A one-line NDJSON file is a single message.
    expect(parseEventFile(JSON.stringify(ok()), "a.ndjson").format).toBe("ndjson");
  });

  it("reports a bad NDJSON line and keeps the others", () => {
    const text = `${JSON.stringify(ok())}\n{"type": "track",}\n${JSON.stringify(ok())}\n`;
    const r = validateEventText(text, "a.ndjson");
    expect(r.events).toBe(2);
    expect(r.diagnostics).toMatchObject([{ ruleId: "spec/json-syntax", index: 1, line: 2, column: 18 }]);
  });

  it("gives a bad NDJSON line its index, and the messages after it keep theirs", () => {
    const text = [
      JSON.stringify(ok()),
      "",
      "{not json",
      JSON.stringify(ok("Purchase")),
      "[1,",
      JSON.stringify({ type: "track", userId: "u" }),
    ].join("\n");
    const r = validateEventText(text, "a.ndjson");
    expect(r.events).toBe(3);
    expect(
      r.diagnostics.map((d) => [d.ruleId, d.index, d.line]).sort((a, b) => (a[1] as number) - (b[1] as number)),
    ).toEqual([
      ["spec/json-syntax", 1, 3],
      ["spec/semantic-event-near-miss", 2, 4],
      ["spec/json-syntax", 3, 5],
      ["spec/event-missing", 4, 6],
    ]);
    // Fixture names are the file and the line (issue 14: not "#0").
    const f = fixturesFromText(text, "a.ndjson", "a");
    expect(f.fixtures.map((x) => [x.index, x.name])).toEqual([
      [0, "a:1"],
      [2, "a:4"],
      [4, "a:6"],
    ]);
    expect(f.diagnostics.map((d) => d.index).sort()).toEqual([1, 2, 3, 4]);
  });

  it("warns about an empty file", () => {
    expect(validateEventText("  \n", "a.json").diagnostics).toMatchObject([
      { ruleId: "spec/empty-file", severity: "warning" },
    ]);
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
    expect(d).toMatchObject({
      ruleId: "spec/revenue-number",
      index: 1,
      path: "/properties/revenue",
      line: 7,
      column: 51,
    });
    expect(text.split("\n")[6]!.slice(50, 54)).toBe('"25"');
  });

  it("points at the message for a missing field, and at array items by index", () => {
    const text =
      '[\n  {"type": "group", "userId": "u"},\n  {"type": "track", "userId": "u", "event": "Order Completed", "properties": {"products": [{"price": 1}, {"price": "x"}]}}\n]';
    const ds = validateEventText(text, "a.json").diagnostics;
    expect(ds[0]).toMatchObject({ ruleId: "spec/group-id-missing", index: 0, path: "", line: 2, column: 3 });
    expect(ds[1]).toMatchObject({
      ruleId: "spec/property-type",
      index: 1,
      path: "/properties/products/1/price",
      line: 3,
    });
    expect(text.split("\n")[2]!.slice(ds[1]!.column! - 1)).toMatch(/^"x"/);
  });

  it("handles keys with / and ~ in pointers", () => {
    const text = '{"type": "track", "userId": "u", "event": "Report Exported", "properties": {"a/b~c": 1}}';
    const [d] = validateEventText(text, "a.json").diagnostics;
    expect(d).toMatchObject({
      ruleId: "spec/property-case",
      path: "/properties/a~1b~0c",
      line: 1,
      column: text.indexOf(": 1}") + 3,
    });
  });

  it("gives syntax errors a line and column", () => {
    const text = '{\n  "type": "track",\n  "userId": \'u\'\n}';
    expect(validateEventText(text, "a.json").diagnostics).toMatchObject([
      { ruleId: "spec/json-syntax", line: 3, column: 13 },
    ]);
    const trailing = '[\n  {"type": "track"},\n]';
    expect(validateEventText(trailing, "a.json").diagnostics).toMatchObject([
      { ruleId: "spec/json-syntax", line: 3, column: 1 },
    ]);
  });
});

describe("duplicate keys", () => {
  it("reports a key given twice at the later one, naming the value used and the value ignored", () => {
    const text = '{"type":"track","event":"Thing Done","userId":"u","event":"Other Thing"}';
    const r = validateEventText(text, "a.json");
    expect(r.diagnostics).toEqual([
      {
        ruleId: "spec/duplicate-key",
        severity: "error",
        message:
          '`event` is given more than once (also at line 1, column 17); the platform\'s JSON parser keeps the last one, so "Other Thing" is used and "Thing Done" is ignored — remove one of them.',
        // The key is a code span in Markdown; the values quoted from the file are escaped.
        markdown:
          '`event` is given more than once (also at line 1, column 17); the platform\'s JSON parser keeps the last one, so "Other Thing" is used and "Thing Done" is ignored — remove one of them.',
        file: "a.json",
        index: 0,
        path: "/event",
        line: 1,
        column: text.lastIndexOf('"event"') + 1,
      },
    ]);
    expect((r.messages[0] as { event: string }).event).toBe("Other Thing");
  });

  it("points other diagnostics at the occurrence that is used (the last)", () => {
    const text = [
      "[",
      '  {"type": "track", "userId": "u", "event": "Report Exported"},',
      "  {",
      '    "type": "track", "userId": "u", "event": "Order Completed",',
      '    "properties": {"revenue": 10, "currency": "USD"},',
      '    "properties": {"revenue": "25", "revenue": "30"}',
      "  }",
      "]",
    ].join("\n");
    const ds = validateEventText(text, "a.json").diagnostics;
    expect(ds.map((d) => [d.ruleId, d.index, d.path, d.line])).toEqual([
      ["spec/duplicate-key", 1, "/properties", 6],
      ["spec/duplicate-key", 1, "/properties/revenue", 6],
      ["spec/revenue-number", 1, "/properties/revenue", 6],
    ]);
    const line6 = text.split("\n")[5]!;
    expect(line6.slice(ds[0]!.column! - 1)).toMatch(/^"properties"/);
    expect(ds[0]!.message).toContain("(also at line 5, column 5)");
    expect(ds[0]!.message).toContain("so the last object is used and the earlier object is ignored");
    expect(line6.slice(ds[1]!.column! - 1)).toMatch(/^"revenue": "30"/);
    expect(ds[1]!.message).toContain('so "30" is used and "25" is ignored');
    expect(line6.slice(ds[2]!.column! - 1)).toMatch(/^"30"/);
    expect(ds[2]!.message).toContain('"30"');
  });

  it("finds duplicates in NDJSON lines, nested arrays and escaped keys; equal keys in different objects are fine", () => {
    const text = [
      JSON.stringify({ ...ok(), properties: { a: { x: 1 }, b: { x: 1 } } }),
      '{"type":"track","userId":"u","event":"Report Exported","properties":{"list":[{"k":1},{"k":1,"\\u006b":2}]}}',
    ].join("\n");
    const ds = validateEventText(text, "a.ndjson").diagnostics;
    expect(ds).toMatchObject([{ ruleId: "spec/duplicate-key", index: 1, path: "/properties/list/1/k", line: 2 }]);
    expect(ds[0]!.message).toMatch(/^`properties\.list\[1\]\.k` is given more than once/);
    expect(ds[0]!.message).toContain("so the number 2 is used and the number 1 is ignored");
  });

  it("reports duplicates in fixture wrappers with the item's path", () => {
    const text =
      '{"message": {"type": "track", "userId": "u", "event": "Report Exported", "userId": "v"}, "expect": "pass"}';
    expect(fixturesFromText(text, "f.json", "f").diagnostics).toMatchObject([
      { ruleId: "spec/duplicate-key", index: 0, path: "/message/userId" },
    ]);
  });

  it("keeps files without duplicates clean, however large", () => {
    const many = Array.from({ length: 40 }, (_, i) => `"p_${i}": ${i}`).join(", ");
    const text = `{"type": "track", "userId": "u", "event": "Report Exported", "properties": {${many}, "p_3": 0}}`;
    expect(validateEventText(text, "a.json").diagnostics).toMatchObject([
      { ruleId: "spec/duplicate-key", path: "/properties/p_3" },
    ]);
    const clean = `{"type": "track", "userId": "u", "event": "Report Exported", "properties": {${many}}}`;
    expect(validateEventText(clean, "a.json").diagnostics).toEqual([]);
  });
});

describe("validateMessage", () => {
  it("returns the shared empty result for a clean message", () => {
    const a = validateMessage(ok());
    expect(a).toEqual([]);
    expect(validateMessage(ok("Account Created"))).toBe(a);
  });

  it("reports every problem, not just the first", () => {
    const f = validateMessage({
      type: "track",
      event: "Purchase",
      messageId: "x".repeat(101),
      timestamp: "yesterday",
      properties: { revenue: "1", currency: "dollars" },
    });
    expect(f.map((x) => x.ruleId).sort()).toEqual(
      [
        "spec/currency-code",
        "spec/identity-missing",
        "spec/message-id-length",
        "spec/revenue-number",
        "spec/semantic-event-near-miss",
        "spec/timestamp-format",
      ].sort(),
    );
  });

  it("says what is wrong and what to do, naming the value", () => {
    const [f] = validateMessage(ok("Purchase"));
    expect(f!.message).toBe(
      `Event name "Purchase" looks like the Spec's "Order Completed"; rename it "Order Completed" so destinations recognise it.`,
    );
  });

  it("warns on numeric ids and lower-case currency, errors on object ids", () => {
    expect(validateMessage({ type: "page", userId: 42 })).toMatchObject([
      { ruleId: "spec/identity-type", severity: "warning" },
    ]);
    expect(validateMessage({ ...ok("Order Completed"), properties: { currency: "usd" } })).toMatchObject([
      { ruleId: "spec/currency-code", severity: "warning" },
    ]);
    expect(validateMessage({ type: "page", anonymousId: ["a"] })).toMatchObject([
      { ruleId: "spec/identity-type", severity: "error" },
    ]);
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
    expect(validateMessage({ action: "launch", userId: "u" }).map((f) => [f.ruleId, f.severity])).toContainEqual([
      "spec/legacy-action",
      "error",
    ]);
    expect(validateMessage({ ...ok(), action: "track", user_id: "u" }).map((f) => [f.ruleId, f.severity])).toEqual([
      ["spec/legacy-action", "warning"],
      ["spec/legacy-user-id", "warning"],
    ]);
  });

  it("errors on dates that do not exist and warns on date-times without a zone", () => {
    const at = (timestamp: string) => validateMessage({ ...ok(), timestamp });
    const [finding, ...more] = at("2020-02-30T00:00:00Z");
    expect(more).toEqual([]);
    expect({ ...finding, markdown: finding?.markdown }).toEqual({
      ruleId: "spec/timestamp-format",
      severity: "error",
      message:
        '`timestamp` is "2020-02-30T00:00:00Z", which is not a real date or time (February 2020 has 29 days); send the date-time the event happened, like "2024-05-01T12:00:00.000Z" (UTC).',
      // The Markdown form (made when read): the template's code span kept, the message's own value escaped.
      markdown:
        '`timestamp` is "2020\\-02\\-30T00:00:00Z", which is not a real date or time (February 2020 has 29 days); send the date-time the event happened, like "2024-05-01T12:00:00.000Z" (UTC).',
      path: "/timestamp",
    });
    // Not in the finding's JSON (the sink's output): only its plain fields.
    expect(Object.keys(JSON.parse(JSON.stringify(finding)))).toEqual(["ruleId", "severity", "message", "path"]);
    for (const t of [
      "2023-02-29T00:00:00Z",
      "1900-02-29",
      "2024-04-31T10:00:00+02:00",
      "2024-05-01T24:30:00Z",
      "2024-05-01T24:00:01Z",
    ])
      expect(
        at(t).map((f) => [f.ruleId, f.severity]),
        t,
      ).toEqual([["spec/timestamp-format", "error"]]);
    for (const t of ["2024-02-29T00:00:00Z", "2000-02-29", "2024-05-01T24:00:00Z", "2024-12-31T23:59:60Z"])
      expect(at(t), t).toEqual([]);
    const local = at("2020-01-01T00:00:00");
    expect(local).toMatchObject([{ ruleId: "spec/timestamp-zone", severity: "warning", path: "/timestamp" }]);
    expect(local[0]!.message).toBe(
      '`timestamp` is "2020-01-01T00:00:00", which has no time zone, so it does not say which moment it is; the Spec\'s timestamps are UTC — add "Z" if it is UTC ("2020-01-01T00:00:00Z") or its offset, such as "+02:00".',
    );
    expect(
      validateMessage({ ...ok(), sentAt: "2020-01-01 12:00:00.5", originalTimestamp: "2020-01-01T12:00" }).map((f) => [
        f.ruleId,
        f.path,
      ]),
    ).toEqual([
      ["spec/timestamp-zone", "/sentAt"],
      ["spec/timestamp-zone", "/originalTimestamp"],
    ]);
    // Trait and property dates: an impossible date says why; a missing zone is accepted there.
    const trait = validateMessage({
      type: "identify",
      userId: "u",
      traits: { createdAt: "2023-02-29", birthday: "1990-01-01T00:00:00" },
    });
    expect(trait).toMatchObject([{ ruleId: "spec/trait-type", path: "/traits/createdAt" }]);
    expect(trait[0]!.message).toContain("which is not a real date or time (February 2023 has 28 days)");
  });

  it("warns about null where the Spec wants a number (a missing value, not a wrong type)", () => {
    const f = validateMessage({
      ...ok("Order Completed"),
      properties: {
        revenue: null,
        value: null,
        total: null,
        subtotal: 5,
        coupon: null,
        products: [{ price: null, quantity: null, name: null }],
      },
    });
    expect(f.map((x) => [x.ruleId, x.severity, x.path])).toEqual([
      ["spec/property-type", "warning", "/properties/total"],
      ["spec/property-type", "warning", "/properties/products/0/price"],
      ["spec/property-type", "warning", "/properties/products/0/quantity"],
      ["spec/revenue-number", "warning", "/properties/revenue"],
      ["spec/revenue-number", "warning", "/properties/value"],
    ]);
    expect(f[0]!.message).toBe(
      'Property `total` is a number (the Spec\'s "Order Completed" event) but here it is null; leave `total` out when there is no value.',
    );
    expect(f.every((d) => d.severity === "warning")).toBe(true);
    expect(f[3]!.message).toBe(
      "Property `revenue` must be a number but it is null; destinations add it up, so send a decimal number such as 25.5, or leave `revenue` out when there is none.",
    );
    // revenue and value on any track call, reserved number traits; null strings stay "absent".
    expect(validateMessage({ ...ok(), properties: { revenue: null } })).toMatchObject([
      { ruleId: "spec/revenue-number" },
    ]);
    // A null trait removes it from the profile (the platform's documented way): no finding.
    expect(validateMessage({ type: "identify", userId: "u", traits: { age: null, email: null } })).toEqual([]);
    expect(validateMessage({ type: "page", userId: "u", name: null, properties: { url: null } })).toEqual([]);
  });

  it("accepts ISO-8601 variants and refuses others", () => {
    for (const t of [
      "2024-05-01",
      "2024-05-01T12:00Z",
      "2024-05-01T12:00:00+02:00",
      "2024-05-01T12:00:00.123456-0500",
      "2024-05-01 12:00:00Z",
    ])
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

describe("Spec keys in another case (issue 14)", () => {
  for (const key of ["userID", "UserId", "anonymousID"]) {
    it(`${key}: "did you mean" at the key's line, not 1:1`, () => {
      const text = [
        "{",
        '  "type": "track",',
        '  "event": "Report Exported",',
        `  "${key}": "u-1",`,
        '  "messageId": "m-1"',
        "}",
      ].join("\n");
      const ds = validateEventText(text, "a.json").diagnostics.filter((d) => d.severity === "error");
      expect(ds).toHaveLength(1);
      const meant = key.toLowerCase().startsWith("user") ? "userId" : "anonymousId";
      expect(ds[0]).toMatchObject({ ruleId: "spec/identity-missing", path: `/${key}`, line: 4 });
      expect(ds[0]!.message).toContain(`Did you mean \`${meant}\`?`);
    });
  }

  it("messageID: a warning at its line; a delete's UserID: the error at its line", () => {
    const text = [
      "{",
      '  "type": "track",',
      '  "event": "Report Exported",',
      '  "userId": "u-1",',
      '  "messageID": "m-1"',
      "}",
    ].join("\n");
    const [d] = validateEventText(text, "a.json").diagnostics.filter((x) => x.path === "/messageID");
    expect(d).toMatchObject({ severity: "warning", line: 5 });
    expect(d!.message).toContain("Did you mean `messageId`?");
    const del = validateEventText(['{ "type": "delete",', '  "UserID": "u-1" }'].join("\n"), "d.json").diagnostics.find(
      (x) => x.ruleId === "spec/identity-missing",
    );
    expect(del).toMatchObject({ path: "/UserID", line: 2 });
    expect(del!.message).toContain("Did you mean `userId`?");
  });
});
