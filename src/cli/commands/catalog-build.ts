// `devcenter catalog build [catalog-dir] --out DIR`: the static catalog site (src/site/). Prints
// what it built and every warning (a skipped record, a logo not copied, a queue snapshot it could
// not show); exit 0 when it built, 1 when there were warnings and --strict was given, 2 on misuse.
import { resolve } from "node:path";
import { buildSite } from "../../site/build.js";
import { checkOutFolder } from "../../site/out-folder.js";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../io.js";

export const catalogBuildCommand: Command = {
  name: "catalog build",
  usage: "catalog build [catalog-dir] --out DIR",
  summary: "Build the static catalog site (index, one page per listed integration, the review queue).",
  help: [
    "--out DIR         where to write the site (required; its integrations/ folder is replaced)",
    "--path NAME       the records folder inside the catalog (default: integrations, as DEVCENTER_CATALOG_PATH)",
    "--strict          exit 1 when the build warned (a skipped record, a logo not copied, no queue snapshot)",
  ],
  options: { out: { type: "string" }, path: { type: "string" }, strict: { type: "boolean" } },
  async run({ values, positionals }, io) {
    if (positionals.length > 1)
      throw new UsageError(`takes one catalog folder, got ${positionals.length}: ${positionals.join(" ")}.`);
    if (typeof values.out !== "string" || !values.out)
      throw new UsageError("--out DIR is required: the folder to write the site to.");
    const catalog = resolve(io.cwd, positionals[0] ?? ".");
    const out = resolve(io.cwd, values.out);
    const path = typeof values.path === "string" ? values.path.replace(/^\/+|\/+$/g, "") : "integrations";
    const problem = await checkOutFolder(catalog, path, out);
    if (problem) throw new UsageError(problem);
    const result = await buildSite({ catalog, path, out });
    for (const w of result.warnings) io.stderr(`warning: ${w.file}: ${w.message}\n`);
    io.stdout(
      `Built ${result.pages} pages in ${values.out}: ${result.listed} listed ${result.listed === 1 ? "integration" : "integrations"}, the index and the review queue` +
        `${result.skipped ? `; ${result.skipped} ${result.skipped === 1 ? "record" : "records"} skipped` : ""}${result.warnings.length ? `; ${result.warnings.length} ${result.warnings.length === 1 ? "warning" : "warnings"}` : ""}.\n`,
    );
    return values.strict && result.warnings.length ? EXIT.findings : EXIT.ok;
  },
};
