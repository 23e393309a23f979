// An approval as decide.ts settles it: a promotion to the next stage, or a live integration's new
// version at its own stage — the catalog record and its commit, the default-branch manifest's
// mirror, and the audit note; and, after a partial write, converging on what the catalog already
// records. Pure, like decide.ts.
import { CATALOG_STAGES, type Stage } from "../core/vocabulary.js";
import {
  approve,
  recordPath,
  stageFromCatalog,
  type CatalogHistoryEntry,
  type RecordFileKind,
} from "../catalog/record.js";
import type { Manifest } from "../manifest/types.js";
import { withManifestStage } from "./catalog.js";
import { auditNote, integrationHeading, keyRoot } from "./text.js";
import type { DerivedState, IntegrationState, Note, Promotion } from "./types.js";

/**
 * The version a pull request asks reviewers to approve for a live integration the catalog records,
 * when it is not the recorded one (the change check ran against the record): what applying the
 * current stage's label approves. Undefined when there is nothing new to approve.
 */
export function newVersionOf(i: IntegrationState): string | undefined {
  const version = i.report.manifest?.version;
  if (i.catalog.status !== "found" || typeof version !== "string") return undefined;
  // A record from before versions (no approved manifest) records its first version without a comparison.
  if (!i.report.change && i.catalog.record.manifest) return undefined;
  return version !== i.catalog.record.version ? version : undefined;
}

/** Whether the catalog's last entry approved a new version (at the stage of the entry before it), not a promotion. */
function lastApprovedVersion(history: readonly CatalogHistoryEntry[]): boolean {
  const last = history.at(-1);
  return history.length > 1 && last?.version !== undefined && history.at(-2)!.stage === last.stage;
}

type Recorded = { version: string; by: string; at: string };

/**
 * The new version of a live integration this pull request had approved and recorded: by this
 * event's promotion, or (a later event) by the catalog's last entry, at the same stage as the one
 * before it, naming this pull request and the head's version.
 */
export function recordedVersion(
  state: DerivedState,
  i: IntegrationState,
  p: Promotion | undefined,
): Recorded | undefined {
  if (p?.newVersion && p.catalog?.record.version)
    return { version: p.catalog.record.version, by: p.approvedBy, at: p.approvedAt };
  if (i.catalog.status !== "found") return undefined;
  const history = i.catalog.record.history;
  const last = history.at(-1);
  if (!last?.version || last.pullRequest !== state.pr.url || last.version !== i.report.manifest?.version)
    return undefined;
  if (!lastApprovedVersion(history)) return undefined;
  return { version: last.version, by: last.approvedBy, at: last.approvedAt };
}

/** The approval of `i` at `to` by `approvedBy`: its catalog commit, mirror and audit note. */
export function promote(
  state: DerivedState,
  i: IntegrationState,
  to: Stage,
  approvedBy: string,
  approvedAt: string,
): Promotion {
  const manifest = i.report.manifest!;
  const from = i.currentStage!;
  const previous = i.catalog.status === "found" ? i.catalog.record : undefined;
  const files = i.recordFiles ?? {};
  const breaking = i.report.change?.declared === true;
  const { record, message } = approve(
    previous,
    {
      manifest,
      repository: `${state.repo.owner}/${state.repo.name}`,
      root: i.root,
      files: Object.keys(files) as RecordFileKind[],
      stage: to,
      approvedBy,
      approvedAt,
      pullRequest: state.pr.url,
      headSha: state.pr.headSha,
      breaking,
    },
    CATALOG_STAGES[from],
  );
  const path = recordPath(state.settings.catalog?.path ?? "", manifest.app.slug);
  const read = i.catalog.status === "found" ? { path: i.catalog.path, sha: i.catalog.sha } : { path };
  const mirror = mirrorFor(state, i, to, approvedBy);
  const p: Promotion = {
    root: i.root,
    slug: manifest.app.slug,
    from,
    to,
    approvedBy,
    approvedAt,
    catalog: { read, record, files, message },
    ...(from === to ? { newVersion: true } : {}),
    audit: auditOf(state, i, manifest, mirror, {
      from,
      to,
      approvedBy,
      approvedAt,
      headSha: state.pr.headSha,
      catalogPath: path,
      version: record.version,
      breaking,
    }),
  };
  if (mirror) p.mirror = mirror;
  return p;
}

/** After an approval by this pull request: the mirror and the audit note, if either is missing. */
export function convergePromoted(state: DerivedState, i: IntegrationState, target: Stage): Promotion | undefined {
  if (i.catalog.status !== "found" || i.currentStage !== target) return undefined;
  const history = i.catalog.record.history;
  const last = history.at(-1);
  if (!last || last.pullRequest !== state.pr.url || last.stage !== CATALOG_STAGES[target]) return undefined;
  const manifest = i.report.manifest;
  if (!manifest) return undefined;
  const prev = [...history].reverse().find((h) => h.stage !== CATALOG_STAGES[target]);
  const from = lastApprovedVersion(history) ? target : (stageFromCatalog(prev?.stage) ?? "developer-preview");
  const mirror = mirrorFor(state, i, target, last.approvedBy);
  const p: Promotion = {
    root: i.root,
    slug: manifest.app.slug,
    from,
    to: target,
    approvedBy: last.approvedBy,
    approvedAt: last.approvedAt,
    audit: auditOf(state, i, manifest, mirror, {
      from,
      to: target,
      approvedBy: last.approvedBy,
      approvedAt: last.approvedAt,
      headSha: last.headSha,
      catalogPath: i.catalog.path,
      version: last.version,
      breaking: last.breaking === true,
    }),
  };
  if (mirror) p.mirror = mirror;
  return p;
}

/**
 * An approval's audit note, keyed so it is posted once: a promotion per stage, a new version
 * (`from` = `to`) per version.
 */
function auditOf(
  state: DerivedState,
  i: IntegrationState,
  manifest: Manifest,
  mirror: Promotion["mirror"],
  a: {
    from: Stage;
    to: Stage;
    approvedBy: string;
    approvedAt: string;
    headSha: string;
    catalogPath: string;
    version: string | undefined;
    breaking: boolean;
  },
): Note {
  const root = keyRoot(i.root) || ".";
  return {
    key: a.from === a.to ? `approved:${root}:${a.to}:${a.version ?? "none"}` : `promoted:${root}:${a.to}`,
    body: auditNote({
      heading: integrationHeading({ name: manifest.app.name, slug: manifest.app.slug, root: i.root }),
      from: a.from,
      to: a.to,
      approvedBy: a.approvedBy,
      approvedAt: a.approvedAt,
      headSha: a.headSha,
      catalog: `${state.settings.catalog?.repo ?? "catalog"}/${a.catalogPath}`,
      mirror: mirrorOutcome(i, mirror),
      ...(a.version ? { version: a.version } : {}),
      breaking: a.breaking,
    }),
  };
}

function mirrorOutcome(i: IntegrationState, mirror: Promotion["mirror"]): "written" | "already" | "absent" {
  if (mirror) return "written";
  return i.defaultBranchManifest && "sha" in i.defaultBranchManifest ? "already" : "absent";
}

function mirrorFor(state: DerivedState, i: IntegrationState, to: Stage, approvedBy: string): Promotion["mirror"] {
  const dbm = i.defaultBranchManifest;
  if (!dbm || !("sha" in dbm)) return undefined;
  const content = withManifestStage(dbm.text, to);
  if (content === undefined) return undefined;
  return {
    path: i.manifestPath,
    sha: dbm.sha,
    content,
    message: `devcenter: stage ${to} (approved by ${approvedBy} in #${state.pr.number})`,
  };
}
