// Every rule any checker can report, from the rule objects of each family: the README's rule
// reference is generated from this list, and test/rules.test.ts holds it to the fixture folders and the checklist.
import { CHANGE_RULES, type ChangeRuleId } from "../change/rules.js";
import type { RuleInfo } from "../core/diagnostic.js";
import { FILE_RULES, type FileRuleId } from "../core/file-diagnostic.js";
import { DOCS_RULES, type DocsRuleId } from "../docs/rules/index.js";
import { MANIFEST_RULES, type ManifestRuleId } from "../manifest/rules/index.js";
import { POLICY_RULES, type PolicyRuleId } from "../policy/rules.js";
import { STREAM_RULES, type StreamRuleId } from "../replay/stream-rules.js";
import { REPLAY_RULES, type ReplayRuleId } from "../replay/supports.js";
import { SPEC_RULES, type SpecRuleId } from "../spec/rules.js";

export type RuleId =
  | ManifestRuleId
  | FileRuleId
  | SpecRuleId
  | DocsRuleId
  | StreamRuleId
  | ReplayRuleId
  | PolicyRuleId
  | ChangeRuleId;

export const ALL_RULES: readonly RuleInfo[] = [
  ...MANIFEST_RULES,
  ...FILE_RULES,
  ...SPEC_RULES,
  ...DOCS_RULES,
  ...STREAM_RULES,
  ...REPLAY_RULES,
  ...POLICY_RULES,
  ...CHANGE_RULES,
];
