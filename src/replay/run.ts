// Replay of a whole integration: every subscription component gets the Test Suite, its own
// fixtures and Spec events for the calls it supports (webhooks also get the delivery probes,
// functions the fault cases); stream components are run against the sink. Optional volume replay.
// The engine reads no process.env: the caller passes the environment map.
import { connect } from "node:net";
import { join, posix } from "node:path";
import { asMessage, type Message, messageFields, msg } from "../core/markdown.js";
import { DEFAULT_POLICY, type Policy } from "../core/policy.js";
import type { LocalSource } from "./source-local.js";
import { normalizePath } from "../core/source.js";
import { MANIFEST_FILE, type CallType } from "../core/vocabulary.js";
import { componentLabel } from "../manifest/component-label.js";
import type { FunctionSubscription, Manifest, PluginComponent, WebhookSubscription } from "../manifest/types.js";
import { loadFixtures, type Fixture } from "../spec/fixtures.js";
import { FunctionRunner, replayFunction, type FunctionInput } from "./function.js";
import { GoldenStore } from "./golden.js";
import {
  describeExit,
  outputTail,
  ProcessStartError,
  startProcess,
  type ProcessHandle,
  type ReadyProbe,
} from "./process.js";
import { customSettings, resolveSettings } from "./settings.js";
import { replayStream } from "./stream.js";
import { BrowserHandle } from "./plugin-browser.js";
import { replayPlugin, type PluginInput } from "./plugin.js";
import { settleSupports } from "./supports.js";
import { effectiveBars, type Bars } from "../policy/bars.js";
import { specEvents, TEST_SUITE_VERSION, testSuite, volumeMessages, type SpecMessage } from "./test-suite.js";
import type { CaseStatus, ReplayCase, ReplayReport, VolumeResult } from "./types.js";
import { describeVolume, volumeFunction, volumeWebhook } from "./volume.js";
import type { HttpResult } from "./http.js";
import { replayWebhook, type ReplayInput, type WebhookTarget } from "./webhook.js";

export interface ReplayOptions {
  /** Environment variables `{ env: NAME }` settings read (and the base environment of started programs). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The platform's bars (delivery timeout, volume floor); default the built-in policy. What the
   * manifest and the options below ask for applies only where it is stricter (src/policy/bars.ts).
   */
  policy?: Policy;
  /** Per-request (webhook) and per-event (function) deadline, when shorter than the policy's. */
  timeoutMs?: number;
  /**
   * `--only`: replay just the inputs this accepts (a case name, a call type, a fixture file).
   * Probes, fault cases and volume are left out: they are not what a partner iterating on one case
   * is looking at.
   */
  only?: (c: { name: string; type: string; file?: string }) => boolean;
  /** Run volume replay too; events and concurrency apply where stricter than the manifest's and the policy's. */
  volume?: { events?: number; concurrency?: number };
  /** Rewrite golden files instead of failing on a difference. */
  update?: boolean;
  /** Called with every case as it finishes. */
  onProgress?: (c: ReplayCase) => void;
  /** Called during volume replay. */
  onVolumeProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Heap cap of a function's worker; default 128 MB. */
  memoryMb?: number;
  /** How long a started webhook server may take to become ready; default 10 s. */
  readyTimeoutMs?: number;
  /** Stream programs' run limit; default the stream replay's own (30 s). */
  streamTimeoutMs?: number;
}

/**
 * Whether volume replay runs, and with what: as asked (the CLI's `--volume`/`--concurrency`, the
 * Action's inputs; `false` = explicitly off), otherwise whenever the manifest sets a `volume` bar.
 * One rule, so the CLI and the Action reach the same verdict on the same integration.
 */
export function volumeRequest(
  manifest: Manifest,
  asked: { events?: number; concurrency?: number } | false | undefined,
): ReplayOptions["volume"] {
  if (asked === false) return undefined;
  if (asked?.events || asked?.concurrency) return asked;
  return manifest.components.some((c) => "volume" in c && c.volume) ? {} : undefined;
}

/** Counts of each status. */
export function summarize(cases: readonly ReplayCase[]): ReplayReport["summary"] {
  const s = { pass: 0, unsupported: 0, fail: 0 };
  for (const c of cases) s[c.status]++;
  return s;
}

/** Whether a report meets the bar: no red case, and the volume bar met when volume ran. */
export function replayPassed(report: ReplayReport): boolean {
  return report.summary.fail === 0 && (report.volume === undefined || report.volume.passed !== false);
}

function failCase(component: string, name: string, message: string | Message, type = "setup"): ReplayCase {
  return { name, type, group: "setup", status: "fail", durationMs: 0, ...messageFields(message), component };
}

/** Root-relative golden file for a fixture file: `events/a.json` → `events/a.golden.json`. */
export function goldenFileFor(fixtureFile: string): string {
  return fixtureFile.replace(/\.(json|ndjson|jsonl)$/i, "") + ".golden.json";
}

/**
 * Root-relative golden file for a built-in group (test-suite, spec; a webhook's probe) of a component:
 * in its fixtures folder, else next to its entry module, else (a webhook without fixtures) at the root.
 */
export function builtInGoldenFile(component: { fixtures?: string; entry?: string }, group: string): string {
  if (component.fixtures !== undefined) {
    const dir = normalizePath(component.fixtures);
    if (dir.ok) return posix.join(dir.path, `devcenter.${group}.golden.json`);
  }
  if (component.entry === undefined) return `devcenter.${group}.golden.json`;
  const entry = normalizePath(component.entry);
  const base = entry.ok ? entry.path.replace(/\.[cm]?[jt]s$/i, "") : "handlers";
  return `${base}.${group}.golden.json`;
}

interface Loaded {
  inputs: ReplayInput[];
  fixtures: Fixture[];
  problem?: Message;
}

/**
 * A component's inputs, --only applied, its fixtures' problem said as a red case. Undefined when
 * --only asked for none of them and there is no problem to say: the component is not started.
 */
async function inputsFor(
  source: LocalSource,
  component: WebhookSubscription | FunctionSubscription | PluginComponent,
  label: string,
  options: Pick<ReplayOptions, "only">,
  onCase: (c: ReplayCase) => void,
): Promise<Loaded | undefined> {
  const all = await allInputsFor(source, component);
  const loaded = options.only ? { ...all, inputs: all.inputs.filter(options.only) } : all;
  if (options.only && !loaded.inputs.length && !loaded.problem) return undefined;
  if (loaded.problem) onCase(failCase(label, "Fixtures", loaded.problem));
  return loaded;
}

async function allInputsFor(
  source: LocalSource,
  component: WebhookSubscription | FunctionSubscription | PluginComponent,
): Promise<Loaded> {
  const inputs: ReplayInput[] = [...testSuite()];
  let fixtures: Fixture[] = [];
  let problem: Message | undefined;
  if (component.fixtures !== undefined) {
    const loaded = await loadFixtures(source, component.fixtures);
    fixtures = loaded.fixtures;
    const errors = loaded.diagnostics.filter(
      (d) => d.severity === "error" && /unreadable|missing|too-many|parse|syntax|json/i.test(d.ruleId),
    );
    if (loaded.fixtures.length === 0 && errors.length)
      problem = errors.map((d) => asMessage(d)).reduce((said, more) => msg`${said} ${more}`);
    for (const f of fixtures) {
      const type = typeof f.message.type === "string" ? f.message.type.toLowerCase() : "track";
      inputs.push({
        name: f.name,
        type: type as CallType,
        group: "fixture",
        message: f.message as SpecMessage,
        expect: f.expect,
        file: f.file,
        ...(f.line !== undefined ? { line: f.line } : {}),
      });
    }
  }
  inputs.push(...specEvents(component.supports ?? []));
  return { inputs, fixtures, problem };
}

export async function runReplay(
  manifest: Manifest,
  source: LocalSource,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const cases: ReplayCase[] = [];
  const volumes: VolumeResult[] = [];
  const timeouts: number[] = [];
  const onCase = (c: ReplayCase): void => {
    cases.push(c);
    options.onProgress?.(c);
  };
  // One browser for the whole review, started by the first plugin component (if any).
  const browser = new BrowserHandle(options.env);
  try {
    await runComponents(manifest, source, options, onCase, volumes, timeouts, cases, browser);
  } finally {
    await browser.close();
  }
  const report: ReplayReport = { summary: summarize(cases), cases, ...runFacts(options.policy, timeouts) };
  const subscriptions = manifest.components.filter((c) => c.type === "subscription").length;
  if (options.volume && subscriptions > volumes.length && !options.signal?.aborted) {
    // Asked for, but a subscription could not be driven (its server never started, its module did
    // not load): the volume bar is not met, and the report says so rather than leaving it out.
    volumes.push(VOLUME_NOT_RUN);
  }
  if (volumes.length) {
    // The report carries one volume result: the slowest component's, failing if any failed.
    const worst = [...volumes].sort(
      (a, b) => Number(a.passed) - Number(b.passed) || a.eventsPerSecond - b.eventsPerSecond,
    )[0]!;
    report.volume = { ...worst, passed: volumes.every((v) => v.passed) };
  }
  return report;
}

async function runComponents(
  manifest: Manifest,
  source: LocalSource,
  options: ReplayOptions,
  onCase: (c: ReplayCase) => void,
  volumes: VolumeResult[],
  timeouts: number[],
  cases: ReplayCase[],
  browser: BrowserHandle,
): Promise<void> {
  for (const [index, component] of manifest.components.entries()) {
    if (options.signal?.aborted) break;
    const label = componentLabel(component, index);
    if (component.type === "subscription") {
      // A "not supported" answer to a listed call type is yellow unless every event of that type
      // got one (see supports.ts): such cases are shown once the component's run has settled them.
      const start = cases.length;
      const held: ReplayCase[] = [];
      const onComponentCase = (c: ReplayCase): void => {
        if (c.status !== "unsupported" || !(component.supports as readonly string[]).includes(c.type)) return onCase(c);
        cases.push(c);
        held.push(c);
      };
      const bars = barsFor(component, options);
      timeouts.push(bars.timeoutMs);
      try {
        const v =
          component.style === "webhook"
            ? await runWebhookComponent(component, label, source, options, bars, onComponentCase)
            : await runFunctionComponent(component, label, source, options, bars, onComponentCase);
        if (v) volumes.push(v);
      } finally {
        settleSupports(manifest, cases.slice(start));
        for (const c of held) options.onProgress?.(c);
      }
    } else if (component.type === "stream" && !options.only) {
      try {
        // The returned cases are the record; onProgress only drives progress output.
        const streamCases = await replayStream(component, source.root, {
          slug: manifest.app.slug,
          baseEnv: options.env,
          ...(options.streamTimeoutMs ? { timeoutMs: options.streamTimeoutMs } : {}),
          onProgress: (c) => options.onProgress?.({ ...c, component: c.component ?? label }),
        });
        for (const c of streamCases) cases.push({ ...c, component: c.component ?? label });
      } catch (err) {
        onCase(failCase(label, "Stream replay", `Stream replay stopped with an error: ${(err as Error).message}`));
      }
    } else if (component.type === "plugin") {
      try {
        await runPluginComponent(component, label, source, options, onCase, browser);
      } catch (err) {
        onCase(failCase(label, "Plugin replay", `Plugin replay stopped with an error: ${(err as Error).message}`));
      }
    }
  }
}

/** A volume run that could not happen (the cases say why). */
const VOLUME_NOT_RUN: VolumeResult = {
  events: 0,
  eventsPerSecond: 0,
  p50Ms: 0,
  p95Ms: 0,
  p99Ms: 0,
  errorRate: 0,
  passed: false,
};

/** The component's bars: the policy's, where the manifest or the options are not stricter. */
function barsFor(component: WebhookSubscription | FunctionSubscription, options: ReplayOptions): Bars {
  return effectiveBars(options.policy ?? DEFAULT_POLICY, component, {
    timeoutMs: options.timeoutMs,
    events: options.volume?.events,
    concurrency: options.volume?.concurrency,
  });
}

/** What a run records about the bars it ran under (the policy, the longest deadline, the Test Suite sent). */
function runFacts(
  policy: Policy | undefined,
  timeouts: readonly number[],
): Pick<ReplayReport, "policy" | "timeoutMs" | "testSuiteVersion"> {
  return {
    policy: policy ?? DEFAULT_POLICY,
    ...(timeouts.length ? { timeoutMs: Math.max(...timeouts) } : {}),
    testSuiteVersion: TEST_SUITE_VERSION,
  };
}

function volumeCase(label: string, v: VolumeResult & { firstError?: string }, type: string): ReplayCase {
  const status: CaseStatus = v.passed ? "pass" : "fail";
  return {
    name: "Volume — high data volumes",
    type,
    group: "volume",
    status,
    durationMs: 0,
    message: describeVolume(v),
    component: label,
  };
}

/** integration.yml's line that sets this webhook URL, for a case about the URL. */
async function urlLine(source: LocalSource, url: string): Promise<{ file: string; line?: number }> {
  const read = await source.read(MANIFEST_FILE, 1024 * 1024);
  if (!read.ok) return { file: MANIFEST_FILE };
  const index = new TextDecoder()
    .decode(read.bytes)
    .split("\n")
    .findIndex((l) => /^\s*url\s*:/.test(l) && l.includes(url));
  return index >= 0 ? { file: MANIFEST_FILE, line: index + 1 } : { file: MANIFEST_FILE };
}

/** `host:port` of the URL when something already accepts connections there. */
async function portInUse(url: string): Promise<string | undefined> {
  let host: string;
  let port: number;
  try {
    const u = new URL(url);
    host = u.hostname.replace(/^\[|\]$/g, "");
    port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  } catch {
    return undefined;
  }
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse ? `${host}:${port}` : undefined);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function runWebhookComponent(
  component: WebhookSubscription,
  label: string,
  source: LocalSource,
  options: ReplayOptions,
  bars: Bars,
  onCase: (c: ReplayCase) => void,
): Promise<VolumeResult | undefined> {
  const resolved = resolveSettings(component.settings, component.testSettings, options.env);
  if (!resolved.ok) {
    onCase(failCase(label, "Test settings", resolved.message));
    return undefined;
  }
  const loaded = await inputsFor(source, component, label, options, onCase);
  if (!loaded) return undefined;

  let server: ProcessHandle | undefined;
  if (component.webhook.start) {
    let ready: ReadyProbe | undefined;
    if (component.webhook.ready) ready = { url: component.webhook.ready, timeoutMs: options.readyTimeoutMs };
    else {
      try {
        const u = new URL(component.webhook.url);
        const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
        ready = { port, host: u.hostname.replace(/^\[|\]$/g, ""), timeoutMs: options.readyTimeoutMs };
      } catch {
        ready = undefined;
      }
    }
    // A program already listening there would answer instead of the partner's fresh build (whose
    // own listen then fails), and replay would grade the wrong server.
    const busy = await portInUse(component.webhook.url);
    if (busy) {
      onCase(
        failCase(
          label,
          "Start the webhook endpoint",
          msg`Something is already listening at ${busy} before \`${component.webhook.start}\` started, so replay cannot tell whose answers it would grade. Stop that program (an earlier run of the server?) or move webhook.url to a free port.\nEvery case needs the endpoint, so none was sent.`,
        ),
      );
      return undefined;
    }
    try {
      server = await startProcess({ command: component.webhook.start, cwd: source.root, baseEnv: options.env, ready });
    } catch (err) {
      const said = err instanceof ProcessStartError ? err.said : (err as Error).message;
      onCase(
        failCase(
          label,
          "Start the webhook endpoint",
          msg`${said}\nEvery case needs a running endpoint, so none was sent.`,
        ),
      );
      return undefined;
    }
  }
  const target: WebhookTarget = {
    url: component.webhook.url,
    apiKey: resolved.settings.apiKey,
    settings: customSettings(resolved.settings.all),
    supports: component.supports,
    component: label,
    where: await urlLine(source, component.webhook.url),
    secrets: resolved.settings.secrets,
  };
  const timeoutMs = bars.timeoutMs;
  const golden = goldenStore(source, options);
  try {
    await replayWebhook(target, withGoldenPlaces(component, loaded), {
      timeoutMs,
      onCase,
      signal: options.signal,
      probes: !options.only,
      explainFailure: server ? explainExit(server) : undefined,
      golden,
      probeGolden: builtInGoldenFile(component, "probe"),
    });
    flushGolden(golden, label, onCase);
    if (options.volume && !options.signal?.aborted) {
      const v = await volumeWebhook(target, volumeMessages(component.supports ?? []), {
        ...bars.volume,
        timeoutMs,
        onProgress: options.onVolumeProgress,
        signal: options.signal,
      });
      onCase(volumeCase(label, v, "volume"));
      return v;
    }
  } finally {
    await server?.stop();
  }
  return undefined;
}

/**
 * Each input with its golden entry — a fixture's next to its file, a built-in group's in the
 * component's golden file for it — and a fixture's partner API answers (function and plugin replay
 * answer its requests with them; webhook replay has none to answer).
 */
function withGoldenPlaces(
  component: WebhookSubscription | FunctionSubscription | PluginComponent,
  loaded: Loaded,
): (ReplayInput & { answers?: Fixture["partnerApi"] | null })[] {
  const byName = new Map(loaded.fixtures.map((f) => [f.name, f]));
  return loaded.inputs.map((i) => {
    if (i.group !== "fixture") return { ...i, golden: { file: builtInGoldenFile(component, i.group), key: i.name } };
    const f = byName.get(i.name);
    return f ? { ...i, answers: f.partnerApi ?? null, golden: { file: goldenFileFor(f.file), key: f.name } } : i;
  });
}

/** The integration's golden files for this run; with --only, --update keeps the entries not replayed. */
function goldenStore(source: LocalSource, options: ReplayOptions): GoldenStore {
  return new GoldenStore(source.root, Boolean(options.update), { keepUnseen: Boolean(options.only) });
}

/** Writes the golden files that changed: a file that cannot be written is a red case, not a crash. */
function flushGolden(golden: GoldenStore, label: string, onCase: (c: ReplayCase) => void): void {
  try {
    golden.flush();
  } catch (err) {
    onCase(failCase(label, "Golden files", `The golden files could not be written: ${(err as Error).message}`));
  }
}

/**
 * For failed deliveries to a program replay started: says that it exited, with its last output.
 * A refused or reset connection can arrive before this process has seen the program's exit, so
 * for those it waits a moment for the exit (once: a program still running after that is taken to
 * be alive, and later failures do not wait again).
 */
function explainExit(server: ProcessHandle): (r: HttpResult | undefined) => Promise<Message | undefined> {
  let waited = false;
  return async (r) => {
    let exit = server.exit();
    const connectionLost = r?.error !== undefined && (r.error.kind === "refused" || r.error.kind === "reset");
    if (!exit && connectionLost && !waited) {
      waited = true;
      const e = await server.waitForExit(EXIT_GRACE_MS);
      if (e !== "timeout") exit = e;
    }
    return exit
      ? msg`The endpoint's program (\`${server.command}\`) ${describeExit(exit)} during replay${outputTail(server, 5)}`
      : undefined;
  };
}

/** How long a refused or reset delivery waits to learn whether the endpoint's program exited. */
const EXIT_GRACE_MS = 500;

async function runFunctionComponent(
  component: FunctionSubscription,
  label: string,
  source: LocalSource,
  options: ReplayOptions,
  bars: Bars,
  onCase: (c: ReplayCase) => void,
): Promise<VolumeResult | undefined> {
  const resolved = resolveSettings(component.settings, component.testSettings, options.env);
  if (!resolved.ok) {
    onCase(failCase(label, "Test settings", resolved.message));
    return undefined;
  }
  const entry = normalizePath(component.entry);
  if (!entry.ok) {
    onCase(failCase(label, "Handler module", entry.message));
    return undefined;
  }
  if ((await source.kind(entry.path)) !== "file") {
    onCase(
      failCase(
        label,
        "Handler module",
        msg`The entry ${entry.path} does not exist; point \`entry\` at the module that defines onTrack, onIdentify, ….`,
      ),
    );
    return undefined;
  }
  const loaded = await inputsFor(source, component, label, options, onCase);
  if (!loaded) return undefined;
  const inputs: FunctionInput[] = withGoldenPlaces(component, loaded);
  const golden = goldenStore(source, options);
  const timeoutMs = bars.timeoutMs;
  const runner = new FunctionRunner({
    entry: join(source.root, entry.path),
    root: source.root,
    secrets: resolved.settings.secrets,
    timeoutMs,
    memoryMb: options.memoryMb,
  });
  try {
    await replayFunction(
      runner,
      { settings: resolved.settings.all, supports: component.supports, component: label },
      inputs,
      {
        golden,
        onCase,
        signal: options.signal,
        faults: !options.only,
      },
    );
    flushGolden(golden, label, onCase);
    if (options.volume && !options.signal?.aborted) {
      const v = await volumeFunction(runner, resolved.settings.all, volumeMessages(component.supports ?? []), {
        ...bars.volume,
        onProgress: options.onVolumeProgress,
        signal: options.signal,
      });
      onCase(volumeCase(label, v, "volume"));
      return v;
    }
  } finally {
    await runner.close();
  }
  return undefined;
}

/** The platform's plugin budgets for this run: the one place replay reads them. */
function pluginBudget(options: ReplayOptions): Policy["plugin"] {
  return (options.policy ?? DEFAULT_POLICY).plugin;
}

async function runPluginComponent(
  component: PluginComponent,
  label: string,
  source: LocalSource,
  options: ReplayOptions,
  onCase: (c: ReplayCase) => void,
  browser: BrowserHandle,
): Promise<void> {
  const resolved = resolveSettings(component.settings, component.testSettings, options.env, { requireApiKey: false });
  if (!resolved.ok) {
    onCase(failCase(label, "Test settings", resolved.message));
    return;
  }
  // The plugin's one setting is a write key: never in a golden file.
  const secrets = [...resolved.settings.secrets];
  for (const s of component.settings) {
    const v = resolved.settings.all[s.key];
    if (typeof v === "string" && v.length >= 4 && !secrets.some((x) => x.key === s.key))
      secrets.push({ key: s.key, value: v });
  }
  const loaded = await inputsFor(source, component, label, options, onCase);
  if (!loaded) return undefined;
  const inputs: PluginInput[] = withGoldenPlaces(component, loaded);
  const golden = goldenStore(source, options);
  await replayPlugin(component, label, source.root, inputs, {
    browser,
    budget: pluginBudget(options),
    timeoutMs: effectiveBars(options.policy ?? DEFAULT_POLICY, undefined, { timeoutMs: options.timeoutMs }).timeoutMs,
    settings: resolved.settings.all,
    secrets,
    golden,
    onCase,
    signal: options.signal,
  });
  flushGolden(golden, label, onCase);
}

export interface UrlReplayOptions extends Omit<ReplayOptions, "env" | "update"> {
  url: string;
  apiKey: string;
  /** Custom settings sent in X-Segment-Settings. */
  settings?: Record<string, unknown>;
  /** Calls the endpoint is expected to handle; unknown by default (501 is then yellow). */
  supports?: CallType[];
}

/** `devcenter replay --url`: the Test Suite, Spec events of every call and the probes against a running endpoint. */
export async function replayUrl(options: UrlReplayOptions): Promise<ReplayReport> {
  const cases: ReplayCase[] = [];
  const onCase = (c: ReplayCase): void => {
    cases.push(c);
    options.onProgress?.(c);
  };
  const { apiKey: _dropped, ...settings } = options.settings ?? {};
  const target: WebhookTarget = {
    url: options.url,
    apiKey: options.apiKey,
    settings,
    component: options.url,
    ...(options.supports ? { supports: options.supports } : {}),
  };
  const bars = effectiveBars(options.policy ?? DEFAULT_POLICY, undefined, {
    timeoutMs: options.timeoutMs,
    events: options.volume?.events,
    concurrency: options.volume?.concurrency,
  });
  const timeoutMs = bars.timeoutMs;
  const inputs: ReplayInput[] = [
    ...testSuite(),
    ...specEvents(options.supports ?? ["identify", "track", "page", "screen", "group", "alias", "delete"]),
  ];
  const only = options.only;
  await replayWebhook(target, only ? inputs.filter(only) : inputs, {
    timeoutMs,
    onCase,
    signal: options.signal,
    probes: !only,
  });
  const report: ReplayReport = { summary: summarize(cases), cases, ...runFacts(options.policy, [timeoutMs]) };
  if (options.volume && !options.signal?.aborted && !cases.some((c) => c.name === "Webhook URL")) {
    const v = await volumeWebhook(target, volumeMessages(options.supports ?? []), {
      ...bars.volume,
      timeoutMs,
      onProgress: options.onVolumeProgress,
      signal: options.signal,
    });
    onCase(volumeCase(options.url, v, "volume"));
    report.volume = v;
    report.summary = summarize(cases);
  } else if (options.volume && !options.signal?.aborted) {
    report.volume = VOLUME_NOT_RUN;
  }
  return report;
}
