// Rules both Markdown files share: no template placeholder left, no first person, no nesting
// deeper than the parser follows. One check each, declared once per file kind.
import { plural } from "../../core/text.js";
import { FIRST_PERSON_LIMIT, findFirstPerson, firstPersonMessage } from "../first-person.js";
import { MAX_NESTING } from "../markdown.js";
import { copyRule, pageRule, type TextContext } from "./context.js";

const PLACEHOLDER = /\{\{\s*[A-Z][A-Z0-9_]*\s*\}\}/g;
const PLACEHOLDER_LIMIT = 20;

/** Template placeholders (`{{APP_NAME}}`) left anywhere in the file, front matter included. */
function placeholders({ lines, report }: TextContext): void {
  let count = 0;
  for (let l = 0; l < lines.lineCount && count < PLACEHOLDER_LIMIT; l++) {
    const text = lines.line(l);
    if (!text.includes("{{")) continue;
    PLACEHOLDER.lastIndex = 0;
    for (let m = PLACEHOLDER.exec(text); m && count < PLACEHOLDER_LIMIT; m = PLACEHOLDER.exec(text)) {
      count++;
      report(`The template placeholder ${m[0]} is still here; replace it with the app's own text.`, {
        line: l + 1,
        column: m.index + 1,
      });
    }
  }
}

function firstPerson({ lines, proseLines, view, report }: TextContext): void {
  const found = findFirstPerson(lines, proseLines, view.appName);
  for (const o of found.slice(0, FIRST_PERSON_LIMIT)) {
    report(firstPersonMessage(o), o);
  }
  const rest = found.length - FIRST_PERSON_LIMIT;
  if (rest > 0) {
    report(
      `…and ${plural(rest, "more first-person word")} in this file from here on, not listed one by one.`,
      found[FIRST_PERSON_LIMIT]!,
    );
  }
}

/** Markdown nested deeper than markdown-it follows: what lies below was dropped, so say where. */
const tooDeep =
  (what: string) =>
  ({ tooDeep: at, file, report }: TextContext): void => {
    if (!at) return;
    const line = at.line0 + 1;
    report(
      `${file} nests block quotes and lists more than ${MAX_NESTING} levels deep (line ${line}); ${what} needs only a few levels. Nothing below that depth was checked; flatten it.`,
      { line, column: at.column0 + 1 },
    );
  };

export const docsPlaceholder = pageRule({
  id: "docs/placeholder",
  severity: "error",
  title: "No template placeholder is left in the docs page",
  description:
    "The templates in `templates/docs/` mark what to fill in as `{{APP_NAME}}`, `{{WEBSITE}}` and so on. Replace every one. " +
    "(Only upper-case names in double braces count: the docs site's own Liquid tags such as `{{site.baseurl}}` are left alone.)",
  check: placeholders,
});

export const docsTooDeep = pageRule({
  id: "docs/too-deep",
  severity: "error",
  title: `Block quotes and lists nest at most ${MAX_NESTING} levels`,
  description:
    `The Markdown parser follows block quotes and lists ${MAX_NESTING} levels deep (a block quote counts as one level, a list as two: ` +
    "the list and its item) and skips whatever is nested deeper, so a crafted page cannot exhaust the reviewer. The skipped " +
    "content is not checked (first person, links, UTM parameters), so it is reported where it starts. Real pages nest a handful of levels.",
  check: tooDeep("a docs page"),
});

export const docsFirstPerson = pageRule({
  id: "docs/first-person",
  severity: "error",
  title: "The docs page is written without first person",
  description:
    'Write about the partner and the customer, not *I*, *we*, *our*, *us*, *my* or *me*: "Acme shows the event under ' +
    'Insights", not "we show the event". Code blocks, inline code and link URLs are not checked. UI labels are names, not ' +
    'the partner speaking: a label in quotes ("Remind Us"), in bold (**Email Me Later**) or as code passes, and so does one in ' +
    'Title Case inside a sentence ("the Email Me Later and Remind Us buttons"). Where a capitalised word may be either ("My ' +
    'Account shows…" opening a sentence), the message says how to mark the label. At most 20 occurrences are listed per file, then a count of the rest.',
  check: firstPerson,
});

export const catalogPlaceholder = copyRule({
  id: "catalog/placeholder",
  severity: "error",
  title: "No template placeholder is left in the catalog copy",
  description: "Replace every `{{PLACEHOLDER}}` of `templates/docs/catalog.md` with the app's own text.",
  check: placeholders,
});

export const catalogTooDeep = copyRule({
  id: "catalog/too-deep",
  severity: "error",
  title: `The catalog copy nests at most ${MAX_NESTING} levels`,
  description:
    `As on the docs page: block quotes and lists nested more than ${MAX_NESTING} levels deep (a list counts as two) are skipped ` +
    "unchecked, and reported where the skipped content starts.",
  check: tooDeep("the catalog copy"),
});

/** As every catalog rule after it, not run on a copy without a description (one finding says so). */
export const catalogFirstPerson = copyRule({
  id: "catalog/first-person",
  severity: "error",
  title: "The catalog copy is written without first person",
  description: "As on the docs page: no *I*, *we*, *our*, *us*, *my* or *me* outside code and link URLs.",
  check: (ctx) => {
    if (ctx.description !== "") firstPerson(ctx);
  },
});
