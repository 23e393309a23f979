// The README's fixture, delivery and probe reference (issue 14 part 3) says what the code does:
// the headers, the X-Segment-Settings example, the delete message and the probes' names and key.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { testSuite } from "../../src/replay/test-suite.js";
import { MALFORMED_BODY, replayWebhook, webhookHeaders, WRONG_API_KEY } from "../../src/replay/webhook.js";
import { FIXTURE_EXPECTS } from "../../src/spec/fixtures.js";
import { goodEndpoint, startServer } from "./helpers.js";

const readme = readFileSync("README.md", "utf8");
const section = readme.slice(readme.indexOf("### Fixtures, deliveries and probes"), readme.indexOf("## Checklist"));

describe("README: fixtures, deliveries and probes", () => {
  it("lists every header a delivery carries, and its X-Segment-Settings example is what replay sends", () => {
    const headers = webhookHeaders("k", { region: "eu" }, 10);
    for (const name of Object.keys(headers)) expect(section).toContain(`\`${name}\``);
    expect(section).toContain(`\`{"region":"eu"}\` is sent as \`${headers["X-Segment-Settings"]}\``);
    expect(section).toContain(`\`${headers["User-Agent"]}\``);
  });

  it("shows the Test Suite's delete message as replay sends it", () => {
    const json = /\*\*A `delete` message\*\*[\s\S]*?```json\n([\s\S]*?)```/.exec(section)![1]!;
    expect(JSON.parse(json)).toEqual(testSuite().find((c) => c.type === "delete")!.message);
  });

  it("names the wrapper's expect values and every probe replay runs, with the wrong key and the malformed body it sends", async () => {
    for (const e of FIXTURE_EXPECTS) expect(section).toContain(`\`${e}\``);
    expect(section).toContain(`\`${WRONG_API_KEY}\``);
    expect(MALFORMED_BODY.startsWith('{"type":"track",')).toBe(true);
    expect(MALFORMED_BODY.endsWith('"properties":{"plan":')).toBe(true);
    const s = await startServer(goodEndpoint);
    try {
      const cases = await replayWebhook({ url: s.url, apiKey: "segment", settings: {} }, testSuite().slice(0, 1), {
        timeoutMs: 2000,
      });
      const probes = cases.filter((c) => c.group === "probe").map((c) => c.name.replace("Probe — ", ""));
      expect(probes).toHaveLength(4);
      for (const p of probes) expect(section).toContain(`| ${p} |`);
    } finally {
      await s.close();
    }
  });
});
