// The shapes passed between derive → decide → apply. All plain, JSON-serialisable data (golden
// files are these objects), times as ISO-8601 UTC strings.
import type { Policy } from "../core/policy.js";
import type { FileSource } from "../core/source.js";
import type { Stage } from "../core/vocabulary.js";
import type { Manifest } from "../manifest/types.js";
import type { ReplayReport } from "../replay/types.js";
import type { Report } from "../report.js";
import type { BaselineInput } from "../change/check.js";
import type { RecordFileKind } from "../catalog/record.js";
import type { CatalogCommit, CatalogRead, CatalogRecord } from "./catalog.js";
import type { ReviewerStatus } from "./reviewers.js";

/** The review engine as the App calls it (see src/review.ts). */
export interface ReviewOptions {
  manifestFile?: string;
  replay?: (manifest: Manifest) => Promise<ReplayReport | undefined>;
  confirmed?: ReadonlySet<string>;
  /** The operator's policy (policy.yml in the catalog repository): the bars the checklist grades against. */
  policy?: Policy;
  baseline?: BaselineInput | ((manifest: Manifest) => Promise<BaselineInput | undefined>);
  now?: Date;
}
export type ReviewFn = (source: FileSource, options?: ReviewOptions) => Promise<Report>;

export interface Actor {
  login: string;
  /** "User", "Bot", "Organization" */
  type: string;
}

export type Command = "recheck" | "help";

export type Trigger =
  | {
      kind: "pull_request";
      action: string;
      sender: Actor;
      label?: string;
      at?: string;
      /** The head the payload names (what a labeling reviewer saw). */
      headSha?: string;
    }
  | { kind: "check"; action: string; sender: Actor; sha: string }
  | { kind: "review"; action: string; sender: Actor }
  | {
      kind: "comment";
      action: string;
      sender: Actor;
      commentId: number;
      body: string;
      /** For edits: the body before this edit, as GitHub reported it. */
      from?: string;
      at: string;
      commands?: Command[];
      /** The commenter may run commands: the pull request's author, or someone with write access (`author_association`). */
      commandsAllowed?: boolean;
    }
  | { kind: "sweep" };

export interface Target {
  owner: string;
  repo: string;
  number: number;
  trigger: Trigger;
  /** Recheck / re-run: write a fresh check run even when nothing changed. */
  force?: boolean;
  /** The pull request as the webhook payload carried it: its head is read with the pull request (the tree read alongside). */
  pull?: Record<string, any>;
}

export interface CommentInfo {
  id: number;
  author: Actor;
  createdAt: string;
  updatedAt: string;
  /** Kept only for the App's own comments. */
  body?: string;
  ours: boolean;
}

export interface LabelEvent {
  label: string;
  action: "labeled" | "unlabeled";
  actor: Actor;
  at: string;
}

export interface ReviewInfo {
  author: Actor;
  at: string;
  state: string;
}

export interface ReplayInfo {
  report: ReplayReport;
  /** Who wrote the check run (the app slug; "github-actions" for a workflow token). */
  writer: string;
  url?: string;
}

export interface StageEdit {
  from?: string;
  to?: string;
  /** Line of the added `stage:` at the head. */
  line?: number;
}

export interface IntegrationState {
  /** Folder in the repository ("" = the root). */
  root: string;
  manifestPath: string;
  /** The pull request changes files under this root (when it changes none, every integration is in scope). */
  inScope: boolean;
  report: Report;
  replay?: ReplayInfo;
  catalog: CatalogRead;
  /** The stage the catalog records (developer-preview when it has no record); undefined when unknown. */
  currentStage?: Stage;
  /** The pull request's diff changes the manifest's top-level `stage`. */
  stageEdit?: StageEdit;
  /** The files the catalog record keeps, from the head (base64 by kind): read only while a stage label is on the pull request. */
  recordFiles?: Partial<Record<RecordFileKind, string>>;
  /** The manifest on the default branch: read only while a stage label is on the pull request. */
  defaultBranchManifest?: { sha: string; text: string } | { missing: true } | { error: string };
}

export interface DerivedState {
  now: string;
  settings: {
    reviewBusinessDays: number;
    reviewersDescription: string;
    reviewerMentions: string[];
    reviewerRequests: { reviewers: string[]; teams: string[] };
    catalog?: {
      repo: string;
      path: string;
      /** DEVCENTER_CATALOG_BRANCH; the catalog's default branch when unset. */
      branch?: string;
    };
  };
  repo: { owner: string; name: string; defaultBranch: string };
  trigger: Trigger;
  force: boolean;
  /** Where the pull request data came from: always a read now (the payload's copy only names the head to read the tree of). */
  snapshot: "payload" | "fresh";
  pr: {
    number: number;
    url: string;
    state: string;
    merged: boolean;
    draft: boolean;
    author: Actor;
    headSha: string;
    headRepo: string;
    baseRef: string;
    createdAt: string;
    labels: string[];
    requestedReviewers: string[];
    requestedTeams: string[];
  };
  files: { count: number; truncated: boolean; workflowFiles: string[] };
  treeTruncated: boolean;
  integrations: IntegrationState[];
  /** Integrations in the repository this pull request does not touch (not reviewed). */
  outOfScope: string[];
  comments: CommentInfo[];
  labelEvents: LabelEvent[];
  reviews: ReviewInfo[];
  readyForReviewAt?: string;
  convertedToDraftAt?: string;
  /** Upper bound on the time of the last push (see derive). */
  lastPushAt: string;
  /** The App's latest `devcenter` check run on the head. */
  checkRun?: { id: number; status: string; conclusion: string | null; digest?: string };
  /** Lower-cased login → reviewer status, for everyone whose authority matters here. */
  reviewerStatus: Record<string, ReviewerStatus>;
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
}

export interface DesiredCheckRun {
  headSha: string;
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  text: string;
  annotations: Annotation[];
  digest: string;
}

export interface Note {
  /** Idempotency key: a note with this key is posted once. */
  key: string;
  body: string;
}

export interface LabelRemoval {
  label: string;
  /** Why: posted as a note with `key`. */
  note: Note;
}

export interface Promotion {
  root: string;
  slug: string;
  from: Stage;
  to: Stage;
  approvedBy: string;
  approvedAt: string;
  /** The catalog record to write: the file read before (path, blob SHA), the new record, its files (base64 by kind). */
  catalog?: {
    read: { path: string; sha?: string };
    record: CatalogRecord;
    files: Partial<Record<RecordFileKind, string>>;
    message: string;
  };
  /** Same stage, new version (a change to a live integration approved). */
  newVersion?: boolean;
  /** The manifest on the default branch with `stage` set. */
  mirror?: { path: string; sha: string; content: string; message: string };
  audit: Note;
}

export interface Decision {
  checkRun: DesiredCheckRun;
  /** The live checklist comment: its text, and which existing comment it is (none yet: created). */
  comment: { body: string };
  liveCommentId?: number;
  /** Bot labels the pull request should carry (labels outside the bot namespace are not listed). */
  botLabels: string[] | "leave";
  removeLabels: LabelRemoval[];
  notes: Note[];
  requestReviewers?: { reviewers: string[]; teams: string[] };
  promotions: Promotion[];
  /** Reviewer-confirmed item keys (`root:id`, or `id` at the root) after this event. */
  confirmed: string[];
  /** Lines for logs and dry runs. */
  log: string[];
}

export type Mutation =
  | {
      kind: "check-run";
      headSha: string;
      name: string;
      conclusion: string;
      title: string;
      summary: string;
      text: string;
      annotations: Annotation[];
    }
  | { kind: "comment-create"; body: string; purpose: string }
  | { kind: "comment-update"; id: number; body: string }
  | { kind: "comment-delete"; id: number; reason: string }
  | { kind: "labels-add"; labels: string[] }
  | { kind: "label-remove"; label: string }
  | { kind: "reviewers-request"; reviewers: string[]; teams: string[] }
  | { kind: "catalog-write"; commit: CatalogCommit }
  | {
      kind: "manifest-mirror";
      repo: string;
      path: string;
      sha: string;
      content: string;
      message: string;
      branch: string;
    };
