// Turns a parsed YAML document into plain data that is safe to hand to any code:
// - objects have no prototype, and the keys `__proto__`, `constructor` and `prototype` are
//   refused (reported and dropped), so nothing a partner writes can reach Object.prototype;
// - duplicate keys are reported with both places;
// - nesting, alias expansions and the total number of values are bounded (a "billion laughs"
//   document stops after LIMITS.yamlAliases expansions, not after a billion);
// - every value remembers where it was written, by JSON pointer, for diagnostics.
import { msg, type Message } from "../core/markdown.js";
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from "yaml";
import { LIMITS } from "../core/limits.js";
import type { LoaderRuleId } from "./rules/loader.js";

/** Character offsets [start, end) in the text. */
export type Span = readonly [number, number];

export interface Spans {
  /** Where the value was written (for an alias: where the alias is). */
  value?: Span;
  /** For a mapping entry: where its key was written. */
  key?: Span;
}

export interface TreeProblem {
  ruleId: LoaderRuleId;
  message: string | Message;
  pointer: string;
  span?: Span;
}

export interface Tree {
  value: unknown;
  spans: Map<string, Spans>;
  problems: TreeProblem[];
}

/** Keys that would reach or shadow Object.prototype machinery in naive consumers. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Values built from one document, counting alias expansions: far above any real manifest. */
export const MAX_VALUES = 200_000;

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** `/components/0/style` → `components[0].style` (the way partners read paths). */
export function pointerToPath(pointer: string): string {
  if (pointer === "") return "";
  let out = "";
  for (const raw of pointer.slice(1).split("/")) {
    const token = unescapePointerToken(raw);
    if (/^\d+$/.test(token)) out += `[${token}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(token)) out += out === "" ? token : `.${token}`;
    else out += `[${JSON.stringify(token)}]`;
  }
  return out;
}

function spanOf(node: { range?: readonly [number, number, number] | null } | null | undefined): Span | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}

export function buildTree(doc: Document.Parsed, options: { maxDepth?: number; maxAliases?: number } = {}): Tree {
  const maxDepth = options.maxDepth ?? LIMITS.depth;
  const maxAliases = options.maxAliases ?? LIMITS.yamlAliases;
  const spans = new Map<string, Spans>();
  const problems: TreeProblem[] = [];
  let aliases = 0;
  let values = 0;
  let stopped: "aliases" | "values" | undefined;
  let depthReported = false;

  const setSpan = (pointer: string, s: Spans): void => {
    // The first place a pointer was written wins (aliases re-enter known nodes).
    const prev = spans.get(pointer);
    spans.set(pointer, { value: prev?.value ?? s.value, key: prev?.key ?? s.key });
  };

  const convert = (node: Node | null | undefined, pointer: string, depth: number, at: Span | undefined): unknown => {
    if (stopped) return null;
    if (++values > MAX_VALUES) {
      stopped = "values";
      problems.push({
        ruleId: "manifest/yaml-aliases",
        message: `The manifest expands to more than ${MAX_VALUES.toLocaleString("en-US")} values; a manifest needs far fewer. Remove repeated aliases (*name).`,
        pointer,
        span: at,
      });
      return null;
    }
    if (node == null) return null;
    if (isAlias(node)) {
      if (++aliases > maxAliases) {
        stopped = "aliases";
        problems.push({
          ruleId: "manifest/yaml-aliases",
          message: `The manifest uses aliases (*${node.source}) more than ${maxAliases} times once expanded; write the values out instead of nesting aliases.`,
          pointer,
          span: spanOf(node),
        });
        return null;
      }
      const target = node.resolve(doc);
      if (!target) return null; // the parser already reported the unknown anchor
      return convert(target as Node, pointer, depth, at);
    }
    if (isScalar(node)) {
      const v = node.value;
      return typeof v === "bigint" ? Number(v) : v;
    }
    if (depth >= maxDepth) {
      if (!depthReported) {
        depthReported = true;
        problems.push({
          ruleId: "manifest/yaml-nesting",
          message: msg`The manifest nests deeper than ${maxDepth} levels at \`${pointerToPath(pointer) || "(top)"}\`; a manifest needs only a few.`,
          pointer,
          span: at,
        });
      }
      return null;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        const child = `${pointer}/${i}`;
        const s = spanOf(item as Node);
        setSpan(child, { value: s });
        out.push(convert(item as Node, child, depth + 1, s));
      });
      return out;
    }
    if (isMap(node)) {
      const out = Object.create(null) as Record<string, unknown>;
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const keySpan = spanOf(keyNode) ?? spanOf(pair.value as Node);
        let key: string;
        if (keyNode == null) key = "";
        else if (isScalar(keyNode)) key = keyNode.value === null ? "" : String(keyNode.value);
        else if (isAlias(keyNode)) {
          problems.push({
            ruleId: "manifest/yaml-key",
            message: msg`A key in ${pointer ? msg`\`${pointerToPath(pointer)}\`` : "the manifest"} is an alias (*${keyNode.source}); write keys as plain text.`,
            pointer,
            span: keySpan,
          });
          continue;
        } else {
          problems.push({
            ruleId: "manifest/yaml-key",
            message: msg`A key in ${pointer ? msg`\`${pointerToPath(pointer)}\`` : "the manifest"} is a list or mapping; keys must be plain text.`,
            pointer,
            span: keySpan,
          });
          continue;
        }
        const child = `${pointer}/${escapePointerToken(key)}`;
        if (UNSAFE_KEYS.has(key)) {
          problems.push({
            ruleId: "manifest/unsafe-key",
            message: msg`${pointer ? msg`\`${pointerToPath(pointer)}\`` : "The manifest"} has the key "${key}", which is not allowed anywhere in a manifest; remove it.`,
            pointer: child,
            span: keySpan,
          });
          continue;
        }
        if (seen.has(key)) {
          problems.push({
            ruleId: "manifest/yaml-duplicate-key",
            message: msg`\`${pointerToPath(child)}\` is given more than once; keep one (YAML would silently use only one of them).`,
            pointer: child,
            span: keySpan,
          });
          continue;
        }
        seen.add(key);
        const valueSpan = spanOf(pair.value as Node);
        setSpan(child, { key: keySpan, value: valueSpan ?? keySpan });
        out[key] = convert(pair.value as Node | null, child, depth + 1, valueSpan ?? keySpan);
      }
      return out;
    }
    return null;
  };

  const root = doc.contents as Node | null;
  spans.set("", { value: spanOf(root) });
  const value = convert(root, "", 0, spanOf(root));
  return { value, spans, problems };
}
