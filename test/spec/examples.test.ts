// The Spec's own documentation examples (copied with their INDEX.json) must validate without
// errors, except where INDEX.json documents why an example is not a complete, current message.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateEventText } from "../../src/spec/event-file.js";

const dir = fileURLToPath(new URL("../fixtures/spec/examples/", import.meta.url));
interface Entry {
  file: string | null;
  original_format: string;
  syntax_fixes: string[];
  notes: string[];
}
const index = JSON.parse(readFileSync(dir + "INDEX.json", "utf8")) as Entry[];

/**
 * Examples the documentation shows without some required field. INDEX.json records that they are
 * minimal or partial payloads; the engine rightly reports the gap. (The analytics.js calls are
 * validated as the SDK sends them, with the ids it adds: see asSentBySdk.)
 */
const INCOMPLETE: Record<string, string[]> = {
  "group-initech-minimal.json": ["spec/identity-missing"],
  "page-home-minimal.json": ["spec/identity-missing"],
  "screen-home-minimal.json": ["spec/identity-missing"],
  "track-user-registered-minimal.json": ["spec/identity-missing"],
  // "Partner Spec common-fields example": a track call shown without its event name.
  "common-fields-partner-spec-track.json": ["spec/event-missing"],
  // Fragments wrapped in { } by the extraction (syntax_fixes say so).
  "context-integration-fragment.json": ["spec/identity-missing", "spec/type-missing"],
  "track-stream-partner-fragment-yourToolId.json": ["spec/event-missing"],
};

/**
 * INDEX.json errata: these notes say "legacy top-level action", but the files use `type`; their
 * `action` is properties.action, a property the Spec defines for Push Notification events.
 */
const NOT_LEGACY_ACTION = new Set(["track-push-notification-tapped.json", "track-push-notification-bounced.json"]);

/** analytics.js calls in the docs, wrapped by the extraction as {type, event, properties}. */
const isSdkCall = (e: Entry) =>
  e.original_format === "js-call" && e.syntax_fixes.some((f) => /wrapped as minimal payload/.test(f));

/** The message as analytics.js sends such a call: the SDK adds the ids (the documentation omits them). */
function asSentBySdk(text: string): string {
  const call = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify(
    {
      ...call,
      anonymousId: "507f191e810c19729de860ea",
      messageId: "ajs-example-1",
      timestamp: "2026-01-01T00:00:00.000Z",
    },
    null,
    2,
  );
}

/** The errors an example must produce, derived from its INDEX.json entry. */
function expectedErrors(e: Entry): string[] {
  const notes = e.notes.join(" ");
  const expected = new Set<string>(INCOMPLETE[e.file!] ?? []);
  if (/not an event/i.test(notes)) {
    expected.add("spec/type-missing");
    expected.add("spec/identity-missing");
  }
  return [...expected].sort();
}

/** Legacy payloads INDEX.json lists: flagged with how to migrate (warnings), not rejected. */
function expectedLegacyFlags(e: Entry): string[] {
  const notes = e.notes.join(" ");
  const flags: string[] = [];
  if (/legacy top-level "action"/.test(notes) && !NOT_LEGACY_ACTION.has(e.file!)) flags.push("spec/legacy-action");
  if (/legacy snake_case "user_id"/.test(notes)) flags.push("spec/legacy-user-id");
  return flags;
}

describe("Spec documentation examples", () => {
  const entries = index.filter((e): e is Entry & { file: string } => typeof e.file === "string");

  it("has every example file listed in INDEX.json", () => {
    expect(entries.length).toBe(138);
  });

  for (const e of entries) {
    const expected = expectedErrors(e);
    const flags = expectedLegacyFlags(e);
    it(`${e.file}: ${expected.length ? expected.join(", ") : "no error"}${flags.length ? ` (flagged: ${flags.join(", ")})` : ""}`, () => {
      const text = readFileSync(dir + e.file, "utf8");
      const result = validateEventText(isSdkCall(e) ? asSentBySdk(text) : text, e.file);
      expect(result.events).toBe(1);
      const errors = [...new Set(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.ruleId))].sort();
      expect(errors).toEqual(expected);
      const warnings = new Set(result.diagnostics.filter((d) => d.severity === "warning").map((d) => d.ruleId));
      for (const flag of expectedLegacyFlags(e)) expect(warnings, `${flag} flags the legacy payload`).toContain(flag);
      for (const d of result.diagnostics) {
        expect(d.line).toBeGreaterThan(0);
        expect(d.column).toBeGreaterThan(0);
      }
    });
  }

  it("most examples are error-free", () => {
    const clean = entries.filter((e) => expectedErrors(e).length === 0);
    expect(clean.length).toBeGreaterThanOrEqual(120);
  });
});
