// Beacon CRM's function subscription: the platform calls one handler per message type.
// Globals provided by the runtime: fetch, Headers, URL, btoa, and the error classes
// EventNotSupported, InvalidEventPayload, ValidationError and RetryError.
const API = "https://api.beacon.example/v1";

async function send(path, body, settings) {
  let response;
  try {
    response = await fetch(`${API}${path}`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${settings.apiKey}`,
        "Content-Type": "application/json",
        "X-Workspace-Domain": settings.workspaceDomain,
      },
      body: JSON.stringify(body),
    });
  } catch (error) {
    // Network failures and timeouts are worth retrying.
    throw new RetryError(`Beacon could not be reached: ${error.message}`);
  }
  if (response.status === 429 || response.status >= 500) {
    throw new RetryError(`Beacon answered ${response.status}; the platform will retry.`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new ValidationError("Beacon rejected the API key: check the API Key setting.");
  }
  if (!response.ok) {
    throw new InvalidEventPayload(`Beacon rejected the event with status ${response.status}.`);
  }
  return response.status;
}

// Known users are matched on userId; anonymous visitors become leads keyed by anonymousId.
function contactOf(event) {
  const id = event.userId ?? event.anonymousId;
  if (!id) throw new InvalidEventPayload("Beacon needs a userId or anonymousId to match a contact.");
  return { external_id: String(id), anonymous: !event.userId };
}

async function onIdentify(event, settings) {
  const traits = event.traits ?? {};
  return send(
    "/contacts",
    { ...contactOf(event), email: traits.email, name: traits.name, attributes: traits, updated_at: event.timestamp },
    settings,
  );
}

async function onTrack(event, settings) {
  return send(
    "/activities",
    { ...contactOf(event), name: event.event, properties: event.properties ?? {}, occurred_at: event.timestamp, dedupe_key: event.messageId },
    settings,
  );
}

async function onDelete(event, settings) {
  if (!event.userId) throw new InvalidEventPayload("A deletion request must name the userId to erase.");
  return send("/contacts/erase", { external_id: event.userId }, settings);
}
