// The change check's rules (src/change): the comparison of a live integration's pull request with
// its approved version, and the version rules. Parser rules in src/core/rule.ts's sense: the change
// check reports them while it compares, since each finding depends on the approved version as well.
// Each has a fixture folder test/fixtures/change/invalid/<id>/ (approved.yml, integration.yml).
import { parserRule } from "../core/rule.js";

export const CHANGE_RULES = [
  parserRule({
    id: "change/component-removed",
    severity: "error",
    title: "A live component is not removed",
    description:
      "Removing a subscription, stream or plugin breaks every customer who enabled it. Components are matched by type and style, then by name, so renaming a component is not a removal. Declare the removal as a breaking change (a major version and a `breakingChanges` entry) or keep the component.",
  }),
  parserRule({
    id: "change/call-removed",
    severity: "error",
    title: "A live component keeps its calls",
    description:
      "A call removed from a subscription's `supports` (or a stream's `emits`) stops data customers rely on. Declare it as a breaking change or keep the call.",
  }),
  parserRule({
    id: "change/setting-removed",
    severity: "error",
    title: "A live setting is not removed",
    description:
      "Customers' values for a removed setting are dropped. Declare it as a breaking change or keep the setting.",
  }),
  parserRule({
    id: "change/setting-renamed",
    severity: "error",
    title: "A live setting keeps its key",
    description:
      "Saved values are stored under the setting's key: a new key for the same label leaves every connection without a value. Keep the key (labels may change freely) or declare a breaking change.",
  }),
  parserRule({
    id: "change/setting-required-added",
    severity: "error",
    title: "No new required setting without a default",
    description:
      "Existing connections have no value for a new required setting. Give it a `default`, make it optional, or declare a breaking change.",
  }),
  parserRule({
    id: "change/setting-required",
    severity: "error",
    title: "An optional setting stays optional",
    description:
      "An optional setting made required leaves existing connections without a value. Keep it optional or declare a breaking change.",
  }),
  parserRule({
    id: "change/setting-type",
    severity: "error",
    title: "A setting keeps its type",
    description:
      "Saved values may not fit a new type (a string in a number field). Add a new setting instead, or declare a breaking change.",
  }),
  parserRule({
    id: "change/choices-narrowed",
    severity: "error",
    title: "A select keeps its choices",
    description:
      "Connections that chose a removed option break. Keep the option (you may add others) or declare a breaking change.",
  }),
  parserRule({
    id: "change/sensitive-off",
    severity: "error",
    title: "A sensitive setting stays sensitive",
    description:
      "Turning `sensitive` off would make stored secrets readable. Keep it on, or declare a breaking change with a new setting.",
  }),
  parserRule({
    id: "change/slug",
    severity: "error",
    title: "The slug does not change",
    description:
      "Connections, the OAuth scope and stream events name the slug: it is frozen once live. Keep `app.slug`.",
  }),
  parserRule({
    id: "change/webhook-host",
    severity: "error",
    title: "The webhook host does not change",
    description:
      "Deliveries for existing connections would go to a new host. Keep the host (a new path is fine) or declare a breaking change.",
  }),
  parserRule({
    id: "change/plugin-global",
    severity: "error",
    title: "A plugin keeps its global",
    description: "Pages that call the plugin's `global` break when it changes. Keep it or declare a breaking change.",
  }),
  parserRule({
    id: "change/added",
    severity: "info",
    title: "Additions (notice)",
    description: "A component, call or optional setting added: not breaking; listed for the reviewer.",
  }),
  parserRule({
    id: "change/description",
    severity: "info",
    title: "Labels, descriptions and defaults (notice)",
    description: "A setting's label, description or default changed: not breaking; listed for the reviewer.",
  }),
  parserRule({
    id: "change/listing",
    severity: "info",
    title: "Catalog listing (notice)",
    description:
      "The App's name, description, website or a component's name changed: not breaking; listed for the reviewer.",
  }),
  parserRule({
    id: "change/categories",
    severity: "info",
    title: "Categories (notice)",
    description: "`app.categories` changed: not breaking; listed for the reviewer.",
  }),
  parserRule({
    id: "change/logo",
    severity: "info",
    title: "Logos (notice)",
    description:
      "`app.logo` or `app.mark` points at another file, or the SVG's content differs from the approved one (when the baseline keeps it: an integration folder, a catalog record): not breaking; listed for the reviewer.",
  }),
  parserRule({
    id: "change/docs",
    severity: "info",
    title: "Docs and catalog copy (notice)",
    description:
      "The docs page or the catalog copy points at another file, or its content differs from the approved one (an integration folder's file, or the docs.md and catalog.md a catalog record keeps), with a short summary: sections added or removed, lines added and removed. Not breaking; listed for the reviewer at the key that names the file.",
  }),
  parserRule({
    id: "change/version-required",
    severity: "error",
    title: "A live integration has a version",
    description:
      "Once an integration is live (Public Beta or Public) its manifest carries `version` (semver, e.g. `1.0.0`), and the catalog keeps every approved version.",
  }),
  parserRule({
    id: "change/version-not-raised",
    severity: "error",
    title: "A change to a live integration raises the version",
    description:
      "A pull request that changes a live integration raises `version` above the approved one: a patch or minor version for compatible changes, a major version for breaking ones.",
  }),
  parserRule({
    id: "change/breaking-undeclared",
    severity: "error",
    title: "A breaking change is declared",
    description:
      "A breaking change needs a major version and a `breakingChanges` entry for that version (`version`, `message`, `upgradeDeadline`, `migrationGuide`); the error shows the lines to add. With them, a reviewer approves the breaking change on the checklist.",
  }),
  parserRule({
    id: "change/upgrade-deadline",
    severity: "error",
    title: "Customers get at least 14 days to upgrade",
    description:
      "The `upgradeDeadline` of the version being approved is a real date at least 14 days after the review (the approval).",
  }),
  parserRule({
    id: "change/migration-guide",
    severity: "error",
    title: "The migration guide exists",
    description:
      "`migrationGuide` points at a Markdown file in the repository and a heading in it (`docs/segment.md#migrating-to-2-0`).",
  }),
  parserRule({
    id: "change/baseline",
    severity: "warning",
    title: "The approved version can be read",
    description:
      "The baseline (`--baseline DIR`, the Action's `baseline` input, the catalog record) could not be used, so the pull request was reviewed without the change check. The message says why.",
  }),
] as const;

export type ChangeRuleId = (typeof CHANGE_RULES)[number]["id"];
