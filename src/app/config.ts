// Operator configuration: who reviews, where the catalog lives. It comes from the App's own
// environment, never from a partner's repository or pull request, so nothing a pull request
// contains can change who counts as a reviewer.
import { MANIFEST_FILE } from "../core/vocabulary.js";

export interface AppConfig {
  reviewers: {
    /** GitHub logins of reviewers (lower-cased). */
    logins: string[];
    /** A team whose active members are reviewers. */
    team?: { org: string; slug: string };
  };
  /** The trusted record of every integration's stage: one JSON file per integration. */
  catalog?: { owner: string; repo: string; path: string; branch?: string };
  manifestFile: string;
  /** A submission without a reviewer's response for this many business days is overdue. */
  reviewBusinessDays: number;
  /** Key that signs the record of reviewer-confirmed items kept in the checklist comment. */
  stateSecret: string;
  /** The App's own login (`<slug>[bot]`); found through the API when not set. */
  botLogin?: string;
  /** Log the mutations instead of making them. */
  dryRun: boolean;
  /** Installation of the App on the operator's organisation (team lookups, catalog writes); found when not set. */
  operatorInstallationId?: number;
  /** Run the overdue sweep inside the server every N minutes (0 = never; use `npm run sweep` on a schedule instead). */
  sweepEveryMinutes: number;
}

export interface ConfigResult {
  config: AppConfig;
  /** Problems an operator must fix; the App still starts, denying what it cannot verify. */
  problems: string[];
}

const OWNER_REPO = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})$/;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const problems: string[] = [];
  const logins = (env.DEVCENTER_REVIEWERS ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim().replace(/^@/, "").toLowerCase())
    .filter(Boolean);
  let team: AppConfig["reviewers"]["team"];
  if (env.DEVCENTER_REVIEWERS_TEAM) {
    const m = OWNER_REPO.exec(env.DEVCENTER_REVIEWERS_TEAM.trim().replace(/^@/, ""));
    if (m) team = { org: m[1]!, slug: m[2]! };
    else problems.push(`DEVCENTER_REVIEWERS_TEAM must be "org/team-slug", not "${env.DEVCENTER_REVIEWERS_TEAM}".`);
  }
  if (logins.length === 0 && !team)
    problems.push(
      "No reviewers configured (DEVCENTER_REVIEWERS or DEVCENTER_REVIEWERS_TEAM): every stage label will be removed.",
    );

  let catalog: AppConfig["catalog"];
  if (env.DEVCENTER_CATALOG_REPO) {
    const m = OWNER_REPO.exec(env.DEVCENTER_CATALOG_REPO.trim());
    if (m) {
      catalog = {
        owner: m[1]!,
        repo: m[2]!,
        path: (env.DEVCENTER_CATALOG_PATH ?? "integrations").replace(/^\/+|\/+$/g, ""),
      };
      if (env.DEVCENTER_CATALOG_BRANCH) catalog.branch = env.DEVCENTER_CATALOG_BRANCH;
    } else problems.push(`DEVCENTER_CATALOG_REPO must be "owner/repo", not "${env.DEVCENTER_CATALOG_REPO}".`);
  } else problems.push("DEVCENTER_CATALOG_REPO is not set: promotions cannot be recorded and will be refused.");

  const days = wholeNumber(env, "DEVCENTER_REVIEW_DAYS", 2, 0, problems);
  const stateSecret = env.DEVCENTER_STATE_SECRET || env.WEBHOOK_SECRET || "development";
  if (stateSecret === "development")
    problems.push(
      "Neither DEVCENTER_STATE_SECRET nor WEBHOOK_SECRET is set: reviewer ticks are signed with a public key.",
    );
  // Probot falls back to the secret "development" for deliveries: anyone could sign a webhook.
  if (!env.WEBHOOK_SECRET)
    problems.push(
      'WEBHOOK_SECRET is not set: Probot then accepts deliveries signed with the public secret "development"; set it to the App\'s webhook secret.',
    );
  const installation = wholeNumber(env, "DEVCENTER_OPERATOR_INSTALLATION_ID", 0, 1, problems);
  const sweep = wholeNumber(env, "DEVCENTER_SWEEP_MINUTES", 0, 0, problems);

  const config: AppConfig = {
    reviewers: team ? { logins, team } : { logins },
    manifestFile: MANIFEST_FILE,
    reviewBusinessDays: days,
    stateSecret,
    dryRun: /^(1|true|yes)$/i.test(env.DEVCENTER_DRY_RUN ?? ""),
    sweepEveryMinutes: sweep,
  };
  if (catalog) config.catalog = catalog;
  if (env.DEVCENTER_BOT_LOGIN) config.botLogin = env.DEVCENTER_BOT_LOGIN;
  if (installation > 0) config.operatorInstallationId = installation;
  return { config, problems };
}

/** A whole-number setting: unset or empty gives `fallback`; anything else unusable is a problem (and the fallback). */
function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  if (/^\d+$/.test(raw) && Number(raw) >= min) return Number(raw);
  problems.push(
    `${name} must be a whole number${min > 0 ? ` of at least ${min}` : ""}, not "${env[name]}"; using ${fallback === 0 && min > 0 ? "none" : fallback}.`,
  );
  return fallback;
}
