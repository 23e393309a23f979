// Spec validation throughput on one core: validateMessage against a raw Ajv validator compiled from
// a JSON Schema written for the same checks, and against @segment/loosely-validate-event.
// The events are the Spec's documentation examples made into complete, current messages (ids added
// where the docs omit them, legacy `action` renamed to `type`), a realistic mix of call types.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { CURRENCY_CODES } from "../src/spec/data/currencies.js";
import {
  CONTEXT_FIELDS,
  GROUP_TRAITS,
  IDENTIFY_TRAITS,
  MESSAGE_TYPES,
  PAGE_PROPERTIES,
  SCREEN_PROPERTIES,
  SEMANTIC_EVENTS,
  type SpecType,
} from "../src/spec/data/spec-data.js";
import { validateMessage } from "../src/spec/validate.js";
import { fmt, opsPerSecond, table } from "./measure.js";

const require = createRequire(import.meta.url);
const looselyValidate = require("@segment/loosely-validate-event") as (event: unknown, type?: string) => void;

function typicalEvents(): Record<string, unknown>[] {
  const dir = fileURLToPath(new URL("../test/fixtures/spec/examples/", import.meta.url));
  const events: Record<string, unknown>[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (file === "INDEX.json" || /fragment|webhook-response/.test(file)) continue;
    const m = JSON.parse(readFileSync(dir + file, "utf8")) as Record<string, unknown>;
    if (m.action && !m.type) {
      m.type = m.action;
      delete m.action;
    }
    if (m.user_id) {
      m.userId = m.user_id;
      delete m.user_id;
    }
    if (!m.userId && !m.anonymousId) m.anonymousId = "507f191e810c19729de860ea";
    if (m.type === "track" && !m.event) m.event = "Report Submitted";
    if (m.type === "delete") continue; // loosely-validate-event predates delete
    events.push(m);
  }
  return events;
}

// --- The same checks as a JSON Schema, for Ajv --------------------------------------------------
const schemaType = (t: SpecType): object => {
  switch (t) {
    case "string":
      return { type: ["string", "number", "null"] }; // numbers are warnings in the engine
    case "number":
      return { type: ["number", "null"] };
    case "boolean":
      return { type: ["boolean", "null"] };
    case "date":
      return { anyOf: [{ type: "string", format: "date-time" }, { type: "string", format: "date" }, { type: "null" }] };
    case "array":
      return { type: ["array", "null"] };
    case "object":
      return { type: ["object", "null"] };
    case "string|object":
      return { type: ["string", "object", "null"] };
  }
};
const props = (list: [string, SpecType][]) =>
  Object.fromEntries(list.filter(([n]) => !n.includes(".")).map(([n, t]) => [n, schemaType(t)]));
const traitsSchema = (list: [string, SpecType][]) => ({
  type: "object",
  properties: props(list),
  not: { required: ["firstName", "first_name"] },
});
const timestamp = { anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] };

function buildSchema(semantic: boolean): object {
  const trackProps: Record<string, unknown> = {
    type: "object",
    propertyNames: { pattern: "^[a-z0-9_]+$" },
    properties: { revenue: { type: "number" }, value: { type: "number" }, currency: { enum: [...CURRENCY_CODES] } },
  };
  const allOf: object[] = [
    {
      if: { properties: { type: { const: "track" } } },
      then: {
        required: ["event"],
        properties: {
          event: { type: "string", minLength: 1, pattern: "^[A-Z0-9][^ _]*( [^ _]+)+$" },
          properties: trackProps,
        },
      },
    },
    {
      if: { properties: { type: { const: "identify" } } },
      then: { properties: { traits: traitsSchema(IDENTIFY_TRAITS) } },
    },
    {
      if: { properties: { type: { const: "group" } } },
      then: {
        required: ["groupId"],
        properties: { groupId: { type: ["string", "number"] }, traits: traitsSchema(GROUP_TRAITS) },
      },
    },
    { if: { properties: { type: { const: "alias" } } }, then: { required: ["userId", "previousId"] } },
    {
      if: { properties: { type: { const: "page" } } },
      then: {
        properties: { name: { type: "string" }, properties: { type: "object", properties: props(PAGE_PROPERTIES) } },
      },
    },
    {
      if: { properties: { type: { const: "screen" } } },
      then: {
        properties: { name: { type: "string" }, properties: { type: "object", properties: props(SCREEN_PROPERTIES) } },
      },
    },
  ];
  if (semantic) {
    for (const e of SEMANTIC_EVENTS) {
      if (e.legacy || e.properties.length === 0) continue;
      allOf.push({
        if: { properties: { event: { const: e.name } } },
        then: { properties: { properties: { properties: props(e.properties) } } },
      });
    }
  }
  return {
    type: "object",
    required: ["type"],
    properties: {
      type: { enum: [...MESSAGE_TYPES] },
      userId: { type: ["string", "number", "null"] },
      anonymousId: { type: ["string", "number", "null"] },
      messageId: { type: "string", maxLength: 100 },
      timestamp,
      sentAt: timestamp,
      receivedAt: timestamp,
      originalTimestamp: timestamp,
      context: {
        type: ["object", "null"],
        properties: { ...props(CONTEXT_FIELDS.filter(([n]) => n !== "traits")), traits: traitsSchema(IDENTIFY_TRAITS) },
      },
      integrations: { type: ["object", "null"] },
    },
    anyOf: [{ required: ["userId"] }, { required: ["anonymousId"] }],
    allOf,
  };
}

function compile(semantic: boolean) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(buildSchema(semantic));
}

export default async function (): Promise<void> {
  const events = typicalEvents();
  const n = events.length;
  const ajvFull = compile(true);
  const ajvCore = compile(false);

  let findings = 0;
  let warnings = 0;
  for (const e of events) {
    const f = validateMessage(e);
    findings += f.filter((x) => x.severity === "error").length;
    warnings += f.filter((x) => x.severity === "warning").length;
  }
  let ajvInvalid = 0;
  for (const e of events) if (!ajvFull(e)) ajvInvalid++;

  let sink = 0;
  const ours = opsPerSecond(() => {
    for (let i = 0; i < n; i++) sink += validateMessage(events[i]).length;
    return n;
  }, 1500);
  const full = opsPerSecond(() => {
    for (let i = 0; i < n; i++) if (!ajvFull(events[i])) sink++;
    return n;
  }, 1500);
  const core = opsPerSecond(() => {
    for (let i = 0; i < n; i++) if (!ajvCore(events[i])) sink++;
    return n;
  }, 1500);
  const loose = opsPerSecond(() => {
    for (let i = 0; i < n; i++) {
      try {
        looselyValidate(events[i]);
      } catch {
        sink++;
      }
    }
    return n;
  }, 1500);

  console.log(
    `${n} typical events (the Spec's documentation examples as complete messages): ${findings} errors and ${warnings} warnings from validateMessage; Ajv (full schema) rejects ${ajvInvalid} (it cannot tell warnings from errors: naming style fails the schema).\n`,
  );
  table(
    ["validator", "events/s", "validateMessage ÷ it"],
    [
      ["validateMessage (src/spec)", fmt(ours), "1.00"],
      ["raw Ajv, same checks incl. semantic-event property tables", fmt(full), fmt(ours / full, 2)],
      ["raw Ajv, core checks only (no semantic-event tables)", fmt(core), fmt(ours / core, 2)],
      ["@segment/loosely-validate-event", fmt(loose), fmt(ours / loose, 2)],
    ],
  );
  const goal = ours >= 100_000 && ours * 2 >= Math.max(full, core);
  console.log(`\nGoal (≥ 100,000 events/s and within 2× of the faster raw Ajv): ${goal ? "met" : "NOT met"}.`);
  if (sink === -1) console.log(); // keeps the results observable so the loops are not optimised away
  console.log(
    "Not expressible in the Ajv schema, so done only by validateMessage: the 32 KB size limit, the depth cap, near-miss event names, camelCase/snake_case trait pairs beyond firstName, lower-case currency warnings.",
  );
}
