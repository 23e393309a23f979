// `devcenter init`: the scaffold's editor schema line points at a file that exists in the scaffold.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Ajv } from "ajv";
import af from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SCHEMA_COPY } from "../../src/cli/commands/init.js";
import { packageRoot } from "../../src/cli/package-root.js";
import { main } from "../../src/cli/main.js";
import { captureIO } from "../helpers/cli.js";

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

async function init(style: string): Promise<{ target: string; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), "devcenter-init-schema-"));
  temps.push(dir);
  const io = captureIO(dir);
  expect(await main(["init", "zed-metrics", "--style", style], io)).toBe(0);
  return { target: join(dir, "zed-metrics"), out: io.out };
}

describe("devcenter init: the editor schema", () => {
  for (const style of ["webhook", "function", "plugin", "stream"]) {
    it(`${style}: integration.yml's $schema path exists next to it and is the project's schema`, async () => {
      const { target, out } = await init(style);
      const manifestPath = join(target, "integration.yml");
      const manifest = await readFile(manifestPath, "utf8");
      const first = manifest.split("\n")[0]!;
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(m, first).not.toBeNull();
      const ref = m![1]!;
      // A relative path into the scaffold itself: no package to install, works offline.
      expect(ref).toBe(`./${SCHEMA_COPY}`);
      expect(ref).not.toContain("node_modules");
      const schemaPath = resolve(dirname(manifestPath), ref);
      expect(existsSync(schemaPath)).toBe(true);
      expect(await readFile(schemaPath, "utf8")).toBe(await readFile("schemas/integration.v1.schema.json", "utf8"));
      expect(out).toContain(SCHEMA_COPY);

      // The copy validates the scaffold's manifest, as an editor would use it.
      const ajv = new Ajv({
        allErrors: true,
        strict: true,
        strictTypes: false,
        strictRequired: false,
        keywords: ["patternErrorMessage"],
      });
      af.default(ajv, ["email", "uri"]);
      const validate = ajv.compile(JSON.parse(await readFile(schemaPath, "utf8")) as object);
      expect(validate(parse(manifest)), JSON.stringify(validate.errors)).toBe(true);
    });
  }

  it("the copied schema trips no check: the scaffold still reviews clean", async () => {
    const { target } = await init("webhook");
    const io = captureIO();
    expect(await main(["review", target, "--no-replay", "--format", "json"], io)).toBe(0);
    const report = JSON.parse(io.out) as {
      summary: { errors: number; warnings: number };
      diagnostics: { file?: string; message: string }[];
    };
    expect(report.summary.errors).toBe(0);
    expect(
      report.diagnostics.filter((d) => d.file?.includes(".devcenter") || d.message.includes(".devcenter")),
    ).toEqual([]);
  });
});

describe("devcenter init: what to run next", () => {
  it("prints `npx devcenter review <dir>` as the README runs devcenter (it is not on the PATH), with a path that works from the devcenter folder", async () => {
    const { target, out } = await init("function");
    const next = out.split("\n").find((l) => l.includes("devcenter review"));
    expect(next).toBeDefined();
    const m = /^\s*npx devcenter review (\S+)\s/.exec(next!);
    expect(m, next).not.toBeNull();
    // npx finds devcenter only in its own folder, so the path is from there.
    expect(resolve(packageRoot(), m![1]!)).toBe(target);
    expect(out).not.toMatch(/^\s*devcenter /m);
    // The README says the same.
    const readme = await readFile("README.md", "utf8");
    expect(readme).toContain("npx devcenter init");
    // …and that devcenter is run through npx, in a clone or once installed in a partner's repository.
    expect(readme).toMatch(/run it with `npx`/);
  });

  it("quotes a folder name with a space, so the printed command runs as is", async () => {
    const dir = await mkdtemp(join(tmpdir(), "devcenter-init-space-"));
    temps.push(dir);
    const io = captureIO(dir);
    expect(await main(["init", "my tool"], io)).toBe(0);
    const next = io.out.split("\n").find((l) => l.includes("devcenter review"))!;
    expect(next).toMatch(/npx devcenter review '[^']*my tool'/);
  });
});

describe("devcenter init: the name is written once (issue 14)", () => {
  for (const [args, name, slug] of [
    [["../acme-hook"], "Acme Hook", "acme-hook"],
    [["acme-analytics-eu", "--name", "Acme Analytics"], "Acme Analytics", "acme-analytics"],
  ] as const) {
    it(`init ${args.join(" ")} writes "${name}" / ${slug}, not the example's words twice`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "devcenter-init-name-"));
      temps.push(dir);
      await (await import("node:fs/promises")).mkdir(join(dir, "work"));
      const io = captureIO(join(dir, "work"));
      expect(await main(["init", ...args], io)).toBe(0);
      const target = resolve(dir, "work", args[0]);
      const manifest = parse(await readFile(join(target, "integration.yml"), "utf8"));
      expect(manifest.app.name).toBe(name);
      expect(manifest.app.slug).toBe(slug);
      const docs = await readFile(join(target, "docs", "segment.md"), "utf8");
      expect(docs).toContain(name);
      expect(docs).not.toMatch(/Hook Hook|Analytics Analytics|-hook-hook|analytics-analytics/);
      expect(io.out).toContain(name);
    });
  }
});
