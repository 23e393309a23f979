// Warnings for what a partner asks that the platform does not grant: a manifest value (at its
// line) or a front door's option looser than the policy. Each names the platform value that
// applies instead; replay and the checklist use that value whatever was asked.
import type { Diagnostic } from "../core/diagnostic.js";
import { messageFields } from "../core/markdown.js";
import type { Policy } from "../core/policy.js";
import type { LoadedManifest } from "../manifest/load.js";
import type { Manifest } from "../manifest/types.js";
import { looserFlags, looserManifestValues, type FlagAsk } from "./bars.js";
import { LOOSER_VALUE } from "./rules.js";

const LOOSER_RULE = LOOSER_VALUE.id;

export function policyFindings(
  policy: Policy,
  manifest: Manifest | undefined,
  loaded: Pick<LoadedManifest, "file" | "locate"> | undefined,
  flags: FlagAsk = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  manifest?.components.forEach((component, i) => {
    if (component.type !== "subscription") return;
    for (const ask of looserManifestValues(policy, component)) {
      const path = `/components/${i}${ask.pointer ?? ""}`;
      out.push({
        ruleId: LOOSER_RULE,
        severity: "warning",
        ...messageFields(ask.message),
        file: loaded?.file,
        path,
        ...(loaded?.locate(path) ?? {}),
      });
    }
  });
  for (const message of looserFlags(policy, flags)) out.push({ ruleId: LOOSER_RULE, severity: "warning", message });
  return out;
}
