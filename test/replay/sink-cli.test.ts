import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { runSink } from "../../src/cli/commands/sink.js";
import { captureIO } from "../helpers/cli.js";

const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString("base64")}`;
const integration = { name: "acme-analytics", version: "1.0.0" };

/** Runs the command in process until `stop` resolves; `ready` gets the endpoint once it listens. */
function inProcess(argv: Record<string, string>, cwd = process.cwd()) {
  const io = captureIO(cwd);
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const code = runSink({ values: argv, positionals: [] }, io, stopped);
  const url = async (): Promise<string> => {
    while (!/http:\/\/127\.0\.0\.1:\d+/.test(io.out)) await new Promise((r) => setTimeout(r, 10));
    return io.out.match(/http:\/\/127\.0\.0\.1:\d+/)![0];
  };
  return { io, stop, code, url };
}

describe("devcenter sink", () => {
  it("prints where to send, each message with its findings, then a summary", async () => {
    const run = inProcess({ "write-key": "wk-1", slug: "acme-analytics" });
    const url = await run.url();
    expect(run.io.out).toContain(`Point your program at ${url} with write key wk-1`);
    expect(run.io.out).toContain('context.integration.name = "acme-analytics" (from --slug)');
    const send = (path: string, body: unknown, key = "wk-1") =>
      fetch(url + path, {
        method: "POST",
        headers: { authorization: basic(key), "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect(
      (await send("/v1/track", { userId: "u-1", event: "Report Exported", context: { integration } })).status,
    ).toBe(200);
    expect((await send("/v1/track", { userId: "u-1", event: "Report Exported" })).status).toBe(200);
    expect((await send("/v1/track", {}, "nope")).status).toBe(401);
    run.stop();
    expect(await run.code).toBe(1);
    const out = run.io.out;
    expect(out).toContain('✓ #1 track "Report Exported"  /v1/track');
    expect(out).toMatch(
      /✗ #2 track "Report Exported" {2}\/v1\/track \d+ B\n {4}error {3}Every event a stream sends must carry context\.integration\.name = "acme-analytics"/,
    );
    expect(out).toContain('✗ refused /v1/track with HTTP 401: Wrong write key "nope"');
    expect(out).toContain(
      "Summary: 2 messages: 1 valid (0 of them with warnings), 1 with errors; 1 of 3 requests refused; peak 3 requests/s.",
    );
    expect(out).toContain("By type: track 2.");
  });

  it("takes the slug from integration.yml in the current folder", async () => {
    const run = inProcess({}, fileURLToPath(new URL("../fixtures/stream/manifest/", import.meta.url)));
    await run.url();
    run.stop();
    await run.code;
    expect(run.io.out).toContain('context.integration.name = "acme-analytics" (from integration.yml)');
  });

  it("says the slug is not checked when there is none", async () => {
    const run = inProcess({}, await mkdtemp(join(tmpdir(), "devcenter-sink-")));
    await run.url();
    run.stop();
    await run.code;
    expect(run.io.out).toContain("context.integration.name is not checked");
  });

  it("writes NDJSON with --format json and exits 0 when everything was valid", async () => {
    const run = inProcess({ format: "json" });
    const url = await run.url();
    const first = JSON.parse(run.io.out.split("\n")[0]!);
    expect(first).toMatchObject({ kind: "listening", url, writeKey: expect.stringMatching(/^devcenter-/) });
    const res = await fetch(url + "/v1/identify", {
      method: "POST",
      body: JSON.stringify({ userId: "u-1", traits: { email: "a@example.com" }, writeKey: first.writeKey }),
    });
    expect(res.status).toBe(200);
    run.stop();
    expect(await run.code).toBe(0);
    const lines = run.io.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind)).toEqual(["listening", "message", "summary"]);
    expect(lines[1]).toMatchObject({
      seq: 1,
      type: "identify",
      status: "pass",
      findings: [],
      message: { userId: "u-1" },
    });
    expect(lines[2]).toMatchObject({ messages: 1, messagesWithErrors: 0, requests: 1 });
  });

  it("reports a port in use and refuses bad options", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const io = captureIO();
      expect(await main(["sink", "--port", String(port)], io)).toBe(2);
      expect(io.err).toContain(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
    const io = captureIO();
    expect(await main(["sink", "--port", "http"], io)).toBe(2);
    expect(io.err).toContain("--port must be a number");
    expect(await main(["sink", "--format", "markdown"], io)).toBe(2);
    expect(await main(["sink", "--write-key", "a:b"], io)).toBe(2);
  });

  it("runs as a real process and stops on SIGINT with a summary", async () => {
    const entry = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `import(${JSON.stringify(entry)}).then(async (m) => { process.exitCode = await m.main(["sink", "--format", "json", "--write-key", "k1"]); })`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const lines: Record<string, unknown>[] = [];
    const rl = createInterface({ input: child.stdout! });
    const waitFor = (kind: string) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const found = lines.find((l) => l.kind === kind);
        if (found) return resolve(found);
        const onLine = (): void => {
          const hit = lines.find((l) => l.kind === kind);
          if (hit) {
            rl.off("line", onLine);
            resolve(hit);
          }
        };
        rl.on("line", onLine);
        void exited.then(() => reject(new Error(`exited before printing ${kind}`)));
      });
    rl.on("line", (l) => lines.push(JSON.parse(l)));
    try {
      const listening = await waitFor("listening");
      const res = await fetch(`${listening.url}/v1/batch`, {
        method: "POST",
        headers: { authorization: basic("k1") },
        body: JSON.stringify({ batch: [{ type: "track", event: "Report Exported", userId: "u-1" }] }),
      });
      expect(res.status).toBe(200);
      await waitFor("message");
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(await waitFor("summary")).toMatchObject({ messages: 1, requests: 1 });
    } finally {
      child.kill("SIGKILL");
    }
  });
});
