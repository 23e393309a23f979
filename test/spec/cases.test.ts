// Fixture-driven: test/fixtures/spec/valid/* produce no error; test/fixtures/spec/invalid/spec/<rule>/*
// each produce spec/<rule>. Every rule in SPEC_RULES has cases here or in the unit tests named below.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MemorySource } from "../../src/core/source-memory.js";
import { loadFixtures } from "../../src/spec/fixtures.js";
import { SPEC_RULES as RULES } from "../../src/spec/rules.js";
import { expectOwnMarkdown } from "../helpers/own-markdown.js";

const root = fileURLToPath(new URL("../fixtures/spec/", import.meta.url));

async function load(name: string, text: string) {
  const source = new MemorySource("test", { [`events/${name}`]: text });
  return loadFixtures(source, "events");
}

describe("valid cases", () => {
  for (const file of readdirSync(root + "valid").sort()) {
    it(`${file} has no error`, async () => {
      const result = await load(file, readFileSync(root + "valid/" + file, "utf8"));
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(result.fixtures.length).toBe(result.events);
      expect(result.events).toBeGreaterThan(0);
    });
  }
});

const invalidRules = readdirSync(root + "invalid/spec").sort();

describe("invalid cases", () => {
  for (const rule of invalidRules) {
    for (const file of readdirSync(root + "invalid/spec/" + rule).sort()) {
      it(`${rule}/${file} reports spec/${rule}`, async () => {
        const result = await load(file, readFileSync(root + `invalid/spec/${rule}/${file}`, "utf8"));
        const hits = result.diagnostics.filter((d) => d.ruleId === `spec/${rule}`);
        expect(hits.length, JSON.stringify(result.diagnostics, null, 1)).toBeGreaterThan(0);
        for (const d of hits) {
          expect(d.file).toBe(`events/${file}`);
          expect(d.line).toBeGreaterThan(0);
          expect(d.column).toBeGreaterThan(0);
          expect(d.message.length).toBeGreaterThan(20);
          expectOwnMarkdown(d);
        }
      });
    }
  }
});

describe("rule reference", () => {
  /**
   * Rules whose inputs are too large or odd for a fixture file: bad-input.test.ts covers the limits,
   * test/cli/validate-events.test.ts the folder without event files.
   */
  const UNIT_TESTED = new Set(["spec/too-many-events", "spec/too-many-files", "spec/no-event-files"]);

  it("every rule has an invalid case", () => {
    for (const r of RULES) {
      if (UNIT_TESTED.has(r.id)) continue;
      expect(invalidRules, r.id).toContain(r.id.slice("spec/".length));
    }
  });

  it("every invalid folder is a rule", () => {
    const ids = new Set<string>(RULES.map((r) => r.id));
    for (const rule of invalidRules) expect(ids.has(`spec/${rule}`), rule).toBe(true);
  });

  it("rules have unique ids, a title and a description", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^spec\/[a-z0-9-]+$/);
      expect(r.title.length).toBeGreaterThan(5);
      expect(r.description.length).toBeGreaterThan(20);
    }
  });
});
