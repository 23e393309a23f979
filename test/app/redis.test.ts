// REDIS_URL: Probot reads it from the environment (createProbot reads it as `probot run` does) and
// keeps its request limiter in Redis (Bottleneck clustering), which is what every replica pointed
// at the same Redis shares. Two App instances built from that environment handle an event each
// against a real redis-server on 127.0.0.1, and the limiter's cluster state is in that Redis. (One
// process holds one limiter group, so both register as one client here; separate processes each
// register their own.) Skipped when no redis-server is installed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import nock from "nock";
import { createProbot, ProbotOctokit } from "probot";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app/index.js";
import type { PipelineResult } from "../../src/app/pipeline.js";
import { FakeGitHub } from "./fake-github.js";
import { prEventNow, stubReview, testConfig, world } from "./harness.js";

const hasRedis = spawnSync("redis-server", ["--version"]).status === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let server: ChildProcess | undefined;
let url = "";

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  if (!hasRedis) return;
  const port = await freePort();
  server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on("error", () => {});
    try {
      await probe.connect();
      await probe.quit();
      break;
    } catch (error) {
      probe.disconnect();
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
});

afterAll(() => {
  server?.kill();
  nock.cleanAll();
  nock.enableNetConnect();
});

// On CI (.ci/run installs redis-server) a missing server fails the test instead of skipping it.
describe.skipIf(!hasRedis && !process.env.CI)("REDIS_URL", () => {
  it("keeps Probot's request limiter in the Redis that REDIS_URL names", async () => {
    const fake = new FakeGitHub(world({ files: { "README.md": "# not an integration\n" } }));
    const results: PipelineResult[] = [];
    // Throttling on (it is what REDIS_URL clusters); retries off.
    const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false } })) as typeof ProbotOctokit;
    const replica = async () => {
      const probot = createProbot({ env: { REDIS_URL: url, LOG_LEVEL: "fatal" }, overrides: { githubToken: "test", Octokit, request: { fetch: fake.fetch } } });
      await probot.load(createApp({ config: testConfig(), review: stubReview, clock: () => new Date(fake.now), onResult: (r) => results.push(r) }));
      return probot;
    };
    const [a, b] = [await replica(), await replica()];
    await a.receive({ id: "r1", name: "pull_request", payload: prEventNow(fake, "opened") } as never);
    await b.receive({ id: "r2", name: "pull_request", payload: prEventNow(fake, "synchronize") } as never);
    expect(results).toHaveLength(2);
    expect(fake.log.length).toBeGreaterThanOrEqual(2);

    const redis = new Redis(url);
    const keys = (await redis.keys("b_*")).sort();
    // Bottleneck's cluster state for Octokit's global limiter, with this process registered as a client.
    expect(keys).toContain("b_octokit-global-no-id_settings");
    const clients = await redis.zcard("b_octokit-global-no-id_client_last_registered");
    await redis.quit();
    expect(clients).toBeGreaterThanOrEqual(1);
  });
});
