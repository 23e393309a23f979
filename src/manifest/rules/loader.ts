// Rules the manifest loader reports while it reads integration.yml (load.ts, yaml-tree.ts): YAML
// syntax, the bounds on nesting and aliases, keys, and the JSON Schema. They have no check of
// their own; the loader meets them as it parses and reports them by these ids.
import { LIMITS } from "../../core/limits.js";
import { parserRule } from "../../core/rule.js";

export const yamlSyntax = parserRule({
  id: "manifest/yaml-syntax",
  severity: "error",
  title: "integration.yml is valid YAML",
  description:
    "The manifest must parse as YAML. The diagnostic points at the line and column where the parser stopped; common causes are a tab used for indentation, a missing space after `:`, or a value with `: ` that needs quotes. A tag outside YAML 1.2's core schema is an error at the tag, and the manifest is not read: an unresolved one (`!!js/function`, `!!python/object:…`, `!anything`), since YAML 1.2 does not load a document with an unresolved tag as data, and one for a type JSON has no place for (`!!binary`, `!!set`, `!!timestamp`). Remove the tag and write the value as plain text, or quote the value if the `!` belongs to it; `!!str` and the other core tags are fine. Other parser warnings are reported as warnings.",
});

export const yamlMultipleDocuments = parserRule({
  id: "manifest/yaml-multiple-documents",
  severity: "error",
  title: "integration.yml holds one YAML document",
  description:
    "A second `---` starts a second document, which the review would otherwise silently ignore. Keep exactly one document in the file.",
});

export const yamlDuplicateKey = parserRule({
  id: "manifest/yaml-duplicate-key",
  severity: "error",
  title: "No key is given twice",
  description:
    "YAML parsers disagree on which of two equal keys wins, so a duplicate key is an error: remove one of them. The diagnostic points at the second one.",
});

export const yamlNesting = parserRule({
  id: "manifest/yaml-nesting",
  severity: "error",
  title: `Lists and mappings nest at most ${LIMITS.depth} levels`,
  description: `A manifest needs a handful of levels. Anything nested more than ${LIMITS.depth} deep is refused before it is parsed, so a crafted file cannot exhaust the reviewer's stack or memory.`,
});

export const yamlAliases = parserRule({
  id: "manifest/yaml-aliases",
  severity: "error",
  title: `YAML aliases expand at most ${LIMITS.yamlAliases} times`,
  description: `Anchors (\`&name\`) and aliases (\`*name\`) may be used to repeat a block, but the expansion is bounded: at most ${LIMITS.yamlAliases} alias expansions and 200,000 values in all. This stops "billion laughs" documents, whose aliases of aliases expand exponentially.`,
});

export const yamlKey = parserRule({
  id: "manifest/yaml-key",
  severity: "error",
  title: "Keys are plain text",
  description:
    "YAML allows a list, a mapping or an alias as a key (`? [a, b]: c`); a manifest does not. Write every key as plain text.",
});

export const unsafeKey = parserRule({
  id: "manifest/unsafe-key",
  severity: "error",
  title: "No `__proto__`, `constructor` or `prototype` keys",
  description:
    "These keys can change how JavaScript programs read the data (prototype pollution). They are never valid in a manifest: the key is reported and ignored, and the manifest is not used further.",
});

export const schema = parserRule({
  id: "manifest/schema",
  severity: "error",
  title: "integration.yml matches the manifest schema",
  description:
    "The manifest is checked against `schemas/integration.v1.schema.json`. Every error is reported at once, each at its own line: a missing key at the mapping that lacks it, an unknown key at the key itself (with the closest valid key suggested), a wrong value at the value (with the closest allowed value suggested). Add `# yaml-language-server: $schema=<path to the schema>` as the manifest's first line to see the same errors in your editor.",
});

/** Every rule the loader reports, in reading order. */
export const LOADER_RULES = [
  yamlSyntax,
  yamlMultipleDocuments,
  yamlDuplicateKey,
  yamlNesting,
  yamlAliases,
  yamlKey,
  unsafeKey,
  schema,
] as const;
export type LoaderRuleId = (typeof LOADER_RULES)[number]["id"];
