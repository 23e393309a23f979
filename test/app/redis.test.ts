// REDIS_URL: replicas coordinate through Redis (a lock per pull request with a lease, a dedupe key
// per delivery): two App instances sharing one real redis-server and one fake GitHub (the only
// mock: GitHub's API) get every delivery, in random interleavings, and never duplicate.
// Probot reads it from the environment (createProbot reads it as `probot run` does) and
// keeps its request limiter in Redis (Bottleneck clustering), which is what every replica pointed
// at the same Redis shares. Two App instances built from that environment handle an event each
// against a real redis-server on 127.0.0.1, and the limiter's cluster state is in that Redis. (One
// process holds one limiter group, so both register as one client here; separate processes each
// register their own.) Skipped when no redis-server is installed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import nock from "nock";
import { createProbot, Probot, ProbotOctokit } from "probot";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_NAMES, MARKERS } from "../../src/core/vocabulary.js";
import { createApp } from "../../src/app/index.js";
import type { PipelineResult } from "../../src/app/pipeline.js";
import { RedisReplicas } from "../../src/app/replicas.js";
import { FakeGitHub } from "./fake-github.js";
import {
  OWNER,
  PARTNER,
  REPO,
  commentEvent,
  integrationFiles,
  prEventNow,
  stubReview,
  testConfig,
  testOctokit,
  world,
} from "./harness.js";

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
  server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
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
    const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
      ...o,
      retry: { enabled: false },
    })) as typeof ProbotOctokit;
    const replica = async () => {
      const probot = createProbot({
        env: { REDIS_URL: url, LOG_LEVEL: "fatal" },
        overrides: { githubToken: "test", Octokit, request: { fetch: fake.fetch } },
      });
      await probot.load(
        createApp({
          config: testConfig(),
          review: stubReview,
          clock: () => new Date(fake.now),
          onResult: (r) => results.push(r),
        }),
      );
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

/** A seeded generator, so a failing interleaving can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha = (s: string) => createHash("sha1").update(s).digest("hex");
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const PULLS = Array.from({ length: 10 }, (_, i) => 11 + i);
const HEADS = 10;

/** Ten pull requests in the fixture repository, each with ten heads (same files) to push. */
function replicaWorld() {
  const spec = world();
  const repo = spec.repos[0]!;
  const files = integrationFiles();
  const template = repo.pulls![0]!;
  repo.pulls = PULLS.map((number) => ({ ...template, number, head: sha(`${number}/0`), labels: [] }));
  for (const number of PULLS) for (let k = 0; k < HEADS; k++) repo.commits[sha(`${number}/${k}`)] = files;
  return new FakeGitHub(spec);
}

interface Replica {
  probot: Probot;
  replicas: RedisReplicas;
  results: PipelineResult[];
}

async function replica(fake: FakeGitHub, options: { leaseMs?: number } = {}): Promise<Replica> {
  const results: PipelineResult[] = [];
  const replicas = new RedisReplicas(new Redis(url), { pollMs: 5, ...options });
  const probot = new Probot({
    githubToken: "test",
    logLevel: "fatal",
    Octokit: testOctokit(),
    request: { fetch: fake.fetch },
  });
  await probot.load(
    createApp({
      config: testConfig(),
      review: stubReview,
      replicas,
      clock: () => new Date(fake.now),
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, sleep: async () => {} },
      onResult: (r) => results.push(r),
    }),
  );
  return { probot, replicas, results };
}

describe.skipIf(!hasRedis && !process.env.CI)("replicas sharing REDIS_URL", () => {
  it("never leave a second checklist comment or check run, whatever the interleaving", async () => {
    const fake = replicaWorld();
    const next = random(13);
    // GitHub answers after a random moment, so the two replicas' requests interleave.
    fake.beforeRequest = () => sleep(next() * 4);
    const [a, b] = [await replica(fake), await replica(fake)];
    try {
      const sent: { id: string; name: string; payload: Record<string, any> }[] = [];
      const deliveries: Promise<unknown>[] = [];
      const head = new Map(PULLS.map((n) => [n, 0]));
      let comment = 50_000;
      for (let i = 0; i < 100; i++) {
        const number = PULLS[Math.floor(next() * PULLS.length)]!;
        const mine = sent.filter((d) => d.payload.number === number || d.payload.issue?.number === number);
        const roll = next();
        let delivery: (typeof sent)[number];
        if (mine.length === 0)
          delivery = {
            id: `d${i}`,
            name: "pull_request",
            payload: prEventNow(fake, "opened", { number, sender: PARTNER }),
          };
        else if (roll < 0.25)
          delivery = mine[Math.floor(next() * mine.length)]!; // GitHub redelivers: same id, same payload
        else if (roll < 0.55 && head.get(number)! < HEADS - 1) {
          head.set(number, head.get(number)! + 1);
          fake.tick(60_000);
          fake.pull(OWNER, REPO, number).head = sha(`${number}/${head.get(number)}`);
          delivery = {
            id: `d${i}`,
            name: "pull_request",
            payload: prEventNow(fake, "synchronize", { number, sender: PARTNER }),
          };
        } else if (roll < 0.75)
          delivery = {
            id: `d${i}`,
            name: "pull_request",
            payload: prEventNow(fake, "edited", { number, sender: PARTNER }),
          };
        else {
          const id = comment++;
          fake.addComment(OWNER, REPO, { id, issue: number, user: PARTNER, body: "any news?", created_at: fake.now });
          const payload = commentEvent("created", { id, body: "any news?", sender: PARTNER, at: fake.now });
          payload.issue.number = number;
          delivery = { id: `d${i}`, name: "issue_comment", payload };
        }
        sent.push(delivery);
        // Both replicas get it, each after its own random delay.
        for (const r of [a, b])
          deliveries.push(
            sleep(next() * 30).then(() =>
              r.probot.receive({
                id: delivery.id,
                name: delivery.name,
                payload: structuredClone(delivery.payload),
              } as never),
            ),
          );
        await sleep(next() * 3);
      }
      await Promise.all(deliveries);

      for (const number of PULLS) {
        const checklists = fake.commentsOn(OWNER, REPO, number).filter((c) => c.body.includes(MARKERS.checklist));
        expect(checklists, `checklist comments on #${number}`).toHaveLength(1);
        for (let k = 0; k < HEADS; k++)
          expect(
            fake.runsOn(sha(`${number}/${k}`), CHECK_NAMES.review).length,
            `check runs on #${number}'s head ${k}`,
          ).toBeLessThanOrEqual(1);
        expect(
          fake.runsOn(sha(`${number}/${head.get(number)}`), CHECK_NAMES.review),
          `check run on #${number}'s last head`,
        ).toHaveLength(1);
      }
      // Each delivery was handled once for its pull request: the second replica (or a redelivery) skipped it.
      const handled = [...a.results, ...b.results];
      expect(handled.length).toBe(new Set(sent.map((d) => d.id)).size);
      expect(a.results.length).toBeGreaterThan(0);
      expect(b.results.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.replicas.close(), b.replicas.close()]);
    }
  });

  it("a replica killed while holding a pull request's lock blocks the others for one lease at most", async () => {
    const fake = replicaWorld();
    const number = PULLS[0]!;
    const key = `${OWNER}/${REPO}#${number}`.toLowerCase();
    // The replica that dies: it takes the lock, starts work that never ends, and loses its connection.
    const doomedRedis = new Redis(url);
    const doomed = new RedisReplicas(doomedRedis, { leaseMs: 1000, maxHoldMs: 2000 });
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    void doomed.hold(key, () => {
      holding();
      return new Promise(() => {});
    });
    await held;
    doomedRedis.disconnect();

    const survivor = await replica(fake);
    const redis = new Redis(url);
    try {
      let done = false;
      const delivery = survivor.probot
        .receive({
          id: "after-the-crash",
          name: "pull_request",
          payload: prEventNow(fake, "opened", { number, sender: PARTNER }),
        } as never)
        .then(() => (done = true));
      // While the dead replica's lease runs, the survivor waits and writes nothing.
      expect(await redis.pttl(`devcenter:lock:${key}`)).toBeGreaterThan(0);
      expect(done).toBe(false);
      expect(fake.writes()).toEqual([]);
      // Then it goes ahead on its own.
      await delivery;
      expect(await redis.exists(`devcenter:lock:${key}`)).toBe(0);
      expect(survivor.results).toHaveLength(1);
      expect(fake.commentsOn(OWNER, REPO, number).filter((c) => c.body.includes(MARKERS.checklist))).toHaveLength(1);
      expect(fake.runsOn(sha(`${number}/0`), CHECK_NAMES.review)).toHaveLength(1);
    } finally {
      await Promise.all([survivor.replicas.close(), redis.quit()]);
    }
  });
});
