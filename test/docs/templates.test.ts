// The templates under templates/docs pass the checks once their placeholders are filled.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkDocs } from "../../src/docs/check.js";
import type { Manifest } from "../../src/manifest/types.js";
import { baseManifest, sourceOf, FIXTURES } from "./harness.js";

const TEMPLATES = new URL("../../templates/docs/", import.meta.url);
const read = (name: string) => readFileSync(new URL(name, TEMPLATES), "utf8");

const VALUES: Record<string, string> = {
  APP_NAME: "Acme Analytics",
  WEBSITE: "https://acme.example",
  SUMMARY: "turns product events into retention insights.",
  PARTNER: "Acme",
  CONTACT_EMAIL: "support@acme.example",
  API_KEY_PAGE: "Settings > API",
  DATA_DELAY: "five minutes",
  SETTINGS_PAGE: "Settings > Integrations > Segment",
  APP_DESCRIPTION: "Acme Analytics turns product events into retention insights.",
  BENEFIT: "see which features keep users coming back",
};

/** Replaces every {{NAME}}; fails on a placeholder the test does not know. */
function fill(template: string): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    if (!(name in VALUES)) throw new Error(`unknown placeholder {{${name}}}`);
    return VALUES[name]!;
  });
}

/** Removes the `### <Title>` sections of calls the manifest does not support. */
function dropSections(page: string, titles: string[]): string {
  let out = page;
  for (const t of titles) out = out.replace(new RegExp(`### ${t}\\n[\\s\\S]*?(?=\\n### |$)`), "");
  return out;
}

const svg = (name: string) => readFileSync(`${FIXTURES}base/assets/${name}`);

async function check(manifest: Manifest, page: string, catalog: string) {
  const files = new Map<string, Uint8Array>([
    ["docs/segment.md", new TextEncoder().encode(page)],
    ["docs/catalog.md", new TextEncoder().encode(catalog)],
    ["assets/logo.svg", new Uint8Array(svg("logo.svg"))],
    ["assets/mark.svg", new Uint8Array(svg("mark.svg"))],
  ]);
  return (await checkDocs(manifest, sourceOf(files))).map((d) => `${d.ruleId} ${d.line}:${d.column} ${d.message}`);
}

const withSupports = (supports: string[]): Manifest => {
  const m = baseManifest();
  (m.components[0] as { supports: string[] }).supports = supports;
  return m;
};

describe("templates/docs", () => {
  it("segment.md, filled in, passes for a subscription supporting every call", async () => {
    const m = withSupports(["page", "screen", "identify", "track", "group", "alias", "delete"]);
    expect(await check(m, fill(read("segment.md")), fill(read("catalog.md")))).toEqual([]);
  });

  it("segment.md passes with the sections of unsupported calls removed", async () => {
    const m = withSupports(["identify", "track", "page", "group", "delete"]);
    expect(
      await check(m, dropSections(fill(read("segment.md")), ["Screen", "Alias"]), fill(read("catalog.md"))),
    ).toEqual([]);
  });

  it("segment.md without removing sections reports exactly the unsupported ones", async () => {
    const m = withSupports(["identify", "track", "page", "group", "delete"]);
    const got = await check(m, fill(read("segment.md")), fill(read("catalog.md")));
    expect(got.map((g) => g.split(" ")[0])).toEqual(["docs/method-unsupported", "docs/method-unsupported"]);
    expect(got.join("\n")).toMatch(/### Screen/);
    expect(got.join("\n")).toMatch(/### Alias/);
  });

  it("segment-stream.md, filled in, passes for a stream-only app", async () => {
    const m = baseManifest();
    m.components = [{ type: "stream", emits: ["track"] }];
    expect(await check(m, fill(read("segment-stream.md")), fill(read("catalog.md")))).toEqual([]);
  });

  it("the unfilled templates are caught, not silently accepted", async () => {
    const got = await check(baseManifest(), read("segment.md"), read("catalog.md"));
    expect(got.some((g) => g.startsWith("docs/placeholder"))).toBe(true);
    expect(got.some((g) => g.startsWith("catalog/placeholder"))).toBe(true);
  });
});
