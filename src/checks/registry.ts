// The Public Beta checklist and the Public requirements, as one registry. The checklist comment,
// the rule reference in the README and the stage gates are all generated from these entries.
import { asMessage, Message, msg } from "../core/markdown.js";
import { CHANGE_RULES } from "../change/rules.js";
import type { Diagnostic } from "../core/diagnostic.js";
import { plural } from "../core/text.js";
import { FILE_RULES } from "../core/file-diagnostic.js";
import { DEFAULT_POLICY } from "../core/policy.js";
import { ruleIds } from "../core/rule.js";
import { PROMOTION_PATH, type Stage } from "../core/vocabulary.js";
import { componentLabel } from "../manifest/component-label.js";
import { LOOSER_VALUE } from "../policy/rules.js";
import {
  describeBar,
  describeMeasured,
  looserPolicy,
  ms,
  strictestBars,
  volumeShortfalls,
  type Bars,
} from "../policy/bars.js";
import type { ReplayCase, VolumeResult } from "../replay/types.js";
import type { ChecklistResult, CheckStatus, Report } from "../report.js";
import { COPY_RULES, PAGE_RULES, SVG_RULES } from "../docs/rules/index.js";
import { catalogFile, docsFile } from "../docs/rules/files.js";
import { MANIFEST_RULES } from "../manifest/rules/index.js";
import { SPEC_RULES } from "../spec/rules.js";
import { REPLAY_RULES } from "../replay/supports.js";
import type { RuleId } from "./rules.js";

/** What an automatic check sees: the report before the checklist is computed. */
export type CheckInput = Omit<Report, "checklist" | "readyFor">;
/** A reason built with `msg` keeps its Markdown (ChecklistResult.reasonMarkdown). */
export type Outcome = { status: Exclude<CheckStatus, "manual">; reason?: string | Message };

export interface Check {
  id: string;
  title: string;
  category: string;
  /** The stage this item gates: it must pass before the integration enters that stage. */
  stage: Stage;
  /** Automatic items are evaluated; reviewer-confirmed items are ticked by an authorised reviewer. */
  automatic: boolean;
  /** Markdown: what the item means and how to satisfy it. */
  description: string;
  /** The rules whose errors fail this item (besides the files it names that cannot be used). */
  rules?: readonly RuleId[];
  /** `covered` says whether a diagnostic is one of the item's `rules`. */
  evaluate?: (input: CheckInput, covered: (d: Diagnostic) => boolean) => Outcome;
  /** An item that only some reviews have (the checklist leaves it out elsewhere). */
  appliesTo?: (input: CheckInput) => boolean;
}

const pass = (): Outcome => ({ status: "pass" });
const fail = (reason: string | Message): Outcome => ({ status: "fail", reason });

function errorsWhere(input: CheckInput, match: (d: Diagnostic) => boolean): Diagnostic[] {
  return input.diagnostics.filter((d) => d.severity === "error" && match(d));
}

/** Pass when no error diagnostic matches; the reason counts them and names the first. */
function noErrors(input: CheckInput, match: (d: Diagnostic) => boolean, what: string): Outcome {
  const errors = errorsWhere(input, match);
  if (errors.length === 0) return pass();
  const first = errors[0]!;
  const where = first.file ? `${first.file}${first.line ? `:${first.line}` : ""}: ` : "";
  return fail(msg`${plural(errors.length, `${what} error`)}, first: ${where}${asMessage(first)}`);
}

/** The rules each item covers. */
// A looser bar in the manifest is a warning on it (it never fails the item: the platform's value applies).
const MANIFEST_ITEM_RULES = [...ruleIds(MANIFEST_RULES), ...ruleIds(FILE_RULES), LOOSER_VALUE.id];
const FILE_RULE_IDS = new Set<string>(ruleIds(FILE_RULES));

/** Manifest problems: its rules, and a file it names that cannot be used (reported on the manifest's line). */
const onManifest = (input: CheckInput, d: Diagnostic) =>
  !FILE_RULE_IDS.has(d.ruleId) || d.file === undefined || d.file === input.manifestFile;
/** A diagnostic on the manifest's value at `pointer` (or below it): a path it names is missing, too large, escapes… */
const onManifestAt = (input: CheckInput, d: Diagnostic, pointer: string) =>
  d.file === input.manifestFile && d.path !== undefined && (d.path === pointer || d.path.startsWith(`${pointer}/`));
const FIXTURES_POINTER = /^\/components\/\d+\/fixtures(?:\/|$)/;
const needsManifest = (input: CheckInput, then: (m: NonNullable<CheckInput["manifest"]>) => Outcome): Outcome =>
  input.manifest ? then(input.manifest) : fail("The manifest could not be read; fix its errors first.");

/**
 * A replay message made fit for a checklist reason: its first line (the rest — a server's output,
 * a stack — stays in the replay results), without a dangling "…its output:" clause, and bounded.
 */
function brief(message: string): string {
  const [first = "", ...rest] = message.trim().split(/\s*\n\s*/);
  let line = first;
  let cut = rest.length > 0;
  if (line.endsWith(":")) {
    const end = Math.max(line.lastIndexOf("; "), line.lastIndexOf(". "));
    line = end > 0 ? line.slice(0, end) : line.slice(0, -1);
    cut = true;
  }
  if (line.length > 300) {
    line = `${line.slice(0, 299)}…`;
    cut = true;
  }
  line = line.replace(/\.$/, "");
  return cut ? `${line} (more in the replay results)` : line;
}

/** Why there are no replay results: the report's `replaySkipped`, or (not known) how to get them. */
function replayMissing(input: CheckInput): Message {
  if (input.replaySkipped === "manifest-errors")
    return msg`Replay did not run because ${input.manifestFile} has errors; fix them first.`;
  if (input.replaySkipped === "disabled") {
    return msg`Replay did not run: it was turned off (\`devcenter review --no-replay\`, or the Action's \`replay: false\`); run \`npx devcenter review\` without \`--no-replay\`.`;
  }
  return msg`Replay has not run: run \`npx devcenter review\` without \`--no-replay\` locally, or add the devcenter Action to CI.`;
}

type ComponentType = "subscription" | "stream" | "plugin";

/** The component type behind each replay case's `component` label. */
function componentTypes(input: CheckInput): Map<string, ComponentType> {
  const out = new Map<string, ComponentType>();
  for (const [i, c] of (input.manifest?.components ?? []).entries()) out.set(componentLabel(c, i), c.type);
  return out;
}

/** Red `setup` cases (replay could not start a component, load its fixtures, write its golden files…) that `keep` says concern the item. */
function setupFailures(
  input: CheckInput,
  keep: (c: ReplayCase, type: ComponentType | undefined) => boolean,
): ReplayCase[] {
  const types = componentTypes(input);
  return (input.replay?.cases ?? []).filter(
    (c) =>
      c.group === "setup" &&
      c.status === "fail" &&
      keep(c, c.component === undefined ? undefined : types.get(c.component)),
  );
}

/**
 * The platform's bars for this integration: the policy the review enforces, made stricter by the
 * manifest. The App grades the Action's raw results with these, not with the bars the run says it used.
 */
function barsOf(input: CheckInput): Bars {
  const subscriptions = (input.manifest?.components ?? []).filter((c) => c.type === "subscription");
  return strictestBars(input.policy ?? DEFAULT_POLICY, subscriptions);
}

/** Slack for a case's measured time over the deadline (the clock runs around the request, not inside it). */
const TIMING_SLACK_MS = 250;
/** Groups whose cases are single deliveries, each bound by the delivery timeout. */
const DELIVERY_GROUPS: readonly string[] = ["test-suite", "fixture", "spec", "probe", "fault"];

/**
 * Why replay results cannot stand for this gate whatever their grades: the run was made under a
 * delivery timeout longer than the platform's, or a looser policy, or another Test Suite version.
 */
function deliveryGap(input: CheckInput, bars: Bars): string | undefined {
  const r = input.replay!;
  const policy = input.policy ?? DEFAULT_POLICY;
  const gaps: string[] = [];
  if (r.timeoutMs !== undefined && r.timeoutMs > bars.timeoutMs)
    gaps.push(
      `it waited up to ${ms(r.timeoutMs)} for an answer, longer than the platform's ${ms(bars.timeoutMs)} delivery timeout`,
    );
  else if (r.policy && r.policy.delivery.timeoutMs > policy.delivery.timeoutMs)
    gaps.push(
      `its policy had a ${ms(r.policy.delivery.timeoutMs)} delivery timeout (the platform's is ${ms(policy.delivery.timeoutMs)})`,
    );
  const sent = r.testSuiteVersion ?? r.policy?.testSuite.version;
  if (sent !== undefined && sent !== policy.testSuite.version)
    gaps.push(
      `it sent Test Suite version ${sent}, the platform's is ${policy.testSuite.version} (update devcenter and the Action)`,
    );
  return gaps.length
    ? `The replay ran under a looser policy than the platform's: ${gaps.join("; ")}. Run it again under the platform's policy.`
    : undefined;
}

/** A green case slower than the platform's delivery timeout: the platform would have timed it out. */
const tooSlow = (c: ReplayCase, bars: Bars): boolean =>
  c.status !== "fail" &&
  DELIVERY_GROUPS.includes(c.group ?? "test-suite") &&
  c.durationMs > bars.timeoutMs + TIMING_SLACK_MS;

function replayOutcome(input: CheckInput, groups: readonly string[], label: string, setup: ReplayCase[]): Outcome {
  if (!input.replay) return fail(replayMissing(input));
  const bars = barsOf(input);
  const gap = deliveryGap(input, bars);
  if (gap) return fail(gap);
  if (setup.length > 0) {
    // A setup failure comes first: it is why cases are missing (or why their grade cannot stand).
    const first = setup[0]!;
    const more =
      setup.length > 1 ? ` (and ${setup.length - 1} more setup problem${setup.length === 2 ? "" : "s"})` : "";
    return fail(
      `Replay could not set up ${first.component ?? "the integration"}: ${first.name} — ${brief(first.message)}${more}.`,
    );
  }
  const cases = input.replay.cases.filter((c) => groups.includes(c.group ?? "test-suite"));
  if (cases.length === 0) return { status: "skip", reason: `No ${label} cases apply to this integration.` };
  const red = cases.filter((c) => c.status === "fail" || tooSlow(c, bars));
  if (red.length === 0) return pass();
  const first = red[0]!;
  const why =
    first.status === "fail"
      ? brief(first.message)
      : `answered after ${ms(Math.round(first.durationMs))}, past the platform's ${ms(bars.timeoutMs)} delivery timeout`;
  return fail(`${red.length} of ${plural(cases.length, `${label} case`)} red, first: ${first.name} — ${why}.`);
}

const TEST_SUITE_GROUPS = ["test-suite", "stream"] as const;
const FIXTURE_GROUPS = ["fixture", "spec", "probe", "fault"] as const;
const PLUGIN_GROUPS = ["plugin"] as const;

/** The Test Suite item: setup failures that left a component without any Test Suite case. */
function testSuiteOutcome(input: CheckInput): Outcome {
  const ran = new Set(
    (input.replay?.cases ?? [])
      .filter((c) => (TEST_SUITE_GROUPS as readonly string[]).includes(c.group ?? "test-suite"))
      .map((c) => c.component),
  );
  return replayOutcome(
    input,
    TEST_SUITE_GROUPS,
    "Test Suite",
    setupFailures(input, (c) => !ran.has(c.component)),
  );
}

/** The fixtures item: any setup failure of a subscription or plugin (fixtures, probes and faults are theirs). */
function fixturesOutcome(input: CheckInput): Outcome {
  // Delivery probes and fault replay exist for subscriptions, fixture replay for plugins too; a stream's fixtures are Spec-checked.
  if (input.manifest && !input.manifest.components.some((c) => c.type === "subscription" || c.type === "plugin")) {
    return {
      status: "skip",
      reason:
        "Fixture replay, delivery probes and fault replay apply to subscriptions and plugins; this integration has none.",
    };
  }
  return replayOutcome(
    input,
    FIXTURE_GROUPS,
    "fixture, probe and fault",
    setupFailures(input, (_c, type) => type === undefined || type === "subscription" || type === "plugin"),
  );
}

/** The plugin item: its load, size and page hygiene cases, and any setup failure of a plugin. */
function pluginPageOutcome(input: CheckInput): Outcome {
  if (input.manifest && !input.manifest.components.some((c) => c.type === "plugin")) {
    return { status: "skip", reason: "This integration has no plugin component." };
  }
  return replayOutcome(
    input,
    PLUGIN_GROUPS,
    "plugin load and page",
    setupFailures(input, (_c, type) => type === "plugin"),
  );
}

/** Whether the manifest sets a `volume` bar (replay then runs the volume check unasked). */
const hasVolumeBar = (input: CheckInput): boolean =>
  input.manifest?.components.some((c) => "volume" in c && c.volume) === true;

/**
 * The volume run graded from its raw numbers (not the run's own verdict) against the platform's
 * bar: fewer events than the floor, the rate, p95, red answers, a looser policy, an early stop.
 * The reason quotes the measured numbers and the bar, also when the run passes.
 */
function volumeOutcome(input: CheckInput, v: VolumeResult): Outcome {
  const redCase = input.replay?.cases.find((c) => c.group === "volume" && c.status === "fail");
  if (v.events === 0) {
    const setup = setupFailures(input, (_c, type) => type === undefined || type === "subscription")[0];
    return fail(
      `Volume replay could not run${setup ? `: ${setup.name} — ${brief(setup.message)}` : " (see the red replay cases)"}.`,
    );
  }
  const bar = barsOf(input).volume;
  const why = volumeShortfalls(v, bar);
  const used = input.replay?.policy;
  const gaps = used
    ? looserPolicy(used, input.policy ?? DEFAULT_POLICY)
        .filter((g) => g.area === "volume")
        .map((g) => g.text)
    : [];
  if (gaps.length) why.push(`the run was made under a looser policy (${gaps.join("; ")})`);
  const stopped = redCase ? /Stopped early[^\n]*/.exec(redCase.message)?.[0] : undefined;
  if (stopped) why.push(stopped.replace(/^Stopped early/, "the run stopped early").replace(/\.$/, ""));
  if (why.length === 0 && v.passed === false) why.push(`the run did not complete (${v.events} events sent)`);
  const numbers = `Measured ${describeMeasured(v)}; the platform needs ${describeBar(bar)}.`;
  return why.length
    ? fail(`Volume replay missed the bar: ${why.join("; ")}. ${numbers}`)
    : { status: "pass", reason: numbers };
}

function highVolumeOutcome(input: CheckInput): Outcome {
  if (input.manifest && !input.manifest.components.some((c) => c.type === "subscription")) {
    return { status: "skip", reason: "Volume replay applies to subscriptions; this integration has none." };
  }
  const bar = hasVolumeBar(input);
  if (!input.replay) {
    if (input.replaySkipped === "manifest-errors") return fail(replayMissing(input));
    if (input.replaySkipped === "disabled") {
      return fail(
        bar
          ? msg`Replay did not run: it was turned off (\`devcenter review --no-replay\`, or the Action's \`replay: false\`); run \`npx devcenter review\` to check the manifest's \`volume\` bar.`
          : msg`Replay did not run: it was turned off (\`devcenter review --no-replay\`, or the Action's \`replay: false\`); run \`npx devcenter review --volume 10000\`, or set a \`volume\` bar in the manifest.`,
      );
    }
    return fail(
      bar
        ? msg`Replay has not run: run \`npx devcenter review\` locally, or add the devcenter Action to CI; either checks the manifest's \`volume\` bar.`
        : msg`Replay has not run: run \`npx devcenter review --volume 10000\`, or set \`volume\` in the manifest, or enable volume in the devcenter Action.`,
    );
  }
  const v = input.replay.volume;
  if (!v) {
    return fail(
      bar
        ? msg`Volume replay did not run although the manifest sets a \`volume\` bar (the Action's \`volume: 0\` turns it off); run \`npx devcenter review\`.`
        : msg`Volume replay has not run: run \`npx devcenter review --volume 10000\`, or set a \`volume\` bar in the manifest.`,
    );
  }
  return volumeOutcome(input, v);
}

export const CHECKS: readonly Check[] = [
  {
    id: "access-granted",
    title: "Partner access granted",
    category: "Access",
    stage: "public-beta",
    automatic: false,
    description:
      "A reviewer confirms a legitimate company, a use case that fits the platform, and the ability to build and maintain the integration.",
  },
  {
    id: "manifest-valid",
    title: "integration.yml is valid",
    category: "Build",
    stage: "public-beta",
    automatic: true,
    description:
      "The manifest follows the `devcenter/v1` schema and its rules: setting keys, the required `apiKey`, sensitive settings, paths inside the repository.",
    rules: MANIFEST_ITEM_RULES,
    evaluate: (input, covered) =>
      input.manifest
        ? noErrors(input, (d) => covered(d) && onManifest(input, d), "manifest")
        : fail(
            msg`${input.manifestFile} could not be used: ${asMessage(errorsWhere(input, (d) => d.file === input.manifestFile)[0] ?? "fix its errors first.")}`,
          ),
  },
  {
    id: "app-named",
    title: "An App named for the tool, with at least one component",
    category: "Build",
    stage: "public-beta",
    automatic: true,
    description:
      "`app.name` is the partner tool's name and `components` lists at least one subscription, stream or plugin.",
    evaluate: (input) =>
      needsManifest(input, (m) =>
        m.components.length > 0 ? pass() : fail(msg`\`components\` is empty: add a subscription, stream or plugin.`),
      ),
  },
  {
    id: "spec-fixtures",
    title: "Fixture events follow the Segment Spec",
    category: "Build",
    stage: "public-beta",
    automatic: true,
    description:
      "Every fixture message passes Spec validation: required fields, reserved traits and properties, semantic event names.",
    rules: ruleIds(SPEC_RULES),
    evaluate: (input, covered) => {
      // A fixtures path that cannot be read is a failure, not "no fixtures".
      const unreadable = (d: Diagnostic) =>
        d.file === input.manifestFile && d.path !== undefined && FIXTURES_POINTER.test(d.path);
      if (input.events.events === 0 && errorsWhere(input, unreadable).length === 0)
        return { status: "skip", reason: "No fixture events are declared." };
      return noErrors(input, (d) => covered(d) || unreadable(d), "Spec");
    },
  },
  {
    id: "test-suite",
    title: "Test Suite all green or yellow",
    category: "Build",
    stage: "public-beta",
    automatic: true,
    description:
      "The platform's Test Suite, replayed against the integration, gets only delivered (green) or not-supported (yellow) answers.",
    // Its warning on `supports` explains yellow answers; the grade itself comes from the cases.
    rules: ruleIds(REPLAY_RULES),
    evaluate: testSuiteOutcome,
  },
  {
    id: "replay-fixtures",
    title: "Fixtures, delivery probes and fault replay pass",
    category: "Build",
    stage: "public-beta",
    automatic: true,
    description:
      "The partner's own fixtures get the grade they expect; the endpoint rejects a wrong key and a malformed body, tolerates a repeated `messageId`, and signals retries as the platform expects.",
    evaluate: fixturesOutcome,
  },
  {
    id: "plugin-page",
    title: "Plugin loads within budget and leaves the page intact",
    category: "Build",
    stage: "public-beta",
    automatic: true,
    description:
      "Plugins only: in a real browser through analytics.js, the script is within the gzip budget (100 KB by default), the factory and `load()` resolve within the load budget (1,000 ms) and `isLoaded()` turns true; no built-in or `window.analytics` is replaced, nothing is requested before `load()` or outside `hosts`, and no task blocks the main thread longer than 200 ms.",
    evaluate: pluginPageOutcome,
  },
  {
    id: "partner-test",
    title: "Partner test in a real workspace",
    category: "Partner test",
    stage: "public-beta",
    automatic: false,
    description:
      "The partner enabled the integration in a real workspace, sent events with a real SDK and verified the data in their tool.",
  },
  {
    id: "platform-docs",
    title: "Platform docs page follows the template",
    category: "Documentation",
    stage: "public-beta",
    automatic: true,
    description:
      "`docs.segment` exists and follows the template: title, intro with UTM-tagged link, maintained-by line, numbered Getting Started, one section per supported call, deletion, no first person.",
    rules: ruleIds([docsFile, ...PAGE_RULES]),
    evaluate: (input, covered) =>
      needsManifest(input, (m) =>
        m.docs?.segment
          ? noErrors(
              input,
              (d) => covered(d) || d.file === m.docs?.segment || onManifestAt(input, d, "/docs/segment"),
              "docs page",
            )
          : fail(msg`\`docs.segment\` is not set: write the platform docs page and point to it.`),
      ),
  },
  {
    id: "catalog-copy",
    title: "Catalog copy, categories and logos",
    category: "Documentation",
    stage: "public-beta",
    automatic: true,
    description:
      "`docs.catalog` holds the catalog description (at most 500 characters); 1–2 categories from the allowed list; the logo and the square mark are SVG.",
    rules: ruleIds([catalogFile, ...COPY_RULES, ...SVG_RULES]),
    evaluate: (input, covered) =>
      needsManifest(input, (m) =>
        m.docs?.catalog
          ? noErrors(
              input,
              (d) =>
                covered(d) ||
                d.file === m.docs?.catalog ||
                onManifestAt(input, d, "/docs/catalog") ||
                (d.file === input.manifestFile && d.path?.startsWith("/app/") === true),
              "catalog",
            )
          : fail(msg`\`docs.catalog\` is not set: write the catalog copy and point to it.`),
      ),
  },
  {
    id: "own-docs",
    title: "Docs on the partner's own site",
    category: "Documentation",
    stage: "public-beta",
    automatic: true,
    description: "`launch.documentationUrl` links to the partner's own documentation of the integration.",
    evaluate: (input) =>
      needsManifest(input, (m) => (m.launch?.documentationUrl ? pass() : fail(msg`Set \`launch.documentationUrl\`.`))),
  },
  {
    id: "integrations-page",
    title: "Listed on the partner's integrations page",
    category: "Documentation",
    stage: "public-beta",
    automatic: true,
    description: "`launch.integrationsPageUrl` links to the partner's page that lists the integration.",
    evaluate: (input) =>
      needsManifest(input, (m) =>
        m.launch?.integrationsPageUrl ? pass() : fail(msg`Set \`launch.integrationsPageUrl\`.`),
      ),
  },
  {
    id: "launch-announcement",
    title: "Launch blog post or announcement",
    category: "Documentation",
    stage: "public-beta",
    automatic: true,
    description: "`launch.blogPostUrl` links to the launch blog post or announcement email.",
    evaluate: (input) =>
      needsManifest(input, (m) => (m.launch?.blogPostUrl ? pass() : fail(msg`Set \`launch.blogPostUrl\`.`))),
  },
  {
    id: "test-account",
    title: "Test account for reviewers",
    category: "Metadata",
    stage: "public-beta",
    automatic: true,
    description:
      "`launch.testAccount` gives the login URL and the names of the secrets holding the credentials (never the credentials themselves).",
    evaluate: (input) =>
      needsManifest(input, (m) => {
        const t = m.launch?.testAccount;
        const missing = (["loginUrl", "usernameSecret", "passwordSecret"] as const).filter((k) => !t?.[k]);
        return missing.length === 0
          ? pass()
          : fail(
              msg`Set ${missing.reduce((list: Message | string, k, i) => msg`${list}${i ? ", " : ""}\`launch.testAccount.${k}\``, "")}.`,
            );
      }),
  },
  {
    id: "reviewer-test",
    title: "Reviewers repeated the Test Suite with the test account",
    category: "Review",
    stage: "public-beta",
    automatic: false,
    description:
      "A reviewer ran the Test Suite against the partner with the test account and found the data where the docs say it shows.",
  },
  {
    id: "docs-accurate",
    title: "Docs and catalog copy match what reviewers saw",
    category: "Review",
    stage: "public-beta",
    automatic: false,
    description:
      "A reviewer checked the docs against the template and against the behaviour seen, and the catalog copy, categories, logos and description.",
  },
  {
    id: "live-changes",
    title: "Changes to a live integration are versioned and declared",
    category: "Build",
    stage: "public-beta",
    automatic: true,
    description:
      "Only for a live integration (Public Beta or Public) or a change to one: `version` is set and raised above the approved version, and a breaking change (a removed setting, a new required one, …) comes with a major version and its `breakingChanges` entry, whose upgrade deadline is at least 14 days away and whose migration guide exists.",
    rules: ruleIds(CHANGE_RULES),
    appliesTo: (input) =>
      input.change !== undefined ||
      input.manifest?.stage === "public-beta" ||
      input.manifest?.stage === "public" ||
      input.manifest?.breakingChanges !== undefined,
    evaluate: (input, covered) => noErrors(input, covered, "change"),
  },
  {
    id: "breaking-approved",
    title: "Breaking change approved",
    category: "Review",
    stage: "public-beta",
    automatic: false,
    description:
      "Only for a change to a live integration that declares a breaking change (a major version and its `breakingChanges` entry): a reviewer agrees that customers can be asked to migrate, with the message, the upgrade deadline and the migration guide given.",
    appliesTo: (input) => input.change?.live === true && input.change.declared,
  },
  {
    id: "high-volume",
    title: "Supports high data volumes",
    category: "Review",
    stage: "public-beta",
    automatic: true,
    description: `Volume replay (\`devcenter review --volume N\`, or a \`volume\` section in the manifest) meets the platform's bar, graded from the measured numbers: by default ${describeBar(DEFAULT_POLICY.volume)}. The operator sets the bar (policy.yml, see "What the platform enforces, and how an operator changes it"); a manifest may only raise it.`,
    evaluate: highVolumeOutcome,
  },
  {
    id: "oauth",
    title: "Enable with Segment (OAuth) configured",
    category: "Public",
    stage: "public",
    automatic: true,
    description: "`oauth` names the client, at most 5 HTTPS redirect URIs and the scope `destination/<slug>`.",
    evaluate: (input) =>
      needsManifest(input, (m) =>
        m.oauth
          ? noErrors(input, (d) => d.path?.startsWith("/oauth") === true, "OAuth")
          : fail(msg`Add the \`oauth\` section (Enable with Segment).`),
      ),
  },
  {
    id: "customers",
    title: "At least 3 customers use the integration",
    category: "Public",
    stage: "public",
    automatic: true,
    description: "`customers` lists at least 3 distinct workspaces actively using the integration.",
    evaluate: (input) =>
      needsManifest(input, (m) => {
        const n = new Set((m.customers ?? []).map((c) => c.workspace.toLowerCase())).size;
        return n >= MIN_CUSTOMERS
          ? pass()
          : fail(`${plural(n, "customer")} listed; Public needs at least ${MIN_CUSTOMERS}.`);
      }),
  },
];

export const MIN_CUSTOMERS = 3;

export function evaluateChecklist(input: CheckInput, confirmed: ReadonlySet<string> = new Set()): ChecklistResult[] {
  return CHECKS.filter((check) => !check.appliesTo || check.appliesTo(input)).map((check) => {
    const base = {
      id: check.id,
      title: check.title,
      category: check.category,
      stage: check.stage,
      automatic: check.automatic,
    };
    if (!check.automatic || !check.evaluate) {
      return confirmed.has(check.id)
        ? { ...base, status: "pass" }
        : { ...base, status: "manual", reason: "A reviewer confirms this item." };
    }
    const rules = new Set<string>(check.rules ?? []);
    const { status, reason } = check.evaluate(input, (d) => rules.has(d.ruleId));
    if (reason === undefined) return { ...base, status };
    return {
      ...base,
      status,
      reason: String(reason),
      ...(reason instanceof Message ? { reasonMarkdown: reason.markdown } : {}),
    };
  });
}

const stageIndex = (s: Stage) => (PROMOTION_PATH as readonly Stage[]).indexOf(s);

/** Items gating `target` or an earlier stage that do not pass (skipped items count as passing). */
export function unmetGates(report: Pick<Report, "checklist">, target: Stage): ChecklistResult[] {
  const t = stageIndex(target);
  return report.checklist.filter((c) => stageIndex(c.stage) <= t && c.status !== "pass" && c.status !== "skip");
}

/**
 * The furthest stage on the promotion path whose automatic gates all pass. A review with errors is
 * ready for nothing further, whichever item the error belongs to (the App's gates say the same).
 */
export function readyFor(checklist: readonly ChecklistResult[], errors = 0): Stage {
  let ready: Stage = "developer-preview";
  if (errors > 0) return ready;
  for (const stage of PROMOTION_PATH.slice(1)) {
    const blocked = checklist.some(
      (c) => c.automatic && stageIndex(c.stage) <= stageIndex(stage) && c.status === "fail",
    );
    if (blocked) break;
    ready = stage;
  }
  return ready;
}
