// The GitHub App with the API mocked (an in-memory GitHub behind Octokit's `fetch`). Per event type:
// API calls (reads, writes) and round trips on the critical path — the mocked API answers every
// call after a fixed delay, so wall time ÷ delay counts the calls made one after another — next to
// issue 13's goals. Then handling time per event and heap after 10,000 events over 50 pull
// requests (no delay). Run: `npm run bench -- app`.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { CHECK_NAMES } from "../src/core/vocabulary.js";
import { review } from "../src/review.js";
import { FakeGitHub, isRead, type LoggedRequest } from "../test/app/fake-github.js";
import {
  HEAD2,
  OWNER,
  PARTNER,
  PR,
  REPO,
  REVIEWER,
  addReplayRun,
  checkRunEvent,
  commentEvent,
  exampleFiles,
  harness,
  prEventNow,
  tickItem,
  world,
} from "../test/app/harness.js";
import { fmt, table } from "./measure.js";

async function setup(files?: Record<string, string>, pullRequests = 1) {
  const spec = world(files ? { files } : {});
  // More open pull requests on the repository (numbers after PR), for the memory run.
  const first = spec.repos[0]!.pulls![0]!;
  for (let i = 1; i < pullRequests; i++)
    spec.repos[0]!.pulls!.push({ ...first, number: PR + i, labels: [...(first.labels ?? [])] });
  const fake = new FakeGitHub(spec);
  const { handle, receive } = await harness(fake, { review, fetch: true, attempts: 1, keepResults: false });
  return { fake, handle, receive };
}

type Bench = Awaited<ReturnType<typeof setup>>;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const count = (log: LoggedRequest[]) => ({
  reads: log.filter(isRead).length,
  writes: log.filter((r) => !isRead(r)).length,
});

/** Each mocked API call answers after this long: wall time ÷ DELAY_MS = round trips one after another. */
const DELAY_MS = 100;

/** Open pull requests in the steady-state runs. */
const PULL_REQUESTS = 50;

// Goals judged on the round trips counted on the critical path (machine-independent); wall ÷ delay,
// printed beside them, adds the review's own CPU time (large on a busy machine).
const GOALS: Record<
  string,
  { text: string; met: (r: { rt: number; firstCheckRt?: number; reads: number; writes: number }) => boolean }
> = {
  opened: {
    text: "first check run ≤ 4 RT; ≤ 6 RT, ≤ 10 calls",
    met: (r) => (r.firstCheckRt ?? Infinity) <= 4 && r.rt <= 6 && r.reads + r.writes <= 10,
  },
  redelivery: { text: "0 writes, ≤ 4 reads", met: (r) => r.writes === 0 && r.reads <= 4 },
  push: { text: "≤ 4 calls", met: (r) => r.reads + r.writes <= 4 },
};

/** Runs `fn` with every API call answered after DELAY_MS and adds its row: calls, round trips, goal. */
async function measure(
  rows: (string | number)[][],
  label: string,
  fake: FakeGitHub,
  fn: () => Promise<void>,
  goal?: keyof typeof GOALS,
): Promise<void> {
  fake.clearLog();
  // A call's depth: 1 + the deepest call answered before it was made. The deepest is the number
  // of round trips one after another (the critical path).
  let answered = 0;
  let firstCheck: { depth: number; at: number } | undefined;
  fake.beforeRequest = async (method, path) => {
    const depth = answered + 1;
    await sleep(DELAY_MS);
    answered = Math.max(answered, depth);
    if (firstCheck === undefined && method === "POST" && path.endsWith("/check-runs"))
      firstCheck = { depth, at: performance.now() };
  };
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  fake.beforeRequest = undefined;
  const { reads, writes } = count(fake.log);
  const rt = answered;
  const g = goal ? GOALS[goal] : undefined;
  const met = g?.met({ rt, reads, writes, ...(firstCheck ? { firstCheckRt: firstCheck.depth } : {}) });
  rows.push([
    label,
    reads,
    writes,
    reads + writes,
    rt,
    fmt(ms / DELAY_MS, 1),
    firstCheck ? `${firstCheck.depth} (${fmt((firstCheck.at - t0) / DELAY_MS, 1)})` : "—",
    g ? `${g.text}: ${met ? "met" : "**not met**"}` : "",
  ]);
}

/** Calls and round trips per event type, one pull request through its life. */
async function callsPerEvent(files: Record<string, string>): Promise<void> {
  const rows: (string | number)[][] = [];
  // The engine warmed up first (one review), as in a running server: the first review in a
  // process also compiles the schema and loads the engine.
  {
    const warm = await setup(files);
    await warm.receive("pull_request", prEventNow(warm.fake, "opened"));
  }
  {
    const { fake, receive } = await setup(files);
    const green = { summary: { pass: 8, unsupported: 0, fail: 0 }, cases: [] };
    await measure(
      rows,
      "pull_request.opened (first review)",
      fake,
      () => receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER })),
      "opened",
    );
    const opened = prEventNow(fake, "opened", { sender: PARTNER });
    await measure(rows, "redelivery, nothing changed", fake, () => receive("pull_request", opened), "redelivery");
    fake.tick(3_600_000);
    fake.pull(OWNER, REPO, PR).head = HEAD2;
    await measure(
      rows,
      "pull_request.synchronize, nothing visible changes",
      fake,
      () => receive("pull_request", prEventNow(fake, "synchronize")),
      "push",
    );
    await measure(rows, "pull_request.edited (title)", fake, () => receive("pull_request", prEventNow(fake, "edited")));
    fake.addComment(OWNER, REPO, { issue: PR, user: PARTNER, body: "any news?", created_at: fake.now });
    await measure(rows, "issue_comment.created (plain)", fake, () =>
      receive(
        "issue_comment",
        commentEvent("created", { id: 99_001, body: "any news?", sender: PARTNER, at: fake.now }),
      ),
    );
    await measure(rows, "issue_comment.created `/devcenter help`", fake, () =>
      receive(
        "issue_comment",
        commentEvent("created", { id: 99_002, body: "/devcenter help", sender: PARTNER, at: fake.now }),
      ),
    );
    const t = tickItem(fake);
    await measure(rows, "issue_comment.edited (reviewer tick)", fake, () =>
      receive(
        "issue_comment",
        commentEvent("edited", { id: t.id, body: t.body, from: t.from, sender: REVIEWER, at: fake.now }),
      ),
    );
    addReplayRun(fake, green, { head_sha: HEAD2 });
    await measure(rows, "check_run.completed (`devcenter replay` arrives)", fake, () =>
      receive("check_run", checkRunEvent("completed", { name: CHECK_NAMES.replay, head: HEAD2 })),
    );
    const review = {
      ...prEventNow(fake, "synchronize"),
      action: "submitted",
      review: { id: 1, user: { login: "rita", type: "User" }, state: "commented" },
    };
    await measure(rows, "pull_request_review.submitted", fake, () => receive("pull_request_review", review));
    await measure(rows, "check_run.rerequested (re-run)", fake, () =>
      receive("check_run", checkRunEvent("rerequested", { name: CHECK_NAMES.review, head: HEAD2 })),
    );
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", PARTNER);
    await measure(rows, "pull_request.labeled by a non-reviewer", fake, () =>
      receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: PARTNER })),
    );
    fake.tick(60_000);
    fake.label(OWNER, REPO, PR, "stage: public-beta", REVIEWER);
    await measure(rows, "pull_request.labeled by a reviewer, gates unmet (removed, explained)", fake, () =>
      receive("pull_request", prEventNow(fake, "labeled", { label: "stage: public-beta", sender: REVIEWER })),
    );
  }
  {
    const { fake, receive } = await setup({ "README.md": "# not an integration\n" });
    await measure(rows, "pull_request.opened, repository without integration.yml", fake, () =>
      receive("pull_request", prEventNow(fake, "opened")),
    );
  }
  console.log(
    `### GitHub API calls and round trips per event (API mocked, each call answered after ${DELAY_MS} ms; warm blob cache after the first event)\n`,
  );
  console.log(
    "RT: round trips on the critical path (calls made one after another, counted); wall ÷ delay: the same plus the App's own CPU time; first check run: the round trip that writes it (wall ÷ delay when it was answered).\n",
  );
  table(["event", "reads", "writes", "calls", "RT", "wall ÷ delay", "first check run (RT)", "goal (issue 13)"], rows);
}

/** Handling time per event, steady state; the two events timed, for the memory run. */
async function handlingTime(s: Bench) {
  const { fake, receive } = s;
  await receive("pull_request", prEventNow(fake, "opened"));
  const sync = prEventNow(fake, "synchronize");
  const timeN = async (n: number, fn: () => Promise<void>) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return (performance.now() - t0) / n;
  };
  await timeN(50, () => receive("pull_request", sync));
  const msRedelivery = await timeN(300, () => receive("pull_request", sync));
  const comment = commentEvent("created", { id: 5, body: "hello", sender: PARTNER, at: fake.now });
  const msComment = await timeN(300, () => receive("issue_comment", comment));
  console.log("\n### Handling time per event (API mocked, real review engine on examples/webhook)\n");
  table(
    ["event", "ms/event"],
    [
      ["pull_request.synchronize redelivered (no writes)", fmt(msRedelivery, 2)],
      ["issue_comment.created (no writes)", fmt(msComment, 2)],
    ],
  );
  return { sync, comment };
}

/** Heap after 1,000 and 10,000 events spread over PULL_REQUESTS pull requests. */
async function memory(s: Bench, sync: Record<string, any>, comment: Record<string, any>): Promise<void> {
  const { fake, receive, handle } = s;
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed / (1024 * 1024);
  };
  // Spread over PULL_REQUESTS pull requests (each gets its comment and check run on first sight),
  // alternating a redelivered push and a plain comment.
  const payloads = Array.from({ length: PULL_REQUESTS }, (_, k) => {
    const push = structuredClone(sync);
    push.number = PR + k;
    push.pull_request.number = PR + k;
    const said = structuredClone(comment);
    said.issue.number = PR + k;
    return { push, said };
  });
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const p = payloads[Math.floor(i / 2) % PULL_REQUESTS]!;
      await (i % 2 === 0 ? receive("pull_request", p.push) : receive("issue_comment", p.said));
      if (i % 500 === 0) fake.clearLog();
    }
    fake.clearLog();
  };
  await run(1_000);
  const after1k = heap();
  const t0 = performance.now();
  await run(9_000);
  const seconds = (performance.now() - t0) / 1000;
  const after10k = heap();
  console.log("\n### Memory (heap after GC)\n");
  table(
    ["after", "heap MiB", "note"],
    [
      ["1,000 events", fmt(after1k, 1), ""],
      [
        "10,000 events",
        fmt(after10k, 1),
        `${fmt(after10k - after1k, 1)} MiB growth over 9,000 events across ${PULL_REQUESTS} pull requests (${fmt(9000 / seconds, 0)} events/s); queue keys left: ${handle.queue.size}; blob cache entries: ${handle.blobs.size}`,
      ],
    ],
  );
}

export default async function bench(): Promise<void> {
  const files = exampleFiles("webhook", new URL("../examples/", import.meta.url));
  await callsPerEvent(files);
  const s = await setup(files, PULL_REQUESTS);
  const { sync, comment } = await handlingTime(s);
  await memory(s, sync, comment);
}
