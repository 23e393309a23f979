// Hostile or broken manifests: each gets a clear diagnostic, never a crash or a hang.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { LIMITS } from "../../src/core/limits.js";
import { LocalSource } from "../../src/replay/source-local.js";
import { MemorySource } from "../../src/core/source-memory.js";
import { loadManifest } from "../../src/manifest/load.js";
import { findExcessiveNesting } from "../../src/manifest/nesting.js";
import { checkManifest } from "../../src/manifest/check.js";
import { brief, review, sourceWith } from "./helpers.js";

const GOOD = `apiVersion: devcenter/v1
app:
  name: Acme
  slug: acme
  description: Acme does things.
  website: https://acme.example
  supportEmail: support@acme.example
  categories: [Analytics]
  logo: assets/logo.svg
  mark: assets/mark.svg
stage: developer-preview
components:
  - type: subscription
    style: webhook
    supports: [track]
    settings:
      - { label: API Key, key: apiKey, type: string, required: true, sensitive: true }
    testSettings: { apiKey: { env: ACME_KEY } }
    webhook: { url: "https://hooks.acme.example/segment" }
`;

const ids = (ds: { ruleId: string }[]): string[] => [...new Set(ds.map((d) => d.ruleId))];

describe("malformed YAML", () => {
  test("a tab used for indentation is reported at its line and column", async () => {
    const { loaded } = await review(GOOD.replace("  name: Acme", "\tname: Acme"));
    expect(loaded.manifest).toBeUndefined();
    expect(loaded.diagnostics.map(brief)).toContain("manifest/yaml-syntax 3:1");
    expect(loaded.diagnostics[0]!.message).toMatch(/^integration\.yml is not valid YAML: .+\.$/);
  });

  test("an unresolved tag is an error at the tag, with what to do, and the manifest is not read (issue 8)", async () => {
    for (const [from, to, at] of [
      [
        "  description: Acme does things.",
        "  description: !!js/function >-\n    function () {}",
        "manifest/yaml-syntax 5:16",
      ],
      ["app:", "app: !!python/object:__main__.App", "manifest/yaml-syntax 2:6"],
      ["  website: https://acme.example", "  website: !url https://acme.example", "manifest/yaml-syntax 6:12"],
    ] as const) {
      const { loaded, diagnostics } = await review(GOOD.replace(from, to));
      expect(loaded.manifest).toBeUndefined();
      expect(loaded.data).toBeUndefined();
      expect(diagnostics.map((d) => `${brief(d)} ${d.severity}`)).toEqual([`${at} error`]);
      expect(diagnostics[0]!.message).toMatch(
        /YAML 1\.2 does not load a document with an unresolved tag as data, so integration\.yml was not read\. Remove the tag and write the value as plain text/,
      );
    }
    // Core tags are data as JSON knows it: no finding.
    const { loaded } = await review(GOOD.replace("  name: Acme", "  name: !!str Acme"));
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.manifest?.app.name).toBe("Acme");
  });

  test("an empty file says what a manifest needs", async () => {
    const { loaded } = await review("");
    expect(loaded.diagnostics.map((d) => d.ruleId)).toEqual(["manifest/schema"]);
    expect(loaded.diagnostics[0]!.message).toMatch(/empty/);
  });

  test("a missing manifest points at devcenter init", async () => {
    const loaded = await loadManifest(new MemorySource("empty", {}));
    expect(loaded.diagnostics.map(brief)).toEqual(["file/missing ?:?"]);
    expect(loaded.diagnostics[0]!.message).toMatch(/devcenter init/);
    expect(loaded.locate("/app")).toBeUndefined();
  });

  test("YAML 1.1 merge keys are not applied: `<<` is just an unknown key", async () => {
    const { loaded } = await review(
      GOOD.replace("stage: developer-preview", "stage: developer-preview\n<<: { polluted: true }"),
    );
    expect(loaded.diagnostics.map((d) => d.message)).toEqual([
      "The manifest has an unknown key `<<`. Allowed keys here: apiVersion, app, stage, version, breakingChanges, components, docs, launch, oauth, customers.",
    ]);
  });
});

describe("alias bombs", () => {
  test('a "billion laughs" document stops after the alias limit', async () => {
    const levels = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    let text = `lol0: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
    for (let i = 1; i < levels.length; i++) {
      text += `lol${i}: &${levels[i]} [${Array(9)
        .fill(`*${levels[i - 1]}`)
        .join(",")}]\n`;
    }
    const { loaded } = await review(text);
    expect(loaded.manifest).toBeUndefined();
    expect(ids(loaded.diagnostics)).toContain("manifest/yaml-aliases");
    const d = loaded.diagnostics.find((x) => x.ruleId === "manifest/yaml-aliases")!;
    expect(d.message).toContain(String(LIMITS.yamlAliases));
    expect(d.line).toBeGreaterThan(0);
  });

  test("one alias of a huge anchor repeated is bounded by the value budget", async () => {
    const big = Array.from({ length: 20_000 }, () => "1").join(",");
    const text = `big: &big [${big}]\nrefs: [${Array(60).fill("*big").join(",")}]\n`;
    const { loaded } = await review(text);
    expect(ids(loaded.diagnostics)).toContain("manifest/yaml-aliases");
  });
});

describe("size", () => {
  test("a 10 MB manifest is refused before it is read in full (memory)", async () => {
    const bytes = new Uint8Array(10 * 1024 * 1024).fill(0x61);
    const { loaded } = await review(bytes);
    expect(loaded.diagnostics.map((d) => d.ruleId)).toEqual(["file/too-large"]);
    expect(loaded.diagnostics[0]!.message).toMatch(/10 MiB, over the 2 MiB limit/);
  });

  test("a 10 MB manifest on disk", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "integration.yml"), "#".repeat(10 * 1024 * 1024));
    const loaded = await loadManifest(new LocalSource(dir));
    expect(loaded.diagnostics.map((d) => d.ruleId)).toEqual(["file/too-large"]);
  });
});

describe("prototype keys", () => {
  test("__proto__, constructor and prototype are reported and Object.prototype stays untouched", async () => {
    const text = GOOD.replace("  name: Acme", '  name: Acme\n  __proto__: { polluted: "yes" }')
      .replace(
        "testSettings: { apiKey: { env: ACME_KEY } }",
        "testSettings: { apiKey: { env: ACME_KEY }, constructor: { prototype: { polluted: yes } } }",
      )
      .concat('"__proto__": { isAdmin: true }\nprototype: 1\n');
    const { loaded } = await review(text);
    expect(loaded.diagnostics.filter((d) => d.ruleId === "manifest/unsafe-key").map(brief)).toEqual([
      "manifest/unsafe-key 4:3",
      "manifest/unsafe-key 19:48",
      "manifest/unsafe-key 21:1",
      "manifest/unsafe-key 22:1",
    ]);
    // Nested keys name their parent as a path; top-level ones read as a sentence.
    expect(loaded.diagnostics.filter((d) => d.ruleId === "manifest/unsafe-key").map((d) => d.message)).toEqual([
      '`app` has the key "__proto__", which is not allowed anywhere in a manifest; remove it.',
      '`components[0].testSettings` has the key "constructor", which is not allowed anywhere in a manifest; remove it.',
      'The manifest has the key "__proto__", which is not allowed anywhere in a manifest; remove it.',
      'The manifest has the key "prototype", which is not allowed anywhere in a manifest; remove it.',
    ]);
    expect(loaded.manifest).toBeUndefined();
    // The data is still there for defensive readers, without the refused keys.
    const data = loaded.data as { app: Record<string, unknown> };
    expect(Object.keys(data.app)).not.toContain("__proto__");
    expect(Object.getPrototypeOf(data.app)).toBeNull();
    expect(data.app.polluted).toBeUndefined();
    const probe = {} as Record<string, unknown>;
    expect(probe.polluted).toBeUndefined();
    expect(probe.isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.prototype).not.toHaveProperty("isAdmin");
  });

  test("a valid manifest is built from objects without a prototype", async () => {
    const { loaded } = await review(GOOD);
    expect(loaded.manifest).toBeDefined();
    expect(Object.getPrototypeOf(loaded.manifest)).toBeNull();
    expect(Object.getPrototypeOf(loaded.manifest!.app)).toBeNull();
    expect(JSON.parse(JSON.stringify(loaded.manifest)).app.slug).toBe("acme");
  });
});

describe("deep nesting", () => {
  const expectRefused = async (text: string, line: number): Promise<void> => {
    const { loaded } = await review(text);
    expect(loaded.manifest).toBeUndefined();
    expect(loaded.diagnostics.map((d) => d.ruleId)).toEqual(["manifest/yaml-nesting"]);
    expect(loaded.diagnostics[0]!.line).toBe(line);
    expect(loaded.diagnostics[0]!.message).toMatch(/more than 64 levels deep/);
  };

  test("10,000-deep flow sequence", () => expectRefused("x: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n", 1));
  test("10,000-deep flow mapping, unclosed", () => expectRefused("{a: ".repeat(10_000), 1));
  test("10,000-deep flow sequence split over lines", () => expectRefused("x:\n" + "[\n".repeat(10_000), 65));
  // Block nesting costs indentation: within the size cap a staircase reaches ~700 levels, so the
  // 10,000-deep block cases run through the pre-scan directly (below) and through load at the cap.
  const staircase = (levels: number, line: (i: number) => string): string =>
    Array.from({ length: levels }, (_, i) => line(i)).join("\n");
  test("700-deep indented mapping (as deep as fits in the size cap)", () =>
    expectRefused(
      staircase(700, (i) => " ".repeat(i) + "a:"),
      65,
    ));
  test("500-deep staircase of sequences", () =>
    expectRefused(
      staircase(500, (i) => " ".repeat(2 * i) + "- "),
      65,
    ));
  test("mapping and sequence alternating, one indentation step per pair", () =>
    expectRefused(
      staircase(500, (i) => " ".repeat(2 * i) + (i % 2 ? "- a:" : "a:")),
      64,
    ));
  test("10,000-deep block structures are found by the linear pre-scan", () => {
    expect(
      findExcessiveNesting(
        staircase(10_000, (i) => " ".repeat(i) + "a:"),
        LIMITS.depth,
      ),
    ).toEqual({ depth: 65, line: 65, column: 65 });
    expect(
      findExcessiveNesting(
        staircase(10_000, (i) => " ".repeat(2 * i) + "- "),
        LIMITS.depth,
      )?.line,
    ).toBe(65);
    expect(findExcessiveNesting("- ".repeat(10_000), LIMITS.depth)?.column).toBe(129);
    expect(findExcessiveNesting("k: " + "{a: ".repeat(10_000), LIMITS.depth)?.line).toBe(1);
  });
  test("the pre-scan does not count what is not nesting", () => {
    const ok = (t: string): void => expect(findExcessiveNesting(t, 4)).toBeUndefined();
    ok("a:\n  b:\n    c: 1\n  d: [1, [2]]\n");
    ok("a: \"[[[[[[[[\"\nb: '{{{{''{{{'\nc: x # [[[[[[\n");
    ok("a: |\n  [[[[[[[[\n    - - - - - -\nb: >-\n  {{{{{{{{\n");
    ok("a: [\"x]]]\", '[[[[', y]\n");
    ok("a: see [docs] and {braces} in plain text\n");
    ok('a: "multi\n  line [[[[[[ quoted\n  string"\nb: 1\n');
    expect(findExcessiveNesting("a:\n- b:\n  - c:\n    - d", 3)).toBeDefined();
  });

  test(`exactly ${LIMITS.depth} levels parse; one more is refused`, async () => {
    const ok = await review("x: " + "[".repeat(LIMITS.depth - 1) + "]".repeat(LIMITS.depth - 1) + "\n");
    expect(ids(ok.loaded.diagnostics)).not.toContain("manifest/yaml-nesting");
    const over = await review("x: " + "[".repeat(LIMITS.depth) + "]".repeat(LIMITS.depth) + "\n");
    expect(ids(over.loaded.diagnostics)).toEqual(["manifest/yaml-nesting"]);
  });

  test("aliases cannot nest past the limit either", async () => {
    let text = "l0: &l0 [[[[[[[[x]]]]]]]]\n";
    for (let i = 1; i <= 10; i++) text += `l${i}: &l${i} [[[[[[[*l${i - 1}]]]]]]]\n`;
    const { loaded } = await review(text);
    expect(ids(loaded.diagnostics)).toContain("manifest/yaml-nesting");
  });

  test("brackets in quotes, block scalars and comments do not count as nesting", async () => {
    const brackets = "[".repeat(200);
    const text = GOOD.replace("description: Acme does things.", `description: "${brackets} {{{{"`)
      .replace("  name: Acme", `  name: '${"{".repeat(100)}' # ${brackets}`)
      .concat(`# ${brackets}\n`);
    const withBlock = text.replace(
      `description: "${brackets} {{{{"`,
      `description: |\n    ${"[".repeat(100)}\n      ${"{".repeat(100)}\n     - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -`,
    );
    for (const t of [text, withBlock]) {
      const { loaded } = await review(t);
      expect(ids(loaded.diagnostics)).not.toContain("manifest/yaml-nesting");
      expect(loaded.diagnostics).toEqual([]);
    }
  });
});

describe("binary and invalid UTF-8", () => {
  test("a binary manifest", async () => {
    const { loaded } = await review(new Uint8Array([0x61, 0x3a, 0x00, 0x01, 0x02]));
    expect(loaded.diagnostics.map((d) => d.ruleId)).toEqual(["file/binary"]);
  });
  test("a Latin-1 manifest", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("app:\n  name: Caf"), 0xe9, 0x0a]);
    const { loaded } = await review(bytes);
    expect(loaded.diagnostics.map((d) => d.ruleId)).toEqual(["file/invalid-utf8"]);
    expect(loaded.diagnostics[0]!.message).toMatch(/UTF-8/);
  });
  test("a UTF-8 byte-order mark is accepted", async () => {
    const { loaded } = await review("\ufeff" + GOOD);
    expect(loaded.diagnostics).toEqual([]);
  });
});

describe("paths and symlinks on disk (LocalSource)", () => {
  test("paths out of the repository and symlinks out are reported at the manifest line", async () => {
    const outside = tmp();
    writeFileSync(join(outside, "secret.svg"), "<svg/>");
    mkdirSync(join(outside, "events"));
    const dir = tmp();
    mkdirSync(join(dir, "assets"));
    mkdirSync(join(dir, "test"));
    writeFileSync(join(dir, "assets", "mark.svg"), "<svg/>");
    symlinkSync(join(outside, "secret.svg"), join(dir, "assets", "logo.svg"));
    symlinkSync(join(outside, "events"), join(dir, "test", "events"));
    symlinkSync("mark.svg", join(dir, "assets", "mark-link.svg"));
    const text = GOOD.replace("mark: assets/mark.svg", "mark: assets/mark-link.svg")
      .replace(
        '    webhook: { url: "https://hooks.acme.example/segment" }\n',
        '    webhook: { url: "https://hooks.acme.example/segment" }\n    fixtures: test/events\n',
      )
      .concat("docs:\n  segment: ../outside/docs.md\n  catalog: /etc/passwd\n");
    writeFileSync(join(dir, "integration.yml"), text);
    const source = new LocalSource(dir);
    const loaded = await loadManifest(source);
    expect(loaded.diagnostics).toEqual([]);
    const found = await checkManifest(loaded as Parameters<typeof checkManifest>[0], source);
    expect(found.map(brief).sort()).toEqual(
      ["file/escapes 22:12", "file/escapes 23:12", "file/symlink-out 9:9", "file/symlink-out 20:15"].sort(),
    );
    for (const d of found) expect(d.file).toBe("integration.yml");
  });

  test("an integration.yml that is itself a symlink out is refused", async () => {
    const outside = tmp();
    writeFileSync(join(outside, "integration.yml"), GOOD);
    const dir = tmp();
    symlinkSync(join(outside, "integration.yml"), join(dir, "integration.yml"));
    const loaded = await loadManifest(new LocalSource(dir));
    expect(loaded.diagnostics.map((d) => d.ruleId)).toEqual(["file/symlink-out"]);
  });
});

describe("paths in a GitHub tree (MemorySource)", () => {
  test("symlink entries out, and a symlinked fixtures folder that stays inside", async () => {
    const text = GOOD.replace("logo: assets/logo.svg", "logo: assets/abs.svg").replace(
      '    webhook: { url: "https://hooks.acme.example/segment" }\n',
      '    webhook: { url: "https://hooks.acme.example/segment" }\n    fixtures: events-link\n',
    );
    const { diagnostics } = await review(text, {
      "assets/abs.svg": { type: "symlink", target: "/etc/passwd" },
      "events-link": { type: "symlink", target: "test/events" },
    });
    expect(diagnostics.map(brief)).toEqual(["file/symlink-out 9:9"]);
  });

  test("a manifest in a sub-folder resolves paths from its own folder", async () => {
    const source = new MemorySource("t", {
      "pkg/integration.yml": GOOD.replace("logo: assets/logo.svg", "logo: ../assets/logo.svg"),
      "pkg/assets/mark.svg": "<svg/>",
      "assets/logo.svg": "<svg/>",
    });
    const loaded = await loadManifest(source, "pkg/integration.yml");
    expect(loaded.diagnostics).toEqual([]);
    const found = await checkManifest(loaded as Parameters<typeof checkManifest>[0], source);
    expect(found).toEqual([]);
  });
});

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), "devcenter-manifest-"));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
void sourceWith;

describe("YAML errors partners meet most say what to do", () => {
  test("a tab for indentation, and a key without the space after its colon", async () => {
    const { loadManifest } = await import("../../src/manifest/load.js");
    const { MemorySource } = await import("../../src/core/source-memory.js");
    const tab = await loadManifest(
      new MemorySource("t", { "integration.yml": "apiVersion: devcenter/v1\napp:\n\tname: Acme\n\tslug: acme\n" }),
    );
    expect(tab.diagnostics).toHaveLength(1);
    expect(tab.diagnostics[0]!.message).toContain("replace the tabs with spaces");
    const colon = await loadManifest(
      new MemorySource("t", {
        "integration.yml": "apiVersion: devcenter/v1\napp:\n  name: Acme\n  website:https://acme.example\n",
      }),
    );
    expect(colon.diagnostics[0]!.message).toContain("missing the space after it");
  });
});
