// Every rule id the manifest module reports, with its title and documentation. The rule reference
// in the README is generated from this list; tests check that every emitted id is listed here.
import type { RuleInfo } from "../core/diagnostic.js";
import { FILE_RULES } from "../core/file-diagnostic.js";
import { LIMITS } from "../core/limits.js";

export const MANIFEST_RULES: RuleInfo[] = [
  {
    id: "manifest/yaml-syntax",
    severity: "error",
    title: "integration.yml is valid YAML",
    description:
      "The manifest must parse as YAML. The diagnostic points at the line and column where the parser stopped; common causes are a tab used for indentation, a missing space after `:`, or a value with `: ` that needs quotes. Parser warnings (an unknown `!tag`, say) are reported as warnings.",
  },
  {
    id: "manifest/yaml-multiple-documents",
    severity: "error",
    title: "integration.yml holds one YAML document",
    description: "A second `---` starts a second document, which the review would otherwise silently ignore. Keep exactly one document in the file.",
  },
  {
    id: "manifest/yaml-duplicate-key",
    severity: "error",
    title: "No key is given twice",
    description: "YAML parsers disagree on which of two equal keys wins, so a duplicate key is an error: remove one of them. The diagnostic points at the second one.",
  },
  {
    id: "manifest/yaml-nesting",
    severity: "error",
    title: `Lists and mappings nest at most ${LIMITS.depth} levels`,
    description: `A manifest needs a handful of levels. Anything nested more than ${LIMITS.depth} deep is refused before it is parsed, so a crafted file cannot exhaust the reviewer's stack or memory.`,
  },
  {
    id: "manifest/yaml-aliases",
    severity: "error",
    title: `YAML aliases expand at most ${LIMITS.yamlAliases} times`,
    description: `Anchors (\`&name\`) and aliases (\`*name\`) may be used to repeat a block, but the expansion is bounded: at most ${LIMITS.yamlAliases} alias expansions and 200,000 values in all. This stops "billion laughs" documents, whose aliases of aliases expand exponentially.`,
  },
  {
    id: "manifest/yaml-key",
    severity: "error",
    title: "Keys are plain text",
    description: "YAML allows a list, a mapping or an alias as a key (`? [a, b]: c`); a manifest does not. Write every key as plain text.",
  },
  {
    id: "manifest/unsafe-key",
    severity: "error",
    title: "No `__proto__`, `constructor` or `prototype` keys",
    description: "These keys can change how JavaScript programs read the data (prototype pollution). They are never valid in a manifest: the key is reported and ignored, and the manifest is not used further.",
  },
  {
    id: "manifest/schema",
    severity: "error",
    title: "integration.yml matches the manifest schema",
    description:
      "The manifest is checked against `schemas/integration.v1.schema.json`. Every error is reported at once, each at its own line: a missing key at the mapping that lacks it, an unknown key at the key itself (with the closest valid key suggested), a wrong value at the value (with the closest allowed value suggested). Add `# yaml-language-server: $schema=<path to the schema>` as the manifest's first line to see the same errors in your editor.",
  },
  {
    id: "manifest/slug-format",
    severity: "error",
    title: "The App slug is lowercase letters, digits and single hyphens",
    description: "`app.slug` identifies the App: it names its OAuth scope (`destination/<slug>`) and `context.integration.name` on stream events, and it is frozen once the App enters Public Beta. Use lowercase letters and digits joined by single hyphens, such as `acme-analytics`.",
  },
  {
    id: "manifest/setting-key",
    severity: "error",
    title: "A setting's key is the camelCase of its label",
    description: 'Customers see the label; endpoints and handlers read the key. Keeping them in step avoids surprises: "API Key" → `apiKey`, "Custom Setting" → `customSetting`. Capitals inside a word of the label may be kept ("HubSpot Portal ID" → `hubSpotPortalID` or `hubspotPortalId`).',
  },
  {
    id: "manifest/setting-key-unique",
    severity: "error",
    title: "Setting keys are unique within a component",
    description: "Two settings with the same key would overwrite each other in the settings object your endpoint or handler receives.",
  },
  {
    id: "manifest/setting-default",
    severity: "error",
    title: "A setting's default fits its type",
    description: "A `select` default must be one of its `choices`; a boolean default is true or false; a number default is a number; list and map settings default to a list or a mapping.",
  },
  {
    id: "manifest/api-key-required",
    severity: "error",
    title: "Every subscription has a required `apiKey` setting",
    description: 'The platform authenticates each delivery with the customer\'s API key (HTTP Basic for webhooks, `settings.apiKey` in functions). Declare `{ label: "API Key", key: apiKey, type: string, required: true, sensitive: true }`.',
  },
  {
    id: "manifest/sensitive-setting",
    severity: "error",
    title: "Secret settings are sensitive and have no default",
    description:
      "A setting whose key or label names a secret (API key, token, secret, password, private/access/write/signing key, credentials), or whose type is `password`, must have `sensitive: true`, so customers can replace its value but never read it back. Names ending in URL, name, ID, type, header and the like (\"Token URL\") are not treated as secrets. A sensitive setting must not have a `default`.",
  },
  {
    id: "manifest/plugin-one-setting",
    severity: "error",
    title: "A plugin has exactly one setting",
    description: "A partner plugin may expose only one setting: a write-scoped key.",
  },
  {
    id: "manifest/test-settings-unknown",
    severity: "error",
    title: "`testSettings` only names declared settings",
    description: "Each key of `testSettings` must be the key of one of the component's settings; replay delivers nothing else, so an unknown key is usually a typo.",
  },
  {
    id: "manifest/test-settings-secret",
    severity: "error",
    title: "Sensitive test values come from CI secrets",
    description:
      "A sensitive setting's test value must be `{ env: NAME }`, read from a CI secret when replay runs, so that no real credential is committed. Obvious placeholders are accepted as literals, for a local test endpoint that only checks the value it was given: an empty string, one repeated character (`xxxx`), or text containing test, fake, dummy, example, sample, placeholder, changeme, local or segment.",
  },
  {
    id: "manifest/test-settings-missing",
    severity: "warning",
    title: "Required settings have test values",
    description: "Replay delivers the values in `testSettings`; a required setting without one (the API key, usually) is sent empty, and the endpoint will likely answer 401.",
  },
  {
    id: "manifest/webhook-url",
    severity: "error",
    title: "Webhook URLs are HTTPS, or loopback for a local test endpoint",
    description:
      "`webhook.url` and `webhook.ready` must use https://, except for a test endpoint on the machine running replay: http://localhost, http://*.localhost, http://127.x.x.x or http://[::1]. They must not embed a user name or password. When `webhook.start` starts a local endpoint but `url` points elsewhere, a warning says replay will not reach what it started.",
  },
  {
    id: "manifest/oauth-scope",
    severity: "error",
    title: "The OAuth scope is `destination/<slug>`",
    description: "Enable with Segment grants the narrowest scope: a destination asks for its own `destination/<slug>` scope, with the App's slug.",
  },
  {
    id: "manifest/oauth-redirect-uri",
    severity: "error",
    title: "OAuth redirect URIs are HTTPS without a fragment",
    description: "Authorization codes are sent to the redirect URIs, so each must be an https:// URL without a `#fragment`. The schema also limits the list to 5 distinct URIs.",
  },
  {
    id: "manifest/customers-unique",
    severity: "error",
    title: "Each customer workspace is listed once",
    description: "Public requires at least 3 distinct customer workspaces; a workspace listed twice (case-insensitively) counts once and is reported.",
  },
];

/** Every rule id the manifest module (and the shared file reader) can report. */
export const RULES: RuleInfo[] = [...MANIFEST_RULES, ...FILE_RULES];
