// Ajv errors → one sentence each, in a partner's words, with the place to point at.
import { msg, type Message } from "../core/markdown.js";
import type { ErrorObject } from "ajv";
import { closest } from "../core/suggest.js";
import { escapePointerToken, pointerToPath } from "./yaml-tree.js";
import { plural } from "../core/text.js";

export interface SchemaProblem {
  message: string | Message;
  /** JSON pointer of the node the message is about. */
  pointer: string;
  /** What to point at: the key itself (unknown key), the value (wrong value), or the mapping (missing key). */
  target: "key" | "value" | "mapping";
}

const where = (pointer: string): Message | string =>
  pointer === "" ? "The manifest" : msg`\`${pointerToPath(pointer)}\``;

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping (key: value lines)",
  null: "empty",
};

function typeName(types: string | string[]): string {
  const list = Array.isArray(types) ? types : String(types).split(",");
  if (list.length === 1) return TYPE_NAMES[list[0]!] ?? list[0]!;
  const names = list.map((t) => TYPE_NAMES[t] ?? t);
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** A short description of a value as the partner wrote it. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing (the value is empty)";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 57) + "…" : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return typeof value;
}

const quoteList = (values: readonly unknown[]): string =>
  values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ");

/** Every Ajv error that a partner needs to see, as sentences; noise (if/then bookkeeping) removed, duplicates merged. */
export function describeSchemaErrors(errors: readonly ErrorObject[]): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  const shaped = new Set<string>();
  for (const e of errors) {
    // A value that fails both `format` and `pattern` (a URL without https://) gets one sentence.
    if (e.keyword === "format" || e.keyword === "pattern") {
      if (shaped.has(e.instancePath)) continue;
      shaped.add(e.instancePath);
    }
    const p = describe(e);
    if (!p) continue;
    const id = `${p.pointer}\u0000${p.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(p);
  }
  return out;
}

function describe(e: ErrorObject): SchemaProblem | undefined {
  const at = e.instancePath;
  const params = e.params as Record<string, unknown>;
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  const got = describeValue(e.data);
  switch (e.keyword) {
    case "if":
    case "allOf":
    case "anyOf":
    case "oneOf":
      // Bookkeeping of the branch that failed; the branch's own errors say what is wrong.
      return undefined;
    case "required": {
      const key = String(params.missingProperty);
      return { pointer: at, target: "mapping", message: msg`${where(at)} is missing the required key \`${key}\`.` };
    }
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties as object | undefined) ?? {});
      const guess = closest(key, allowed);
      const hint = guess
        ? msg` Did you mean \`${guess}\`?`
        : allowed.length
          ? ` Allowed keys here: ${allowed.join(", ")}.`
          : "";
      const inWhat = at === "" ? "The manifest has" : msg`${where(at)} has`;
      return {
        pointer: `${at}/${escapePointerToken(key)}`,
        target: "key",
        message: msg`${inWhat} an unknown key \`${key}\`.${hint}`,
      };
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const guess =
        typeof e.data === "string"
          ? closest(
              e.data,
              allowed.filter((a): a is string => typeof a === "string"),
            )
          : undefined;
      // With a near miss, the suggestion says enough; a long list would bury it.
      if (guess && allowed.length > 6)
        return {
          pointer: at,
          target: "value",
          message: msg`${where(at)} got ${got}, which is not an allowed value. Did you mean "${guess}"?`,
        };
      const hint = guess ? ` Did you mean "${guess}"?` : "";
      return {
        pointer: at,
        target: "value",
        message: msg`${where(at)} must be one of ${quoteList(allowed)}; got ${got}.${hint}`,
      };
    }
    case "const":
      return {
        pointer: at,
        target: "value",
        message: msg`${where(at)} must be ${JSON.stringify(params.allowedValue)}; got ${got}.`,
      };
    case "type":
      return {
        pointer: at,
        target: "value",
        message: msg`${where(at)} must be ${typeName(params.type as string)}; got ${got}.`,
      };
    case "format": {
      const what =
        params.format === "email"
          ? "an email address such as support@acme.example"
          : params.format === "uri"
            ? "a full web address such as https://acme.example"
            : `in ${String(params.format)} format`;
      return { pointer: at, target: "value", message: msg`${where(at)} must be ${what}; got ${got}.` };
    }
    case "pattern": {
      const custom =
        typeof parent.patternErrorMessage === "string"
          ? parent.patternErrorMessage
          : `must match the pattern ${String(params.pattern)}`;
      return { pointer: at, target: "value", message: msg`${where(at)} ${custom}; got ${got}.` };
    }
    case "minLength":
      return params.limit === 1
        ? { pointer: at, target: "value", message: msg`${where(at)} must not be empty.` }
        : {
            pointer: at,
            target: "value",
            message: msg`${where(at)} must be at least ${plural(Number(params.limit), "character")} long; got ${got}.`,
          };
    case "maxLength": {
      const len = typeof e.data === "string" ? [...e.data].length : 0;
      return {
        pointer: at,
        target: "value",
        message: msg`${where(at)} is ${plural(len, "character")} long; the limit is ${params.limit}.`,
      };
    }
    case "minItems":
      return params.limit === 1
        ? { pointer: at, target: "value", message: msg`${where(at)} must list at least one item.` }
        : { pointer: at, target: "value", message: msg`${where(at)} must list at least ${params.limit} items.` };
    case "maxItems": {
      const n = Array.isArray(e.data) ? e.data.length : 0;
      return {
        pointer: at,
        target: "value",
        message: msg`${where(at)} lists ${plural(n, "item")}; at most ${params.limit} ${params.limit === 1 ? "is" : "are"} allowed.`,
      };
    }
    case "uniqueItems": {
      const first = Math.min(Number(params.i), Number(params.j));
      const second = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(e.data) ? describeValue(e.data[second]) : "an item";
      return {
        pointer: `${at}/${second}`,
        target: "value",
        message: msg`${where(at)} lists ${item} twice (items ${first} and ${second}, counting from 0); keep one.`,
      };
    }
    case "minimum":
    case "exclusiveMinimum":
    case "maximum":
    case "exclusiveMaximum": {
      const word = {
        minimum: "at least",
        exclusiveMinimum: "more than",
        maximum: "at most",
        exclusiveMaximum: "less than",
      }[e.keyword];
      return { pointer: at, target: "value", message: msg`${where(at)} must be ${word} ${params.limit}; got ${got}.` };
    }
    case "false schema":
      return { pointer: at, target: "key", message: msg`${where(at)} is not allowed here.` };
    default:
      return { pointer: at, target: "value", message: msg`${where(at)} ${e.message ?? "is not valid"}.` };
  }
}
