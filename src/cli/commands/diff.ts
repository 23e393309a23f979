// `devcenter diff OLD NEW`: the change list between an approved version (an integration folder or a
// catalog record folder) and a new one, as the change check sees it. Exit 1 when a breaking change
// is not declared (or another version rule fails), so CI can stop an accidental break.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { loadBaselineDir } from "../../catalog/baseline.js";
import { checkChanges, LIVE_STAGES } from "../../change/check.js";
import { countBySeverity, formatLocation, withoutMarkdown } from "../../core/diagnostic.js";
import { LocalSource } from "../../replay/source-local.js";
import { MANIFEST_FILE } from "../../core/vocabulary.js";
import { loadManifest } from "../../manifest/load.js";
import { changeSummaryJson, renderChangesMarkdown, renderChangesText } from "../../render/changes.js";
import { renderDiagnosticsText } from "../../render/text.js";
import { inlineCode, messageMarkdown } from "../../render/escape.js";
import { styleFor } from "../../render/style.js";
import type { Command } from "../command.js";
import { EXIT, UsageError, parseFormat } from "../io.js";

export const diffCommand: Command = {
  name: "diff",
  usage: "diff <old> <new>",
  summary: "List the changes from an approved version to a new one: breaking changes and notices.",
  help: [
    "--format text|json|markdown   output format (default text)",
    "<old> is the approved version: an integration folder, or a catalog record folder;",
    "<new> is the integration folder under review. Exit 1 when a breaking change is not declared.",
  ],
  options: { format: { type: "string", short: "f" } },
  async run(args, io) {
    const format = parseFormat(args.values.format as string | undefined);
    if (args.positionals.length !== 2)
      throw new UsageError(
        "name two folders: the approved version, then the new one (`devcenter diff ../approved .`).",
      );
    const [oldArg, newArg] = args.positionals as [string, string];
    const baseline = await loadBaselineDir(resolve(io.cwd, oldArg), oldArg);
    if ("problem" in baseline) {
      io.stderr(`devcenter diff: ${baseline.problem}.\n`);
      return EXIT.usage;
    }
    const dir = resolve(io.cwd, newArg);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new UsageError(`${newArg} is not a folder.`);
    const source = new LocalSource(dir);
    const loaded = await loadManifest(source, MANIFEST_FILE);
    if (!loaded.manifest) {
      io.stderr(
        `devcenter diff: ${newArg}/${MANIFEST_FILE} is not a valid manifest, so it cannot be compared:\n${renderDiagnosticsText(loaded.diagnostics.filter((d) => d.severity === "error"))}\n`,
      );
      return EXIT.findings;
    }
    // diff always judges as for a live integration: the question it answers is "would this break customers?".
    const live = LIVE_STAGES.includes(baseline.stage) ? baseline : { ...baseline, stage: "public-beta" as const };
    const { diagnostics, summary } = await checkChanges({ ...loaded, manifest: loaded.manifest }, source, {
      baseline: live,
      now: new Date(),
    });
    const c = { ...summary!, baselineStage: baseline.stage };
    // The version and declaration findings (the changes themselves are in the list): looked up in a
    // set, as scanning the list for each diagnostic was quadratic in the number of changes.
    const listed = new Set(c.changes.map((e) => `${e.ruleId}\n${e.message}`));
    const rules = diagnostics.filter((d) => !listed.has(`${d.ruleId}\n${d.message}`));
    const failed = countBySeverity(diagnostics).errors > 0;
    if (format === "json")
      io.stdout(`${JSON.stringify({ ...changeSummaryJson(c), diagnostics: rules.map(withoutMarkdown) }, null, 2)}\n`);
    else if (format === "markdown") {
      const extra = rules.map(
        (d) =>
          `- ${d.severity === "error" ? "❌" : "⚠️"} ${inlineCode(formatLocation(d) || MANIFEST_FILE)} ${messageMarkdown(d, 2000)}`,
      );
      io.stdout(
        `${renderChangesMarkdown(c, MANIFEST_FILE, { headingLevel: 3 })}${extra.length ? `${extra.join("\n")}\n` : ""}`,
      );
    } else {
      const style = styleFor(io.isTTY, io.env);
      io.stdout(
        `${renderChangesText(c, MANIFEST_FILE, style, Infinity)}${rules.length ? `\n${renderDiagnosticsText(rules, style)}` : ""}\n`,
      );
    }
    return failed ? EXIT.findings : EXIT.ok;
  },
};
