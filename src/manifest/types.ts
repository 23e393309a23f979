// The parsed `integration.yml` (apiVersion devcenter/v1). The JSON Schema in schemas/ is the
// contract; these types mirror it for the code that reads a manifest after validation.
import type { CallType, Stage } from "../core/vocabulary.js";

export const SETTING_TYPES = [
  "string",
  "password",
  "boolean",
  "number",
  "select",
  "array",
  "map",
  "text-map",
  "mixed",
  "color",
] as const;
export type SettingType = (typeof SETTING_TYPES)[number];

export interface Setting {
  label: string;
  key: string;
  type: SettingType;
  description?: string;
  required?: boolean;
  sensitive?: boolean;
  choices?: string[];
  default?: unknown;
}

/** A literal value, or `{ env: NAME }` to read a CI secret at replay time. */
export type SettingValue = string | number | boolean | string[] | Record<string, unknown> | { env: string };

export interface VolumeBar {
  events?: number;
  concurrency?: number;
  minEventsPerSecond?: number;
}

interface ComponentBase {
  /** Optional display name for reports. */
  name?: string;
  fixtures?: string;
}

export interface WebhookSubscription extends ComponentBase {
  type: "subscription";
  style: "webhook";
  supports: CallType[];
  settings: Setting[];
  testSettings?: Record<string, SettingValue>;
  webhook: { url: string; start?: string; ready?: string; timeoutMs?: number };
  volume?: VolumeBar;
}

export interface FunctionSubscription extends ComponentBase {
  type: "subscription";
  style: "function";
  entry: string;
  supports: CallType[];
  settings: Setting[];
  testSettings?: Record<string, SettingValue>;
  volume?: VolumeBar;
}

export interface StreamComponent extends ComponentBase {
  type: "stream";
  start?: string;
  emits: Exclude<CallType, "delete">[];
}

export interface PluginComponent extends ComponentBase {
  type: "plugin";
  /** The built browser script. */
  entry: string;
  /** The factory the script defines on window: (settings) => plugin | plugin[]. */
  global: string;
  /** The calls the plugin handles. */
  supports?: Exclude<CallType, "delete">[];
  /** Exactly one: a write-scoped key. */
  settings: Setting[];
  testSettings?: Record<string, SettingValue>;
  /** Every host the plugin may contact (`*.example.com` for subdomains). */
  hosts?: string[];
}

export interface BreakingChange {
  version: string;
  message: string;
  /** YYYY-MM-DD */
  upgradeDeadline: string;
  /** `file.md#heading-slug`, relative to the manifest's folder. */
  migrationGuide: string;
}

export type SubscriptionComponent = WebhookSubscription | FunctionSubscription;
export type Component = SubscriptionComponent | StreamComponent | PluginComponent;

export interface Manifest {
  apiVersion: "devcenter/v1";
  app: {
    name: string;
    slug: string;
    description: string;
    website: string;
    supportEmail: string;
    categories: string[];
    logo: string;
    mark: string;
  };
  stage: Stage;
  /** Semver; required once the App is live. */
  version?: string;
  breakingChanges?: BreakingChange[];
  components: Component[];
  docs?: { segment?: string; catalog?: string };
  launch?: {
    documentationUrl?: string;
    integrationsPageUrl?: string;
    blogPostUrl?: string;
    testAccount?: { loginUrl?: string; usernameSecret?: string; passwordSecret?: string; notes?: string };
  };
  oauth?: { clientId: string; redirectUris: string[]; scope: string };
  customers?: { workspace: string }[];
}
