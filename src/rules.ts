// Every diagnostic rule any checker can report, for the rule reference and for tests that
// check each reported ruleId is documented.
import type { RuleInfo } from "./core/diagnostic.js";
import { RULES as DOCS_RULES } from "./docs/rule-info.js";
import { RULES as MANIFEST_RULES } from "./manifest/rule-info.js";
import { STREAM_RULES } from "./replay/rule-info.js";
import { RULES as SPEC_RULES } from "./spec/rule-info.js";

export const ALL_RULES: readonly RuleInfo[] = [...MANIFEST_RULES, ...SPEC_RULES, ...DOCS_RULES, ...STREAM_RULES];

const byId = new Map(ALL_RULES.map((r) => [r.id, r]));
export function ruleInfo(id: string): RuleInfo | undefined {
  return byId.get(id);
}
