// `devcenter send` (issue 14 part 2) through main(), against real HTTP servers on 127.0.0.1.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";
import { testSuite } from "../../src/replay/test-suite.js";
import { webhookHeaders } from "../../src/replay/webhook.js";
import { freePort, goodEndpoint, json, startServer, type TestServer } from "../replay/helpers.js";

const servers: TestServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function serve(h: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(h);
  servers.push(s);
  return s;
}
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "devcenter-send-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
async function cli(args: string[], cwd = process.cwd()) {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd,
    env: process.env,
    isTTY: false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const track = testSuite().find((c) => c.type === "track")!.message;

describe("devcenter send", () => {
  it("sends one event exactly as replay delivers it, prints the request and the answer; exit 0 on 2xx", async () => {
    const s = await serve(goodEndpoint);
    const dir = folder({ "event.json": JSON.stringify(track, null, 2) });
    const r = await cli(
      ["send", "event.json", "--url", s.url, "--api-key", "segment", "--settings", '{"region":"eu","apiKey":"never"}'],
      dir,
    );
    expect(r.code).toBe(0);
    const got = s.received[0]!;
    expect(got.body).toBe(JSON.stringify(track));
    // The platform's headers, as replay sends them (the same function builds both).
    const want = webhookHeaders("segment", { region: "eu" }, Buffer.byteLength(got.body));
    for (const [name, value] of Object.entries(want)) expect(got.headers[name.toLowerCase()]).toBe(String(value));
    expect(JSON.parse(Buffer.from(String(got.headers["x-segment-settings"]), "base64").toString())).toEqual({
      region: "eu",
    });
    expect(r.stdout).toContain(`> POST ${s.url}`);
    expect(r.stdout).toContain("> Authorization: Basic [redacted]");
    expect(r.stdout).toContain("< HTTP 200");
    expect(r.stdout).toContain('-u "$API_KEY:"');
    expect(r.stdout).not.toContain("c2VnbWVudDo=");
  });

  it("a fixture wrapper is accepted and graded by its expect; exit 1 when the answer is not 2xx; JSON gives the case with its exchange", async () => {
    const s = await serve(goodEndpoint);
    const dir = folder({
      "screen.json": JSON.stringify({ message: { ...track, type: "screen", name: "Home" }, expect: "unsupported" }),
    });
    const r = await cli(["send", "screen.json", "--url", s.url, "--api-key", "segment", "--format", "json"], dir);
    expect(r.code).toBe(1);
    const c = JSON.parse(r.stdout);
    expect(c).toMatchObject({ name: "screen.json", type: "screen", status: "unsupported", httpStatus: 501 });
    expect(c.exchange.response).toMatchObject({ status: 501, body: '{"message":"screen not supported"}' });
    expect(JSON.parse(c.exchange.request.body).type).toBe("screen");
  });

  it("a red answer and an endpoint that is down: exit 1, said plainly", async () => {
    const s = await serve((_req, res) => json(res, 500, { message: "database down" }));
    const dir = folder({ "event.json": JSON.stringify(track) });
    const red = await cli(["send", "event.json", "--url", s.url, "--api-key", "segment"], dir);
    expect(red.code).toBe(1);
    expect(red.stdout).toContain("✗ FAIL");
    expect(red.stdout).toContain("HTTP 500: database down");
    const port = await freePort();
    const down = await cli(
      ["send", "event.json", "--url", `http://127.0.0.1:${port}/segment`, "--api-key", "segment"],
      dir,
    );
    expect(down.code).toBe(1);
    expect(down.stdout).toContain(`Nothing is listening at 127.0.0.1:${port} (connection refused).`);
    expect(down.stdout).toContain("< (no HTTP answer)");
  });

  it("a bad file: located errors, nothing sent", async () => {
    const s = await serve(goodEndpoint);
    const dir = folder({
      "broken.json": '{\n  "type": "track",\n  "event": "Signed Up",\n}\n',
      "two.json": JSON.stringify([track, track]),
      "wrapper.json": JSON.stringify({ message: track, expect: "green" }, null, 2),
    });
    const broken = await cli(["send", "broken.json", "--url", s.url, "--api-key", "k"], dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^broken\.json\n {2}4:1 +error +broken\.json is not valid JSON at line 4, column 1/);
    expect(broken.stderr).toContain("nothing was sent");
    const two = await cli(["send", "two.json", "--url", s.url, "--api-key", "k"], dir);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain("two.json holds 2 messages; send delivers one");
    const wrapper = await cli(["send", "wrapper.json", "--url", s.url, "--api-key", "k"], dir);
    expect(wrapper.code).toBe(1);
    const expectLine =
      JSON.stringify({ message: track, expect: "green" }, null, 2)
        .split("\n")
        .findIndex((l) => l.includes('"expect"')) + 1;
    expect(wrapper.stderr).toMatch(new RegExp(`^wrapper\\.json\\n {2}${expectLine}:13 +error`));
    expect(wrapper.stderr).toContain('`expect` is "green"');
    expect(s.received).toHaveLength(0);
    const missing = await cli(["send", "nope.json", "--url", s.url, "--api-key", "k"], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope.json does not exist");
  });

  it("usage: --url and --api-key required, --help, listed in the commands, did-you-mean", async () => {
    const dir = folder({ "event.json": JSON.stringify(track) });
    const noUrl = await cli(["send", "event.json", "--api-key", "k"], dir);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain("--url URL is required");
    const noKey = await cli(["send", "event.json", "--url", "http://127.0.0.1:9/x"], dir);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("--api-key KEY is required");
    const help = await cli(["send", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: devcenter send <event.json> --url URL --api-key KEY");
    expect(help.stdout).toContain("fixture wrapper { message, expect }");
    expect((await cli(["--help"])).stdout).toContain("send <event.json> --url URL --api-key KEY");
    expect((await cli(["sned"])).stderr).toContain("Did you mean `send`?");
  });
});
