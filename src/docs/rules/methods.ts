// Subscriptions: a `## Supported methods` section with one `###` per supported call (and none for
// others), each with a code sample, and deletion. The comparisons with `supports` run only on a
// schema-valid manifest (view.supportsKnown): on a broken one, `supports` may just be misspelt,
// and "remove the section" would be wrong advice.
import { msg } from "../../core/markdown.js";
import type { CallType } from "../../core/vocabulary.js";
import { sectionRange, type Heading } from "../markdown.js";
import { pageRule, type PageContext, type Pos } from "./context.js";

/** The calls a `###` section may document, with the heading the template uses. */
export const METHOD_TITLES: Record<CallType, string> = {
  page: "Page",
  screen: "Screen",
  identify: "Identify",
  track: "Track",
  group: "Group",
  alias: "Alias",
  delete: "Delete",
};
/** Template order of the method sections. */
const METHOD_ORDER: CallType[] = ["page", "screen", "identify", "track", "group", "alias"];
const TOP: Pos = { line: 1, column: 1 };

const methodsSection = (ctx: PageContext): Heading | undefined => ctx.h2((k) => k === "supported methods");
/** Where findings about the methods go: the section, or the top of the page without one. */
const methodsPos = (ctx: PageContext): Pos => {
  const sm = methodsSection(ctx);
  return sm ? ctx.locate(sm.line0) : TOP;
};

/** The `###` sections under Supported methods that document a call, with the call. */
function methodSections(ctx: PageContext): { h: Heading; call: CallType }[] {
  const sm = methodsSection(ctx);
  if (!sm) return [];
  const { end } = sectionRange(ctx.tokens, ctx.headings, sm);
  return ctx.headings.flatMap((h) => {
    const call = h.index > sm.index && h.index < end && h.level === 3 ? callOf(h.key) : undefined;
    return call ? [{ h, call }] : [];
  });
}

function callOf(key: string): CallType | undefined {
  if (/^(user )?delet(e|ion|ing)\b/.test(key)) return "delete";
  const first = key.split(" ")[0] ?? "";
  return METHOD_ORDER.find((c) => c === first);
}

function listCalls(calls: Set<CallType>): string {
  const names = METHOD_ORDER.filter((c) => calls.has(c)).map((c) => METHOD_TITLES[c]);
  return names.length ? names.join(", ") : "none listed";
}

export const supportedMethods = pageRule({
  id: "docs/supported-methods",
  severity: "error",
  title: "Subscriptions document a `## Supported methods` section",
  description:
    "When the app has a subscription component, the page has a `## Supported methods` section with one `###` section per " +
    "call the subscriptions support (the union of their `supports` lists).",
  check(ctx) {
    const { view } = ctx;
    if (!view.hasSubscription || methodsSection(ctx)) return;
    const what = view.supportsKnown
      ? `supported call (${listCalls(view.supported)})`
      : "call that `supports` lists in integration.yml";
    ctx.report(
      msg`The page has no \`## Supported methods\` section; add one with a \`###\` section for each ${what}.`,
      TOP,
    );
  },
});

export const methodUnsupported = pageRule({
  id: "docs/method-unsupported",
  severity: "error",
  title: "No section documents a call the app does not support",
  description:
    "Remove `###` sections for calls that no subscription lists in `supports` (the template says: remove sections that do " +
    "not apply), or add the call to `supports` in `integration.yml` if the integration handles it.",
  check(ctx) {
    const { view } = ctx;
    if (!view.hasSubscription || !view.supportsKnown) return;
    for (const { h, call } of methodSections(ctx)) {
      if (view.supported.has(call)) continue;
      ctx.report(
        msg`"### ${h.text}" documents ${METHOD_TITLES[call]} calls, which no subscription lists in \`supports\` in integration.yml; remove the section, or add "${call}" to \`supports\` if the integration handles it.`,
        ctx.locate(h.line0),
      );
    }
  },
});

export const codeSample = pageRule({
  id: "docs/code-sample",
  severity: "error",
  title: "Every method section has a fenced code sample",
  description:
    "Each `###` section under `## Supported methods` shows an example call in a fenced code block (```` ```js ````), for " +
    "example `analytics.track('Login Button Clicked')`. The deletion section (`### Delete`) needs none.",
  check(ctx) {
    if (!ctx.view.hasSubscription) return;
    for (const { h, call } of methodSections(ctx)) {
      if (call === "delete") continue;
      const { start, end } = sectionRange(ctx.tokens, ctx.headings, h);
      if (ctx.tokens.slice(start, end).some((t) => t.type === "fence")) continue;
      ctx.report(
        msg`"### ${h.text}" has no code sample; add a fenced code block (\`\`\`js) with an example ${METHOD_TITLES[call]} call.`,
        ctx.locate(h.line0),
      );
    }
  },
});

export const methodMissing = pageRule({
  id: "docs/method-missing",
  severity: "error",
  title: "Every supported call has its `###` section",
  description:
    "Under `## Supported methods`, add a `###` section (`### Identify`, `### Track`, `### Page`, `### Screen`, `### Group`, " +
    "`### Alias`) for each call a subscription lists in `supports`, with a code sample, what the call becomes in the " +
    "partner's tool and where it shows up.",
  check(ctx) {
    const { view } = ctx;
    if (!view.hasSubscription || !view.supportsKnown || !methodsSection(ctx)) return;
    const documented = new Set(methodSections(ctx).map((s) => s.call));
    for (const call of METHOD_ORDER) {
      if (!view.supported.has(call) || documented.has(call)) continue;
      ctx.report(
        msg`\`## Supported methods\` has no \`### ${METHOD_TITLES[call]}\` section, but a subscription supports ${call}; document it with a code sample.`,
        methodsPos(ctx),
      );
    }
  },
});

export const deletion = pageRule({
  id: "docs/deletion",
  severity: "error",
  title: "Deletion is documented when `delete` is supported",
  description:
    "When a subscription supports `delete`, document what happens to the user's data: add a section whose heading mentions " +
    "deletion (for example `### Delete` under Supported methods, or `## User Deletion`).",
  check(ctx) {
    const { view } = ctx;
    if (!view.hasSubscription || !view.supportsKnown || !view.supported.has("delete")) return;
    if (ctx.headings.some((h) => h.level >= 2 && /delet/.test(h.key))) return;
    ctx.report(
      msg`A subscription supports delete, but the page does not document deletion; add a section such as \`### Delete\` under Supported methods saying what happens to the user's data.`,
      methodsPos(ctx),
    );
  },
});

export const deleteUnsupported = pageRule({
  id: "docs/delete-unsupported",
  severity: "warning",
  title: "Subscriptions support user deletion",
  description:
    "Partners must delete a user's data when the platform sends a `delete` call, and document it. Add `delete` to the " +
    "subscription's `supports` in `integration.yml`, implement it, and document it on the docs page.",
  check(ctx) {
    const { view } = ctx;
    if (!view.hasSubscription || !view.supportsKnown) return;
    for (const name of view.withoutDelete) {
      ctx.report(
        msg`The subscription ${name} does not list "delete" in \`supports\` in integration.yml; partners must delete a user's data on request and document it.`,
        methodsPos(ctx),
      );
    }
  },
});
