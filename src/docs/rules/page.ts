// The docs page's opening: front matter with its title, the intro with a link to the partner's
// site, the maintained-by line, UTM parameters on partner links, and Getting Started.
import { msg } from "../../core/markdown.js";
import type { Token } from "markdown-it";
import { plural } from "../../core/text.js";
import { sectionRange } from "../markdown.js";
import { titleSuffix } from "../manifest-view.js";
import { checkUtm, isPartnerLink, UTM_QUERY } from "../utm.js";
import { pageRule, type PageContext, type Pos } from "./context.js";

const UTM = "utm_source=segmentio&utm_medium=docs&utm_campaign=partners";
/** How many links without UTM parameters are listed per file; the rest are counted. */
const UTM_LIMIT = 50;
const TOP: Pos = { line: 1, column: 1 };

/** The title the page must have, and how to write it when it is missing. */
function expectedTitle(ctx: PageContext): { expected: string | undefined; example: string; suffix: string } {
  const suffix = titleSuffix(ctx.view);
  const expected = ctx.view.appName ? `${ctx.view.appName} ${suffix}` : undefined;
  return { expected, suffix, example: `title: ${expected ?? `<App name> ${suffix}`}` };
}

export const frontMatter = pageRule({
  id: "docs/front-matter",
  severity: "error",
  title: "The docs page starts with YAML front matter holding a title",
  description:
    "The page must start with a front matter block: a `---` line, YAML, and a closing `---` line, with a `title` key.\n\n" +
    "```markdown\n---\ntitle: Acme Analytics Destination\n---\n```",
  check(ctx) {
    const { fm, report } = ctx;
    const { example } = expectedTitle(ctx);
    if (fm.kind === "none") {
      report(
        msg`The page has no front matter; start the file with a \`---\` line, \`${example}\`, and another \`---\` line.`,
        TOP,
      );
    } else if (fm.kind === "unclosed") {
      report(msg`The front matter opened by the first \`---\` line is never closed; add a \`---\` line after it.`, TOP);
    } else {
      for (const p of fm.problems) report(`The front matter is not valid YAML: ${p.message}.`, p);
      if (fm.problems.length === 0 && !fm.fields.get("title"))
        report(msg`The front matter has no title; add \`${example}\`.`, TOP);
    }
  },
});

export const title = pageRule({
  id: "docs/title",
  severity: "error",
  title: "The title is `<App name> Destination` (or `<App name> Source`)",
  description:
    "The front matter `title` is the app's name from `integration.yml` followed by `Destination`. An app made only of " +
    "stream components sends data *into* the platform, so its page is titled `<App name> Source`. Apps with a subscription " +
    "or a plugin (alone or with a stream) use `Destination`.",
  check(ctx) {
    if (ctx.fm.kind !== "ok") return;
    const { expected, suffix } = expectedTitle(ctx);
    const title = ctx.fm.fields.get("title");
    if (!title || !expected) return;
    const got = typeof title.value === "string" ? title.value.trim() : undefined;
    if (got === expected) return;
    ctx.report(
      `The title is ${got === undefined ? "not a text" : `"${got}"`}; it must be "${expected}" (the app's name from integration.yml, then "${suffix}"` +
        (suffix === "Source" ? ", as the app is made only of streams)." : ")."),
      title,
    );
  },
});

/** Where the intro starts. */
const introPos = ({ intro, locate }: PageContext): Pos => locate(intro[0]!.open.map?.[0] ?? 0);

export const intro = pageRule({
  id: "docs/intro",
  severity: "error",
  title: "The page opens with a short intro",
  description:
    "Before the first `##` section, write a one–two sentence introduction saying what the tool does, linking to the " +
    "partner's site. The maintained-by line does not count as the intro.",
  check({ intro, firstH2, locate, report }) {
    if (intro.length > 0) return;
    report(
      msg`The page has no intro: before the first \`##\` section, add one or two sentences saying what the tool does, with a link to the partner's site.`,
      firstH2 ? locate(firstH2.line0) : TOP,
    );
  },
});

export const introLength = pageRule({
  id: "docs/intro-length",
  severity: "warning",
  title: "The intro is one or two sentences",
  description: "The template asks for a one–two sentence intro; move longer explanations into the sections below it.",
  check(ctx) {
    if (ctx.intro.length === 0) return;
    const sentences = countSentences(ctx.intro.map((p) => p.text).join(" "));
    if (sentences > 2)
      ctx.report(
        `The intro has ${sentences} sentences; keep it to one or two and move the rest into a section.`,
        introPos(ctx),
      );
  },
});

export const introLink = pageRule({
  id: "docs/intro-link",
  severity: "error",
  title: "The intro links to the partner's site",
  description:
    "The intro must contain a link to the site given as `app.website` in `integration.yml` (same host, or a subdomain of it), " +
    `carrying the UTM parameters \`${UTM}\`.`,
  check(ctx) {
    const { intro, host, links, view } = ctx;
    if (intro.length === 0 || !host) return;
    const introInlines = new Set<Token>(intro.map((p) => p.inline));
    if (links.some((l) => introInlines.has(l.inline) && isPartnerLink(l.href, host))) return;
    ctx.report(
      `The intro does not link to the partner's site (${host}); link the tool's name, e.g. [${view.appName ?? "Name"}](${normalizedSite(view.website!)}?${UTM_QUERY}).`,
      introPos(ctx),
    );
  },
});

export const maintainedBy = pageRule({
  id: "docs/maintained-by",
  severity: "error",
  title: "A maintained-by line names the partner and a contact",
  description:
    "Add a line such as `This destination is maintained by Acme. For any issues, contact the [Acme Support team](mailto:support@acme.example).` " +
    "The paragraph must contain the words *maintained by* and a contact: an email address, a `mailto:` link or a link to a support page. " +
    "This contact is public; it need not be the `supportEmail` of the manifest, which is only for the platform's support team.",
  check({ maintained, links, view, firstH2, locate, report }) {
    if (maintained.length === 0) {
      report(
        `The page has no maintained-by line; add one such as "This destination is maintained by ${view.appName ?? "<partner>"}. For any issues, contact the [${view.appName ?? "<partner>"} Support team](mailto:<public support email>)."`,
        firstH2 ? locate(firstH2.line0) : TOP,
      );
      return;
    }
    const withContact = maintained.some(
      (p) =>
        links.some((l) => l.inline === p.inline && /^(mailto:|https?:)/i.test(l.href)) ||
        /[\w.+-]+@[\w-]+(\.[\w-]+)+/.test(p.text),
    );
    if (!withContact) {
      report(
        "The maintained-by line gives no contact; add an email address, a mailto: link or a link to a support page.",
        locate(maintained[0]!.open.map?.[0] ?? 0),
      );
    }
  },
});

export const utm = pageRule({
  id: "docs/utm",
  severity: "error",
  title: "Links to the partner's site carry the UTM parameters",
  description:
    `Every link to the partner's site (the host of \`app.website\` and its subdomains) must carry \`${UTM}\`, ` +
    "so the partner can see the traffic the docs send. The diagnostic gives the corrected URL; other query parameters and the fragment are kept.",
  check({ host, links, locator, report }) {
    if (!host) return;
    let listed = 0;
    let rest = 0;
    let firstRest: Pos | undefined;
    for (const l of links) {
      if (!isPartnerLink(l.href, host)) continue;
      const { problems, fixed } = checkUtm(l.href);
      if (problems.length === 0) continue;
      if (listed >= UTM_LIMIT) {
        firstRest ??= locator.locate(l);
        rest++;
        continue;
      }
      listed++;
      report(
        `The link to ${l.href} needs the UTM parameters (${problems.join("; ")}). Use ${fixed}`,
        locator.locate(l),
      );
    }
    if (firstRest)
      report(
        `…and ${plural(rest, "more link")} to the partner's site without the UTM parameters from here on, not listed one by one.`,
        firstRest,
      );
  },
});

const gettingStartedSection = (ctx: PageContext) => ctx.h2((k) => k === "getting started");

export const gettingStarted = pageRule({
  id: "docs/getting-started",
  severity: "error",
  title: "The page has a `## Getting Started` section",
  description: "Add a `## Getting Started` section telling a customer how to enable the integration.",
  check(ctx) {
    if (!gettingStartedSection(ctx))
      ctx.report(
        msg`The page has no \`## Getting Started\` section; add one with numbered steps to enable the integration.`,
        TOP,
      );
  },
});

export const gettingStartedSteps = pageRule({
  id: "docs/getting-started-steps",
  severity: "error",
  title: "Getting Started is a numbered list of steps",
  description:
    "Write the steps of `## Getting Started` as an ordered list (`1.`, `2.`, …): where to find the API key, where to paste it, " +
    "and how long before data shows up in the partner's tool.",
  check(ctx) {
    const gs = gettingStartedSection(ctx);
    if (!gs) return;
    const { start, end } = sectionRange(ctx.tokens, ctx.headings, gs);
    if (!ctx.tokens.slice(start, end).some((t) => t.type === "ordered_list_open")) {
      ctx.report(
        msg`\`## Getting Started\` has no numbered list; write the steps as \`1.\`, \`2.\`, \`3.\`.`,
        ctx.locate(gs.line0),
      );
    }
  },
});

/** Sentences in plain text: ., ! or ? followed by white space and a capital, digit or quote, or at the end. */
export function countSentences(text: string): number {
  const t = text.replace(/\s+/g, " ").trim();
  if (t === "") return 0;
  const ends = t.match(/[.!?]+(?=\s+["“(\p{Lu}\p{N}]|\s*$)/gu)?.length ?? 0;
  return Math.max(1, ends + (/[.!?]["”)]?\s*$/.test(t) ? 0 : 1));
}

function normalizedSite(website: string): string {
  try {
    return new URL(website).toString().replace(/\?.*$/, "");
  } catch {
    return website;
  }
}
