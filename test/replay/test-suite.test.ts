import { describe, expect, it } from "vitest";
import { CALL_TYPES } from "../../src/core/vocabulary.js";
import { specEvents, testSuite, volumeMessages } from "../../src/replay/test-suite.js";
import { validateMessage } from "../../src/spec/validate.js";

describe("Test Suite", () => {
  it("has the platform's eight cases, then an alias and a delete", () => {
    const suite = testSuite();
    expect(suite.map((c) => c.type)).toEqual([
      "page",
      "page",
      "identify",
      "track",
      "group",
      "track",
      "track",
      "screen",
      "alias",
      "delete",
    ]);
    expect(suite.every((c) => c.group === "test-suite")).toBe(true);
    const events = suite.filter((c) => c.type === "track").map((c) => c.message.event);
    expect(events).toContain("Signed Up");
    expect(events).toContain("Invite Sent");
    // anonymous page views and identify carry no userId
    expect(suite[0]!.message.userId).toBeUndefined();
    expect(suite[2]!.message.userId).toBeUndefined();
    expect(suite[2]!.message.anonymousId).toBeTruthy();
  });

  it("the eight canonical cases are complete messages: full context as the SDK that sends each fills it, platform fields, Spec event names", () => {
    const eight = testSuite().slice(0, 8);
    expect(eight.map((c) => c.name)).toEqual([
      "Page — anonymous user visits the home page",
      "Page — anonymous user visits the signup page",
      "Identify — anonymous user",
      "Track — user signs up",
      "Group — user joins an account",
      "Track — user enables an integration",
      "Track — user invites a teammate",
      "Screen — user opens the mobile app",
    ]);
    for (const c of eight) {
      const m = c.message as Record<string, any>;
      for (const field of [
        "messageId",
        "timestamp",
        "originalTimestamp",
        "sentAt",
        "receivedAt",
        "channel",
        "context",
        "integrations",
      ]) {
        expect(m[field], `${c.name}: ${field}`).toBeDefined();
      }
      expect(m.anonymousId ?? m.userId, c.name).toBeTruthy();
      for (const field of ["ip", "locale", "timezone", "library"])
        expect(m.context[field], `${c.name}: context.${field}`).toBeDefined();
      if (c.type === "screen") {
        for (const field of ["app", "device", "os", "network", "screen"])
          expect(m.context[field], `${c.name}: context.${field}`).toBeDefined();
      } else {
        for (const field of ["page", "userAgent", "screen"])
          expect(m.context[field], `${c.name}: context.${field}`).toBeDefined();
        for (const field of ["path", "referrer", "search", "title", "url"])
          expect(m.context.page[field], `${c.name}: context.page.${field}`).toBeDefined();
      }
    }
    // anonymous cases really are anonymous; the others are a known user
    expect(
      eight.slice(0, 3).every((c) => c.message.userId === undefined && typeof c.message.anonymousId === "string"),
    ).toBe(true);
    expect(eight.slice(3).every((c) => typeof c.message.userId === "string")).toBe(true);
    // Spec names where the Spec has one (B2B SaaS: Signed Up, Invite Sent)
    expect(eight[3]!.message.event).toBe("Signed Up");
    expect(eight[6]!.message.event).toBe("Invite Sent");
    expect(eight[4]!.message.groupId).toBeTruthy();
    // the alias and the delete carry what the platform sends for them
    const [alias, del] = testSuite().slice(8);
    expect(alias!.message).toMatchObject({ type: "alias", previousId: expect.any(String), userId: expect.any(String) });
    expect(del!.message).toMatchObject({ type: "delete", userId: expect.any(String) });
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
