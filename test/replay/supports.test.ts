// Issue 8: "not supported" (501 / EventNotSupported) for one event of a call type listed in
// `supports` is yellow, with a warning on the `supports` line; red only when every event of that
// type in the run is refused. Real partner code: the examples' webhook server and function
// handlers, edited to refuse identifies without a userId (a CRM), run by the real CLI. The App's
// path — a report read back from the check run and given to the review engine — is covered too.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { LocalSource } from "../../src/replay/source-local.js";
import type { ReplayCase, ReplayReport } from "../../src/replay/types.js";
import { review } from "../../src/review.js";
import { captureIO } from "../helpers/cli.js";
import { freePort } from "./helpers.js";

const temps: string[] = [];
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

/** A copy of an example without its volume bar (not what these tests are about), edited. */
async function example(
  name: "webhook" | "function",
  edit: { file: string; from: string; to: string }[] = [],
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `devcenter-supports-${name}-`));
  temps.push(dir);
  await cp(join("examples", name), dir, { recursive: true });
  for (const e of edit) {
    const text = await readFile(join(dir, e.file), "utf8");
    expect(text, `${e.file} holds the text to edit`).toContain(e.from);
    await writeFile(join(dir, e.file), text.replace(e.from, e.to));
  }
  const manifest = await readFile(join(dir, "integration.yml"), "utf8");
  await writeFile(join(dir, "integration.yml"), manifest.replace(/\n {4}volume:[^\n]*\n(?: {6}[^\n]*\n)+/, "\n"));
  return dir;
}

/** The webhook example on a free port, with its server refusing identifies as `refuse` says. */
async function webhook(refuse: string): Promise<{ dir: string; port: number }> {
  const port = await freePort();
  const dir = await example("webhook", [
    {
      file: "server.js",
      from: "    if (!SUPPORTED.has(type))",
      to: `    if (type === "identify" && (${refuse})) return reply(res, 501, "identify needs a userId");\n    if (!SUPPORTED.has(type))`,
    },
  ]);
  const manifest = await readFile(join(dir, "integration.yml"), "utf8");
  await writeFile(join(dir, "integration.yml"), manifest.replaceAll("127.0.0.1:8787", `127.0.0.1:${port}`));
  // The example's golden files hold what its server answers; the edited server answers identifies
  // otherwise, which is what these tests look at, not a change to catch: record it first.
  const io = captureIO(process.cwd(), { ...process.env, PORT: String(port) });
  await main(["replay", dir, "--update", "--no-volume", "--format", "json"], io);
  expect(JSON.parse(io.out).cases.some((c: ReplayCase) => c.golden?.status === "updated")).toBe(true);
  return { dir, port };
}

async function reviewJson(dir: string, port: number) {
  const io = captureIO(process.cwd(), { ...process.env, PORT: String(port) });
  const code = await main(["review", dir, "--format", "json"], io);
  return { code, report: JSON.parse(io.out) };
}

const identifies = (cases: ReplayCase[]) =>
  cases.filter((c) => c.type === "identify" && ["test-suite", "fixture", "spec"].includes(c.group ?? ""));

describe("a listed call type answered 'not supported'", () => {
  it("webhook: one refused identify among delivered ones is yellow, with a warning on the supports line; the review passes", async () => {
    const { dir, port } = await webhook("!event.userId");
    const { code, report } = await reviewJson(dir, port);
    const ids = identifies(report.replay.cases);
    const refused = ids.filter((c) => c.status !== "pass");
    expect(refused.map((c) => [c.name, c.status, c.httpStatus])).toEqual([
      ["Identify — anonymous user", "unsupported", 501],
    ]);
    expect(ids.length).toBeGreaterThan(1);
    expect(refused[0]!.message).toBe("HTTP 501: identify needs a userId (call not supported)");
    const warnings = report.diagnostics.filter((d: { ruleId: string }) => d.ruleId === "replay/partly-supported");
    const manifest = await readFile(join(dir, "integration.yml"), "utf8");
    const line = manifest.split("\n").findIndex((l) => l.includes("supports: [identify")) + 1;
    expect(warnings).toEqual([
      expect.objectContaining({
        severity: "warning",
        file: "integration.yml",
        line,
        column: manifest.split("\n")[line - 1]!.indexOf("identify") + 1,
      }),
    ]);
    expect(warnings[0].message).toContain(
      'and "Identify — anonymous user" was answered "not supported" (HTTP 501: identify needs a userId (call not supported))',
    );
    expect(report.checklist.find((c: { id: string }) => c.id === "test-suite").status).toBe("pass");
    expect(report.summary.errors).toBe(0);
    expect(code).toBe(0);
  });

  it("webhook: every identify refused is red — `supports` is wrong — in one readable sentence", async () => {
    const { dir, port } = await webhook("true");
    const { code, report } = await reviewJson(dir, port);
    const ids = identifies(report.replay.cases);
    expect(ids.length).toBeGreaterThan(1);
    for (const c of ids) {
      expect(c.status).toBe("fail");
      expect(c.message).toBe(
        `HTTP 501: identify needs a userId (call not supported). Every identify event sent (${ids.length}) was answered "not supported", but integration.yml lists identify under supports: handle identify, or remove it from supports.`,
      );
    }
    expect(report.diagnostics.filter((d: { ruleId: string }) => d.ruleId === "replay/partly-supported")).toEqual([]);
    expect(report.checklist.find((c: { id: string }) => c.id === "test-suite").status).toBe("fail");
    expect(code).toBe(1);
  });

  it("function: EventNotSupported for one identify is yellow; for every identify, red without double punctuation", async () => {
    const guard = (cond: string) => ({
      file: "src/handlers.js",
      from: "async function onIdentify(event, settings) {\n",
      to: `async function onIdentify(event, settings) {\n  if (${cond}) throw new EventNotSupported("identify needs a userId");\n`,
    });
    const replay = async (dir: string) => {
      const io = captureIO(dir, process.env);
      const code = await main(["replay", ".", "--update", "--format", "json"], io);
      return { code, report: JSON.parse(io.out) as ReplayReport };
    };
    const some = await replay(await example("function", [guard("!event.userId")]));
    const refused = identifies(some.report.cases).filter((c) => c.status !== "pass");
    expect(refused.map((c) => [c.name, c.status])).toEqual([["Identify — anonymous user", "unsupported"]]);
    expect(refused[0]!.message).toMatch(
      /^onIdentify threw EventNotSupported "identify needs a userId"\.( Updated \S+golden\.json .*)?$/,
    ); // --update rewrote the recording
    expect(some.code).toBe(0);

    const all = await replay(await example("function", [guard("true")]));
    const ids = identifies(all.report.cases);
    expect(ids.map((c) => c.status)).toEqual(ids.map(() => "fail"));
    // The example's identify fixture expects a delivery: red for that, on its own.
    const fixture = ids.filter((c) => c.group === "fixture");
    expect(fixture.map((c) => c.message)).toEqual([
      'The fixture expects pass, but got unsupported: onIdentify threw EventNotSupported "identify needs a userId".',
    ]);
    const turned = ids.filter((c) => c.group !== "fixture");
    expect(turned.length).toBeGreaterThan(1);
    for (const c of turned) {
      expect(c.message).toMatch(
        /^onIdentify threw EventNotSupported "identify needs a userId"\. (Updated \S+golden\.json \(.*\)\. )?No identify event sent \(\d+\) was delivered, but integration\.yml lists identify under supports: handle identify, or remove it from supports\.$/,
      );
      expect(c.message).not.toContain(".,");
    }
    expect(all.code).toBe(1);
  });

  it("the App's path: a check run's cases given to the review engine are held to the same rule", async () => {
    // What derive does: the report decoded from the `devcenter replay` check run, passed to review.
    const dir = await example("webhook");
    const source = new LocalSource(dir);
    const at = (name: string, status: ReplayCase["status"]): ReplayCase => ({
      name,
      type: "identify",
      group: "test-suite",
      component: "subscription/webhook",
      status,
      httpStatus: status === "pass" ? 200 : 501,
      durationMs: 3,
      message: status === "pass" ? "HTTP 200" : "HTTP 501: identify needs a userId (call not supported)",
    });
    const track: ReplayCase = {
      name: "Track — user signs up",
      type: "track",
      group: "test-suite",
      component: "subscription/webhook",
      status: "pass",
      httpStatus: 200,
      durationMs: 2,
      message: "HTTP 200",
    };
    const reportOf = (cases: ReplayCase[]): ReplayReport => ({ summary: { pass: 0, unsupported: 0, fail: 0 }, cases });

    const partly = await review(source, {
      replay: async () =>
        reportOf([at("Identify — anonymous user", "unsupported"), at("Identify — new user", "pass"), track]),
    });
    expect(
      partly.diagnostics.filter((d) => d.ruleId === "replay/partly-supported").map((d) => [d.severity, d.path]),
    ).toEqual([["warning", "/components/0/supports/0"]]);
    expect(partly.checklist.find((c) => c.id === "test-suite")!.status).toBe("pass");

    // A writer that left every identify yellow (an older Action, say): red in the App all the same.
    const none = await review(source, {
      replay: async () =>
        reportOf([at("Identify — anonymous user", "unsupported"), at("Identify — new user", "unsupported"), track]),
    });
    expect(none.replay!.cases.filter((c) => c.type === "identify").map((c) => c.status)).toEqual(["fail", "fail"]);
    expect(none.replay!.summary).toEqual({ pass: 1, unsupported: 0, fail: 2 });
    expect(none.checklist.find((c) => c.id === "test-suite")!.status).toBe("fail");
  });
});
