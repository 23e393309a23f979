// The review engine: manifest → Spec → docs → replay → checklist. Pure: it reads through a
// FileSource, never talks to GitHub, never reads process.env, and returns plain data.
import { compareDiagnostics, countBySeverity, type Diagnostic } from "./core/diagnostic.js";
import { DEFAULT_POLICY, type Policy } from "./core/policy.js";
import type { FileSource } from "./core/source.js";
import { MANIFEST_FILE } from "./core/vocabulary.js";
import { evaluateChecklist, readyFor } from "./checks/registry.js";
import { baselineWarning, checkChanges, type BaselineInput, type ChangeSummary } from "./change/check.js";
import { checkDocs } from "./docs/check.js";
import { loadManifest } from "./manifest/load.js";
import { checkManifest } from "./manifest/check.js";
import type { Manifest } from "./manifest/types.js";
import type { FlagAsk } from "./policy/bars.js";
import { policyFindings } from "./policy/findings.js";
import type { Report, ReplaySkipped } from "./report.js";
import { partlySupportedWarnings, settleReport } from "./replay/supports.js";
import type { ReplayReport } from "./replay/types.js";
import { loadFixtures } from "./spec/fixtures.js";

export interface ReviewOptions {
  /** Root-relative path of the manifest; default `integration.yml`. */
  manifestFile?: string;
  /**
   * Produces replay results once the static review has a manifest. The CLI and the Action run
   * the partner's code here; the App reads the Action's check run instead and never runs code.
   */
  replay?: (manifest: Manifest) => Promise<ReplayReport | undefined>;
  /** Ids of reviewer-confirmed checklist items that an authorised reviewer ticked. */
  confirmed?: ReadonlySet<string>;
  /**
   * The platform's bars, which the checklist grades against (default the built-in policy). An
   * input, never read from disk here: the CLI reads `--policy FILE`, the App the catalog's policy.yml.
   */
  policy?: Policy;
  /** What the front door's own options asked of replay (`--timeout`, `--volume`…): a looser ask is a warning. */
  flags?: FlagAsk;
  /**
   * The approved version to compare with (the change check), or why there is none; or a function
   * that finds it once the manifest is known (the App looks the slug up in the catalog).
   */
  baseline?: BaselineInput | ((manifest: Manifest) => Promise<BaselineInput | undefined>);
  /** The time of the review (the engine has no clock): breaking changes' upgrade deadlines are measured from it. */
  now?: Date;
}

/**
 * Fixture folders named by the components, each read once; a folder the manifest checks already
 * reported (missing, outside the repository) is skipped so the partner sees one diagnostic.
 */
function fixtureFolders(components: readonly unknown[], manifestDiagnostics: readonly Diagnostic[]): string[] {
  const flagged = new Set(manifestDiagnostics.map((d) => d.path));
  const folders = components.flatMap((c, i) => {
    const dir = isObject(c) ? c.fixtures : undefined;
    return typeof dir === "string" && dir && !flagged.has(`/components/${i}/fixtures`) ? [dir] : [];
  });
  return [...new Set(folders)];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

async function checkFixtures(
  source: FileSource,
  components: readonly unknown[],
  manifestDiagnostics: readonly Diagnostic[],
  diagnostics: Diagnostic[],
  events: Report["events"],
): Promise<void> {
  for (const dir of fixtureFolders(components, manifestDiagnostics)) {
    const fixtures = await loadFixtures(source, dir);
    for (const d of fixtures.diagnostics) diagnostics.push(d); // no spread: a file may hold 100,000 findings
    events.files += fixtures.files;
    events.events += fixtures.events;
  }
}

export async function review(source: FileSource, options: ReviewOptions = {}): Promise<Report> {
  const manifestFile = options.manifestFile ?? MANIFEST_FILE;
  const loaded = await loadManifest(source, manifestFile);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const events = { files: 0, events: 0 };
  let replay: ReplayReport | undefined;
  let change: ChangeSummary | undefined;
  const manifest = loaded.manifest;
  const policy = options.policy ?? DEFAULT_POLICY;

  if (manifest) {
    const manifestDiagnostics = await checkManifest({ ...loaded, manifest }, source);
    diagnostics.push(...manifestDiagnostics, ...policyFindings(policy, manifest, loaded, options.flags));
    await checkFixtures(source, manifest.components, manifestDiagnostics, diagnostics, events);
    diagnostics.push(...(await checkDocs(manifest, source)));
    const baseline = typeof options.baseline === "function" ? await options.baseline(manifest) : options.baseline;
    const changes = await checkChanges({ ...loaded, manifest }, source, { baseline, now: options.now });
    for (const d of changes.diagnostics) diagnostics.push(d); // no spread: 10,000 settings may change
    change = changes.summary;
    if (options.replay) replay = await options.replay(manifest);
    if (replay) {
      // Whoever produced the report (this process, or the Action's check run the App reads), the
      // `supports` rule holds the same: settled again, and its warning placed on the supports line.
      replay = settleReport(manifest, replay);
      diagnostics.push(...partlySupportedWarnings(manifest, replay, manifestFile, loaded.locate));
    }
  } else if (isObject(loaded.data)) {
    // The manifest parsed but broke the schema: still check what it points at, so one typo does
    // not hide every other finding. The semantic rules and replay wait for a valid manifest;
    // the docs checks read a manifest defensively, and those that compare the page with
    // `supports` wait too: a misspelt `supports` must not turn into "remove these sections".
    const components = Array.isArray(loaded.data.components) ? loaded.data.components : [];
    await checkFixtures(source, components, [], diagnostics, events);
    diagnostics.push(...(await checkDocs(loaded.data as unknown as Manifest, source, { schemaValid: false })));
  }
  if (!manifest && options.baseline && typeof options.baseline !== "function" && "problem" in options.baseline)
    diagnostics.push(baselineWarning(options.baseline.problem));

  diagnostics.sort(compareDiagnostics);
  // Why there are no replay results, when it is known, so the checklist says the real reason. A
  // manifest that cannot be used comes first: turning replay on would not make it run.
  const replaySkipped: ReplaySkipped | undefined = replay
    ? undefined
    : !manifest
      ? "manifest-errors"
      : !options.replay
        ? "disabled"
        : undefined;
  const input = {
    root: source.label,
    manifestFile,
    manifest,
    policy,
    stage: manifest?.stage,
    diagnostics,
    events,
    replay,
    ...(replaySkipped ? { replaySkipped } : {}),
    ...(change ? { change } : {}),
    summary: countBySeverity(diagnostics),
  };
  const checklist = evaluateChecklist(input, options.confirmed);
  return { ...input, checklist, readyFor: readyFor(checklist, input.summary.errors) };
}
