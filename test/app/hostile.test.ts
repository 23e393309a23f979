// Hostile strings from a pull request: a folder name, an app name, replay case names and messages,
// diagnostics. Everything the App writes is rendered with markdown-it (raw HTML on, as GitHub
// does before sanitising) and checked: no tags or links from the pull request, no HTML comments
// but the App's own markers, no @-mention that would notify anyone. The App's own bookkeeping
// (one live comment, keys of reviewer items) must not be confusable by planted markers.
import MarkdownIt from "markdown-it";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MARKERS } from "../../src/core/vocabulary.js";
import type { ReviewFn } from "../../src/app/types.js";
import { FakeGitHub } from "./fake-github.js";
import {
  HEAD,
  MANIFEST,
  OWNER,
  PARTNER,
  PR,
  REPO,
  REVIEWER,
  addReplayRun,
  commentEvent,
  harness,
  integrationFiles,
  prEventNow,
  stubReview,
  world,
} from "./harness.js";

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const DIR = "x --> @everyone <img src=x> <!-- devcenter:checklist --> | [l](mailto:x@evil.example) `y";
const ROOT = `integrations/${DIR}`;
const NAME = "@octocat <!-- devcenter:state a.b --> <b>bold</b> [link](https://evil.example) #1";
const CASE =
  "@octocat | <img src=x onerror=alert(1)> <!-- devcenter:item access-granted --> ![i](https://evil.example/i.png)";
const MESSAGE = "@org/team please <script>alert(1)</script> see https://evil.example #12\n- [x] fake item";

const md = new MarkdownIt({ html: true, linkify: false });
const OWN_MARKER = /^<!-- devcenter:[a-z-]+(?: [A-Za-z0-9_.%:/=+-]+)? -->$/;
const ALLOWED_TAGS = new Set([
  "p",
  "h2",
  "h3",
  "h4",
  "ul",
  "li",
  "strong",
  "em",
  "code",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "sub",
  "hr",
  "blockquote",
  "br",
]);

function audit(markdown: string, where: string): void {
  const html = md.render(markdown);
  for (const c of html.match(/<!--[\s\S]*?-->/g) ?? []) expect(c, `${where}: comment ${c}`).toMatch(OWN_MARKER);
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, "");
  for (const [, tag] of withoutComments.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g))
    expect(ALLOWED_TAGS.has(tag!.toLowerCase()), `${where}: <${tag}> in\n${markdown}`).toBe(true);
  // Mentions: an @ directly followed by a login character notifies; the App puts a zero-width joiner there.
  const text = withoutComments.replace(/<[^>]+>/g, "");
  expect(text.match(/@[A-Za-z0-9]/g), `${where}: a mention in\n${markdown}`).toBeNull();
}

describe("hostile strings from a pull request", () => {
  it("cannot add markup, links, HTML comments or mentions anywhere the App writes, nor confuse its markers", async () => {
    const manifest = MANIFEST.replace("name: Acme Analytics", `name: ${JSON.stringify(NAME)}`).replace(
      "description: Product analytics for teams.",
      "description: TODO",
    );
    const files: Record<string, string> = { "README.md": "# x\n" };
    for (const [p, t] of Object.entries(integrationFiles(manifest))) if (p !== "README.md") files[`${ROOT}/${p}`] = t;
    // A second integration, so notes carry per-integration headings (with the hostile folder name).
    for (const [p, t] of Object.entries(integrationFiles(MANIFEST.replace("acme-analytics", "benign"))))
      if (p !== "README.md") files[`integrations/benign/${p}`] = t;
    const fake = new FakeGitHub(world({ files }));
    fake.pull(OWNER, REPO, PR).files = [ROOT, "integrations/benign"].map((r) => ({
      filename: `${r}/integration.yml`,
      status: "added",
      patch: "@@ -0,0 +1 @@\n+apiVersion: devcenter/v1",
    }));
    const report = {
      summary: { pass: 0, unsupported: 0, fail: 1 },
      cases: [
        { name: CASE, type: "track", status: "fail" as const, durationMs: 1, message: MESSAGE, group: "test-suite" },
      ],
    };
    addReplayRun(fake, report, { conclusion: "failure", root: ROOT });
    const hostileReview: ReviewFn = async (source, options) => {
      const r = await stubReview(source, options);
      r.diagnostics.push({
        ruleId: "spec/x",
        severity: "error",
        message: MESSAGE,
        file: `test/events/${DIR}.json`,
        line: 1,
      });
      r.summary.errors++;
      r.checklist = r.checklist.map((c) => (c.id === "manifest-valid" ? { ...c, status: "fail", reason: MESSAGE } : c));
      return r;
    };
    const h = await harness(fake, { review: hostileReview });
    await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
    // A reviewer's label with gates unmet: the removal note lists reasons from the pull request.
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    await h.receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER }));

    const comments = fake.commentsOn(OWNER, REPO, PR);
    expect(comments.length).toBeGreaterThanOrEqual(2);
    const note = comments.find((c) => c.body.includes(MARKERS.labelRemoved))!;
    expect(note.body).toContain("everyone");
    for (const c of comments) audit(c.body, `comment ${c.id}`);
    const run = fake.runsOn(HEAD, "devcenter").at(-1)!;
    audit(run.output!.summary!, "check run summary");
    audit(run.output!.text!, "check run text");
    // The hostile strings did reach the output (escaped), so the audit above saw them.
    const live = comments.filter((c) => c.body.includes(MARKERS.checklist));
    expect(live).toHaveLength(1);
    expect(live[0]!.body).toContain("octocat");
    expect(run.output!.text).toContain("script");

    // The hostile folder's reviewer item keeps a well-formed key, and a reviewer's tick on it counts.
    const key = /<!-- devcenter:item (\S+:access-granted) -->/.exec(live[0]!.body)![1]!;
    expect(key).toMatch(/^integrations\/[A-Za-z0-9%._-]+:access-granted$/);
    fake.tick(60_000);
    const from = live[0]!.body;
    const body = from.replace(/- \[ \] (.*<!-- devcenter:item \S+:access-granted -->)/, "- [x] $1");
    expect(body).not.toBe(from);
    live[0]!.body = body;
    await h.receive(
      "issue_comment",
      commentEvent("edited", { id: live[0]!.id, body, from, sender: REVIEWER, at: fake.now }),
    );
    expect(h.results.at(-1)!.decision!.confirmed).toEqual([key]);
    expect(fake.commentsOn(OWNER, REPO, PR).filter((c) => c.body.includes(MARKERS.checklist))).toHaveLength(1);
    // The note naming the hostile folder was not taken for a second checklist comment and deleted.
    expect(fake.writes().filter((w) => w.method === "DELETE" && w.path.includes("/comments/"))).toEqual([]);
    expect(fake.commentsOn(OWNER, REPO, PR).some((c) => c.id === note.id)).toBe(true);
  });
});
