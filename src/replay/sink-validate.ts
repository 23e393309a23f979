// The one place the sink calls the Spec validator (src/spec/validate.ts). Until that module is
// present, a minimal built-in check stands in, so the sink works and its tests run either way.

export interface SpecFinding {
  ruleId: string;
  severity: "error" | "warning" | "info";
  message: string;
  /** JSON pointer inside the message. */
  path: string;
}

export type MessageValidator = (message: unknown) => SpecFinding[];

let cached: Promise<MessageValidator> | undefined;

/** The Spec validator, loaded once. */
export function loadValidator(): Promise<MessageValidator> {
  cached ??= (async () => {
    // A computed specifier: the module is being written alongside this one.
    const specifier = "../spec/validate.js";
    try {
      const mod = (await import(specifier)) as { validateMessage?: MessageValidator };
      if (typeof mod.validateMessage === "function") return mod.validateMessage;
    } catch {
      // not there yet
    }
    return basicValidate;
  })();
  return cached;
}

const TYPES = ["identify", "track", "page", "screen", "group", "alias"];

/** The Tracking API's own minimum: a known type, an identity, and each call's required field. */
export function basicValidate(message: unknown): SpecFinding[] {
  const findings: SpecFinding[] = [];
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    return [{ ruleId: "spec/message-object", severity: "error", message: "A message must be a JSON object.", path: "" }];
  }
  const m = message as Record<string, unknown>;
  const str = (v: unknown): boolean => typeof v === "string" && v.trim() !== "";
  if (!TYPES.includes(m.type as string)) {
    findings.push({ ruleId: "spec/type", severity: "error", message: `"type" must be one of ${TYPES.join(", ")}.`, path: "/type" });
  }
  if (!str(m.userId) && !str(m.anonymousId)) {
    findings.push({ ruleId: "spec/identity", severity: "error", message: "Every call needs a userId or an anonymousId.", path: "" });
  }
  if (m.type === "track" && !str(m.event)) {
    findings.push({ ruleId: "spec/track-event", severity: "error", message: 'A track call needs an "event" name.', path: "/event" });
  }
  if (m.type === "group" && !str(m.groupId)) {
    findings.push({ ruleId: "spec/group-id", severity: "error", message: 'A group call needs a "groupId".', path: "/groupId" });
  }
  if (m.type === "alias" && (!str(m.userId) || !str(m.previousId))) {
    findings.push({ ruleId: "spec/alias-ids", severity: "error", message: 'An alias call needs "userId" and "previousId".', path: "" });
  }
  return findings;
}
