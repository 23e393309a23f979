// What a webhook case sent and got (issue 14 part 2): kept with every case, redacted and capped,
// shown with --show and reproducible with curl. Real servers on 127.0.0.1, real curl.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { curlCommand } from "../../src/replay/exchange.js";
import { decodeReplayData, encodeReplayData } from "../../src/replay/report-codec.js";
import { testSuite } from "../../src/replay/test-suite.js";
import { replayWebhook, WRONG_API_KEY } from "../../src/replay/webhook.js";
import { freePort, goodEndpoint, json, startServer, type TestServer } from "./helpers.js";

const servers: TestServer[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const c of closers.splice(0)) c();
});
const root = fileURLToPath(new URL("../../", import.meta.url));
async function serve(h: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(h);
  servers.push(s);
  return s;
}

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: process.cwd(),
    env: process.env,
    isTTY: false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const KEY = "acme-secret-key-123";
const keyB64 = Buffer.from(`${KEY}:`).toString("base64");

describe("a webhook case's exchange", () => {
  it("keeps the request (key and sensitive settings redacted) and the answer; curl sends the same request again", async () => {
    // An endpoint that echoes the Authorization header and the key back, as a debugging server might.
    const s = await serve((req, res) => {
      res.setHeader("X-Echo-Auth", String(req.headers.authorization));
      json(res, 422, { message: `bad event for ${KEY}` });
    });
    const settings = { region: "eu", token: "tok-very-secret" };
    const cases = await replayWebhook(
      {
        url: s.url,
        apiKey: KEY,
        settings,
        secrets: [
          { key: "apiKey", value: KEY },
          { key: "token", value: "tok-very-secret" },
        ],
      },
      testSuite().slice(0, 1),
      { probes: false, timeoutMs: 2000 },
    );
    const e = cases[0]!.exchange!;
    expect(e.request).toMatchObject({ method: "POST", url: s.url });
    expect(e.request.headers.Authorization).toBe("Basic [redacted]");
    expect(JSON.parse(Buffer.from(e.request.headers["X-Segment-Settings"]!, "base64").toString())).toEqual({
      region: "eu",
      token: "[redacted]",
    });
    expect(JSON.parse(e.request.body)).toEqual(testSuite()[0]!.message);
    expect(e.response).toMatchObject({ status: 422, body: '{"message":"bad event for [redacted]"}' });
    expect(e.response!.headers["x-echo-auth"]).toBe("Basic [redacted]");
    const all = JSON.stringify(e);
    expect(all).not.toContain(KEY);
    expect(all).not.toContain(keyB64);
    expect(all).not.toContain("tok-very-secret");

    // The curl command reads the key from $API_KEY and sends what replay sent.
    const curl = curlCommand(e);
    expect(curl).toContain('-u "$API_KEY:"');
    expect(curl).not.toContain(KEY);
    // Not execFileSync: the server answering it runs in this process.
    const { stdout: out } = await promisify(execFile)("bash", ["-c", curl], {
      env: { ...process.env, API_KEY: KEY },
      encoding: "utf8",
    });
    expect(out).toMatch(/^HTTP\/1\.1 422/);
    const [first, again] = s.received;
    expect(again!.body).toBe(first!.body);
    for (const h of ["authorization", "content-type", "user-agent", "accept", "cache-control"])
      expect(again!.headers[h]).toBe(first!.headers[h]);
    // The settings header is the redacted one: the real value of a sensitive setting is never printed.
    expect(JSON.parse(Buffer.from(String(again!.headers["x-segment-settings"]), "base64").toString())).toEqual({
      region: "eu",
      token: "[redacted]",
    });
  });

  it("the wrong-key probe shows the key it sent; a case with no answer has no response", async () => {
    const s = await serve(goodEndpoint);
    const cases = await replayWebhook({ url: s.url, apiKey: "segment", settings: {} }, testSuite().slice(0, 2), {
      timeoutMs: 2000,
    });
    const probe = cases.find((c) => c.name === "Probe — a wrong API key is refused")!;
    expect(probe.exchange!.request.headers.Authorization).toBe(
      `Basic ${Buffer.from(`${WRONG_API_KEY}:`).toString("base64")}`,
    );
    expect(probe.exchange!.response!.status).toBe(401);
    expect(cases.find((c) => c.name === "Probe — a malformed body gets 400")!.exchange!.request.body).toMatch(
      /"plan":$/,
    );
    // The timing probe sends nothing of its own.
    expect(cases.find((c) => c.name === "Probe — slow answers are timed out")!.exchange).toBeUndefined();

    // A server that closes the connection without answering: the request is kept, no response.
    const net = createNetServer((socket) => socket.destroy());
    await new Promise<void>((r) => net.listen(0, "127.0.0.1", r));
    closers.push(() => net.close());
    const url = `http://127.0.0.1:${(net.address() as AddressInfo).port}/segment`;
    const [reset] = await replayWebhook({ url, apiKey: "segment", settings: {} }, testSuite().slice(0, 1), {
      probes: false,
      timeoutMs: 2000,
    });
    expect(reset!.exchange!.request.url).toBe(url);
    expect(reset!.exchange!.response).toBeUndefined();
  });

  it("a hostile answer — binary bytes, escape sequences, 60 long headers, a 100 MB body — stays a few KB, shown safely", async () => {
    const s = await serve((_req, res) => {
      const headers: Record<string, string> = {};
      for (let i = 0; i < 60; i++) headers[`x-h${i}`] = "v".repeat(180);
      res.writeHead(200, headers);
      // 100 MB, written as the client reads it; replay stops reading long before the end.
      const chunk = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < chunk.length; i++) chunk[i] = i % 256;
      chunk.write("\u001b]0;owned\u0007\u202e", 0);
      let sent = 0;
      const write = (): void => {
        while (sent < 100 && !res.destroyed) {
          sent++;
          if (!res.write(chunk)) return void res.once("drain", write);
        }
        res.end();
      };
      res.on("error", () => undefined);
      write();
    });
    const [c] = await replayWebhook({ url: s.url, apiKey: "segment", settings: {} }, testSuite().slice(0, 1), {
      probes: false,
      timeoutMs: 5000,
    });
    const res = c!.exchange!.response!;
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(res.body)).toBeLessThan(2048 * 6);
    expect(res.bodyTruncated).toBe(true);
    expect(res.body.startsWith("\\u001b]0;owned\\u0007\\u202e")).toBe(true);
    expect(res.body).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202e]/);
    expect(Object.keys(res.headers)).toHaveLength(40);
    // 60 of its own, and Date, Connection, Keep-Alive, Transfer-Encoding.
    expect(res.headersOmitted).toBe(24);
    expect(JSON.stringify(c).length).toBeLessThan(30_000);
    const text = await cli([
      "replay",
      "--url",
      s.url,
      "--api-key",
      "segment",
      "--only",
      "Track — user signs up",
      "--show",
    ]);
    expect(text.stdout).not.toContain("\u001b");
    expect(text.stdout).toContain("< … 24 more headers");
    expect(text.stdout).toContain("< … (the body goes on; the first 2 KB are shown)");
  });
});

describe("--show and the JSON output", () => {
  it("replay --url: JSON has every webhook case's exchange; text shows it with --show only, with a curl command", async () => {
    const s = await serve(goodEndpoint);
    const j = await cli(["replay", "--url", s.url, "--api-key", "segment", "--format", "json"]);
    const report = JSON.parse(j.stdout);
    for (const c of report.cases.filter((c: { name: string }) => c.name !== "Probe — slow answers are timed out")) {
      expect(Object.keys(c.exchange)).toEqual(expect.arrayContaining(["request", "response"]));
      expect(Object.keys(c.exchange.request)).toEqual(["method", "url", "headers", "body"]);
      expect(Object.keys(c.exchange.response)).toEqual(expect.arrayContaining(["status", "headers", "body"]));
      expect(c.exchange.response.status).toBe(c.httpStatus);
      expect(c.exchange.request.headers.Authorization).toBe(
        "Basic [redacted]".replace(
          "[redacted]",
          c.name.includes("wrong API key") ? Buffer.from(`${WRONG_API_KEY}:`).toString("base64") : "[redacted]",
        ),
      );
    }
    const plain = await cli(["replay", "--url", s.url, "--api-key", "segment"]);
    expect(plain.stdout).not.toContain("curl");
    const shown = await cli(["replay", "--url", s.url, "--api-key", "segment", "--only", "screen", "--show"]);
    expect(shown.stdout).toContain(`> POST ${s.url}`);
    expect(shown.stdout).toContain("> Authorization: Basic [redacted]");
    expect(shown.stdout).toContain("< HTTP 501");
    expect(shown.stdout).toContain('< {"message":"screen not supported"}');
    expect(shown.stdout).toContain("Reproduce it (set API_KEY to the test account's key):");
    expect(shown.stdout).toContain(`curl -sS -i -X POST '${s.url}'`);
    expect(shown.stdout).not.toContain("c2VnbWVudDo=");
  });

  it("the check run's replay data leaves exchanges out (its text has room for the cases only)", async () => {
    const s = await serve(goodEndpoint);
    const cases = await replayWebhook({ url: s.url, apiKey: "segment", settings: {} }, testSuite().slice(0, 1), {
      probes: false,
      timeoutMs: 2000,
    });
    expect(cases[0]!.exchange).toBeDefined();
    const decoded = decodeReplayData(encodeReplayData({ summary: { pass: 1, unsupported: 0, fail: 0 }, cases }));
    expect(decoded[0]!.report.cases[0]!.exchange).toBeUndefined();
  });
});

describe("review --show", () => {
  it("shows the request and answer of each red webhook case, with the curl command", async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "devcenter-show-"));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(root, "examples/webhook"), dir, { recursive: true });
    // The example's server accepts local-test-key only: another key makes every case red.
    const yml = readFileSync(join(dir, "integration.yml"), "utf8")
      .replaceAll("8787", String(port))
      .replace("apiKey: local-test-key", "apiKey: not-the-test-key")
      .replace("start: node server.js", `start: PORT=${port} node server.js`);
    writeFileSync(join(dir, "integration.yml"), yml);
    const plain = await cli(["review", dir, "--only", "identify", "--no-volume"]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).not.toContain("curl");
    const shown = await cli(["review", dir, "--only", "identify", "--no-volume", "--show"]);
    expect(shown.stdout).toContain(`> POST http://127.0.0.1:${port}/segment`);
    expect(shown.stdout).toContain("< HTTP 401");
    expect(shown.stdout).toContain('-u "$API_KEY:"');
    expect(shown.stdout).not.toContain("not-the-test-key");
  });
});
