// The Spec's own documentation examples (copied with their INDEX.json) must validate without
// errors, except where INDEX.json documents why an example is not a complete, current message.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateEventText } from "../../src/spec/event-file.js";

const dir = fileURLToPath(new URL("../fixtures/spec/examples/", import.meta.url));
interface Entry { file: string | null; original_format: string; syntax_fixes: string[]; notes: string[] }
const index = JSON.parse(readFileSync(dir + "INDEX.json", "utf8")) as Entry[];

/**
 * Examples the documentation shows without some required field. INDEX.json records that they are
 * minimal or partial payloads (or, for js-call entries, an analytics.js call wrapped as
 * {type, event, properties}: the SDK adds anonymousId itself); the engine rightly reports the gap.
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

/** The errors an example must produce, derived from its INDEX.json entry. */
function expectedErrors(e: Entry): string[] {
  const notes = e.notes.join(" ");
  const fixes = e.syntax_fixes.join(" ");
  const expected = new Set<string>(INCOMPLETE[e.file!] ?? []);
  if (/not an event/i.test(notes)) {
    expected.add("spec/type-missing");
    expected.add("spec/identity-missing");
  }
  if (e.original_format === "js-call" && /wrapped as minimal payload/.test(fixes)) expected.add("spec/identity-missing");
  if (/legacy top-level "action"/.test(notes) && !NOT_LEGACY_ACTION.has(e.file!)) expected.add("spec/legacy-action");
  if (/legacy snake_case "user_id"/.test(notes)) expected.add("spec/legacy-user-id");
  return [...expected].sort();
}

describe("Spec documentation examples", () => {
  const entries = index.filter((e): e is Entry & { file: string } => typeof e.file === "string");

  it("has every example file listed in INDEX.json", () => {
    expect(entries.length).toBe(138);
  });

  for (const e of entries) {
    const expected = expectedErrors(e);
    it(`${e.file}: ${expected.length ? expected.join(", ") : "no error"}`, () => {
      const text = readFileSync(dir + e.file, "utf8");
      const result = validateEventText(text, e.file);
      expect(result.events).toBe(1);
      const errors = [...new Set(result.diagnostics.filter((d) => d.severity === "error").map((d) => d.ruleId))].sort();
      expect(errors).toEqual(expected);
      for (const d of result.diagnostics) {
        expect(d.line).toBeGreaterThan(0);
        expect(d.column).toBeGreaterThan(0);
      }
    });
  }

  it("most examples are error-free", () => {
    const clean = entries.filter((e) => expectedErrors(e).length === 0);
    expect(clean.length).toBeGreaterThanOrEqual(40);
  });
});
