import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { StreamComponent } from "../../src/manifest/types.js";
import { replayStream } from "../../src/replay/stream.js";
import type { ReplayCase } from "../../src/replay/types.js";

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/stream/${name}/`, import.meta.url));
const component = (emits: StreamComponent["emits"], start = "node stream.mjs"): StreamComponent => ({
  type: "stream",
  start,
  emits,
});
const byName = (cases: ReplayCase[], name: string): ReplayCase | undefined => cases.find((c) => c.name === name);

describe("replayStream", () => {
  it("runs a program using @segment/analytics-node unchanged and grades each message", async () => {
    const progress: ReplayCase[] = [];
    const cases = await replayStream(component(["identify", "track"]), fixture("sdk"), {
      baseEnv: process.env,
      slug: "acme-analytics",
      onProgress: (c) => progress.push(c),
    });
    expect(progress).toEqual(cases);
    const messages = cases.filter((c) => c.type !== "probe");
    expect(messages.map((c) => c.name)).toEqual([
      '#1 identify "user-42"',
      '#2 track "Report Exported"',
      '#3 track "Dashboard Viewed"',
    ]);
    for (const c of messages) {
      expect(c, c.message).toMatchObject({ status: "pass", httpStatus: 200, group: "stream", component: "stream" });
    }
    const program = byName(cases, "stream program exits")!;
    expect(program.status).toBe("pass");
    expect(program.message).toMatch(/^`node stream.mjs` exited with code 0 after .*; 3 messages received\.$/);
    expect(cases.filter((c) => c.status === "fail")).toEqual([]);
  });

  it("fails a program that sends nothing", async () => {
    const cases = await replayStream(component(["track"]), fixture("silent"), {
      baseEnv: process.env,
      slug: "acme-analytics",
    });
    expect(cases.map((c) => [c.name, c.status])).toEqual([
      ["stream program exits", "pass"],
      ["stream sends messages", "fail"],
    ]);
    expect(byName(cases, "stream sends messages")!.message).toContain("DEVCENTER_ENDPOINT");
  });

  it("stops a program that never exits, says so, and still grades what it sent", async () => {
    const cases = await replayStream(component(["track"]), fixture("hang"), {
      baseEnv: process.env,
      slug: "acme-analytics",
      timeoutMs: 1_500,
      graceMs: 300,
    });
    const program = byName(cases, "stream program exits")!;
    expect(program.status).toBe("fail");
    expect(program.message).toContain("did not exit within 1.5 s, so replay stopped it");
    expect(program.message).toContain("ignored SIGTERM and was killed with SIGKILL");
    expect(program.message).toContain("polling…");
    expect(cases.find((c) => c.type === "track")).toMatchObject({ name: '#1 track "Sync Started"', status: "pass" });
  });

  it("reports Spec errors, a missing integration name, undeclared calls, a wrong key and the exit code", async () => {
    const cases = await replayStream(component(["track", "identify"]), fixture("bad"), {
      baseEnv: process.env,
      slug: "acme-analytics",
    });
    const purchase = cases.find((c) => c.name === '#1 track "purchase"')!;
    expect(purchase.status).toBe("fail");
    expect(purchase.message).toMatch(/more findings?\)$/);
    expect(byName(cases, "emits declares group")).toMatchObject({
      status: "fail",
      message:
        "The stream sent 1 group call, but the manifest's `emits` lists only track, identify; add group to `emits` (and to the docs) or stop sending it.",
    });
    expect(byName(cases, "write key")).toMatchObject({ status: "fail", httpStatus: 401 });
    const program = byName(cases, "stream program exits")!;
    expect(program.status).toBe("fail");
    expect(program.message).toContain("exited with code 2; 2 messages received; last lines of its output:");
    expect(program.message).toContain("ACME_API_TOKEN is not set");
  });

  it("checks the integration name on every message", async () => {
    const cases = await replayStream(component(["track", "identify"]), fixture("sdk"), {
      baseEnv: process.env,
      slug: "other-app",
    });
    const failed = cases.filter((c) => c.status === "fail");
    expect(failed).toHaveLength(3);
    expect(failed[0]!.message).toBe(
      'context.integration.name is "acme-analytics"; it must be the app\'s slug, "other-app". (at /context/integration/name)',
    );
  });

  it("reports batches over the limits as refused requests", async () => {
    const cases = await replayStream(component(["track", "identify"]), fixture("oversized"), {
      baseEnv: process.env,
      slug: "acme-analytics",
    });
    expect(byName(cases, "limits: 2,500 events per batch")).toMatchObject({
      status: "fail",
      httpStatus: 400,
      message:
        "1 request refused with HTTP 400 (stream/batch-too-many-events); the first, to /v1/batch: The batch holds 2600 events, over the limit of 2500; split it.",
    });
    expect(byName(cases, "limits: 32 KB per event")!.message).toContain('batch[0] ("Note Added") is 40 KB');
    expect(cases.filter((c) => c.type === "identify").map((c) => c.status)).toEqual(["pass"]);
  });

  it("warns when the program goes over about 50 requests a second", async () => {
    const cases = await replayStream(component(["track"]), fixture("flood"), {
      baseEnv: process.env,
      slug: "acme-analytics",
      maxMessageCases: 10,
    });
    const rate = byName(cases, "request rate")!;
    expect(rate.status).toBe("pass");
    expect(rate.message).toMatch(/^Warning: the stream peaked at \d+ requests\/s/);
    // Beyond maxMessageCases, messages are graded together.
    expect(cases.filter((c) => c.type === "track")).toHaveLength(10);
    expect(byName(cases, "140 more messages")).toMatchObject({ status: "pass" });
  });

  it("stops the program when the caller aborts, and labels cases as asked", async () => {
    const controller = new AbortController();
    const cases = await replayStream(component(["track"]), fixture("hang"), {
      baseEnv: process.env,
      slug: "acme-analytics",
      graceMs: 300,
      label: "stream#2",
      signal: controller.signal,
      onProgress: (c) => {
        if (c.type === "track") controller.abort();
      },
    });
    expect(cases.every((c) => c.component === "stream#2")).toBe(true);
    expect(byName(cases, "stream program exits")!.message).toMatch(
      /^Replay was cancelled; `node stream.mjs` was stopped after/,
    );
  });

  it("has nothing to run without a start command", async () => {
    expect(
      await replayStream({ type: "stream", emits: ["track"] }, fixture("sdk"), { baseEnv: process.env, slug: "x" }),
    ).toEqual([]);
  });
});
