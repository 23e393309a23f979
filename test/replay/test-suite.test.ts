import { describe, expect, it } from "vitest";
import { CALL_TYPES } from "../../src/core/vocabulary.js";
import { specEvents, testSuite, volumeMessages } from "../../src/replay/test-suite.js";
import { validateMessage } from "../../src/spec/validate.js";

describe("Test Suite", () => {
  it("has the platform's eight cases, then an alias and a delete", () => {
    const suite = testSuite();
    expect(suite.map((c) => c.type)).toEqual(["page", "page", "identify", "track", "group", "track", "track", "screen", "alias", "delete"]);
    expect(suite.every((c) => c.group === "test-suite")).toBe(true);
    const events = suite.filter((c) => c.type === "track").map((c) => c.message.event);
    expect(events).toContain("Signed Up");
    expect(events).toContain("Invite Sent");
    // anonymous page views and identify carry no userId
    expect(suite[0]!.message.userId).toBeUndefined();
    expect(suite[2]!.message.userId).toBeUndefined();
    expect(suite[2]!.message.anonymousId).toBeTruthy();
  });

  it("every message (suite and Spec events of every call) passes Spec validation with no error", () => {
    for (const c of [...testSuite(), ...specEvents(CALL_TYPES)]) {
      const errors = validateMessage(c.message).filter((f) => f.severity === "error");
      expect(errors, `${c.name}: ${JSON.stringify(errors)}`).toEqual([]);
    }
  });

  it("has unique messageIds and fixed ISO timestamps", () => {
    const all = [...testSuite(), ...specEvents(CALL_TYPES)];
    const ids = all.map((c) => c.message.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of all) {
      expect(c.message.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(c.message.messageId.length).toBeLessThanOrEqual(100);
    }
    expect(JSON.stringify(testSuite())).toBe(JSON.stringify(testSuite()));
  });

  it("builds Spec events only for the supported calls", () => {
    expect(new Set(specEvents(["identify", "delete"]).map((c) => c.type))).toEqual(new Set(["identify", "delete"]));
    const next = volumeMessages(["track"]);
    const a = next(0);
    const b = next(1);
    expect(a.type).toBe("track");
    expect(a.messageId).not.toBe(b.messageId);
    for (let i = 0; i < 30; i++) expect(next.json(i)).toBe(JSON.stringify(next(i)));
  });
});
