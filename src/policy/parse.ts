// policy.yml → Policy: a pure function from text. Every key the operator writes must be one the
// platform knows (a typo would otherwise silently leave a default in force), every value is
// checked against its range, and each finding is located (line, column). A key left out keeps its
// built-in default. A policy with any error is not used: the caller falls back to DEFAULT_POLICY
// and shows the findings (the CLI refuses to run, the App warns on the check run).
import { isAlias, isMap, isScalar, LineCounter, parseDocument, type Node, type Pair } from "yaml";
import type { Diagnostic } from "../core/diagnostic.js";
import { type Message, messageFields, msg, words } from "../core/markdown.js";
import { DEFAULT_POLICY, POLICY_FILE, type Policy } from "../core/policy.js";
import { closest } from "../core/suggest.js";
import { POLICY_FILE_RULE_IDS } from "./rules.js";

export interface PolicyRead {
  /** The policy to apply: the file's values over the defaults, or the defaults when it has errors. */
  policy: Policy;
  /** False when the file had errors (then `policy` is DEFAULT_POLICY). */
  ok: boolean;
  diagnostics: Diagnostic[];
}

type Field = { kind: "integer" | "number" | "rate" | "string"; min?: number; max?: number; what: string };

/** Every key policy.yml may hold, with the values it accepts (the defaults are DEFAULT_POLICY's). */
export const POLICY_FIELDS: { readonly [S in keyof Policy]: { readonly [K in keyof Policy[S]]: Field } } = {
  delivery: {
    timeoutMs: {
      kind: "integer",
      min: 100,
      max: 600_000,
      what: "how long replay waits for each answer, in milliseconds",
    },
  },
  volume: {
    events: { kind: "integer", min: 1, max: 1_000_000, what: "how many events the volume run must send" },
    concurrency: { kind: "integer", min: 1, max: 1_000, what: "how many deliveries may be in flight at once" },
    minEventsPerSecond: {
      kind: "number",
      min: 0,
      max: 1_000_000,
      what: "the lowest throughput that passes, in events per second",
    },
    maxP95Ms: {
      kind: "integer",
      min: 1,
      max: 600_000,
      what: "the highest 95th-percentile latency that passes, in milliseconds",
    },
    maxErrorRate: { kind: "rate", min: 0, max: 1, what: "the share of red answers allowed, from 0 (none) to 1" },
  },
  testSuite: {
    version: { kind: "string", what: "the Test Suite version replay must send" },
  },
  plugin: {
    loadTimeoutMs: {
      kind: "integer",
      min: 1,
      max: 600_000,
      what: "how long a plugin may take to load, in milliseconds",
    },
    maxGzipBytes: {
      kind: "integer",
      min: 1,
      max: 100 * 1024 * 1024,
      what: "the largest gzipped plugin bundle, in bytes",
    },
    maxLongTaskMs: {
      kind: "integer",
      min: 1,
      max: 600_000,
      what: "the longest main-thread task a plugin may cause, in milliseconds",
    },
  },
};

/** A policy file larger than this is refused unread: the whole policy is a few hundred bytes. */
export const MAX_POLICY_BYTES = 64 * 1024;

const [YAML_RULE, KEY_RULE, VALUE_RULE] = POLICY_FILE_RULE_IDS;
const RULE = { yaml: YAML_RULE, key: KEY_RULE, value: VALUE_RULE } as const;

export function parsePolicy(text: string, file = POLICY_FILE): PolicyRead {
  const diagnostics: Diagnostic[] = [];
  const lines = new LineCounter();
  const report = (ruleId: string, message: string | Message, offset?: number): void => {
    const d: Diagnostic = { ruleId, severity: "error", ...messageFields(message), file };
    if (offset !== undefined) {
      const p = lines.linePos(Math.min(offset, text.length));
      Object.assign(d, { line: p.line, column: p.col });
    }
    diagnostics.push(d);
  };
  const failed = (): PolicyRead => ({ policy: DEFAULT_POLICY, ok: false, diagnostics });

  if (text.length > MAX_POLICY_BYTES) {
    report(
      RULE.yaml,
      `${file} is ${text.length} characters long; a policy is a few lines (at most ${MAX_POLICY_BYTES}). Check that the right file is named.`,
    );
    return failed();
  }
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    strict: true,
    version: "1.2",
    merge: false,
    prettyErrors: false,
  });
  for (const e of [...doc.errors, ...doc.warnings]) {
    // An unresolved tag (`!!js/function`) is a warning to the parser; for a policy it is an error.
    const why =
      e.code === "TAG_RESOLVE_FAILED"
        ? words("a YAML tag (`!!…`) is not allowed in a policy; write the plain value")
        : e.message.replace(/\s+at line \d+, column \d+[\s\S]*$/, "").replace(/\.$/, "");
    report(RULE.yaml, msg`${file} is not valid YAML: ${why}.`, e.pos[0]);
  }
  if (diagnostics.length) return failed();

  const out: Policy = structuredClone(DEFAULT_POLICY);
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === "")))
    return { policy: out, ok: true, diagnostics }; // empty: the defaults
  if (!isMap(root)) {
    report(
      RULE.yaml,
      `${file} must be a mapping of sections (${sectionList()}), e.g. "volume:" with "events: 10000" under it.`,
      root.range?.[0],
    );
    return failed();
  }
  for (const section of root.items as Pair<Node, Node | null>[]) {
    const name = keyOf(section);
    const at = section.key?.range?.[0];
    if (name === undefined) {
      report(RULE.key, `${file}: keys are plain words (${sectionList()}).`, at);
      continue;
    }
    if (!Object.hasOwn(POLICY_FIELDS, name)) {
      report(
        RULE.key,
        msg`${file}: "${name}" is not a policy section; the sections are ${sectionList()}.${hint(name, Object.keys(POLICY_FIELDS))}`,
        at,
      );
      continue;
    }
    const fields = POLICY_FIELDS[name as keyof Policy] as Record<string, Field>;
    const value = section.value;
    if (value === null || (isScalar(value) && value.value === null)) continue; // `volume:` with nothing under it: the defaults
    if (!isMap(value)) {
      report(
        RULE.value,
        msg`${file}: \`${name}\` holds keys (${Object.keys(fields).join(", ")}), one per line under it, not a single value.`,
        value.range?.[0] ?? at,
      );
      continue;
    }
    const target = out[name as keyof Policy] as Record<string, number | string>;
    for (const entry of value.items as Pair<Node, Node | null>[]) {
      const key = keyOf(entry);
      const keyAt = entry.key?.range?.[0];
      if (key === undefined || !Object.hasOwn(fields, key)) {
        const shown = key ?? "this key";
        report(
          RULE.key,
          msg`${file}: \`${name}.${shown}\` is not a policy setting; \`${name}\` takes ${Object.keys(fields).join(", ")}.${key ? hint(key, Object.keys(fields)) : ""}`,
          keyAt,
        );
        continue;
      }
      const field = fields[key]!;
      const node = entry.value;
      const valueAt = node?.range?.[0] ?? keyAt;
      const checked = checkValue(field, node);
      if (typeof checked === "string")
        report(RULE.value, msg`${file}: \`${name}.${key}\` (${field.what}) ${checked}`, valueAt);
      else target[key] = checked.value;
    }
  }
  return diagnostics.length ? failed() : { policy: out, ok: true, diagnostics };
}

/**
 * A policy carried as JSON (in the Action's check run, which the partner's CI wrote): every section
 * and field present and in range, or undefined. Extra keys are ignored; nothing else is trusted.
 */
export function policyFromJson(value: unknown): Policy | undefined {
  if (!isRecord(value)) return undefined;
  const out = structuredClone(DEFAULT_POLICY) as unknown as Record<string, Record<string, number | string>>;
  for (const [section, fields] of Object.entries(POLICY_FIELDS) as [string, Record<string, Field>][]) {
    const given = value[section];
    if (!isRecord(given)) return undefined;
    for (const [key, field] of Object.entries(fields)) {
      const v = given[key];
      if (field.kind === "string") {
        if (typeof v !== "string" || v === "" || v.length > 100) return undefined;
      } else if (
        typeof v !== "number" ||
        !Number.isFinite(v) ||
        (field.kind === "integer" && !Number.isInteger(v)) ||
        v < field.min! ||
        v > field.max!
      )
        return undefined;
      out[section]![key] = v;
    }
  }
  return out as unknown as Policy;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function keyOf(pair: Pair<Node, Node | null>): string | undefined {
  const k = pair.key;
  return isScalar(k) && typeof k.value === "string"
    ? k.value
    : isScalar(k) && typeof k.value === "number"
      ? String(k.value)
      : undefined;
}

/** The value, or what is wrong with it (a sentence ending in a full stop). */
function checkValue(field: Field, node: Node | null): { value: number | string } | string {
  if (node === null || isAlias(node) || !isScalar(node) || node.value === null)
    return `needs a value${field.kind === "string" ? "" : ` from ${range(field)}`}.`;
  const v = node.value;
  if (field.kind === "string") {
    if ((typeof v === "string" && v.trim() !== "") || typeof v === "number") return { value: String(v) };
    return 'must be a non-empty text, e.g. "1".';
  }
  if (typeof v !== "number" || !Number.isFinite(v))
    return `must be a number from ${range(field)}, not ${JSON.stringify(v)}.`;
  if (field.kind === "integer" && !Number.isInteger(v)) return `must be a whole number from ${range(field)}, not ${v}.`;
  if (v < field.min! || v > field.max!) return `must be from ${range(field)}, not ${v.toLocaleString("en-US")}.`;
  return { value: v };
}

const range = (f: Field): string => `${f.min!.toLocaleString("en-US")} to ${f.max!.toLocaleString("en-US")}`;
const sectionList = (): string => Object.keys(POLICY_FIELDS).join(", ");

function hint(word: string, options: readonly string[]): Message | string {
  const near = closest(word, options);
  return near ? msg` Did you mean \`${near}\`?` : "";
}
