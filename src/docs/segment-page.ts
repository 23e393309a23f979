// Checks of the platform docs page (`docs.segment`) against the partner program's template.
import type { Token } from "markdown-it";
import type { Diagnostic } from "../core/diagnostic.js";
import type { CallType } from "../core/vocabulary.js";
import { FIRST_PERSON_LIMIT, findFirstPerson } from "./first-person.js";
import { bodyText, readFrontMatter } from "./front-matter.js";
import { LineIndex } from "./lines.js";
import { headings, inlineText, LinkLocator, links, MAX_NESTING, parseMarkdownDepth, proseLines, sectionRange, type Heading, type TooDeep } from "./markdown.js";
import { titleSuffix, type DocsView } from "./manifest-view.js";
import { defaultSeverity, type DocsRuleId } from "./rule-info.js";
import { checkUtm, isPartnerLink, partnerHost, UTM_QUERY } from "./utm.js";

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

type Pos = { line: number; column: number };

/** How many links without UTM parameters are listed per file; the rest are counted. */
const UTM_LIMIT = 50;

export function checkSegmentPage(view: DocsView, file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (ruleId: DocsRuleId, message: string, at: Pos, severity = defaultSeverity(ruleId)): void => {
    out.push({ ruleId, severity, message, file, line: at.line, column: at.column });
  };
  const top: Pos = { line: 1, column: 1 };
  const lines = new LineIndex(text);
  out.push(...placeholderDiagnostics("docs/placeholder", file, lines));

  // 1. Front matter and title.
  const fm = readFrontMatter(lines);
  const suffix = titleSuffix(view);
  const expectedTitle = view.appName ? `${view.appName} ${suffix}` : undefined;
  const example = `a \`---\` line, \`title: ${expectedTitle ?? `<App name> ${suffix}`}\`, and another \`---\` line`;
  if (fm.kind === "none") {
    report("docs/front-matter", `The page has no front matter; start the file with ${example}.`, top);
  } else if (fm.kind === "unclosed") {
    report("docs/front-matter", "The front matter opened by the first `---` line is never closed; add a `---` line after it.", top);
  } else {
    for (const p of fm.problems) report("docs/front-matter", `The front matter is not valid YAML: ${p.message}.`, p);
    const title = fm.fields.get("title");
    if (fm.problems.length === 0 && !title) {
      report("docs/front-matter", `The front matter has no title; add \`title: ${expectedTitle ?? `<App name> ${suffix}`}\`.`, top);
    } else if (title && expectedTitle) {
      const got = typeof title.value === "string" ? title.value.trim() : undefined;
      if (got !== expectedTitle) {
        report(
          "docs/title",
          `The title is ${got === undefined ? "not a text" : `"${got}"`}; it must be "${expectedTitle}" (the app's name from integration.yml, then "${suffix}"` +
            (suffix === "Source" ? ", as the app is made only of streams)." : ")."),
          title,
        );
      }
    }
  }

  // 2. Markdown structure.
  const { body } = bodyText(lines, fm);
  const { tokens, tooDeep } = parseMarkdownDepth(body);
  if (tooDeep) out.push(tooDeepDiagnostic("docs/too-deep", file, "a docs page", tooDeep));
  const hs = headings(tokens);
  const host = partnerHost(view.website);
  const locator = new LinkLocator(lines);
  const allLinks = links(tokens);
  const firstH2 = hs.find((h) => h.level === 2);

  // 3. Intro and maintained-by line: top-level paragraphs before the first `##`.
  const introEnd = firstH2 ? firstH2.index : tokens.length;
  const intro: { open: Token; inline: Token; text: string }[] = [];
  const maintained: { open: Token; inline: Token; text: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== "paragraph_open" || t.level !== 0) continue;
    const inline = tokens[i + 1]!;
    const entry = { open: t, inline, text: inlineText(inline) };
    if (/maintained\s+by/i.test(entry.text)) maintained.push(entry);
    else if (i < introEnd) intro.push(entry);
  }
  if (intro.length === 0) {
    report(
      "docs/intro",
      "The page has no intro: before the first `##` section, add one or two sentences saying what the tool does, with a link to the partner's site.",
      firstH2 ? lines.lineStart(firstH2.line0) : top,
    );
  } else {
    const introPos = lines.lineStart(intro[0]!.open.map?.[0] ?? 0);
    const sentences = countSentences(intro.map((p) => p.text).join(" "));
    if (sentences > 2) {
      report("docs/intro-length", `The intro has ${sentences} sentences; keep it to one or two and move the rest into a section.`, introPos);
    }
    if (host) {
      const introInlines = new Set(intro.map((p) => p.inline));
      const hasLink = allLinks.some((l) => introInlines.has(l.inline) && isPartnerLink(l.href, host));
      if (!hasLink) {
        report(
          "docs/intro-link",
          `The intro does not link to the partner's site (${host}); link the tool's name, e.g. [${view.appName ?? "Name"}](${normalizedSite(view.website!)}?${UTM_QUERY}).`,
          introPos,
        );
      }
    }
  }
  if (maintained.length === 0) {
    report(
      "docs/maintained-by",
      `The page has no maintained-by line; add one such as "This destination is maintained by ${view.appName ?? "<partner>"}. For any issues, contact the [${view.appName ?? "<partner>"} Support team](mailto:<public support email>)."`,
      firstH2 ? lines.lineStart(firstH2.line0) : top,
    );
  } else {
    const withContact = maintained.some((p) => {
      const inl = new Set([p.inline]);
      return allLinks.some((l) => inl.has(l.inline) && /^(mailto:|https?:)/i.test(l.href)) || /[\w.+-]+@[\w-]+(\.[\w-]+)+/.test(p.text);
    });
    if (!withContact) {
      report(
        "docs/maintained-by",
        "The maintained-by line gives no contact; add an email address, a mailto: link or a link to a support page.",
        lines.lineStart(maintained[0]!.open.map?.[0] ?? 0),
      );
    }
  }

  // 4. UTM parameters on every link to the partner's site.
  if (host) {
    let listed = 0;
    let rest = 0;
    let firstRest: Pos | undefined;
    for (const l of allLinks) {
      if (!isPartnerLink(l.href, host)) continue;
      const { problems, fixed } = checkUtm(l.href);
      if (problems.length === 0) continue;
      if (listed >= UTM_LIMIT) {
        firstRest ??= locator.locate(l);
        rest++;
        continue;
      }
      listed++;
      report("docs/utm", `The link to ${l.href} needs the UTM parameters (${problems.join("; ")}). Use ${fixed}`, locator.locate(l));
    }
    if (firstRest) report("docs/utm", `…and ${rest} more link${rest === 1 ? "" : "s"} to the partner's site without the UTM parameters from here on, not listed one by one.`, firstRest);
  }

  // 5. Getting Started with numbered steps (every kind of app).
  const h2 = (pred: (key: string) => boolean): Heading | undefined => hs.find((h) => h.level === 2 && pred(h.key));
  const gs = h2((k) => k === "getting started");
  if (!gs) {
    report("docs/getting-started", "The page has no `## Getting Started` section; add one with numbered steps to enable the integration.", top);
  } else {
    const { start, end } = sectionRange(tokens, hs, gs);
    if (!hasToken(tokens, start, end, "ordered_list_open")) {
      report("docs/getting-started-steps", "`## Getting Started` has no numbered list; write the steps as `1.`, `2.`, `3.`.", lines.lineStart(gs.line0));
    }
  }

  // 6. Subscriptions: one `###` per supported call, none for others, code samples, deletion.
  // The comparisons with `supports` run only on a schema-valid manifest (view.supportsKnown): on a
  // broken one, `supports` may just be misspelt, and "remove the section" would be wrong advice.
  if (view.hasSubscription) {
    const sm = h2((k) => k === "supported methods");
    const smPos = sm ? lines.lineStart(sm.line0) : top;
    const known = view.supportsKnown;
    if (!sm) {
      report(
        "docs/supported-methods",
        `The page has no \`## Supported methods\` section; add one with a \`###\` section for each ${known ? `supported call (${listCalls(view.supported)})` : "call that `supports` lists in integration.yml"}.`,
        top,
      );
    } else {
      const { end } = sectionRange(tokens, hs, sm);
      const subs = hs.filter((h) => h.index > sm.index && h.index < end && h.level === 3);
      const documented = new Set<CallType>();
      for (const h of subs) {
        const call = callOf(h.key);
        if (!call) continue;
        documented.add(call);
        if (known && !view.supported.has(call)) {
          report(
            "docs/method-unsupported",
            `"### ${h.text}" documents ${METHOD_TITLES[call]} calls, which no subscription lists in \`supports\` in integration.yml; remove the section, or add "${call}" to \`supports\` if the integration handles it.`,
            lines.lineStart(h.line0),
          );
        }
        if (call !== "delete") {
          const r = sectionRange(tokens, hs, h);
          if (!hasToken(tokens, r.start, r.end, "fence")) {
            report("docs/code-sample", `"### ${h.text}" has no code sample; add a fenced code block (\`\`\`js) with an example ${METHOD_TITLES[call]} call.`, lines.lineStart(h.line0));
          }
        }
      }
      for (const call of METHOD_ORDER) {
        if (known && view.supported.has(call) && !documented.has(call)) {
          report("docs/method-missing", `\`## Supported methods\` has no \`### ${METHOD_TITLES[call]}\` section, but a subscription supports ${call}; document it with a code sample.`, smPos);
        }
      }
    }
    if (known && view.supported.has("delete") && !hs.some((h) => h.level >= 2 && /delet/.test(h.key))) {
      report(
        "docs/deletion",
        "A subscription supports delete, but the page does not document deletion; add a section such as `### Delete` under Supported methods saying what happens to the user's data.",
        smPos,
      );
    }
    for (const name of known ? view.withoutDelete : []) {
      report(
        "docs/delete-unsupported",
        `The subscription ${name} does not list "delete" in \`supports\` in integration.yml; partners must delete a user's data on request and document it.`,
        smPos,
      );
    }
  }

  // 7. Streams: `## Stream`, an Events table, an Event Properties table.
  if (view.hasStream) {
    if (!h2((k) => k === "stream" || k.startsWith("stream "))) {
      report("docs/stream", "The page has no `## Stream` section; say which calls the stream sends and how userId and anonymousId are set.", top);
    }
    const tables = tableIndexes(tokens);
    const under = (pred: (key: string) => boolean): boolean =>
      hs.some((h) => h.level >= 2 && pred(h.key) && tables.some((t) => t > h.index && t < sectionRange(tokens, hs, h).end));
    const firstCell = (re: RegExp): boolean => tables.some((t) => re.test(firstHeaderCell(tokens, t)));
    if (!under((k) => k === "events") && !firstCell(/^events?( name)?$/)) {
      report("docs/events-table", "The page has no Events table; add a `## Events` section with a table of the events the stream sends (Event Name | Description).", top);
    }
    if (!under((k) => k === "event properties") && !firstCell(/^(event )?property( name)?$/)) {
      report(
        "docs/event-properties-table",
        "The page has no Event Properties table; add a `## Event Properties` section with a table of the properties the events carry (Property Name | Description).",
        top,
      );
    }
  }

  // 8. No first person in prose.
  out.push(...firstPersonDiagnostics("docs/first-person", file, lines, proseLines(tokens), view.appName));
  return out;
}

/** Markdown nested deeper than markdown-it follows: what lies below was dropped, so say where. */
export function tooDeepDiagnostic(ruleId: "docs/too-deep" | "catalog/too-deep", file: string, what: string, at: TooDeep): Diagnostic {
  const line = at.line0 + 1;
  return {
    ruleId,
    severity: defaultSeverity(ruleId),
    message: `${file} nests block quotes and lists more than ${MAX_NESTING} levels deep (line ${line}); ${what} needs only a few levels. Nothing below that depth was checked; flatten it.`,
    file,
    line,
    column: at.column0 + 1,
  };
}

const PLACEHOLDER = /\{\{\s*[A-Z][A-Z0-9_]*\s*\}\}/g;
const PLACEHOLDER_LIMIT = 20;

/** Template placeholders (`{{APP_NAME}}`) left anywhere in the file, front matter included. */
export function placeholderDiagnostics(ruleId: "docs/placeholder" | "catalog/placeholder", file: string, lines: LineIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let l = 0; l < lines.lineCount && out.length < PLACEHOLDER_LIMIT; l++) {
    const text = lines.line(l);
    if (!text.includes("{{")) continue;
    PLACEHOLDER.lastIndex = 0;
    for (let m = PLACEHOLDER.exec(text); m && out.length < PLACEHOLDER_LIMIT; m = PLACEHOLDER.exec(text)) {
      out.push({
        ruleId,
        severity: defaultSeverity(ruleId),
        message: `The template placeholder ${m[0]} is still here; replace it with the app's own text.`,
        file,
        line: l + 1,
        column: m.index + 1,
      });
    }
  }
  return out;
}

export function firstPersonDiagnostics(ruleId: "docs/first-person" | "catalog/first-person", file: string, lines: LineIndex, lineNumbers: number[], appName?: string): Diagnostic[] {
  const found = findFirstPerson(lines, lineNumbers, appName);
  const out: Diagnostic[] = found.slice(0, FIRST_PERSON_LIMIT).map((o) => ({
    ruleId,
    severity: defaultSeverity(ruleId),
    message: `"${o.word}" is first person; write about the partner and the customer instead (e.g. "Acme shows…", "you can…").`,
    file,
    line: o.line,
    column: o.column,
  }));
  const rest = found.length - FIRST_PERSON_LIMIT;
  if (rest > 0) {
    const o = found[FIRST_PERSON_LIMIT]!;
    out.push({
      ruleId,
      severity: defaultSeverity(ruleId),
      message: `…and ${rest} more first-person word${rest === 1 ? "" : "s"} in this file from here on, not listed one by one.`,
      file,
      line: o.line,
      column: o.column,
    });
  }
  return out;
}

function callOf(key: string): CallType | undefined {
  if (/^(user )?delet(e|ion|ing)\b/.test(key)) return "delete";
  const first = key.split(" ")[0] ?? "";
  return METHOD_ORDER.find((c) => c === first);
}

function hasToken(tokens: Token[], start: number, end: number, type: string): boolean {
  for (let i = start; i < end; i++) if (tokens[i]!.type === type) return true;
  return false;
}

function tableIndexes(tokens: Token[]): number[] {
  const out: number[] = [];
  tokens.forEach((t, i) => t.type === "table_open" && out.push(i));
  return out;
}

function firstHeaderCell(tokens: Token[], tableIndex: number): string {
  for (let i = tableIndex; i < tokens.length && tokens[i]!.type !== "table_close"; i++) {
    if (tokens[i]!.type === "th_open") return inlineText(tokens[i + 1]).toLowerCase().replace(/[`*_]/g, "").trim();
  }
  return "";
}

function listCalls(calls: Set<CallType>): string {
  const names = METHOD_ORDER.filter((c) => calls.has(c)).map((c) => METHOD_TITLES[c]);
  return names.length ? names.join(", ") : "none listed";
}

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
