// devcenter's own code spans reach the Markdown front doors (issue 14): a diagnostic whose text
// has one must carry a Markdown form, or the App's comment, check run and the job summary escape
// it whole and show literal backticks. The fixture tests check every diagnostic they produce.
import { expect } from "vitest";

export function expectOwnMarkdown(d: { ruleId: string; message: string; markdown?: string }): void {
  if (/`[^`\n]+`/.test(d.message))
    expect(
      d.markdown,
      `${d.ruleId}: "${d.message}" has a code span but no Markdown form (build it with msg)`,
    ).toBeDefined();
}
