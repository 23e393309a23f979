// What a documentation rule's check sees. Every docs file is parsed once (lines, front matter,
// Markdown tokens) into a context; each rule gets it with `report` bound to its own id and
// severity, and `locate` from a 0-based line to where its text starts.
import type { Token } from "markdown-it";
import type { Diagnostic, Severity } from "../../core/diagnostic.js";
import { messageFields, type Message } from "../../core/markdown.js";
import type { CheckedRule, Rule, RuleContext } from "../../core/rule.js";
import type { FrontMatter } from "../front-matter.js";
import type { LineIndex } from "../lines.js";
import type { Heading, LinkLocator, LinkRef, TooDeep } from "../markdown.js";
import type { DocsView } from "../manifest-view.js";
import type { SvgReport } from "../svg.js";

export type Pos = { line: number; column: number };

/** What every Markdown file's context holds: the docs page and the catalog copy alike. */
export interface TextContext extends RuleContext<Pos, number> {
  readonly view: DocsView;
  readonly file: string;
  readonly lines: LineIndex;
  readonly fm: FrontMatter;
  readonly tokens: Token[];
  /** Where Markdown nested deeper than the parser follows, if it did. */
  readonly tooDeep: TooDeep | undefined;
  /** 0-based lines of prose (outside code), for the first-person check. */
  readonly proseLines: number[];
  locate(line0: number): Pos;
}

/** A top-level paragraph before the first `##` (the intro) or holding "maintained by". */
export interface Paragraph {
  open: Token;
  inline: Token;
  text: string;
}

/** The platform docs page (`docs.segment`). */
export interface PageContext extends TextContext {
  readonly headings: Heading[];
  /** The first `##` heading matching `pred`, by its normalised text. */
  h2(pred: (key: string) => boolean): Heading | undefined;
  readonly firstH2: Heading | undefined;
  readonly links: LinkRef[];
  readonly locator: LinkLocator;
  /** The host of `app.website`, when it is a URL. */
  readonly host: string | undefined;
  readonly intro: Paragraph[];
  readonly maintained: Paragraph[];
}

/** The catalog copy (`docs.catalog`). */
export interface CopyContext extends TextContext {
  /** The description as the catalog shows it: text only, white space collapsed. */
  readonly description: string;
  /** Where the description starts. */
  readonly start: Pos;
}

/** The logo or the mark (an SVG file): `report` takes a character offset. */
export interface SvgContext extends RuleContext<number> {
  readonly role: "logo" | "mark";
  /** `app.logo` or `app.mark`. */
  readonly field: string;
  readonly file: string;
  readonly svg: SvgReport;
}

export type PageRule<Id extends string = string> = CheckedRule<PageContext, Id>;
export type CopyRule<Id extends string = string> = CheckedRule<CopyContext, Id>;
export type SvgRule<Id extends string = string> = CheckedRule<SvgContext, Id>;

export const pageRule = <const Id extends `docs/${string}`>(rule: PageRule<Id>): PageRule<Id> => rule;
export const copyRule = <const Id extends `catalog/${string}`>(rule: CopyRule<Id>): CopyRule<Id> => rule;
export const svgRule = <const Id extends `catalog/${string}`>(rule: SvgRule<Id>): SvgRule<Id> => rule;

/** A `report` for `rule` that stamps its id and default severity and places `at` in `file`. */
export function reporter<At>(rule: Rule, file: string, out: Diagnostic[], position: (at: At) => Pos) {
  return (message: string | Message, at: At, options: { severity?: Severity } = {}): void => {
    const pos = position(at);
    out.push({
      ruleId: rule.id,
      severity: options.severity ?? rule.severity,
      ...messageFields(message),
      file,
      line: pos.line,
      column: pos.column,
    });
  };
}
