// The published schema: documented, closed, in step with the vocabulary and the types, and usable
// by editors through `# yaml-language-server: $schema=`.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import af from "ajv-formats";
import { parse } from "yaml";
import { describe, expect, test } from "vitest";
import { CALL_TYPES, STAGES } from "../../src/core/vocabulary.js";
import { FILE_RULES } from "../../src/core/file-diagnostic.js";
import { MANIFEST_RULES } from "../../src/manifest/rules/index.js";
import { MANIFEST_SCHEMA, SCHEMA_ID, SCHEMA_PATH, schemaComment } from "../../src/manifest/schema.js";
import { SETTING_TYPES } from "../../src/manifest/types.js";

const RULES = [...MANIFEST_RULES, ...FILE_RULES];

type S = Record<string, unknown>;
const schema = MANIFEST_SCHEMA as unknown as S;
const defs = schema.definitions as Record<string, S>;
const here = dirname(fileURLToPath(import.meta.url));

/** Every schema reachable through `properties`, with its path, skipping `if` conditions. */
function propertySchemas(node: unknown, path: string, out: [string, S][] = []): [string, S][] {
  if (!node || typeof node !== "object") return out;
  for (const [k, v] of Object.entries(node as S)) {
    if (k === "if") continue;
    if (k === "properties") for (const [name, sub] of Object.entries(v as S)) out.push([`${path}/${name}`, sub as S]);
    propertySchemas(v, `${path}/${k}`, out);
  }
  return out;
}

describe("the schema", () => {
  test("has an $id, a draft, and apiVersion as a constant", () => {
    expect(SCHEMA_ID).toMatch(/^https:\/\/.+integration\.v1\.schema\.json$/);
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect((schema.properties as S).apiVersion).toMatchObject({ const: "devcenter/v1" });
    expect(existsSync(resolve(here, "../..", SCHEMA_PATH))).toBe(true);
  });

  test("every property has a description written for partners", () => {
    const props = propertySchemas(schema, "#");
    expect(props.length).toBeGreaterThan(60);
    const undocumented = props
      .filter(([, s]) => typeof s.description !== "string" || (s.description as string).length < 10)
      .map(([p]) => p);
    expect(undocumented).toEqual([]);
  });

  test("every object that lists its properties is closed (additionalProperties: false)", () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== "object") return;
      const s = node as S;
      // The component dispatcher only reads `type`; each branch it selects is closed.
      if (
        s.properties &&
        s.additionalProperties !== false &&
        !path.endsWith("/if") &&
        !path.includes("/if/") &&
        path !== "#/definitions/component" &&
        !/allOf\/\d+\/then$/.test(path)
      )
        open.push(path);
      for (const [k, v] of Object.entries(s)) walk(v, `${path}/${k}`);
    };
    walk(schema, "#");
    expect(open).toEqual([]);
  });

  test("enums are the project's vocabulary", () => {
    expect((schema.properties as S).stage).toMatchObject({ enum: [...STAGES] });
    const webhook = defs.webhookSubscription!.properties as S;
    expect((webhook.supports as S).items).toMatchObject({ enum: [...CALL_TYPES] });
    expect(((defs.stream!.properties as S).emits as S).items).toMatchObject({
      enum: CALL_TYPES.filter((c) => c !== "delete"),
    });
    expect((defs.setting!.properties as S).type).toMatchObject({ enum: [...SETTING_TYPES] });
    const categories = ((schema.properties as S).app as S).properties as S;
    expect(categories.categories).toMatchObject({ minItems: 1, maxItems: 2 });
    expect(((categories.categories as S).items as S).enum).toContain("Heatmaps & Recordings");
    expect(((categories.categories as S).items as S).enum).toHaveLength(22);
    expect(categories.description).toMatchObject({ maxLength: 500 });
  });

  test("a schema-annotated example validates against the file its comment points at", () => {
    const example = join(here, "../fixtures/manifest/valid/full.yml");
    const text = readFileSync(example, "utf8");
    const ref = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
    expect(ref).toBeDefined();
    const onDisk = JSON.parse(readFileSync(resolve(dirname(example), ref!), "utf8"));
    expect(onDisk.$id).toBe(SCHEMA_ID);
    // A fresh validator on the file an editor would read, as yaml-language-server would use it.
    const ajv = new Ajv({ allErrors: true, strict: false });
    af.default(ajv);
    const validate = ajv.compile(onDisk);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(schemaComment("./schema.json")).toBe("# yaml-language-server: $schema=./schema.json");
    expect(schemaComment()).toBe(`# yaml-language-server: $schema=${SCHEMA_ID}`);
  });
});

describe("the rule registry", () => {
  test("ids are unique, documented, and each manifest rule has a fixture or a bad-input test", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^(manifest|file)\/[a-z0-9-]+$/);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.description.length).toBeGreaterThan(40);
    }
    const invalid = join(here, "../fixtures/manifest/invalid");
    const withFixtures = new Set(
      readdirSync(invalid).flatMap((top) => readdirSync(join(invalid, top)).map((rule) => `${top}/${rule}`)),
    );
    // Covered by test/manifest/bad-input.test.ts and test/core/file-diagnostic.test.ts.
    const inBadInputTests = ["file/binary", "file/invalid-utf8", "file/unreadable"];
    const untested = ids.filter((id) => !withFixtures.has(id) && !inBadInputTests.includes(id));
    expect(untested).toEqual([]);
  });
});
