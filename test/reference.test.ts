// The README's reference sections are generated; they must match the code.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import schema from "../schemas/integration.v1.schema.json" with { type: "json" };
import { regenerate, renderManifestReference } from "../src/reference.js";
import { ALL_RULES } from "../src/checks/rules.js";
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
      expect(r.id).toMatch(/^(manifest|spec|docs|catalog|file|stream|replay|policy|change)\/[a-z0-9-]+$/);
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

describe("manifest reference", () => {
  const table = renderManifestReference();
  const rows = table.split("\n").slice(2);
  /** Cells of the row for a key: [key, type, required, meaning]. */
  const row = (key: string): string[] => {
    const found = rows.filter((r) => r.startsWith(`| \`${key}\` |`));
    expect(found, key).toHaveLength(1);
    return found[0]!.slice(2, -2).split(" | ");
  };

  it("has one row per key", () => {
    const keys = rows.map((r) => r.split(" | ")[0]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("covers the keys of every component variant and of settings (allOf and if/then branches)", () => {
    const defs = (schema as unknown as { definitions: Record<string, { properties: Record<string, unknown> }> })
      .definitions;
    for (const variant of ["webhookSubscription", "functionSubscription", "stream", "plugin"]) {
      for (const key of Object.keys(defs[variant]!.properties)) row(`components[].${key}`);
    }
    for (const key of Object.keys(defs.setting!.properties)) row(`components[].settings[].${key}`);
    for (const key of ["url", "start", "ready", "timeoutMs"]) row(`components[].webhook.${key}`);
    for (const key of ["events", "concurrency", "minEventsPerSecond"]) row(`components[].volume.${key}`);
  });

  it("says which component type and style a key applies to", () => {
    expect(row("components[].type")[3]).not.toMatch(/^\*/);
    expect(row("components[].name")[3]).not.toMatch(/^\*/); // every variant has it
    expect(row("components[].style").slice(2)).toEqual([
      "for subscription",
      expect.stringMatching(/^\*subscription:\* webhook/),
    ]);
    expect(row("components[].supports")[3]).toMatch(/^\*subscription:\* The calls/);
    expect(row("components[].webhook").slice(2)).toEqual([
      "for subscription (webhook)",
      expect.stringMatching(/^\*subscription \(webhook\):\* Where replay/),
    ]);
    expect(row("components[].webhook.url")[2]).toBe("yes");
    expect(row("components[].webhook.start")[2]).toBe("");
    expect(row("components[].emits").slice(2)).toEqual([
      "for stream",
      expect.stringMatching(/^\*stream:\* The calls your stream sends/),
    ]);
    expect(row("components[].start")[3]).toMatch(/^\*stream:\* /);
    const entry = row("components[].entry");
    expect(entry[2]).toBe("for subscription (function), plugin");
    expect(entry[3]).toMatch(
      /^\*subscription \(function\):\* Path to the JavaScript file.* \*plugin:\* Path to the plugin's built/,
    );
    expect(row("components[].settings")[2]).toBe("for subscription, plugin");
    expect(row("components[].settings")[3]).toMatch(/\*plugin:\* Exactly one setting/);
    const fixtures = row("components[].fixtures")[3]!;
    for (const v of ["subscription (webhook)", "subscription (function)", "stream", "plugin"])
      expect(fixtures).toContain(`*${v}:*`);
    expect(row("components[].volume")[3]).toMatch(/^\*subscription:\* Optional/);
    expect(row("components[].testSettings")[3]).toMatch(/^\*subscription:\* /);
  });

  it("keeps settings' own keys plain, with their requirements", () => {
    for (const key of ["label", "key", "type"]) expect(row(`components[].settings[].${key}`)[2]).toBe("yes");
    for (const key of ["description", "required", "sensitive", "default"])
      expect(row(`components[].settings[].${key}`)[2]).toBe("");
    expect(row("components[].settings[].choices")[2]).toBe("for select");
    expect(row("components[].settings[].sensitive")[3]).toMatch(/^Stored as a secret/);
  });

  it("leaves out the misspelt-type fallback branches", () => {
    expect(table).not.toContain("checked even when");
  });

  it("is what the README shows", () => {
    const readme = readFileSync("README.md", "utf8");
    for (const key of [
      "components[].style",
      "components[].webhook.url",
      "components[].settings[].sensitive",
      "components[].emits",
      "components[].volume.events",
    ]) {
      expect(readme).toContain(`| \`${key}\` |`);
    }
  });
});
