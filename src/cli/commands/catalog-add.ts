// `devcenter catalog add <integration-dir> --stage public-beta|public --by LOGIN --catalog DIR`:
// writes into a local checkout of the catalog repository the same record the App writes at a
// promotion (src/catalog/record.ts): how an operator lists integrations that existed before
// devcenter, and how tests build a catalog.
import { stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { formatLocation } from "../../core/diagnostic.js";
import { normalizePath } from "../../core/source.js";
import { LocalSource } from "../../replay/source-local.js";
import { CATALOG_STAGES, MANIFEST_FILE, STAGE_TITLES, type Stage } from "../../core/vocabulary.js";
import { readLocalRecord, writeLocalRecord } from "../../catalog/local.js";
import {
  approve,
  isValidSlug,
  recordFolder,
  readRecordSources,
  recordWrites,
  RECORD_FILES,
  type RecordFileKind,
} from "../../catalog/record.js";
import { loadManifest } from "../../manifest/load.js";
import type { Command } from "../command.js";
import { EXIT, UsageError, parseFormat } from "../io.js";

const LISTED: readonly Stage[] = ["public-beta", "public"];
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export const catalogAddCommand: Command = {
  name: "catalog add",
  usage: "catalog add <dir>",
  summary: "List an integration in a local catalog repository, as the App records a promotion.",
  help: [
    "--stage public-beta|public    the stage it is listed in (required)",
    "--by LOGIN                    who approved it (required; recorded in the history)",
    "--catalog DIR                 the catalog repository's folder (required; created if absent)",
    "--path FOLDER                 records' folder inside it (default integrations, as DEVCENTER_CATALOG_PATH)",
    "--repository OWNER/REPO       the repository that owns the integration (default: none recorded)",
    "--root FOLDER                 the integration's folder in that repository (default: its root)",
    "--pull-request URL            the pull request that approved it (default: none)",
    "--head SHA                    the approved commit (default: none)",
    "--at ISO-8601                 when it was approved (default: now)",
    "--manifest FILE               the manifest, relative to dir (default integration.yml)",
    "--format text|json            output format (default text)",
  ],
  options: {
    stage: { type: "string" },
    by: { type: "string" },
    catalog: { type: "string" },
    path: { type: "string" },
    repository: { type: "string" },
    root: { type: "string" },
    "pull-request": { type: "string" },
    head: { type: "string" },
    at: { type: "string" },
    manifest: { type: "string" },
    format: { type: "string", short: "f" },
  },
  async run(args, io) {
    const format = parseFormat(args.values.format as string | undefined, ["text", "json"]);
    const v = args.values as Record<string, string | undefined>;
    if (args.positionals.length !== 1)
      throw new UsageError(
        "name one integration folder, e.g. `devcenter catalog add ./acme --stage public-beta --by octocat --catalog ../catalog`.",
      );
    const stage = v.stage as Stage | undefined;
    if (!stage || !LISTED.includes(stage))
      throw new UsageError(`--stage must be public-beta or public${stage ? `; got "${stage}"` : ""}.`);
    if (!v.by || !LOGIN.test(v.by))
      throw new UsageError(
        `--by names the GitHub login of whoever approved the listing${v.by ? `; "${v.by}" is not a login` : ""}.`,
      );
    if (!v.catalog) throw new UsageError("--catalog names the catalog repository's folder.");
    if (v.repository !== undefined && !REPOSITORY.test(v.repository))
      throw new UsageError(`--repository is OWNER/REPO; got "${v.repository}".`);
    const at = v.at ?? new Date().toISOString();
    if (Number.isNaN(Date.parse(at))) throw new UsageError(`--at is a date and time (ISO-8601); got "${at}".`);
    const base = normalizePath(v.path ?? "integrations");
    if (!base.ok) throw new UsageError(`--path: ${base.message}`);
    const root = normalizePath(v.root ?? "");
    if (!root.ok) throw new UsageError(`--root: ${root.message}`);

    let dir = resolve(io.cwd, args.positionals[0]!);
    let manifestFile = v.manifest ?? MANIFEST_FILE;
    dir = resolve(dir, dirname(manifestFile));
    manifestFile = basename(manifestFile);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory())
      throw new UsageError(`${args.positionals[0]} is not a folder.`);
    const source = new LocalSource(dir);
    const loaded = await loadManifest(source, manifestFile);
    if (!loaded.manifest) {
      const errors = loaded.diagnostics.filter((d) => d.severity === "error");
      io.stderr(
        `devcenter catalog add: ${manifestFile} in ${args.positionals[0]} is not a valid manifest, so nothing was listed:\n` +
          errors.map((d) => `  ${formatLocation(d)}  ${d.message}\n`).join("") +
          "Fix it (`devcenter review` shows every finding) and run this again.\n",
      );
      return EXIT.findings;
    }
    const manifest = loaded.manifest;
    if (!isValidSlug(manifest.app.slug)) {
      io.stderr(
        `devcenter catalog add: \`app.slug\` ${JSON.stringify(manifest.app.slug)} is not a valid slug (lowercase letters, digits and single hyphens), so it cannot name a record; nothing was listed.\n`,
      );
      return EXIT.findings;
    }
    const catalogDir = resolve(io.cwd, v.catalog);
    const previous = await readLocalRecord(catalogDir, base.path, manifest.app.slug);
    if (previous.status === "error") {
      io.stderr(
        `devcenter catalog add: ${previous.message}\nNothing was written; repair or remove that record first.\n`,
      );
      return EXIT.findings;
    }
    const repository = v.repository ?? (previous.status === "found" ? previous.record.repository : "");
    if (
      previous.status === "found" &&
      previous.record.repository &&
      previous.record.repository.toLowerCase() !== repository.toLowerCase()
    ) {
      io.stderr(
        `devcenter catalog add: the slug ${manifest.app.slug} is recorded for ${previous.record.repository}, not ${repository}; nothing was written.\n`,
      );
      return EXIT.findings;
    }

    // The files the record keeps, byte for byte; one the manifest names but that cannot be read is left out, said.
    const warnings: string[] = [];
    if (!manifest.version)
      warnings.push(
        `${manifestFile} has no \`version\`; a live integration needs one (add \`version: 1.0.0\`), and the record has none until then.`,
      );
    const { files: contents, unread } = await readRecordSources(source, manifest, manifestFile);
    for (const u of unread) warnings.push(`${u.path} (${u.kind}) was not copied: ${u.message}`);
    const prior = previous.status === "found" ? previous.record : undefined;
    const { record, message } = approve(
      prior,
      {
        manifest,
        repository,
        root: root.path,
        files: Object.keys(contents) as RecordFileKind[],
        stage,
        approvedBy: v.by,
        approvedAt: new Date(at).toISOString(),
        pullRequest: v["pull-request"] ?? "",
        headSha: v.head ?? "",
      },
      prior?.stage,
    );
    const change = recordWrites(base.path, record, contents);
    await writeLocalRecord(catalogDir, change);

    const folder = recordFolder(base.path, record.slug);
    if (format === "json") {
      io.stdout(
        `${JSON.stringify({ folder, record, files: change.writes.map((w) => w.path), message, warnings }, null, 2)}\n`,
      );
    } else {
      for (const w of warnings) io.stderr(`warning: ${w}\n`);
      const files = ["record.json", ...Object.keys(record.files ?? {}).map((k) => RECORD_FILES[k as RecordFileKind])];
      io.stdout(
        `Listed ${record.name} (${record.slug})${record.version ? ` ${record.version}` : ""} in ${STAGE_TITLES[stage]} (${CATALOG_STAGES[stage]}): ${folder}/ — ${files.join(", ")}.\n`,
      );
    }
    return EXIT.ok;
  },
};
