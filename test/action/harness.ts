// Runs the bundled Action the way the runner does: `node index.js` from a folder holding only the
// bundle, with the INPUT_* and GITHUB_* variables, the runner's files, and a local stand-in for
// the GitHub API. Helpers only; the tests are in bundle.test.ts.
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";

export const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const HEAD_SHA = "4f1c2a9d8e7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a";
export const MERGE_SHA = "0000000000000000000000000000000000000001";
export const TOKEN = "ghs_testTokenThatMustNeverBeLogged0123";

/** Builds the bundle into `dir` with the project's build script. */
export function buildBundle(dir: string): Promise<void> {
  return new Promise((done, fail) =>
    execFile(process.execPath, [join(REPO, "scripts/build-action.mjs"), dir], { cwd: REPO }, (err, _out, stderr) =>
      err ? fail(new Error(`build failed: ${stderr}`)) : done(),
    ),
  );
}

export interface ApiRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A stand-in for api.github.com on 127.0.0.1 that records requests and answers as told. */
export class FakeApi {
  requests: ApiRequest[] = [];
  answer: { status: number; body: unknown } = {
    status: 201,
    body: { id: 1, html_url: "https://github.com/acme/integrations/runs/1" },
  };
  private server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as text
      }
      this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.writeHead(this.answer.status, { "Content-Type": "application/json" }).end(JSON.stringify(this.answer.body));
    });
  });
  url = "";

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** A free TCP port on 127.0.0.1 (for the webhook examples, which default to 8787). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/**
 * Copies an integration into `<workspace>/integrations/<name>`: an example folder, or a fixture
 * under test/fixtures/action (its `base` example with the fixture's files over it). The webhook
 * URL's port is moved to `port` so parallel tests never meet on 8787.
 */
export function placeIntegration(workspace: string, from: string, name: string, port: number): string {
  const dest = join(workspace, "integrations", name);
  const fixture = join(REPO, "test/fixtures/action", from);
  if (existsSync(join(fixture, "fixture.json"))) {
    const { base } = JSON.parse(readFileSync(join(fixture, "fixture.json"), "utf8")) as { base: string };
    cpSync(join(REPO, base), dest, { recursive: true });
    cpSync(fixture, dest, { recursive: true, filter: (src) => !src.endsWith("fixture.json") });
  } else {
    cpSync(join(REPO, from), dest, { recursive: true });
  }
  const manifest = join(dest, "integration.yml");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/127\.0\.0\.1:8787/g, `127.0.0.1:${port}`));
  return dest;
}

export interface Annotation {
  level: string;
  properties: Record<string, string>;
  message: string;
}

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Workflow commands the runner would act on (outside stop-commands regions). */
  commands: { command: string; properties: Record<string, string>; data: string }[];
  annotations: Annotation[];
  summary: string;
  outputs: Record<string, string>;
  workspace: string;
  /** The integration's folder inside the workspace. */
  integrationDir: string;
  runnerTemp: string;
  /** The port the integration's webhook URL was moved to (its server reads it from PORT). */
  port: number;
}

const unescapeData = (s: string) =>
  s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");

/** Reads stdout as the runner does: `::command props::data`, honouring ::stop-commands::. */
export function parseCommands(stdout: string): ActionRun["commands"] {
  const out: ActionRun["commands"] = [];
  let stoppedBy: string | undefined;
  for (const raw of stdout.split("\n")) {
    const line = raw.trimStart();
    if (stoppedBy !== undefined) {
      if (line === `::${stoppedBy}::`) stoppedBy = undefined;
      continue;
    }
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) {
      // The old syntax, which the runner finds anywhere in a line: `##[command key=value;…]data`.
      const old = /##\[([a-z-]+)(?: ([^\]]*))?\](.*)$/.exec(line);
      if (old)
        out.push({
          command: old[1]!,
          properties: Object.fromEntries(
            (old[2] ?? "")
              .split(";")
              .filter(Boolean)
              .map((p) => p.split("=", 2) as [string, string]),
          ),
          data: old[3]!,
        });
      continue;
    }
    if (m[1] === "stop-commands") {
      stoppedBy = m[3];
      continue;
    }
    const properties: Record<string, string> = {};
    for (const pair of m[2] ? m[2].split(",") : []) {
      const eq = pair.indexOf("=");
      properties[pair.slice(0, eq)] = unescapeData(pair.slice(eq + 1));
    }
    out.push({ command: m[1]!, properties, data: unescapeData(m[3]!) });
  }
  return out;
}

/** GITHUB_OUTPUT's `name<<DELIM\nvalue\nDELIM` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    outputs[m[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return outputs;
}

export interface RunOptions {
  bundleDir: string;
  /** Example folder (`examples/webhook`) or fixture name under test/fixtures/action. */
  integration: string;
  inputs?: Record<string, string>;
  api?: FakeApi;
  /** The event payload; a pull_request from the same repository by default. */
  event?: object;
  eventName?: string;
  extraEnv?: Record<string, string>;
  /** Files written into the integration after it is placed (path relative to it → content). */
  files?: Record<string, string>;
  /** Symbolic links made in the workspace (path relative to it → target). */
  links?: Record<string, string>;
  /** Files of the placed integration to delete (paths relative to it that match), before `files` are written. */
  remove?: RegExp;
  /** The Node.js binary that runs the bundle (the runner's `node24`, say); default this process's. */
  node?: string;
}

const created: string[] = [];

/** Removes the folders runAction made. */
export function cleanUpRuns(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const root = mkdtempSync(join(tmpdir(), "devcenter-action-run-"));
  created.push(root);
  const workspace = join(root, "workspace");
  const runnerTemp = join(root, "runner-temp");
  mkdirSync(runnerTemp, { recursive: true });
  const name = options.integration.split("/").at(-1)!;
  const port = await freePort();
  const dest = placeIntegration(workspace, options.integration, name, port);
  if (options.remove) {
    for (const file of readdirSync(dest, { recursive: true, encoding: "utf8" })) {
      if (options.remove.test(file.split(sep).join("/"))) rmSync(join(dest, file), { force: true });
    }
  }
  for (const [file, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    writeFileSync(join(dest, file), content);
  }
  for (const [link, target] of Object.entries(options.links ?? {})) symlinkSync(target, join(workspace, link));
  const eventPath = join(root, "event.json");
  writeFileSync(
    eventPath,
    JSON.stringify(options.event ?? { action: "synchronize", pull_request: { number: 7, head: { sha: HEAD_SHA } } }),
  );
  const summaryPath = join(root, "step-summary.md");
  const outputPath = join(root, "output.txt");
  writeFileSync(summaryPath, "");
  writeFileSync(outputPath, "");
  const inputs = { path: `integrations/${name}`, token: TOKEN, ...options.inputs };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? root,
    PORT: String(port),
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: "acme/integrations",
    GITHUB_EVENT_NAME: options.eventName ?? "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: MERGE_SHA,
    GITHUB_RUN_ID: "1234",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: options.api?.url ?? "http://127.0.0.1:9",
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    RUNNER_TEMP: runnerTemp,
    ACTIONS_RUNTIME_TOKEN: "runtime-token-for-the-runner-only",
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...options.extraEnv,
  };
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (done) => {
      execFile(
        options.node ?? process.execPath,
        ["index.js"],
        { cwd: options.bundleDir, env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    },
  );
  const commands = parseCommands(stdout);
  return {
    code,
    stdout,
    stderr,
    commands,
    annotations: commands
      .filter((c) => ["error", "warning", "notice"].includes(c.command))
      .map((c) => ({ level: c.command, properties: c.properties, message: c.data })),
    summary: readFileSync(summaryPath, "utf8"),
    outputs: parseOutputs(readFileSync(outputPath, "utf8")),
    workspace,
    integrationDir: dest,
    runnerTemp,
    port,
  };
}

/** Copies the files of a built bundle into an empty folder. */
export function copyBundle(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) cpSync(join(from, f), join(to, f));
}

/**
 * For one test file: the Action freshly built and copied into a temporary folder, and a local
 * stand-in for the GitHub API, set up before its tests and removed after them.
 */
export function builtBundle(prefix: string): { bundleDir: string; api: FakeApi } {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  const bundleDir = join(tmp, "action");
  const api = new FakeApi();
  beforeAll(async () => {
    await buildBundle(join(tmp, "build"));
    copyBundle(join(tmp, "build"), bundleDir);
    await api.start();
  }, 120_000);
  afterAll(async () => {
    await api.stop();
    cleanUpRuns();
    rmSync(tmp, { recursive: true, force: true });
  });
  return { bundleDir, api };
}
