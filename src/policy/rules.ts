// Rules about the platform policy: partner values looser than it (reported by review, on the
// manifest), and the operator's policy.yml (reported by its parser; they never gate a partner:
// a broken policy leaves the built-in one in force).
import { parserRule, ruleIds } from "../core/rule.js";

export const LOOSER_VALUE = parserRule({
  id: "policy/looser-value",
  severity: "warning",
  title: "The platform's bars apply; a manifest may only make them stricter",
  description:
    "The delivery timeout and the volume floor are the platform's (the operator's `policy.yml`, or the built-in defaults). A manifest `webhook.timeoutMs` longer than the platform's, a `volume.events` or `volume.minEventsPerSecond` below it, a `volume.concurrency` above it — or the same through `--timeout`, `--volume`, `--concurrency` or the Action's inputs — is not used: the message names the platform value that replay and the checklist apply instead. Stricter values (a shorter timeout, more events, a higher rate) are used.",
});

/** The operator's policy.yml, as its parser reports it. */
export const POLICY_FILE_RULES = [
  parserRule({
    id: "policy/yaml",
    severity: "error",
    title: "policy.yml is valid YAML, a mapping of sections",
    description:
      "The operator's policy file must parse as one YAML document holding the sections `delivery`, `volume`, `testSuite` and `plugin`. Tags (`!!js/function`), syntax errors and a file that is not a mapping are errors; a policy with any error is not used (the built-in defaults apply and the error is shown).",
  }),
  parserRule({
    id: "policy/unknown-key",
    severity: "error",
    title: "policy.yml names only known sections and settings",
    description:
      "Every key must be one the platform knows; a misspelt key would silently leave a default in force, so it is an error (with the closest known key suggested).",
  }),
  parserRule({
    id: "policy/value",
    severity: "error",
    title: "policy.yml values are in range",
    description:
      "Timeouts and counts are whole numbers in their range, `minEventsPerSecond` a number, `maxErrorRate` a share from 0 to 1, `testSuite.version` a text. The message names the range.",
  }),
] as const;

export const POLICY_RULES = [LOOSER_VALUE, ...POLICY_FILE_RULES] as const;
export type PolicyRuleId = (typeof POLICY_RULES)[number]["id"];
export const POLICY_FILE_RULE_IDS = ruleIds(POLICY_FILE_RULES);
