// Names shared by every front door: stages, labels, comment markers. One place each.

/** Stages an integration moves through, in order (deprecated is outside the promotion path). */
export const STAGES = ["developer-preview", "public-beta", "public", "deprecated"] as const;
export type Stage = (typeof STAGES)[number];
export const PROMOTION_PATH = ["developer-preview", "public-beta", "public"] as const satisfies readonly Stage[];

export const STAGE_TITLES: Record<Stage, string> = {
  "developer-preview": "Developer Preview",
  "public-beta": "Public Beta",
  public: "Public",
  deprecated: "Deprecated",
};

/** The catalog's own names for the stages. */
export const CATALOG_STAGES: Record<Stage, string> = {
  "developer-preview": "PRIVATE_BUILDING",
  "public-beta": "PUBLIC_BETA",
  public: "PUBLIC",
  deprecated: "DEPRECATED",
};

/** The stage after `stage` on the promotion path, if any. */
export function nextStage(stage: Stage): Stage | undefined {
  const i = (PROMOTION_PATH as readonly Stage[]).indexOf(stage);
  return i >= 0 && i < PROMOTION_PATH.length - 1 ? PROMOTION_PATH[i + 1] : undefined;
}

/** Labels reviewers apply to promote; only these move a stage. */
export const STAGE_LABELS = {
  "public-beta": "stage: public-beta",
  public: "stage: public",
} as const satisfies Partial<Record<Stage, string>>;
export type StageLabel = (typeof STAGE_LABELS)[keyof typeof STAGE_LABELS];

/** Labels the App manages itself. */
export const BOT_LABELS = {
  inReview: "devcenter: in review",
  reviewOverdue: "devcenter: review overdue",
  /** A change to a live integration that declares a breaking change, for a reviewer to approve. */
  breakingChange: "devcenter: breaking change",
} as const;

/** Hidden markers that identify the App's own comments. */
export const MARKERS = {
  checklist: "<!-- devcenter:checklist -->",
  audit: "<!-- devcenter:audit -->",
  labelRemoved: "<!-- devcenter:label-removed -->",
  /** A note posted when a tick by someone who is not a reviewer was reverted. */
  tickReverted: "<!-- devcenter:tick-reverted -->",
  // Markers that carry a value are written `<!-- NAME VALUE -->`; these are the names.
  /** The Action's ReplayReport in its `devcenter replay` check run: `<!-- devcenter:replay-data BASE64 -->`. */
  replayData: "devcenter:replay-data",
  /** The App's signed record of reviewer-confirmed items, inside the checklist comment. */
  state: "devcenter:state",
  /** Digest of a check run's whole output, so an unchanged result is not written again. */
  digest: "devcenter:digest",
  /** Every note the App posts also carries `<!-- devcenter:note KEY -->`, KEY saying what it answers, so it is posted once. */
  note: "devcenter:note",
  /** The App's answer to `/devcenter help`. */
  help: "<!-- devcenter:help -->",
  /** The ping when a submission waits too long for a reviewer. */
  overdue: "<!-- devcenter:overdue -->",
} as const;

/** Call types of the Spec, in the order docs and reports list them. */
export const CALL_TYPES = ["identify", "track", "page", "screen", "group", "alias", "delete"] as const;
export type CallType = (typeof CALL_TYPES)[number];

export const MANIFEST_FILE = "integration.yml";
export const API_VERSION = "devcenter/v1";
export const CHECK_NAMES = { review: "devcenter", replay: "devcenter replay" } as const;
