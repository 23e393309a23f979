// The change check inside a review: the version rules of a live integration, its `breakingChanges`
// entry for the version under review, and — given the approved version (the baseline) — every
// change, breaking or not, at its line in the new manifest. The engine has no clock: the caller
// passes `now` (the time of the review, which for the App is the time of the approval).
import type { Diagnostic, Severity } from "../core/diagnostic.js";
import { LIMITS } from "../core/limits.js";
import { type Message, messageFields, messageSentence, msg } from "../core/markdown.js";
import { normalizePath, type FileSource } from "../core/source.js";
import { decodeText } from "../core/text.js";
import { STAGE_TITLES, type Stage } from "../core/vocabulary.js";
import { headings, parseMarkdown } from "../docs/markdown.js";
import type { LoadedManifest } from "../manifest/load.js";
import type { Manifest } from "../manifest/types.js";
import { compareManifests, type Change } from "./compare.js";
import { compareContents, type ApprovedFiles } from "./contents.js";
import type { ChangeRuleId } from "./rules.js";
import { compareSemver, parseSemver } from "./semver.js";

/** The approved version a pull request is compared with. */
export interface Baseline {
  manifest: Manifest;
  /** Where it came from, for messages: a folder, or `catalog <repo>/<path>`. */
  label: string;
  /** The stage the catalog records; for a folder, its manifest's `stage`. */
  stage: Stage;
  /** The approved version (the catalog record's, else the manifest's). */
  version?: string;
  /** The approved docs page, catalog copy and logos, when the baseline keeps them: their content is compared too. */
  files?: ApprovedFiles;
}

/**
 * A baseline, or why there is none that can be used (the review runs without the comparison); a
 * Message where it quotes a diagnostic of the baseline's own.
 */
export type BaselineInput = Baseline | { problem: string | Message };

/** The warning that the change check did not run, and why (the review's, with or without a manifest). */
export function baselineWarning(problem: string | Message): Diagnostic {
  return {
    ruleId: "change/baseline",
    severity: "warning",
    ...messageFields(messageSentence(msg`${problem}; the change check did not run`)),
  };
}

export interface ChangeEntry {
  ruleId: ChangeRuleId;
  breaking: boolean;
  message: string;
  /** The message as Markdown (its values escaped); text and JSON output leave it out (`changeSummaryJson`). */
  markdown?: string;
  line?: number;
  column?: number;
}

/** The change list of a review with a baseline (JSON: the report's `change`). */
export interface ChangeSummary {
  baseline: string;
  baselineStage: Stage;
  from?: string;
  to?: string;
  /** The approved version is live (Public Beta or Public): versions and declarations are enforced. */
  live: boolean;
  breaking: number;
  notices: number;
  /** Breaking changes are declared: a major version above the approved one and its `breakingChanges` entry. */
  declared: boolean;
  changes: ChangeEntry[];
}

export const LIVE_STAGES: readonly Stage[] = ["public-beta", "public"];
/** Days customers get, at least, between the approval of a breaking change and its upgrade deadline. */
export const MIN_UPGRADE_DAYS = 14;
const DAY = 86_400_000;

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const day = (d: Date) => d.toISOString().slice(0, 10);

/** GitHub's anchor for a heading ("Migrating to 2.0" → migrating-to-20), and a looser form (migrating-to-2-0). */
export function headingAnchors(text: string): string[] {
  const lower = text.trim().toLowerCase();
  const github = lower.replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
  const loose = lower.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
  return [github, loose];
}

export interface ChangeCheckOptions {
  baseline?: BaselineInput;
  /** The time of the review: upgrade deadlines are measured from it. Without it they are not checked. */
  now?: Date;
}

export async function checkChanges(
  loaded: LoadedManifest & { manifest: Manifest },
  source: FileSource,
  options: ChangeCheckOptions,
): Promise<{ diagnostics: Diagnostic[]; summary?: ChangeSummary }> {
  const { manifest, file } = loaded;
  const diagnostics: Diagnostic[] = [];
  const at = (
    ruleId: ChangeRuleId,
    severity: Severity,
    message: string | Message,
    pointer: string,
    key = false,
  ): Diagnostic => {
    const d: Diagnostic = { ruleId, severity, ...messageFields(message), file, path: pointer };
    const pos = (key ? (loaded.locateKey ?? loaded.locate) : loaded.locate)(pointer);
    if (pos) Object.assign(d, pos);
    diagnostics.push(d);
    return d;
  };
  const version = parseSemver(manifest.version);
  if (LIVE_STAGES.includes(manifest.stage) && !version) {
    at(
      "change/version-required",
      "error",
      msg`\`stage\` is ${manifest.stage}, so the manifest carries a \`version\`: add \`version: 1.0.0\` below it (or the version the catalog last approved, raised).`,
      "/stage",
    );
  }
  const entry = manifest.breakingChanges?.find((b) => b.version === manifest.version);
  if (entry) await checkEntry(entry, manifest.breakingChanges!.indexOf(entry), source, options.now, at);

  const baseline = options.baseline;
  if (!baseline) return { diagnostics };
  if ("problem" in baseline) {
    diagnostics.push(baselineWarning(baseline.problem));
    return { diagnostics };
  }

  const changes = await compareAll(baseline, manifest, source);
  const live = LIVE_STAGES.includes(baseline.stage);
  const from =
    baseline.version ?? (typeof baseline.manifest.version === "string" ? baseline.manifest.version : undefined);
  const old = parseSemver(from);
  const breaking = changes.filter((c) => c.breaking);
  const majorRaised = version !== undefined && (old === undefined || version.major > old.major);
  const declared = breaking.length > 0 && majorRaised && entry !== undefined;
  const summary: ChangeSummary = {
    baseline: baseline.label,
    baselineStage: baseline.stage,
    ...(from ? { from } : {}),
    ...(typeof manifest.version === "string" ? { to: manifest.version } : {}),
    live,
    breaking: breaking.length,
    notices: changes.length - breaking.length,
    declared,
    changes: [],
  };
  for (const c of changes) {
    const severity: Severity = !c.breaking ? "info" : declared || !live ? "warning" : "error";
    const d = at(c.ruleId, severity, messageSentence(describe(c, live, declared)), c.pointer, c.atKey);
    summary.changes.push({
      ruleId: c.ruleId,
      breaking: c.breaking,
      message: d.message,
      ...(d.markdown !== undefined ? { markdown: d.markdown } : {}),
      ...(d.line ? { line: d.line, column: d.column } : {}),
    });
  }
  if (!live || changes.length === 0) return { diagnostics, summary };

  const versionAt = manifest.version !== undefined ? "/version" : "/stage";
  if (version && old && compareSemver(version, old) <= 0) {
    const next = breaking.length
      ? `${old.major + 1}.0.0`
      : changes.some((c) => c.ruleId === "change/added")
        ? `${old.major}.${old.minor + 1}.0`
        : `${old.major}.${old.minor}.${old.patch + 1}`;
    at(
      "change/version-not-raised",
      "error",
      msg`\`version\` is ${manifest.version}, and the approved version (${baseline.label}) is ${from}: a pull request that changes a live integration raises it, here to ${next}.`,
      versionAt,
    );
  }
  if (breaking.length && !declared) {
    const target = old ? `${old.major + 1}.0.0` : version ? `${version.major}.0.0` : "1.0.0";
    const to = majorRaised && manifest.version ? manifest.version : target;
    const deadline = options.now ? day(new Date(options.now.getTime() + 2 * MIN_UPGRADE_DAYS * DAY)) : "YYYY-MM-DD";
    const guide = `${manifest.docs?.segment ?? "docs/segment.md"}#migrating-to-${to.replace(/\./g, "-")}`;
    // Not declared means a major version or an entry is missing: at least one of the two.
    const [first, second] = [
      !majorRaised ? msg`a major version (\`version: ${to}\`)` : undefined,
      !entry ? msg`a \`breakingChanges\` entry for ${to}` : undefined,
    ].filter((m) => m !== undefined);
    const needs = second ? msg`${first} and ${second}` : first!;
    // What to add: YAML with the manifest's values in it, escaped whole in Markdown.
    const add =
      (majorRaised ? "" : `version: ${to}\n`) +
      (entry
        ? ""
        : `breakingChanges:\n  - version: ${to}\n    message: What breaks for customers, and what happens to existing connections.\n    upgradeDeadline: ${deadline}      # at least ${MIN_UPGRADE_DAYS} days after approval\n    migrationGuide: ${guide}   # a heading that exists\n`);
    at(
      "change/breaking-undeclared",
      "error",
      msg`${breaking.length} breaking change${breaking.length === 1 ? "" : "s"} against the approved version ${from ?? ""} (${STAGE_TITLES[baseline.stage]}) need${breaking.length === 1 ? "s" : ""} ${needs}. Add:\n\n${add}\nOr undo the breaking changes listed on their lines.`,
      versionAt,
    );
  }
  return { diagnostics, summary };
}

/** The manifests' changes, and the approved files' content changes (which replace a mere "now points at" of the same key). */
async function compareAll(baseline: Baseline, manifest: Manifest, source: FileSource): Promise<Change[]> {
  const changes = compareManifests(baseline.manifest, manifest);
  if (!baseline.files) return changes;
  const contents = await compareContents(baseline.files, baseline.manifest, manifest, source);
  const replaced = (c: Change) => contents.find((x) => x.ruleId === c.ruleId && x.pointer === c.pointer);
  const rest = contents.filter((x) => !changes.some((c) => replaced(c) === x));
  // With the other listing changes, before the components'.
  const at = changes.findIndex((c) => c.pointer.startsWith("/components"));
  const merged = changes.map((c) => replaced(c) ?? c);
  merged.splice(at < 0 ? merged.length : at, 0, ...rest);
  return merged;
}

function describe(c: Change, live: boolean, declared: boolean): Message {
  if (!c.breaking) return c.message;
  if (!live) return msg`${c.message} (a breaking change once live)`;
  return declared
    ? msg`${c.message}. Declared as a breaking change; a reviewer approves it`
    : msg`${c.message}. This breaks live customers: undo it, or declare it (see the \`change/breaking-undeclared\` error)`;
}

async function checkEntry(
  entry: NonNullable<Manifest["breakingChanges"]>[number],
  index: number,
  source: FileSource,
  now: Date | undefined,
  at: (ruleId: ChangeRuleId, severity: Severity, message: Message, pointer: string) => Diagnostic,
): Promise<void> {
  const base = `/breakingChanges/${index}`;
  if (!isDate(entry.upgradeDeadline)) {
    at(
      "change/upgrade-deadline",
      "error",
      msg`\`upgradeDeadline\` ${entry.upgradeDeadline} is not a date that exists; write it YYYY-MM-DD.`,
      `${base}/upgradeDeadline`,
    );
  } else if (now) {
    const earliest = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + MIN_UPGRADE_DAYS * DAY,
    );
    if (Date.parse(`${entry.upgradeDeadline}T00:00:00Z`) < earliest.getTime()) {
      at(
        "change/upgrade-deadline",
        "error",
        msg`\`upgradeDeadline\` ${entry.upgradeDeadline} is less than ${MIN_UPGRADE_DAYS} days after this review (${day(now)}); customers get at least until ${day(earliest)}.`,
        `${base}/upgradeDeadline`,
      );
    }
  }
  const [path = "", anchor] = entry.migrationGuide.split("#", 2);
  const guideAt = `${base}/migrationGuide`;
  const norm = normalizePath(path);
  if (!norm.ok || !path) {
    at(
      "change/migration-guide",
      "error",
      msg`\`migrationGuide\` ${entry.migrationGuide} does not name a file in the repository${norm.ok ? "" : `: ${norm.message}`}`,
      guideAt,
    );
    return;
  }
  const read = await source.read(norm.path, LIMITS.docBytes);
  if (!read.ok) {
    at("change/migration-guide", "error", msg`\`migrationGuide\` points at ${path}: ${read.message}`, guideAt);
    return;
  }
  if (!anchor) {
    at(
      "change/migration-guide",
      "error",
      msg`\`migrationGuide\` names ${path} but no heading: add \`#\` and the heading's anchor (\`${path}#migrating-to-${entry.version.replace(/\./g, "-")}\`).`,
      guideAt,
    );
    return;
  }
  const text = decodeText(read.bytes, path);
  if (!text.ok) {
    at(
      "change/migration-guide",
      "error",
      msg`\`migrationGuide\` points at ${path}, which cannot be read: ${text.message}`,
      guideAt,
    );
    return;
  }
  const all = headings(parseMarkdown(text.text));
  const want = anchor.toLowerCase();
  if (!all.some((h) => headingAnchors(h.text).includes(want))) {
    const near = all
      .filter((h) => h.level > 1)
      .map((h) => headingAnchors(h.text)[0])
      .slice(0, 8);
    at(
      "change/migration-guide",
      "error",
      msg`\`migrationGuide\` points at the heading ${`#${anchor}`}, which ${path} does not have. Add a section for the migration${near.length ? `, or use one of: ${near.map((a) => `#${a}`).join(", ")}` : ""}.`,
      guideAt,
    );
  }
}
