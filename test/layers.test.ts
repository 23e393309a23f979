// The layers of DESIGN.md, enforced over the import graph (as action-destinations' test of
// environment-specific code does): core → manifest / spec / docs → replay (and catalog) → checks → review →
// render → the front doors (cli, action, app). A module imports only from its own layer or those to
// its left; the front doors never import each other; the engine (core, manifest, spec, docs, checks,
// review) touches no file system, process, child process or clock.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

/** Layers, left to right; the files of each (paths relative to the repository). */
const LAYERS: { name: string; holds: (file: string) => boolean }[] = [
  { name: "core", holds: (f) => f.startsWith("src/core/") || f === "src/version.ts" },
  // policy: the platform's bars as data (parsing, the stricter-of rule, grading), pure like the rest.
  { name: "manifest/spec/docs", holds: (f) => /^src\/(manifest|spec|docs|policy|change)\//.test(f) },
  // Below the checks but not the engine: running partner code, reading a local checkout, the
  // catalog's record (its local folder is written to disk).
  { name: "replay/catalog", holds: (f) => /^src\/(replay|catalog)\//.test(f) },
  { name: "checks", holds: (f) => f.startsWith("src/checks/") || f === "src/report.ts" },
  { name: "review", holds: (f) => f === "src/review.ts" },
  // The catalog site renders pages from the catalog folder, as render/ renders reports.
  { name: "render", holds: (f) => /^src\/(render|site)\//.test(f) || f === "src/reference.ts" },
  { name: "front door", holds: (f) => /^src\/(cli|app)\//.test(f) || f === "src/app.ts" || f.startsWith("action/") },
];
const ENGINE = new Set(["core", "manifest/spec/docs", "checks", "review"]);
/** Which front door a file belongs to, if any. */
const door = (f: string): string | undefined =>
  f.startsWith("action/") ? "action" : /^src\/(cli|app)[/.]/.exec(f)?.[1];

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) return name === "dist" ? [] : tsFiles(rel);
    return rel.endsWith(".ts") ? [rel] : [];
  });
}

const FILES = [...tsFiles("src"), ...tsFiles("action"), ...tsFiles("templates")];
const layerIndex = (f: string): number => LAYERS.findIndex((l) => l.holds(f));

/** Every module a file imports (static, type-only and dynamic), as repository paths or package names. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), "utf8"), true, true);
  return info.importedFiles.map(({ fileName }) =>
    fileName.startsWith(".")
      ? relative(ROOT, resolve(ROOT, dirname(file), fileName)).replace(/\.js$/, ".ts")
      : fileName,
  );
}

/** Uses of the process, the file system's twin globals and the clock, found in the syntax tree (comments and strings aside). */
function ambientUses(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (n: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n.text === "process" && !ts.isPropertyAccessExpression(n.parent))
      found.push(`process at ${at(n)}`);
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "process")
      found.push(`process at ${at(n)}`);
    if (
      ts.isPropertyAccessExpression(n) &&
      ts.isIdentifier(n.expression) &&
      ["Date", "performance"].includes(n.expression.text) &&
      n.name.text === "now"
    ) {
      found.push(`${n.expression.text}.now() at ${at(n)}`);
    }
    if (
      ts.isNewExpression(n) &&
      ts.isIdentifier(n.expression) &&
      n.expression.text === "Date" &&
      (n.arguments?.length ?? 0) === 0
    )
      found.push(`new Date() at ${at(n)}`);
    ts.forEachChild(n, visit);
  };
  visit(source);
  return found;
}

describe("the import graph", () => {
  it("places every source file in a layer", () => {
    expect(
      FILES.filter((f) => layerIndex(f) < 0),
      "a new folder belongs to a layer: add it to LAYERS here (README, Development)",
    ).toEqual([]);
  });

  it("has no import from a layer above the importer", () => {
    const wrong = FILES.flatMap((f) =>
      importsOf(f)
        .filter((t) => FILES.includes(t) && layerIndex(t) > layerIndex(f))
        .map((t) => `${f} (${LAYERS[layerIndex(f)]!.name}) imports ${t} (${LAYERS[layerIndex(t)]!.name})`),
    );
    expect(wrong).toEqual([]);
  });

  it("has no import from one front door into another", () => {
    const wrong = FILES.flatMap((f) =>
      importsOf(f)
        .filter((t) => door(f) && door(t) && door(f) !== door(t))
        .map((t) => `${f} imports ${t}`),
    );
    expect(wrong).toEqual([]);
  });

  it("keeps the engine free of the file system, child processes, the process and the clock", () => {
    const engine = FILES.filter((f) => ENGINE.has(LAYERS[layerIndex(f)]?.name ?? ""));
    expect(engine.length).toBeGreaterThan(50);
    const banned = /^(node:)?(fs|fs\/promises|child_process|process|worker_threads|net|http|https)$/;
    const wrong = engine.flatMap((f) => [
      ...importsOf(f)
        .filter((t) => banned.test(t))
        .map((t) => `${f} imports ${t}`),
      ...ambientUses(f),
    ]);
    expect(wrong).toEqual([]);
  });
});

/** Functions that are data tables (one entry per case), exempt from the length limit. */
const DATA_TABLES = new Set(["src/replay/test-suite.ts:specEventsFor"]);

describe("function length", () => {
  it("no function is over 150 lines, data tables aside", () => {
    const long: string[] = [];
    for (const file of FILES) {
      const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (n: ts.Node): void => {
        if (ts.isFunctionLike(n) && "body" in n && n.body) {
          const lines =
            source.getLineAndCharacterOfPosition(n.end).line -
            source.getLineAndCharacterOfPosition(n.getStart()).line +
            1;
          const name = `${file}:${n.name?.getText(source) ?? "(anonymous)"}`;
          if (lines > 150 && !DATA_TABLES.has(name)) long.push(`${name} (${lines} lines)`);
        }
        ts.forEachChild(n, visit);
      };
      visit(source);
    }
    expect(long, "split these into functions named after what they do").toEqual([]);
  });
});
