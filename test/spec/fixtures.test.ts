import { describe, expect, it } from "vitest";
import { MemorySource } from "../../src/core/source-memory.js";
import { loadFixtures } from "../../src/spec/fixtures.js";

const msg = { type: "track", userId: "u-1", event: "Report Exported" };

describe("loadFixtures", () => {
  it("reads bare messages, wrappers, arrays and NDJSON below the folder", async () => {
    const source = new MemorySource("t", {
      "test/events/bare.json": JSON.stringify(msg),
      "test/events/wrapped.json": JSON.stringify({
        message: msg,
        expect: "unsupported",
        partnerApi: [{ method: "post", url: "https://api.acme.example/v1", status: 202, body: { ok: true } }],
      }),
      "test/events/sub/many.json": JSON.stringify([msg, { message: msg, expect: "fail", name: "rejects" }]),
      "test/events/stream.ndjson": `${JSON.stringify(msg)}\n${JSON.stringify(msg)}\n`,
      "test/events/notes.md": "not an event file",
      "test/events/bare.golden.json": JSON.stringify({ requests: [] }),
      "test/other.json": JSON.stringify(msg),
    });
    const r = await loadFixtures(source, "test/events");
    expect(r.diagnostics).toEqual([]);
    expect(r.files).toBe(4);
    expect(r.events).toBe(6);
    expect(r.fixtures.map((f) => [f.file, f.index, f.name, f.expect])).toEqual([
      ["test/events/bare.json", 0, "bare", "pass"],
      ["test/events/stream.ndjson", 0, "stream:1", "pass"],
      ["test/events/stream.ndjson", 1, "stream:2", "pass"],
      ["test/events/sub/many.json", 0, "sub/many#0", "pass"],
      ["test/events/sub/many.json", 1, "rejects", "fail"],
      ["test/events/wrapped.json", 0, "wrapped", "unsupported"],
    ]);
    expect(r.fixtures[5]!.partnerApi).toEqual([
      { method: "POST", url: "https://api.acme.example/v1", status: 202, body: { ok: true } },
    ]);
  });

  it("reports wrapper problems with line and column, and suggests the key meant", async () => {
    const text = JSON.stringify(
      {
        message: msg,
        expected: "pass",
        expect: "Pass",
        partnerApi: [{ method: "POST", url: "ftp://x", status: 700, delay: 5 }],
      },
      null,
      2,
    );
    const r = await loadFixtures(new MemorySource("t", { "f/a.json": text }), "f");
    const lineOf = (needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
    expect(r.diagnostics.map((d) => [d.ruleId, d.path, d.line])).toEqual([
      ["spec/fixture-wrapper", "/expected", lineOf('"expected"')],
      ["spec/fixture-expect", "/expect", lineOf('"expect":')],
      ["spec/fixture-partner-api", "/partnerApi/0/delay", lineOf('"delay"')],
      ["spec/fixture-partner-api", "/partnerApi/0/url", lineOf('"url"')],
      ["spec/fixture-partner-api", "/partnerApi/0/status", lineOf('"status"')],
    ]);
    expect(r.diagnostics[0]!.message).toContain('did you mean "expect"');
    expect(r.diagnostics[1]!.message).toContain('write "pass"');
    expect(r.diagnostics[2]!.message).toContain('did you mean "delayMs"');
    expect(r.fixtures).toEqual([]);
  });

  it("locates Spec findings inside a wrapper's message", async () => {
    const text =
      '{\n  "expect": "pass",\n  "message": {\n    "type": "track",\n    "userId": "u",\n    "event": "Purchase"\n  }\n}';
    const r = await loadFixtures(new MemorySource("t", { "f/a.json": text }), "f");
    expect(r.diagnostics).toMatchObject([
      { ruleId: "spec/semantic-event-near-miss", path: "/event", line: 6, column: 14, index: 0 },
    ]);
    expect(r.fixtures.length).toBe(1);
  });
});
