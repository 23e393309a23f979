// What a manifest rule's check sees: the schema-valid manifest, and `report`/`locate` by JSON
// pointer into integration.yml (the diagnostic lands on the line of the value, or of its key).
import type { Severity } from "../../core/diagnostic.js";
import { msg, type Message } from "../../core/markdown.js";
import type { CheckedRule, RuleContext } from "../../core/rule.js";
import type { Position } from "../load.js";
import type { Manifest } from "../types.js";
import { pointerToPath } from "../yaml-tree.js";

export interface ManifestContext extends RuleContext<string> {
  readonly manifest: Manifest;
  /** Root-relative path of the manifest. */
  readonly file: string;
  /** `key: true` points at the key rather than its value (a key that should not be there). */
  report(message: string | Message, pointer: string, options?: { severity?: Severity; key?: boolean }): void;
  locate(pointer: string): Position | undefined;
}

export type ManifestRule<Id extends string = string> = CheckedRule<ManifestContext, Id>;

/** Declares a checked manifest rule, keeping its id's literal type. */
export function manifestRule<const Id extends `manifest/${string}`>(rule: ManifestRule<Id>): ManifestRule<Id> {
  return rule;
}

/** A JSON pointer as readers write the path: `/components/0/settings` → `components[0].settings`, in backticks. */
export const show = (pointer: string): Message => msg`\`${pointerToPath(pointer)}\``;

export function parseUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}
