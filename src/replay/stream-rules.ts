// Rules the Tracking API sink reports on what a stream sends (`devcenter sink`, stream replay).
// Parser rules (core/rule.ts): sink.ts meets them while it reads a request and reports them by id.
// Spec findings on the messages use the spec/* rules.
import { parserRule } from "../core/rule.js";

export const STREAM_RULES = [
  parserRule({
    id: "stream/integration-name",
    severity: "error",
    title: "Events carry the app's slug in `context.integration.name`",
    description:
      "Every event a stream sends into the platform carries `context.integration = { name: <app slug>, version }`, so the platform can attribute it.",
  }),
  parserRule({
    id: "stream/integration-version",
    severity: "warning",
    title: "`context.integration.version` is set",
    description: "Send the version of the code that produced the event alongside its name.",
  }),
  parserRule({
    id: "stream/type-mismatch",
    severity: "warning",
    title: "The message's `type` matches its endpoint",
    description:
      "A message posted to `/v1/track` is a track whatever its `type` says; send each call to its own endpoint (or use `/v1/batch`).",
  }),
  parserRule({
    id: "stream/event-too-large",
    severity: "error",
    title: "Each event is at most 32 KB",
    description:
      "The Tracking API refuses events over 32 KB. Send less per event: large blobs belong in the partner's own storage.",
  }),
  parserRule({
    id: "stream/request-too-large",
    severity: "error",
    title: "A request is at most 32 KB (500 KB for a batch)",
    description: "The Tracking API refuses larger requests; split batches.",
  }),
  parserRule({
    id: "stream/batch-too-many-events",
    severity: "error",
    title: "A batch holds at most 2,500 events",
    description: "Split larger batches into several requests.",
  }),
  parserRule({
    id: "stream/bad-batch",
    severity: "error",
    title: "`/v1/batch` bodies have a `batch` array",
    description: 'A batch request is `{ "batch": [messages…] }`, each message with its `type`.',
  }),
  parserRule({
    id: "stream/bad-json",
    severity: "error",
    title: "Request bodies are JSON",
    description:
      "The body could not be parsed as JSON (or was cut off). Send `Content-Type: application/json` with a complete JSON body.",
  }),
  parserRule({
    id: "stream/bad-encoding",
    severity: "error",
    title: "Bodies are plain JSON or gzip",
    description: "Only `Content-Encoding: gzip` (or none) is accepted, and the body must be valid in that encoding.",
  }),
  parserRule({
    id: "stream/unauthorized",
    severity: "error",
    title: "Requests carry the write key",
    description:
      "Authenticate with Basic auth, the write key as the user name and an empty password (or `writeKey` in the body).",
  }),
  parserRule({
    id: "stream/unknown-endpoint",
    severity: "error",
    title: "Requests go to a Tracking API endpoint",
    description:
      "Send to `/v1/identify`, `/v1/track`, `/v1/page`, `/v1/screen`, `/v1/group`, `/v1/alias` or `/v1/batch`.",
  }),
  parserRule({
    id: "stream/method",
    severity: "error",
    title: "Requests use POST",
    description: "Every Tracking API endpoint takes POST requests.",
  }),
] as const;
export type StreamRuleId = (typeof STREAM_RULES)[number]["id"];
