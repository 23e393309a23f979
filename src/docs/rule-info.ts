// Every rule the documentation checks report: the platform docs page (`docs/…`), the catalog copy
// and the catalog assets, logo and mark (`catalog/…`). The README's rule reference is generated
// from this list; tests assert that every emitted ruleId is listed here.
import type { RuleInfo, Severity } from "../core/diagnostic.js";
import { MAX_NESTING } from "./markdown.js";

const UTM = "utm_source=segmentio&utm_medium=docs&utm_campaign=partners";

const DEFINITIONS = [
  // ── The platform docs page (`docs.segment`) ────────────────────────────────────────────────
  {
    id: "docs/file",
    severity: "error",
    title: "The docs page is UTF-8 text",
    description:
      "The platform docs page must be a UTF-8 Markdown file. Binary files and other encodings are reported once and " +
      "not checked further. (A missing file, or one over the 1 MiB limit, is reported by the manifest checks as `file/…`.)",
  },
  {
    id: "docs/placeholder",
    severity: "error",
    title: "No template placeholder is left in the docs page",
    description:
      "The templates in `templates/docs/` mark what to fill in as `{{APP_NAME}}`, `{{WEBSITE}}` and so on. Replace every one. " +
      "(Only upper-case names in double braces count: the docs site's own Liquid tags such as `{{site.baseurl}}` are left alone.)",
  },
  {
    id: "docs/front-matter",
    severity: "error",
    title: "The docs page starts with YAML front matter holding a title",
    description:
      "The page must start with a front matter block: a `---` line, YAML, and a closing `---` line, with a `title` key.\n\n" +
      "```markdown\n---\ntitle: Acme Analytics Destination\n---\n```",
  },
  {
    id: "docs/title",
    severity: "error",
    title: "The title is `<App name> Destination` (or `<App name> Source`)",
    description:
      "The front matter `title` is the app's name from `integration.yml` followed by `Destination`. An app made only of " +
      "stream components sends data *into* the platform, so its page is titled `<App name> Source`. Apps with a subscription " +
      "or a plugin (alone or with a stream) use `Destination`.",
  },
  {
    id: "docs/intro",
    severity: "error",
    title: "The page opens with a short intro",
    description:
      "Before the first `##` section, write a one–two sentence introduction saying what the tool does, linking to the " +
      "partner's site. The maintained-by line does not count as the intro.",
  },
  {
    id: "docs/intro-link",
    severity: "error",
    title: "The intro links to the partner's site",
    description:
      "The intro must contain a link to the site given as `app.website` in `integration.yml` (same host, or a subdomain of it), " +
      `carrying the UTM parameters \`${UTM}\`.`,
  },
  {
    id: "docs/intro-length",
    severity: "warning",
    title: "The intro is one or two sentences",
    description: "The template asks for a one–two sentence intro; move longer explanations into the sections below it.",
  },
  {
    id: "docs/utm",
    severity: "error",
    title: "Links to the partner's site carry the UTM parameters",
    description:
      `Every link to the partner's site (the host of \`app.website\` and its subdomains) must carry \`${UTM}\`, ` +
      "so the partner can see the traffic the docs send. The diagnostic gives the corrected URL; other query parameters and the fragment are kept.",
  },
  {
    id: "docs/maintained-by",
    severity: "error",
    title: "A maintained-by line names the partner and a contact",
    description:
      "Add a line such as `This destination is maintained by Acme. For any issues, contact the [Acme Support team](mailto:support@acme.example).` " +
      "The paragraph must contain the words *maintained by* and a contact: an email address, a `mailto:` link or a link to a support page. " +
      "This contact is public; it need not be the `supportEmail` of the manifest, which is only for the platform's support team.",
  },
  {
    id: "docs/getting-started",
    severity: "error",
    title: "The page has a `## Getting Started` section",
    description: "Add a `## Getting Started` section telling a customer how to enable the integration.",
  },
  {
    id: "docs/getting-started-steps",
    severity: "error",
    title: "Getting Started is a numbered list of steps",
    description:
      "Write the steps of `## Getting Started` as an ordered list (`1.`, `2.`, …): where to find the API key, where to paste it, " +
      "and how long before data shows up in the partner's tool.",
  },
  {
    id: "docs/supported-methods",
    severity: "error",
    title: "Subscriptions document a `## Supported methods` section",
    description:
      "When the app has a subscription component, the page has a `## Supported methods` section with one `###` section per " +
      "call the subscriptions support (the union of their `supports` lists).",
  },
  {
    id: "docs/method-missing",
    severity: "error",
    title: "Every supported call has its `###` section",
    description:
      "Under `## Supported methods`, add a `###` section (`### Identify`, `### Track`, `### Page`, `### Screen`, `### Group`, " +
      "`### Alias`) for each call a subscription lists in `supports`, with a code sample, what the call becomes in the " +
      "partner's tool and where it shows up.",
  },
  {
    id: "docs/method-unsupported",
    severity: "error",
    title: "No section documents a call the app does not support",
    description:
      "Remove `###` sections for calls that no subscription lists in `supports` (the template says: remove sections that do " +
      "not apply), or add the call to `supports` in `integration.yml` if the integration handles it.",
  },
  {
    id: "docs/code-sample",
    severity: "error",
    title: "Every method section has a fenced code sample",
    description:
      "Each `###` section under `## Supported methods` shows an example call in a fenced code block (```` ```js ````), for " +
      "example `analytics.track('Login Button Clicked')`. The deletion section (`### Delete`) needs none.",
  },
  {
    id: "docs/deletion",
    severity: "error",
    title: "Deletion is documented when `delete` is supported",
    description:
      "When a subscription supports `delete`, document what happens to the user's data: add a section whose heading mentions " +
      "deletion (for example `### Delete` under Supported methods, or `## User Deletion`).",
  },
  {
    id: "docs/delete-unsupported",
    severity: "warning",
    title: "Subscriptions support user deletion",
    description:
      "Partners must delete a user's data when the platform sends a `delete` call, and document it. Add `delete` to the " +
      "subscription's `supports` in `integration.yml`, implement it, and document it on the docs page.",
  },
  {
    id: "docs/stream",
    severity: "error",
    title: "Streams document a `## Stream` section",
    description:
      "When the app has a stream component, the page has a `## Stream` section saying which calls the stream sends and how " +
      "`userId` and `anonymousId` are set.",
  },
  {
    id: "docs/events-table",
    severity: "error",
    title: "Streams document an Events table",
    description:
      "Add a table of the events the stream sends, under a heading named `Events` (or a table whose first column is `Event` or `Event Name`).",
  },
  {
    id: "docs/event-properties-table",
    severity: "error",
    title: "Streams document an Event Properties table",
    description:
      "Add a table of the properties those events carry, under a heading named `Event Properties` (or a table whose first " +
      "column is `Property` or `Property Name`).",
  },
  {
    id: "docs/first-person",
    severity: "error",
    title: "The docs page is written without first person",
    description:
      "Write about the partner and the customer, not *I*, *we*, *our*, *us*, *my* or *me*: \"Acme shows the event under " +
      "Insights\", not \"we show the event\". Code blocks, inline code and link URLs are not checked; a UI label that " +
      "contains such a word can be written as inline code. At most 20 occurrences are listed per file, then a count of the rest.",
  },
  {
    id: "docs/too-deep",
    severity: "error",
    title: `Block quotes and lists nest at most ${MAX_NESTING} levels`,
    description:
      `The Markdown parser follows block quotes and lists ${MAX_NESTING} levels deep (a block quote counts as one level, a list as two: ` +
      "the list and its item) and skips whatever is nested deeper, so a crafted page cannot exhaust the reviewer. The skipped " +
      "content is not checked (first person, links, UTM parameters), so it is reported where it starts. Real pages nest a handful of levels.",
  },
  // ── The catalog copy (`docs.catalog`) ──────────────────────────────────────────────────────
  {
    id: "catalog/file",
    severity: "error",
    title: "The catalog copy is UTF-8 text",
    description: "The catalog copy must be a UTF-8 Markdown file; binary files and other encodings are reported once. (A missing file, or one over the 1 MiB limit, is reported by the manifest checks as `file/…`.)",
  },
  {
    id: "catalog/placeholder",
    severity: "error",
    title: "No template placeholder is left in the catalog copy",
    description: "Replace every `{{PLACEHOLDER}}` of `templates/docs/catalog.md` with the app's own text.",
  },
  {
    id: "catalog/description-empty",
    severity: "error",
    title: "The catalog copy holds a description",
    description:
      "The catalog copy is a Markdown file whose body (after optional front matter) is the description shown in the " +
      "catalog. Write it as one or two plain paragraphs.",
  },
  {
    id: "catalog/description-length",
    severity: "error",
    title: "The catalog description is at most 500 characters",
    description: "Counted on the text as shown: Markdown syntax removed, runs of white space counted as one space.",
  },
  {
    id: "catalog/app-name",
    severity: "error",
    title: "The catalog description mentions the app's name",
    description: "Name the tool (`app.name` in `integration.yml`) in the description, so the catalog entry reads on its own.",
  },
  {
    id: "catalog/first-person",
    severity: "error",
    title: "The catalog copy is written without first person",
    description: "As on the docs page: no *I*, *we*, *our*, *us*, *my* or *me* outside code and link URLs.",
  },
  {
    id: "catalog/markup",
    severity: "warning",
    title: "The catalog copy is plain prose",
    description:
      "The catalog shows the description as plain text: headings, lists, tables, code blocks, images and HTML do not " +
      "render there. Keep to paragraphs (emphasis and links are reduced to their text).",
  },
  {
    id: "catalog/description-mismatch",
    severity: "warning",
    title: "The catalog copy begins with `app.description`",
    description:
      "`app.description` in `integration.yml` is the short form of the catalog description (reports and the tile use it). " +
      "Keep the two in sync: the catalog copy begins with the text of `app.description` (white space and Markdown aside) and may go on from there.",
  },
  {
    id: "catalog/too-deep",
    severity: "error",
    title: `The catalog copy nests at most ${MAX_NESTING} levels`,
    description:
      `As on the docs page: block quotes and lists nested more than ${MAX_NESTING} levels deep (a list counts as two) are skipped ` +
      "unchecked, and reported where the skipped content starts.",
  },
  // ── Catalog assets (`app.logo`, `app.mark`) ─────────────────────────────────────────────────
  {
    id: "catalog/svg",
    severity: "error",
    title: "The logo and mark are well-formed SVG files",
    description:
      "`app.logo` and `app.mark` must be SVG: UTF-8 XML whose root element is `<svg>`, at most 512 KiB. A PNG or JPEG " +
      "renamed to `.svg` is refused; export a vector SVG from the design tool instead.",
  },
  {
    id: "catalog/svg-unsafe",
    severity: "error",
    title: "The logo and mark hold no script and no external reference",
    description:
      "SVG files can run code and load other files. Logos and marks may not contain `<script>`, `<foreignObject>`, event " +
      "handler attributes (`onload`, …), `javascript:` URLs, links or references to other files or sites (`href`, " +
      "`xlink:href`, `src`, CSS `url(…)` or `@import` other than `#fragment` and embedded `data:image/…`), " +
      "`xml-stylesheet` instructions, or DTD entity declarations. Most design tools have an export option that leaves these out.",
  },
  {
    id: "catalog/mark-square",
    severity: "error",
    title: "The mark is square",
    description:
      "The mark (`app.mark`) is shown in square slots: its `viewBox` (and its `width`/`height`, when given in absolute units) " +
      "must be square. An SVG with neither cannot be checked and is reported too.",
  },
  {
    id: "catalog/logo-horizontal",
    severity: "error",
    title: "The logo is horizontal",
    description:
      "The logo (`app.logo`) holds the tool's name and is shown in wide slots: it must be wider than it is tall, by its `viewBox` " +
      "(or its `width`/`height`).",
  },
] as const satisfies readonly RuleInfo[];

export type DocsRuleId = (typeof DEFINITIONS)[number]["id"];

/** Every rule the documentation checks can report, in the order the rule reference lists them. */
export const RULES: RuleInfo[] = DEFINITIONS.map((r) => ({ ...r }));

const BY_ID = new Map<string, RuleInfo>(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: DocsRuleId): RuleInfo {
  return BY_ID.get(id)!;
}

export function defaultSeverity(id: DocsRuleId): Severity {
  return ruleInfo(id).severity;
}
