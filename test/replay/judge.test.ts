// judge() rewrites a grade's message for a fixture's expectation and the manifest's `supports`.
// A grade with a Markdown form (replay's own words with code spans) gets both forms rewritten, so
// the Markdown never shows an older message than the text; one without gets none.
import { describe, expect, it } from "vitest";
import { messageFields, msg } from "../../src/core/markdown.js";
import { type Grade, judge } from "../../src/replay/webhook.js";

const withMarkdown: Grade = {
  status: "fail",
  retryable: false,
  ...messageFields(msg`Sent to ${"x_[y](z)"}, not in \`hosts\`.`),
};
const plain: Grade = { status: "pass", retryable: false, message: "HTTP 200" };

describe("judge", () => {
  it("a refusal the fixture expects: both forms say so", () => {
    const g = judge(withMarkdown, "track", undefined, "fail");
    expect(g.status).toBe("pass");
    expect(g.message).toBe("Refused as the fixture expects: Sent to x_[y](z), not in `hosts`.");
    expect(g.markdown).toBe("Refused as the fixture expects: Sent to x\\_\\[y\\]\\(z\\), not in `hosts`.");
  });

  it("an answer the fixture did not expect: both forms say so", () => {
    const g = judge(withMarkdown, "track", undefined, "pass");
    expect(g.status).toBe("fail");
    expect(g.message).toBe("The fixture expects pass, but got fail: Sent to x_[y](z), not in `hosts`.");
    expect(g.markdown).toBe("The fixture expects pass, but got fail: Sent to x\\_\\[y\\]\\(z\\), not in `hosts`.");
  });

  it("a call type missing from supports, on a grade with no Markdown form: the text only, as before", () => {
    const g = judge(plain, "group", ["track"], undefined);
    expect(g).toEqual({
      status: "pass",
      retryable: false,
      message:
        "HTTP 200 (integration.yml does not list group under supports; a call the endpoint does not handle should answer 501)",
    });
    expect("markdown" in g).toBe(false);
  });
});
