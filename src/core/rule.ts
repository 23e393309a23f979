// A rule is one object: its id, default severity, title and description (the README's rule
// reference and the rule info are generated from these objects), and, for most rules, its check.
//
// Two kinds, said explicitly:
// - a checked rule has `check(ctx)`: a family's runner (manifest/check.ts, docs/check.ts) builds
//   one context per file, and `ctx.report` reports under the rule's own id and severity;
// - a parser rule has no check: it is reported from inside a parser or a server while it reads
//   (YAML loading, JSON positions, Spec validation, the Tracking API sink), where the finding is a
//   by-product of reading. Its object still owns the id, severity, title and description, and the
//   parser refers to it by id.
import type { RuleInfo, Severity } from "./diagnostic.js";
import type { Message } from "./markdown.js";

export interface Rule<Id extends string = string> extends RuleInfo {
  readonly id: Id;
}

/** What every rule context gives a check: `report` under the rule's own id, and `locate`. */
export interface RuleContext<At, Loc = At> {
  /** Reports a finding of this rule at `at`; the severity defaults to the rule's own. A `msg` message keeps its Markdown. */
  report(message: string | Message, at: At, options?: { severity?: Severity }): void;
  /** Where a place named the family's way (a JSON pointer, a 0-based line) is in the file. */
  locate(place: Loc): { line: number; column: number } | undefined;
}

export interface CheckedRule<Ctx, Id extends string = string> extends Rule<Id> {
  check(ctx: Ctx): void;
}

/** A parser rule: declared here, reported by the parser that meets it. */
export function parserRule<const Id extends string>(rule: Rule<Id>): Rule<Id> {
  return rule;
}

/** The ids of a list of rules, typed as their union. */
export function ruleIds<const R extends readonly Rule[]>(rules: R): R[number]["id"][] {
  return rules.map((r) => r.id);
}
