// The README's reference sections are generated; they must match the code.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { regenerate } from "../src/reference.js";
import { ALL_RULES } from "../src/rules.js";
import { VERSION } from "../src/version.js";

describe("generated reference", () => {
  it("README.md is up to date (run `npm run docs`)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(regenerate(readme) === readme, "README.md is stale: run `npm run docs`").toBe(true);
  });

  it("every rule has a unique id, a title and a description", () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^(manifest|spec|docs|catalog|file|stream)\/[a-z0-9-]+$/);
      expect(r.title.length, r.id).toBeGreaterThan(5);
      expect(r.description.length, r.id).toBeGreaterThan(10);
    }
  });

  it("every stream/* rule the sink can report is documented", () => {
    const source = readFileSync("src/replay/sink.ts", "utf8");
    const used = new Set([...source.matchAll(/"(stream\/[a-z-]+)"/g)].map((m) => m[1]));
    const documented = new Set(ALL_RULES.map((r) => r.id));
    for (const id of used) expect(documented, id).toContain(id);
  });

  it("src/version.ts matches package.json", () => {
    expect(VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });
});
