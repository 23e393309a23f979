// Every documentation rule, per file kind, in the order they run. A new docs rule is one object in
// the file of its topic, added to its list here, with a fixture folder
// test/fixtures/docs/invalid/<id>/ (the rule id is the folder).
import { appName, descriptionEmpty, descriptionLength, descriptionMismatch, markup } from "./catalog-copy.js";
import { logoHorizontal, markSquare, svg, svgUnsafe } from "./catalog-svg.js";
import { catalogFile, docsFile } from "./files.js";
import {
  codeSample,
  deleteUnsupported,
  deletion,
  methodMissing,
  methodUnsupported,
  supportedMethods,
} from "./methods.js";
import {
  frontMatter,
  gettingStarted,
  gettingStartedSteps,
  intro,
  introLength,
  introLink,
  maintainedBy,
  title,
  utm,
} from "./page.js";
import {
  catalogFirstPerson,
  catalogPlaceholder,
  catalogTooDeep,
  docsFirstPerson,
  docsPlaceholder,
  docsTooDeep,
} from "./prose.js";
import { eventPropertiesTable, eventsTable, stream } from "./stream.js";

/** The platform docs page's rules. */
export const PAGE_RULES = [
  docsPlaceholder,
  frontMatter,
  title,
  docsTooDeep,
  intro,
  introLength,
  introLink,
  maintainedBy,
  utm,
  gettingStarted,
  gettingStartedSteps,
  supportedMethods,
  methodUnsupported,
  codeSample,
  methodMissing,
  deletion,
  deleteUnsupported,
  stream,
  eventsTable,
  eventPropertiesTable,
  docsFirstPerson,
] as const;

/** The catalog copy's rules. */
export const COPY_RULES = [
  catalogPlaceholder,
  catalogTooDeep,
  descriptionEmpty,
  descriptionLength,
  appName,
  markup,
  descriptionMismatch,
  catalogFirstPerson,
] as const;

/** The logo's and the mark's rules. */
export const SVG_RULES = [svg, svgUnsafe, markSquare, logoHorizontal] as const;

/** Every rule the documentation checks report, reading the files (docsFile, catalogFile) included. */
export const DOCS_RULES = [docsFile, ...PAGE_RULES, catalogFile, ...COPY_RULES, ...SVG_RULES] as const;
export type DocsRuleId = (typeof DOCS_RULES)[number]["id"];
