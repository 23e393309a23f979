// Fixture-driven: each test/fixtures/stream/invalid/stream/<rule>/*.json describes one request; it
// is sent over real HTTP to a real sink on 127.0.0.1, which must refuse it, or flag the message it
// carries, with stream/<rule>.
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startSink, type Sink } from "../../src/replay/sink.js";

const root = fileURLToPath(new URL("../fixtures/stream/invalid/stream/", import.meta.url));

interface Case {
  about: string;
  /** The app's slug the sink expects in `context.integration.name`. */
  slug?: string;
  request: {
    method?: string;
    path: string;
    /** Basic auth user name; the sink's own key when left out. */
    writeKey?: string;
    headers?: Record<string, string>;
    body?: unknown;
    /** A raw body instead of `body`. */
    bodyText?: string;
    /** Adds a `padding` string of this many bytes to the object at `pointer`. */
    pad?: { pointer: string; bytes: number };
    /** Repeats the first item of the array at `pointer` until it holds `times` items. */
    copies?: { pointer: string; times: number };
  };
}

const at = (value: unknown, pointer: string): unknown =>
  pointer
    .split("/")
    .slice(1)
    .reduce((v, k) => (v as Record<string, unknown>)[k], value);

function bodyOf(r: Case["request"]): string | undefined {
  if (r.bodyText !== undefined) return r.bodyText;
  if (r.body === undefined) return undefined;
  const body = structuredClone(r.body);
  if (r.pad) (at(body, r.pad.pointer) as Record<string, unknown>).padding = "x".repeat(r.pad.bytes);
  if (r.copies) {
    const list = at(body, r.copies.pointer) as unknown[];
    while (list.length < r.copies.times) list.push(list[0]);
  }
  return JSON.stringify(body);
}

function send(sink: Sink, r: Case["request"]): Promise<number> {
  const key = r.writeKey ?? sink.writeKey;
  const headers = {
    "content-type": "application/json",
    authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}`,
    ...r.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(`${sink.url}${r.path}`, { method: r.method ?? "POST", headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(bodyOf(r));
  });
}

const sinks: Sink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

describe("invalid stream requests", () => {
  for (const rule of readdirSync(root).sort()) {
    for (const file of readdirSync(root + rule).sort()) {
      it(`${rule}/${file} gives stream/${rule}`, async () => {
        const c = JSON.parse(readFileSync(`${root}${rule}/${file}`, "utf8")) as Case;
        const sink = await startSink({ writeKey: "wk-test", ...(c.slug ? { slug: c.slug } : {}) });
        sinks.push(sink);
        await send(sink, c.request);
        const found = [
          ...sink.rejections().map((r) => r.ruleId),
          ...sink.messages().flatMap((m) => m.findings.map((f) => f.ruleId)),
        ];
        expect(found, c.about).toContain(`stream/${rule}`);
      });
    }
  }
});
