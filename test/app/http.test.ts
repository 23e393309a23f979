// The full HTTP path: a real server on 127.0.0.1 running Probot's createNodeMiddleware, a webhook
// delivery signed with the secret (handled, the check run and comment written) and one with a bad
// signature (refused, nothing read or written).
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { Probot, createNodeMiddleware } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app/index.js";
import type { PipelineResult } from "../../src/app/pipeline.js";
import { FakeGitHub } from "./fake-github.js";
import { OWNER, PR, REPO, prEventNow, stubReview, testConfig, testOctokit, world } from "./harness.js";

const SECRET = "a-real-webhook-secret";

let server: Server | undefined;
beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function start(fake: FakeGitHub, results: PipelineResult[]): Promise<string> {
  const probot = new Probot({ githubToken: "test", secret: SECRET, logLevel: "fatal", Octokit: testOctokit() });
  const app = createApp({
    config: testConfig(),
    review: stubReview,
    clock: () => new Date(fake.now),
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, sleep: async () => {} },
    onResult: (r) => results.push(r),
  });
  const middleware = await createNodeMiddleware(app, { probot, webhooksPath: "/api/github/webhooks" });
  server = createServer((req, res) => {
    void middleware(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api/github/webhooks`;
}

function post(url: string, body: string, signature: string) {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": "11111111-2222-3333-4444-555555555555",
      "x-hub-signature-256": signature,
    },
    body,
  });
}

describe("webhook over HTTP", () => {
  it("handles a correctly signed delivery end to end", async () => {
    const fake = new FakeGitHub(world());
    fake.intercept();
    const results: PipelineResult[] = [];
    const url = await start(fake, results);
    const body = JSON.stringify(prEventNow(fake, "opened"));
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const res = await post(url, body, signature);
    expect(res.status).toBe(200);
    // Probot answers once handlers settle; the pipeline has run.
    expect(results).toHaveLength(1);
    expect(fake.runsOn(fake.pull(OWNER, REPO, PR).head, "devcenter")).toHaveLength(1);
    expect(
      fake.commentsOn(OWNER, REPO, PR).filter((c) => c.body.includes("<!-- devcenter:checklist -->")),
    ).toHaveLength(1);
  });

  it("refuses a bad signature and touches nothing", async () => {
    const fake = new FakeGitHub(world());
    fake.intercept();
    const results: PipelineResult[] = [];
    const url = await start(fake, results);
    const body = JSON.stringify(prEventNow(fake, "opened"));
    const forged = `sha256=${createHmac("sha256", "development").update(body).digest("hex")}`;
    const res = await post(url, body, forged);
    expect(res.status).toBe(400);
    expect(results).toHaveLength(0);
    expect(fake.log).toEqual([]);
  });
});
