// Every rule the Spec validator reports: one object each with its id, default severity, title and
// Markdown description. They are parser rules (core/rule.ts): validate.ts, event-file.ts and
// fixtures.ts meet them while reading events, and report them by `SPEC_RULE.<name>.id`.
import { LIMITS } from "../core/limits.js";
import { parserRule } from "../core/rule.js";

export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_MESSAGE_ID = 100;

const kb = (n: number) => `${n / 1024} KB`;

/** The rules by name, so that code refers to them by name. */
export const SPEC_RULE = {
  jsonSyntax: parserRule({
    id: "spec/json-syntax",
    severity: "error",
    title: "Event files are valid JSON",
    description:
      "An event file holds one JSON message, a JSON array of messages, or NDJSON (one message per line). " +
      "The diagnostic points at the first character the parser could not read. JavaScript object syntax " +
      "(single quotes, unquoted keys, trailing commas, comments) is not JSON.",
  }),
  emptyFile: parserRule({
    id: "spec/empty-file",
    severity: "warning",
    title: "Event files are not empty",
    description: "A fixture or event file with no message in it tests nothing; add a message or delete the file.",
  }),
  tooManyEvents: parserRule({
    id: "spec/too-many-events",
    severity: "error",
    title: `At most ${LIMITS.eventsPerFile.toLocaleString("en-US")} events per file`,
    description: "Events past the limit are not validated. Split the file.",
  }),
  tooManyFiles: parserRule({
    id: "spec/too-many-files",
    severity: "warning",
    title: `At most ${LIMITS.filesPerFolder.toLocaleString("en-US")} files per fixture folder`,
    description:
      "Files past the limit are not read. Keep fixture folders to the cases that matter, or merge messages into NDJSON files.",
  }),
  noEventFiles: parserRule({
    id: "spec/no-event-files",
    severity: "warning",
    title: "A folder given to validate-events holds event files",
    description:
      "`devcenter validate-events` reads `.json`, `.ndjson` and `.jsonl` files (not replay's `.golden.*` recordings). A folder with none of them validates nothing, which is usually a wrong path: check it.",
  }),
  duplicateKey: parserRule({
    id: "spec/duplicate-key",
    severity: "error",
    title: "No key is given twice in one object",
    description:
      'The platform\'s JSON parser keeps the last of two equal keys and silently drops the first, so `{"event": "Thing Done", …, "event": "Other Thing"}` is an "Other Thing" event. ' +
      "Remove one of them. The diagnostic points at the later key and names the value used and the value ignored; other diagnostics point at the value that is used.",
  }),
  unsafeKey: parserRule({
    id: "spec/unsafe-key",
    severity: "warning",
    title: "No `__proto__`, `constructor` or `prototype` keys",
    description:
      "These keys can change how JavaScript programs read the data (prototype pollution): code that copies or merges the message into another object may alter that object's prototype instead of copying a value. " +
      "The validator reads them safely as ordinary keys; rename them in the events you send.",
  }),
  notAnObject: parserRule({
    id: "spec/not-an-object",
    severity: "error",
    title: "A message is a JSON object",
    description:
      'Each Spec message is a JSON object such as `{"type": "track", "event": "Report Exported", "userId": "u-1"}`; strings, numbers, arrays and `null` are not messages.',
  }),
  tooDeep: parserRule({
    id: "spec/too-deep",
    severity: "error",
    title: `Messages nest at most ${LIMITS.depth} levels`,
    description:
      "Deeper nesting is refused (and not examined further) so that a hostile file cannot exhaust the validator. Real messages nest a handful of levels.",
  }),
  eventTooLarge: parserRule({
    id: "spec/event-too-large",
    severity: "error",
    title: `A message is at most ${kb(MAX_EVENT_BYTES)}`,
    description: `The platform refuses events larger than ${kb(MAX_EVENT_BYTES)} (measured as compact UTF-8 JSON). Send large payloads by reference (a URL or id) instead.`,
  }),
  typeMissing: parserRule({
    id: "spec/type-missing",
    severity: "error",
    title: "Every message has a `type`",
    description:
      "`type` is one of `identify`, `track`, `page`, `screen`, `group`, `alias` or `delete`; without it the platform cannot route the message.",
  }),
  typeUnknown: parserRule({
    id: "spec/type-unknown",
    severity: "error",
    title: "`type` is a Spec call type",
    description:
      "`type` must be exactly one of `identify`, `track`, `page`, `screen`, `group`, `alias`, `delete` (lower case).",
  }),
  legacyAction: parserRule({
    id: "spec/legacy-action",
    severity: "warning",
    title: "`type`, not the legacy `action`",
    description:
      "Old payloads (and some older documentation pages) named the call type `action`. The message is flagged and validated as the call it names; to migrate, " +
      'rename `action` to `type` (the value stays the same: `"action": "track"` becomes `"type": "track"`). With both present, delete `action`. ' +
      "An `action` that names no Spec call is an error.",
  }),
  identityMissing: parserRule({
    id: "spec/identity-missing",
    severity: "error",
    title: "Every message identifies a user",
    description:
      "Every call carries a non-empty `userId` or `anonymousId` (a `delete` carries the `userId` whose data is to be deleted).",
  }),
  identityType: parserRule({
    id: "spec/identity-type",
    severity: "error",
    title: "`userId` and `anonymousId` are strings",
    description:
      'Ids are strings. A number is accepted with a warning (destinations may compare `"42"` and `42` as different users); objects, arrays and booleans are errors.',
  }),
  legacyUserId: parserRule({
    id: "spec/legacy-user-id",
    severity: "warning",
    title: "`userId`, not the legacy `user_id`",
    description:
      "Old payloads used `user_id`. The message is flagged and `user_id` counts as its identity; to migrate, rename it to `userId`, which current libraries and destinations read. With both present, delete `user_id`.",
  }),
  eventMissing: parserRule({
    id: "spec/event-missing",
    severity: "error",
    title: "A track call names its event",
    description: '`event` is required on `track` and is a non-empty string such as `"Report Exported"`.',
  }),
  groupIdMissing: parserRule({
    id: "spec/group-id-missing",
    severity: "error",
    title: "A group call has a `groupId`",
    description: "`groupId` is required on `group`: the id of the account or organisation the user belongs to.",
  }),
  aliasIdsMissing: parserRule({
    id: "spec/alias-ids-missing",
    severity: "error",
    title: "An alias call has `userId` and `previousId`",
    description:
      "`alias` merges two identities: `previousId` (the old id, often the anonymous id) and `userId` (the new one). Both are required.",
  }),
  fieldType: parserRule({
    id: "spec/field-type",
    severity: "error",
    title: "Common, call and context fields have the Spec's types",
    description:
      "`context`, `integrations`, `traits` and `properties` are objects; `event`, `groupId`, `previousId`, `messageId`, `name` and `category` are strings; " +
      "fields of `context` (`ip`, `locale`, `userAgent`, `active`, `app`, `device`, `page`, …) have the types the Spec gives them. `null` counts as absent.",
  }),
  emptyArrayObject: parserRule({
    id: "spec/empty-array-object",
    severity: "warning",
    title: "Empty objects are `{}`, not `[]`",
    description:
      "Some serialisers (PHP's `json_encode`, for one) write an empty map as `[]`. The Spec expects an object: send `{}` or leave the field out.",
  }),
  timestampFormat: parserRule({
    id: "spec/timestamp-format",
    severity: "error",
    title: "Timestamps are ISO-8601 strings",
    description:
      "`timestamp`, `sentAt`, `receivedAt` and `originalTimestamp` are ISO-8601 date-time strings, preferably UTC (`2024-05-01T12:00:00.000Z`). " +
      "Epoch numbers and other formats are errors; `originalTimestamp` gets a warning, because the platform's own deletion messages carry a non-ISO value there. " +
      "A date that does not exist (`2024-02-30`, `2024-04-31`, `24:30`) is an error in all four.",
  }),
  timestampZone: parserRule({
    id: "spec/timestamp-zone",
    severity: "warning",
    title: "Timestamps say their time zone",
    description:
      "The Spec's timestamps are ISO-8601 in UTC. A date-time without `Z` or an offset (`2024-05-01T12:00:00`) does not say which moment it is: " +
      "its meaning depends on whoever reads it. Send UTC with `Z` (`2024-05-01T12:00:00.000Z`) or add the offset (`+02:00`).",
  }),
  messageIdLength: parserRule({
    id: "spec/message-id-length",
    severity: "error",
    title: `\`messageId\` is at most ${MAX_MESSAGE_ID} characters`,
    description: "`messageId` is the deduplication key; longer ids are refused. A UUID is a good choice.",
  }),
  traitType: parserRule({
    id: "spec/trait-type",
    severity: "error",
    title: "Reserved traits have the Spec's types",
    description:
      "Reserved traits (`email`, `firstName`, `age`, `createdAt`, `address`, `company`, … on `identify` and `context.traits`; `name`, `employees`, `industry`, `plan`, … on `group`) " +
      "have fixed types: dates are ISO-8601 strings, `age` is a number, `address` and `company` are objects. A number where the Spec says string is a warning; `null` where it says number is an error.",
  }),
  traitBothCases: parserRule({
    id: "spec/trait-both-cases",
    severity: "error",
    title: "A reserved trait is given once, not in both cases",
    description:
      "Reserved traits are camelCase (`firstName`); snake_case (`first_name`) is tolerated, but never both in one message: destinations pick one and drop the other.",
  }),
  revenueNumber: parserRule({
    id: "spec/revenue-number",
    severity: "error",
    title: "`revenue` and `value` are numbers",
    description:
      '`properties.revenue` and `properties.value` are decimal numbers (`25.5`), not strings (`"$25.50"`) or `null`: destinations sum them. Leave the property out when there is no amount.',
  }),
  currencyCode: parserRule({
    id: "spec/currency-code",
    severity: "error",
    title: "`currency` is an ISO 4217 code",
    description:
      "`properties.currency` is a three-letter ISO 4217 code in upper case (`USD`, `EUR`). A known code in the wrong case (`usd`) is a warning; anything else is an error. When it is absent, USD is assumed.",
  }),
  propertyType: parserRule({
    id: "spec/property-type",
    severity: "error",
    title: "Spec properties have the Spec's types",
    description:
      "Properties the Spec defines — page and screen properties (`url`, `path`, `title`, `keywords`, …) and the properties of semantic events (`order_id`, `products`, `price`, …) — have the types the Spec gives them. " +
      "A number where the Spec says string is a warning; `null` where the Spec says number is an error (leave the property out instead).",
  }),
  nearMiss: parserRule({
    id: "spec/semantic-event-near-miss",
    severity: "warning",
    title: "Semantic events use the Spec's names",
    description:
      'When an event means what a Spec event means, it must use the Spec\'s name so that destinations recognise it: "Order Completed", not "Purchase", "Order Complete", "order_completed" or the Ecommerce v1 "Completed Order"; ' +
      '"Application Installed", not "install". The message names the Spec event to use.',
  }),
  eventNameCase: parserRule({
    id: "spec/event-name-case",
    severity: "warning",
    title: "Event names are Title Case Object + Action",
    description:
      'Name events for an object and a past-tense action, in Title Case with spaces: "Report Exported", "Account Created". Not "report_exported", "reportExported" or "Export".',
  }),
  propertyCase: parserRule({
    id: "spec/property-case",
    severity: "warning",
    title: "Properties are snake_case",
    description:
      "Property names are lower-case snake_case (`order_id`, `plan_name`), except where the Spec itself names a property otherwise.",
  }),
  fixtureWrapper: parserRule({
    id: "spec/fixture-wrapper",
    severity: "error",
    title: "Fixture wrappers have only known keys",
    description:
      'A fixture is a bare message, or `{"message": {…}, "expect": …, "partnerApi": […], "name": …}`. Other keys are typos; `message` must be an object.',
  }),
  fixtureExpect: parserRule({
    id: "spec/fixture-expect",
    severity: "error",
    title: "`expect` is pass, unsupported or fail",
    description:
      "`expect` is the grade replay should give the message: `pass` (delivered), `unsupported` (HTTP 501 or `EventNotSupported`) or `fail`.",
  }),
  fixturePartnerApi: parserRule({
    id: "spec/fixture-partner-api",
    severity: "error",
    title: "`partnerApi` answers are well formed",
    description:
      "Each answer has `method`, `url` (absolute http/https), `status` (100–599), and optionally `body`, `headers` (string values), `delayMs` (≥ 0) and `error` (`timeout` or `reset`).",
  }),
} as const;

/** Every Spec rule, in the order the validator meets them. */
export const SPEC_RULES = Object.values(SPEC_RULE);
export type SpecRuleId = (typeof SPEC_RULES)[number]["id"];
