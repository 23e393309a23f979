// `devcenter catalog add`: writes the record folder of docs/catalog-repository.md into a real
// folder, byte for byte from the integration, and appends to the history; bad input is refused
// with a message and nothing written.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseRecord } from "../../src/catalog/record.js";
import { captureIO } from "../helpers/cli.js";

const example = resolve("examples/webhook");
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "devcenter-catalog-add-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function add(dir: string, catalog: string, ...extra: string[]) {
  const io = captureIO(tmp);
  const code = await main(["catalog", "add", dir, "--catalog", catalog, "--by", "octo-reviewer", ...extra], io);
  return { code, out: io.out, err: io.err };
}

/** A copy of the webhook example with `version` set. */
async function versioned(name: string, version: string, edit: (t: string) => string = (t) => t): Promise<string> {
  const dir = join(tmp, name);
  await cp(example, dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  const file = join(dir, "integration.yml");
  await writeFile(
    file,
    edit(
      (await readFile(file, "utf8")).replace(
        "stage: developer-preview\n",
        `stage: developer-preview\nversion: ${version}\n`,
      ),
    ),
  );
  return dir;
}

describe("devcenter catalog add", () => {
  it("writes record.json, the manifest, catalog copy, docs, logo and mark; a later approval appends to the history", async () => {
    const catalog = join(tmp, "catalog-1");
    const dir = await versioned("acme-1", "1.0.0");
    const first = await add(
      dir,
      catalog,
      "--stage",
      "public-beta",
      "--at",
      "2026-12-01T10:00:00Z",
      "--repository",
      "acme/acme-segment",
    );
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(first.out).toBe(
      "Listed Acme Analytics (acme-analytics) 1.0.0 in Public Beta (PUBLIC_BETA): integrations/acme-analytics/ — record.json, integration.yml, catalog.md, docs.md, logo.svg, mark.svg.\n",
    );
    const folder = join(catalog, "integrations", "acme-analytics");
    expect((await readdir(folder)).sort()).toEqual([
      "catalog.md",
      "docs.md",
      "integration.yml",
      "logo.svg",
      "mark.svg",
      "record.json",
    ]);
    expect(await readFile(join(folder, "integration.yml"))).toEqual(await readFile(join(dir, "integration.yml")));
    expect(await readFile(join(folder, "logo.svg"))).toEqual(await readFile(join(dir, "assets/logo.svg")));
    expect(await readFile(join(folder, "docs.md"))).toEqual(await readFile(join(dir, "docs/segment.md")));
    const parsed = parseRecord(await readFile(join(folder, "record.json"), "utf8"), "record.json");
    if (!parsed.ok) throw new Error(parsed.message);
    const record = parsed.record;
    expect(record).toMatchObject({
      schema: 2,
      slug: "acme-analytics",
      name: "Acme Analytics",
      repository: "acme/acme-segment",
      root: "",
      stage: "PUBLIC_BETA",
      version: "1.0.0",
    });
    expect(record.files).toEqual({
      manifest: "integration.yml",
      catalog: "catalog.md",
      docs: "docs.md",
      logo: "logo.svg",
      mark: "mark.svg",
    });
    expect(record.manifest?.app.slug).toBe("acme-analytics");
    expect(record.history).toEqual([
      {
        version: "1.0.0",
        stage: "PUBLIC_BETA",
        approvedBy: "octo-reviewer",
        approvedAt: "2026-12-01T10:00:00.000Z",
        pullRequest: "",
        headSha: "",
        breaking: false,
      },
    ]);

    const next = await versioned("acme-2", "1.1.0");
    const second = await add(
      next,
      catalog,
      "--stage",
      "public",
      "--at",
      "2026-12-20T10:00:00Z",
      "--pull-request",
      "https://github.com/acme/acme-segment/pull/7",
      "--format",
      "json",
    );
    expect(second.code).toBe(0);
    const json = JSON.parse(second.out);
    expect(json.record.stage).toBe("PUBLIC");
    expect(json.record.repository).toBe("acme/acme-segment"); // kept from the record
    expect(json.record.history.map((h: { version: string; stage: string }) => `${h.version} ${h.stage}`)).toEqual([
      "1.0.0 PUBLIC_BETA",
      "1.1.0 PUBLIC",
    ]);
    expect(json.message).toMatch(/^acme-analytics: PUBLIC_BETA → PUBLIC \(1\.1\.0\)\n\nApproved-by: octo-reviewer\n/);
  });

  it("replaces a legacy one-file record with the folder form, keeping its history", async () => {
    const catalog = join(tmp, "catalog-legacy");
    await mkdir(join(catalog, "integrations"), { recursive: true });
    const legacy = {
      slug: "acme-analytics",
      name: "Acme Analytics",
      repository: "acme/acme-segment",
      root: "",
      stage: "PUBLIC_BETA",
      history: [
        {
          stage: "PUBLIC_BETA",
          approvedBy: "old",
          approvedAt: "2025-01-01T00:00:00.000Z",
          pullRequest: "x#1",
          headSha: "abc",
        },
      ],
    };
    await writeFile(join(catalog, "integrations", "acme-analytics.json"), JSON.stringify(legacy));
    const r = await add(await versioned("acme-legacy", "1.2.0"), catalog, "--stage", "public", "--format", "json");
    expect(r.code).toBe(0);
    expect(await readdir(join(catalog, "integrations"))).toEqual(["acme-analytics"]);
    const record = JSON.parse(await readFile(join(catalog, "integrations", "acme-analytics", "record.json"), "utf8"));
    expect(record.history.map((h: { approvedBy: string }) => h.approvedBy)).toEqual(["old", "octo-reviewer"]);
  });

  it("warns about a manifest without a version and lists it anyway", async () => {
    const r = await add(example, join(tmp, "catalog-noversion"), "--stage", "public-beta");
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /^warning: integration\.yml has no `version`; a live integration needs one \(add `version: 1\.0\.0`\)/,
    );
  });

  it("refuses bad input with a message and writes nothing", async () => {
    const catalog = join(tmp, "catalog-bad");
    expect((await add(example, catalog, "--stage", "developer-preview")).err).toMatch(
      /--stage must be public-beta or public; got "developer-preview"/,
    );
    expect((await add(example, catalog, "--stage", "public", "--by", "-x")).code).toBe(2);
    expect((await add(join(tmp, "nowhere"), catalog, "--stage", "public")).err).toMatch(/is not a folder/);

    const broken = await versioned("acme-broken", "1.0.0", (t) =>
      t.replace("stage: developer-preview", "stage: launched"),
    );
    const invalid = await add(broken, catalog, "--stage", "public");
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/is not a valid manifest, so nothing was listed:\n {2}integration\.yml:\d+:\d+ {2}/);

    const escaping = await add(
      await versioned("acme-escape", "1.0.0", (t) => t.replace("slug: acme-analytics", "slug: ../../escape")),
      catalog,
      "--stage",
      "public",
    );
    expect(escaping.code).toBe(1);
    expect(escaping.err).toMatch(/`app\.slug` "\.\.\/\.\.\/escape" is not a valid slug/);
    expect(await readdir(tmp)).not.toContain("escape");

    // A truncated record already there: said, not overwritten.
    await mkdir(join(catalog, "integrations", "acme-analytics"), { recursive: true });
    await writeFile(join(catalog, "integrations", "acme-analytics", "record.json"), '{"schema": 2, "slug": "acme-');
    const truncated = await add(await versioned("acme-t", "1.0.0"), catalog, "--stage", "public");
    expect(truncated.code).toBe(1);
    expect(truncated.err).toMatch(
      /record\.json is not valid JSON .*; restore it from the catalog repository's history\.\nNothing was written/,
    );
    expect(await readdir(join(catalog, "integrations", "acme-analytics"))).toEqual(["record.json"]);

    // Another repository's slug.
    const other = join(tmp, "catalog-other");
    expect(
      (await add(await versioned("acme-o", "1.0.0"), other, "--stage", "public-beta", "--repository", "acme/one")).code,
    ).toBe(0);
    const taken = await add(
      await versioned("acme-o2", "1.0.1"),
      other,
      "--stage",
      "public",
      "--repository",
      "evil/two",
    );
    expect(taken.code).toBe(1);
    expect(taken.err).toMatch(/the slug acme-analytics is recorded for acme\/one, not evil\/two; nothing was written/);
  });

  it("`devcenter catalog` alone names its subcommands", async () => {
    const io = captureIO(tmp);
    expect(await main(["catalog"], io)).toBe(2);
    expect(io.err).toMatch(/^devcenter catalog: name one of: add/);
  });
});

describe("parseRecord", () => {
  it("reads only known fields: hostile keys and unknown file names go nowhere", () => {
    const text = JSON.stringify({
      schema: 2,
      slug: "a-b",
      name: "A",
      repository: "o/r",
      stage: "PUBLIC",
      files: { logo: "../../etc/passwd", mark: "mark.svg" },
      history: [{ stage: "PUBLIC", approvedBy: "x" }, 5],
    }).replace('"schema"', '"__proto__": {"polluted": true}, "schema"');
    const parsed = parseRecord(text, "r.json");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.record.files).toEqual({ mark: "mark.svg" });
    expect(parsed.record.history).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parseRecord("[]", "r.json")).toEqual({
      ok: false,
      message: "r.json is not a catalog record (it is not a JSON object).",
    });
    expect(parseRecord('{"schema": 9}', "r.json")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/schema 9/),
    });
    expect(parseRecord('{"slug": "../x", "name": "", "repository": "", "stage": "PUBLIC"}', "r.json")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a valid slug/),
    });
  });
});
