// Reference sections of the README, generated from the single sources of truth: the manifest's
// JSON Schema, the rule catalogs of each checker, and the checklist registry.
// `npm run docs` rewrites them; test/reference.test.ts fails when the README drifts.
import schema from "../schemas/integration.v1.schema.json" with { type: "json" };
import { CHECKS } from "./checks/registry.js";
import { STAGE_TITLES } from "./core/vocabulary.js";
import { ALL_RULES } from "./checks/rules.js";

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
  if?: Node;
  then?: Node;
  else?: Node;
  not?: Node;
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

/**
 * A condition under which a key applies: the constraints of the `if`s that lead to it, outermost
 * first, each a `const` or `enum` of a property. No constraints means always. Components give
 * `type=subscription, style=webhook`, shown as "subscription (webhook)".
 */
interface Condition {
  /** `<object path>.<property>=<values>`, for comparisons. */
  keys: string[];
  /** The same constraints as shown to readers: their values. */
  values: string[];
}
const ALWAYS: Condition = { keys: [], values: [] };

const condId = (c: Condition): string => c.keys.join("&");
/** `a` holds wherever `b` does: a's constraints are among b's. */
const within = (a: Condition, b: Condition): boolean => a.keys.every((k) => b.keys.includes(k));
const label = (c: Condition): string =>
  c.values.length > 1 ? `${c.values[0]} (${c.values.slice(1).join(", ")})` : (c.values[0] ?? "");
const extend = (a: Condition, b: Condition): Condition => {
  const fresh = b.keys.map((k, i) => [k, b.values[i]!] as const).filter(([k]) => !a.keys.includes(k));
  return { keys: [...a.keys, ...fresh.map(([k]) => k)], values: [...a.values, ...fresh.map(([, v]) => v)] };
};
const without = (a: Condition, b: Condition): Condition => {
  const kept = a.keys.map((k, i) => [k, a.values[i]!] as const).filter(([k]) => !b.keys.includes(k));
  return { keys: kept.map(([k]) => k), values: kept.map(([, v]) => v) };
};

/**
 * The constraints an `if` puts on the object at `at`: one per property tested with `const` or
 * `enum`. Undefined for an `if` that tests a negation (`not`): such branches only keep validation
 * going when `type` or `style` is misspelt, and the keys they repeat are documented by the others.
 */
function ifConstraints(node: Node, at: string): Condition | undefined {
  const cond: Condition = { keys: [], values: [] };
  for (const [key, p] of Object.entries(node.if?.properties ?? {})) {
    const d = deref(p);
    if (d.not !== undefined) return undefined;
    const values = d.const !== undefined ? [d.const] : d.enum;
    if (!values) continue;
    cond.keys.push(`${at}.${key}=${values.map(String).join("|")}`);
    cond.values.push(values.map(String).join(" or "));
  }
  return cond;
}

/** The node and every schema combined with it (allOf, oneOf, anyOf, if/then, else), each with the condition it holds under. */
function branchesOf(node: Node, at: string, cond: Condition, depth = 0): { node: Node; cond: Condition }[] {
  if (depth > 16) return [];
  const n = deref(node);
  const out = [{ node: n, cond }];
  for (const sub of [...(n.allOf ?? []), ...(n.oneOf ?? []), ...(n.anyOf ?? [])])
    out.push(...branchesOf(sub, at, cond, depth + 1));
  if (n.then) {
    const c = ifConstraints(n, at);
    if (c) out.push(...branchesOf(n.then, at, extend(cond, c), depth + 1));
  }
  if (n.else) out.push(...branchesOf(n.else, at, cond, depth + 1));
  return out;
}

interface Collected {
  /** Per key path, each definition met: the condition it holds under, its type and description. */
  entries: Map<string, { cond: Condition; type: string; description: string }[]>;
  /** Per key path, the conditions under which it is required. */
  required: Map<string, Condition[]>;
  /** Every condition met, in the order met. */
  conditions: Map<string, Condition>;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Every key the schema allows, depth first, with the conditions under which it applies. */
function collect(node: Node, path: string, cond: Condition, into: Collected, depth = 0): void {
  if (depth > 32) return;
  for (const { node: branch, cond: c } of branchesOf(node, path, cond)) {
    if (!into.conditions.has(condId(c))) into.conditions.set(condId(c), c);
    for (const key of branch.required ?? []) push(into.required, path ? `${path}.${key}` : key, c);
    for (const [key, child] of Object.entries(branch.properties ?? {})) {
      const childPath = path ? `${path}.${key}` : key;
      const d = deref(child);
      const description = child.description ?? d.description;
      if (description) push(into.entries, childPath, { cond: c, type: typeOf(child), description });
      collect(child, childPath, c, into, depth + 1);
      if (d.type === "array" && d.items) collect(d.items, `${childPath}[]`, c, into, depth + 1);
    }
  }
}

/**
 * Rows `path | type | required | meaning`, one per key. A key that only some variants have (a
 * component's `webhook`, `entry`, `emits`…) names them in its meaning, per description where the
 * variants describe it differently; variants that make up a more general one are merged
 * (webhook and function subscriptions → "subscription").
 */
function manifestRows(): string[][] {
  const into: Collected = { entries: new Map(), required: new Map(), conditions: new Map() };
  collect(root, "", ALWAYS, into);
  const known = [...into.conditions.values()];
  const order = (c: Condition): number => known.findIndex((k) => condId(k) === condId(c));
  /** The most specific conditions under `scope`: the variants an object there can be. */
  const leavesUnder = (scope: Condition[]): Condition[] =>
    known.filter(
      (k) => scope.some((s) => within(s, k)) && !known.some((o) => o.keys.length > k.keys.length && within(k, o)),
    );
  const covers = (group: Condition[], scope: Condition[]): boolean =>
    leavesUnder(scope).every((leaf) => group.some((g) => within(g, leaf)));
  const name = (group: Condition[]): string => {
    let set = [...group];
    for (const g of [...known].sort((a, b) => a.keys.length - b.keys.length)) {
      if (g.keys.length === 0 || set.some((s) => within(s, g))) continue;
      const under = set.filter((s) => within(g, s));
      if (under.length > 1 && covers(under, [g])) set = [...set.filter((s) => !within(g, s)), g];
    }
    return set
      .sort((a, b) => order(a) - order(b))
      .map(label)
      .join(", ");
  };

  const scopes = new Map<string, Condition[]>([["", [ALWAYS]]]);
  const rows: string[][] = [];
  for (const [path, all] of into.entries) {
    // The most general definitions win: `style` of any subscription over `style` of a webhook one.
    const entries = all.filter(
      (e, i) =>
        !all.some(
          (o, j) =>
            (o.cond.keys.length < e.cond.keys.length && within(o.cond, e.cond)) ||
            (j < i && condId(o.cond) === condId(e.cond)),
        ),
    );
    const scope = entries.map((e) => e.cond);
    scopes.set(path, scope);
    const parent = path.includes(".") ? path.slice(0, path.lastIndexOf(".")).replace(/\[\]$/, "") : "";
    const parentScope = scopes.get(parent) ?? [ALWAYS];

    const groups: { conds: Condition[]; description: string }[] = [];
    for (const e of entries) {
      const g = groups.find((x) => x.description === e.description);
      if (g) g.conds.push(e.cond);
      else groups.push({ conds: [e.cond], description: e.description });
    }
    const meaning =
      groups.length === 1 && covers(groups[0]!.conds, parentScope)
        ? groups[0]!.description
        : groups.map((g) => `*${name(g.conds)}:* ${g.description}`).join(" ");

    // "yes" when every variant of the parent requires the key; otherwise the variants that do.
    const req = into.required.get(path) ?? [];
    const whole = scope.filter((s) => req.some((r) => within(r, s)));
    let required = "";
    if (whole.length > 0 && whole.length === scope.length && covers(whole, parentScope)) required = "yes";
    else if (req.length > 0) {
      const parts = [...whole];
      for (const r of req) {
        const s = scope.find((x) => within(x, r));
        if (s && !whole.includes(s)) parts.push(without(r, s));
      }
      const distinct = parts.filter(
        (p, i) => p.keys.length > 0 && parts.findIndex((o) => condId(o) === condId(p)) === i,
      );
      if (distinct.length) required = `for ${name(distinct)}`;
    }
    rows.push([`\`${path}\``, [...new Set(entries.map((e) => e.type))].join(" or "), required, cell(meaning)]);
  }
  return rows;
}

export function renderManifestReference(): string {
  return [
    "| Key | Type | Required | Meaning |",
    "|---|---|---|---|",
    ...manifestRows().map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
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
    out.push(
      `| \`${c.id}\` ${c.title} | ${STAGE_TITLES[c.stage]} | ${c.automatic ? "devcenter" : "a reviewer"} | ${cell(c.description)} |`,
    );
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
