// Reference sections of the README, generated from the single sources of truth: the manifest's
// JSON Schema, the rule catalogs of each checker, and the checklist registry.
// `npm run docs` rewrites them; test/reference.test.ts fails when the README drifts.
import schema from "../schemas/integration.v1.schema.json" with { type: "json" };
import { CHECKS } from "./checks/registry.js";
import { STAGE_TITLES } from "./core/vocabulary.js";
import { ALL_RULES } from "./rules.js";

type Node = {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, Node>;
  required?: string[];
  items?: Node;
  enum?: unknown[];
  const?: unknown;
  allOf?: Node[];
  anyOf?: Node[];
  oneOf?: Node[];
  then?: Node;
  else?: Node;
};

const root = schema as unknown as Node & { definitions?: Record<string, Node> };
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n+/g, " ");

function deref(node: Node): Node {
  if (!node.$ref) return node;
  const name = node.$ref.replace("#/definitions/", "");
  return deref(root.definitions?.[name] ?? {});
}

function typeOf(node: Node): string {
  const n = deref(node);
  if (n.const !== undefined) return `\`${JSON.stringify(n.const)}\``;
  if (n.enum) return n.enum.map((v) => `\`${String(v)}\``).join(" \\| ");
  if (n.type === "array" && n.items) {
    const items = deref(n.items);
    return items.enum ? `list of ${typeOf(items)}` : `list of ${items.type ?? "objects"}`;
  }
  if (Array.isArray(n.type)) return n.type.join(" or ");
  if (n.type) return n.type;
  const alternatives = n.oneOf ?? n.anyOf;
  if (alternatives) return alternatives.map(typeOf).join(" or ");
  return "object";
}

/** Rows `path | type | required | description`, depth first, variants (allOf/oneOf/if-then) merged. */
function walk(node: Node, path: string, rows: Map<string, string[]>): void {
  const n = deref(node);
  const branches = [n, ...(n.allOf ?? []), ...(n.oneOf ?? []), ...(n.anyOf ?? []), ...(n.then ? [n.then] : []), ...(n.else ? [n.else] : [])].map(deref);
  for (const branch of branches) {
    for (const [key, child] of Object.entries(branch.properties ?? {})) {
      const childPath = path ? `${path}.${key}` : key;
      const c = deref(child);
      if (!rows.has(childPath) && (c.description || child.description)) {
        const required = branch.required?.includes(key) ? "yes" : "";
        rows.set(childPath, [`\`${childPath}\``, typeOf(child), required, cell(child.description ?? c.description ?? "")]);
      }
      walk(child, childPath, rows);
      if (c.type === "array" && c.items) walk(c.items, `${childPath}[]`, rows);
    }
    if (branch !== n) for (const sub of [...(branch.allOf ?? []), ...(branch.oneOf ?? [])]) walk(sub, path, rows);
  }
}

export function renderManifestReference(): string {
  const rows = new Map<string, string[]>();
  walk(root, "", rows);
  return ["| Key | Type | Required | Meaning |", "|---|---|---|---|", ...[...rows.values()].map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

export function renderRuleReference(): string {
  const out = ["| Rule | Severity | Checks |", "|---|---|---|"];
  for (const rule of [...ALL_RULES].sort((a, b) => a.id.localeCompare(b.id))) {
    out.push(`| \`${rule.id}\` | ${rule.severity} | **${cell(rule.title)}** ${cell(rule.description)} |`);
  }
  return out.join("\n");
}

export function renderChecklistReference(): string {
  const out = ["| Item | Stage gated | Checked by | Meaning |", "|---|---|---|---|"];
  for (const c of CHECKS) {
    out.push(`| \`${c.id}\` ${c.title} | ${STAGE_TITLES[c.stage]} | ${c.automatic ? "devcenter" : "a reviewer"} | ${cell(c.description)} |`);
  }
  return out.join("\n");
}

export const GENERATED_SECTIONS: Record<string, () => string> = {
  manifest: renderManifestReference,
  rules: renderRuleReference,
  checklist: renderChecklistReference,
};

/** Replaces each `<!-- generated:NAME -->…<!-- /generated:NAME -->` block with fresh content. */
export function regenerate(readme: string): string {
  return readme.replace(/<!-- generated:(\w+) -->[\s\S]*?<!-- \/generated:\1 -->/g, (whole, name: string) => {
    const render = GENERATED_SECTIONS[name];
    return render ? `<!-- generated:${name} -->\n${render()}\n<!-- /generated:${name} -->` : whole;
  });
}
