// Cobalt Forms' stream: sends form activity into the platform with Segment's Node.js library,
// @segment/analytics-node (run `npm install` first). devcenter replay runs it with
// DEVCENTER_WRITE_KEY and DEVCENTER_ENDPOINT pointing at a local Tracking API sink; in production
// the key is the customer's write key and the endpoint is left to the library's default.
import { Analytics } from "@segment/analytics-node";

const writeKey = process.env.DEVCENTER_WRITE_KEY;
if (!writeKey) {
  console.error("Set DEVCENTER_WRITE_KEY (and DEVCENTER_ENDPOINT to send somewhere else than the platform).");
  process.exit(1);
}
const analytics = new Analytics({
  writeKey,
  ...(process.env.DEVCENTER_ENDPOINT ? { host: process.env.DEVCENTER_ENDPOINT } : {}),
  flushAt: 20,
  maxRetries: 2,
});
analytics.on("error", (err) => {
  console.error(`The Tracking API refused a batch: ${err.reason?.message ?? err.code ?? err}`);
  process.exitCode = 1;
});

// Every message names the integration that sent it (the platform requires it on streams).
const context = { integration: { name: "cobalt-forms", version: "1.4.0" } };
const now = new Date("2026-03-01T12:00:00.000Z").getTime();
const at = (minutes) => new Date(now + minutes * 60_000);

analytics.identify({
  userId: "respondent-31",
  traits: { email: "grace@example.com", firstName: "Grace", lastName: "Hopper" },
  timestamp: at(0),
  messageId: "cobalt-identify-31",
  context,
});
analytics.track({
  userId: "respondent-31",
  event: "Form Viewed",
  properties: { form_id: "nps-2026", form_title: "How are we doing?" },
  timestamp: at(1),
  messageId: "cobalt-form-viewed-31",
  context,
});
analytics.track({
  userId: "respondent-31",
  event: "Form Submitted",
  properties: { form_id: "nps-2026", score: 9, completion_seconds: 48 },
  timestamp: at(2),
  messageId: "cobalt-form-submitted-31",
  context,
});

await analytics.closeAndFlush({ timeout: 10_000 });
console.log("Sent 3 events.");
