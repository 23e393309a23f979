// Cobalt Forms' stream: sends form activity into the platform through the HTTP Tracking API.
// devcenter replay runs it with DEVCENTER_WRITE_KEY and DEVCENTER_ENDPOINT pointing at a local sink;
// in production the endpoint is the platform's Tracking API and the key is the customer's write key.
const endpoint = process.env.DEVCENTER_ENDPOINT;
const writeKey = process.env.DEVCENTER_WRITE_KEY;
if (!endpoint || !writeKey) {
  console.error("Set DEVCENTER_ENDPOINT and DEVCENTER_WRITE_KEY.");
  process.exit(1);
}

const integration = { name: "cobalt-forms", version: "1.4.0" };
const now = new Date("2026-03-01T12:00:00.000Z").getTime();
const at = (minutes) => new Date(now + minutes * 60_000).toISOString();

const batch = [
  {
    type: "identify",
    userId: "respondent-31",
    traits: { email: "grace@example.com", firstName: "Grace", lastName: "Hopper" },
    timestamp: at(0),
    messageId: "cobalt-identify-31",
    context: { integration },
  },
  {
    type: "track",
    event: "Form Viewed",
    userId: "respondent-31",
    properties: { form_id: "nps-2026", form_title: "How are we doing?" },
    timestamp: at(1),
    messageId: "cobalt-form-viewed-31",
    context: { integration },
  },
  {
    type: "track",
    event: "Form Submitted",
    userId: "respondent-31",
    properties: { form_id: "nps-2026", score: 9, completion_seconds: 48 },
    timestamp: at(2),
    messageId: "cobalt-form-submitted-31",
    context: { integration },
  },
];

const response = await fetch(new URL("/v1/batch", endpoint), {
  method: "POST",
  headers: {
    Authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`,
    "Content-Type": "application/json",
  },
  body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
});
if (!response.ok) {
  console.error(`The Tracking API answered ${response.status}: ${await response.text()}`);
  process.exit(1);
}
console.log(`Sent ${batch.length} events.`);
