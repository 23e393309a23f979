// `devcenter validate-events`: the JSON contract other tools read, the formats, exit codes.
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO } from "../helpers/cli.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "devcenter-events-"));
  await mkdir(join(dir, "events"));
  await writeFile(
    join(dir, "events/good.json"),
    JSON.stringify({
      type: "track",
      event: "Order Completed",
      userId: "u1",
      properties: { revenue: 10, currency: "USD" },
    }),
  );
  await writeFile(
    join(dir, "events/stream.ndjson"),
    [
      JSON.stringify({ type: "identify", userId: "u1", traits: { email: "a@example.com" } }),
      JSON.stringify({ type: "track", event: "Purchase", properties: { revenue: "12" } }),
      "{not json",
    ].join("\n"),
  );
  await writeFile(
    join(dir, "events/array.json"),
    JSON.stringify([
      { type: "page", anonymousId: "a1", name: "Home" },
      { type: "group", userId: "u1" },
    ]),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("devcenter validate-events", () => {
  it("prints the JSON contract: summary and diagnostics with exactly the documented keys", async () => {
    const io = captureIO(dir);
    const code = await main(["validate-events", "events", "--format", "json"], io);
    expect(code).toBe(1);
    const out = JSON.parse(io.out);
    expect(Object.keys(out)).toEqual(["summary", "diagnostics"]);
    expect(out.summary).toEqual({ files: 3, events: 5, errors: expect.any(Number), warnings: expect.any(Number) });
    expect(out.summary.errors).toBeGreaterThanOrEqual(4);
    for (const d of out.diagnostics) {
      expect(Object.keys(d).slice(0, 6)).toEqual(["file", "index", "ruleId", "severity", "message", "path"]);
      expect(["error", "warning"]).toContain(d.severity);
      expect(typeof d.index).toBe("number");
    }
    const ids = out.diagnostics.map(
      (d: { file: string; index: number; ruleId: string }) => `${d.file}#${d.index} ${d.ruleId}`,
    );
    expect(ids).toContain("events/stream.ndjson#1 spec/identity-missing");
    expect(ids).toContain("events/stream.ndjson#1 spec/revenue-number");
    expect(ids).toContain("events/stream.ndjson#1 spec/semantic-event-near-miss");
    expect(ids).toContain("events/array.json#1 spec/group-id-missing");
    expect(ids.some((i: string) => i.startsWith("events/stream.ndjson") && i.endsWith("spec/json-syntax"))).toBe(true);
    const revenue = out.diagnostics.find((d: { ruleId: string }) => d.ruleId === "spec/revenue-number");
    expect(revenue).toMatchObject({ path: "/properties/revenue", line: 2 });
  });

  it("exits 0 on clean files and prints a text summary", async () => {
    const io = captureIO(dir);
    expect(await main(["validate-events", "events/good.json"], io)).toBe(0);
    expect(io.out).toContain("1 event in 1 file: 0 errors");
  });

  it("renders Markdown with escaped messages", async () => {
    const io = captureIO(dir);
    await main(["validate-events", "events", "--format", "markdown"], io);
    expect(io.out).toMatch(/^### Spec validation: 5 events in 3 files/);
    expect(io.out).toContain("| ❌ |");
  });

  it("a missing path or no path is a usage error: exit 2, one sentence on stderr, nothing validated", async () => {
    const io = captureIO(dir);
    expect(
      await main(["validate-events", "events/good.json", "nope.json", "events/nope", "--format", "json"], io),
    ).toBe(2);
    expect(io.out).toBe("");
    expect(io.err.split("\n")[0]).toBe("devcenter validate-events: no such file or folder: nope.json, events/nope");
    const below = captureIO(dir);
    expect(await main(["validate-events", "events/good.json/x"], below)).toBe(2);
    expect(below.err).toContain("no such file or folder: events/good.json/x");
    const usage = captureIO(dir);
    expect(await main(["validate-events"], usage)).toBe(2);
  });

  it("a folder without event files is a warning diagnostic, exit 0", async () => {
    await mkdir(join(dir, "empty/sub"), { recursive: true });
    await writeFile(join(dir, "empty/notes.txt"), "not events");
    await writeFile(join(dir, "empty/sub/a.golden.json"), "{}");
    const io = captureIO(dir);
    expect(await main(["validate-events", "empty", "--format", "json"], io)).toBe(0);
    const out = JSON.parse(io.out);
    expect(out).toEqual({
      summary: { files: 0, events: 0, errors: 0, warnings: 1 },
      diagnostics: [
        {
          file: "empty",
          index: -1,
          ruleId: "spec/no-event-files",
          severity: "warning",
          message:
            "No event files found under empty: validate-events reads .json, .ndjson and .jsonl files (not replay's .golden.* recordings); check the path.",
          path: "",
        },
      ],
    });
    const text = captureIO(dir);
    expect(await main(["validate-events", "empty", "events/good.json"], text)).toBe(0);
    expect(text.out).toContain("No event files found under empty");
    expect(text.out).toContain("1 event in 1 file: 0 errors, 1 warning");
  });

  it("reports a duplicate key and an NDJSON line that does not parse with their index and line", async () => {
    await writeFile(
      join(dir, "events/dup.ndjson"),
      '{"type":"track","event":"Thing Done","userId":"u","event":"other thing"}\n{broken\n{"type":"track","userId":"u"}\n',
    );
    const io = captureIO(dir);
    expect(await main(["validate-events", "events/dup.ndjson", "--format", "json"], io)).toBe(1);
    const out = JSON.parse(io.out);
    expect(out.summary).toEqual({ files: 1, events: 2, errors: 3, warnings: 1 });
    expect(
      out.diagnostics.map((d: { index: number; ruleId: string; line: number; column: number; path: string }) => [
        d.index,
        d.ruleId,
        d.line,
        d.column,
        d.path,
      ]),
    ).toEqual([
      [0, "spec/duplicate-key", 1, 51, "/event"],
      [0, "spec/event-name-case", 1, 59, "/event"],
      [1, "spec/json-syntax", 2, 2, ""],
      [2, "spec/event-missing", 3, 1, ""],
    ]);
  });
});

describe("devcenter validate-events on a fixtures folder", () => {
  it("understands fixture wrappers and skips replay's golden files", async () => {
    const io = captureIO();
    expect(await main(["validate-events", "examples/function/test/events", "--format", "json"], io)).toBe(0);
    const out = JSON.parse(io.out);
    expect(out.summary).toMatchObject({ files: 3, events: 3, errors: 0 });
  });

  it("reports a misspelt wrapper key and a bad expect instead of a message without a type", async () => {
    const file = join(dir, "events/typo.json");
    await writeFile(
      file,
      JSON.stringify({ mesage: { type: "track", event: "Report Exported", userId: "u1" }, expect: "pas" }, null, 2),
    );
    const io = captureIO(dir);
    await main(["validate-events", "events/typo.json", "--format", "json"], io);
    const ids = JSON.parse(io.out).diagnostics.map((d: { ruleId: string }) => d.ruleId);
    expect(ids).toEqual(expect.arrayContaining(["spec/fixture-wrapper", "spec/fixture-expect"]));
    expect(ids).not.toContain("spec/type-missing");
  });
});
