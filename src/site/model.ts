// What the site knows about one integration, read defensively from its catalog record: the record
// and the manifest inside it are data from the catalog repository, so every field is checked for
// its type here and the pages never look at the raw JSON.
export interface SiteSetting {
  label: string;
  key: string;
  type: string;
  required: boolean;
  secret: boolean;
  description?: string;
}

export interface SiteComponent {
  /** "Cloud (webhook)", "Cloud (function)", "Stream", "Browser plugin" */
  kind: string;
  name?: string;
}

export interface SiteVersion {
  version?: string;
  stage: string;
  approvedAt?: string;
  approvedBy?: string;
  pullRequest?: string;
  breaking: boolean;
}

export interface BreakingChange {
  version: string;
  message: string;
  upgradeDeadline?: string;
  migrationGuide?: string;
}

export interface SiteImage {
  /** Absolute path of the file in the catalog folder. */
  source: string;
  bytes: number;
}

export interface SiteIntegration {
  slug: string;
  name: string;
  /** The catalog's stage name: PRIVATE_BUILDING, PUBLIC_BETA, PUBLIC, DEPRECATED. */
  stage: string;
  repository: string;
  /** A legacy `<slug>.json` record: no version, manifest or files. */
  legacy: boolean;
  version?: string;
  description: string;
  categories: string[];
  calls: string[];
  components: SiteComponent[];
  settings: SiteSetting[];
  website?: string;
  supportEmail?: string;
  documentationUrl?: string;
  /** Markdown, from catalog.md / docs.md. */
  catalogCopy?: string;
  docs?: string;
  logo?: SiteImage;
  mark?: SiteImage;
  history: SiteVersion[];
  breakingChanges: BreakingChange[];
}

/** Listed in the catalog: Public Beta and Public (never Developer Preview or Deprecated). */
export const LISTED_STAGES = ["PUBLIC_BETA", "PUBLIC"] as const;

export function isListed(i: Pick<SiteIntegration, "stage">): boolean {
  return (LISTED_STAGES as readonly string[]).includes(i.stage);
}

/** A problem the build reports and goes on: the file it concerns and what to do. */
export interface BuildWarning {
  file: string;
  message: string;
}
