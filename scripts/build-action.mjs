// Builds the GitHub Action into one self-contained ES module, action/dist/index.js, committed to
// git so `uses: <owner>/<repo>/action@<ref>` runs with no install step.
//   node scripts/build-action.mjs [outdir]      (default action/dist; the drift test builds elsewhere)
// Output next to index.js: package.json ({"type":"module"}, so Node reads the bundle as ESM
// wherever it is copied), licenses.txt (the licence of every bundled package) and browsers.json
// (playwright-core's, which it reads at launch).
// Deterministic: paths in the bundle are relative to the repository, packages and licences are
// listed in sorted order, and nothing depends on the clock or the machine.
import { build } from "esbuild";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The function sandbox's worker script, bundled in as a constant (scripts/sandbox.cjs).
const { sandboxDefine } = createRequire(import.meta.url)("./sandbox.cjs");
// Plugin replay's analytics.js, bundled in as a constant (scripts/analytics.cjs).
const { analyticsDefine } = createRequire(import.meta.url)("./analytics.cjs");

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = resolve(process.argv[2] ?? join(root, "action", "dist"));
mkdirSync(outdir, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ["action/main.ts"],
  outfile: join(outdir, "index.js"),
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // ES builds first: jsonc-parser's default (UMD) build requires its own files at run time,
  // which a bundle cannot satisfy.
  mainFields: ["module", "main"],
  define: { ...sandboxDefine(), ...analyticsDefine() },
  // CommonJS packages inside an ES module still call require() for Node's built-ins.
  banner: {
    js: [
      "// The devcenter GitHub Action, bundled by scripts/build-action.mjs. Do not edit: run `npm run build:action`.",
      'import { createRequire as __devcenterCreateRequire } from "node:module";',
      "const require = __devcenterCreateRequire(import.meta.url);",
      // playwright-core (plugin replay) is CommonJS that reads __dirname: it takes the folder above
      // as its package root and reads package.json there, which is this folder's.
      'import { fileURLToPath as __devcenterFileURLToPath } from "node:url";',
      "const __filename = __devcenterFileURLToPath(import.meta.url);",
      'const __dirname = __devcenterFileURLToPath(new URL("./lib", import.meta.url));',
    ].join("\n"),
  },
  // Whitespace and syntax only: names stay readable in stack traces and in the committed diff.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  charset: "utf8",
  metafile: true,
  logLevel: "warning",
});

writeFileSync(join(outdir, "package.json"), JSON.stringify({ type: "module", private: true }, null, 2) + "\n");
// playwright-core reads its browsers.json from its package root at launch (here: this folder).
writeFileSync(join(outdir, "browsers.json"), readFileSync(join(root, "node_modules/playwright-core/browsers.json")));
writeFileSync(join(outdir, "licenses.txt"), licenses(Object.keys(result.metafile.inputs)));

/** The licence text of every package that contributed code, sorted by name. */
function licenses(inputs) {
  const packages = new Map();
  for (const input of inputs) {
    // The innermost node_modules/<name>/ (or node_modules/@scope/<name>/) holding the file.
    const at = input.lastIndexOf("node_modules/");
    if (at < 0) continue;
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.slice(at));
    if (!m) continue;
    const dir = join(root, input.slice(0, at + m[0].length));
    if (packages.has(dir)) continue;
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = readdirSync(dir)
      .sort()
      .find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    packages.set(dir, {
      name: pkg.name,
      version: pkg.version,
      license: pkg.license ?? "(see text)",
      text: file ? readFileSync(join(dir, file), "utf8").trim() : "(no licence file in the package)",
    });
  }
  const list = [...packages.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1,
  );
  const head = "Third-party packages bundled into action/dist/index.js, with their licences.\n";
  return (
    head +
    list
      .map((p) => `\n${"=".repeat(72)}\n${p.name}@${p.version} (${p.license})\n${"=".repeat(72)}\n\n${p.text}\n`)
      .join("")
  );
}
