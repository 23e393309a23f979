// What a handler's fetch gives back reads as Node's own fetch gives it: the same probe runs in a
// handler (in the worker, through replay's fetch) and in this process (through Node's fetch), and
// both must see the same thing. With liveFetch the request goes out through replay's own node:http
// leg (see src/replay/sandbox/live-fetch.ts), so the server must also receive the same requests.
// Real worker threads, a real server on 127.0.0.1.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FunctionRunner } from "../../src/replay/function.js";

// Reads every part of a Response a handler is likely to use.
const PROBE = `
const readAll = async (res) => ({
  status: res.status, statusText: res.statusText, ok: res.ok, url: res.url, redirected: res.redirected, type: res.type,
  headers: [...res.headers], bodyUsed: res.bodyUsed,
});
const again = async (res) => { try { await res.text(); return "read twice"; } catch (e) { return e.constructor.name + ": " + e.message; } };
export async function probe(base, closed) {
  const out = {};
  const a = await fetch(base + "/echo?x=1", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer k" }, body: JSON.stringify({ a: 1 }) });
  out.echo = { ...(await readAll(a)), json: await a.json(), used: a.bodyUsed, again: await again(a) };
  const gz = await fetch(base + "/gz");
  out.gz = { ...(await readAll(gz)), text: await gz.text() };
  const r = await fetch(base + "/redirect", { method: "POST", body: "x" });
  out.redirect = { ...(await readAll(r)), json: await r.json() };
  const manual = await fetch(new Request(base + "/redirect", { method: "POST", body: "y", redirect: "manual" }));
  out.manual = [manual.status, manual.type, manual.url, manual.redirected];
  const big = await fetch(base + "/big");
  out.big = (await big.arrayBuffer()).byteLength;
  const c = await fetch(base + "/echo?clone");
  const copy = c.clone();
  out.clone = [(await c.text()) === (await copy.text()), c.bodyUsed, copy.bodyUsed, copy.url];
  let cloneAfter;
  try { c.clone(); } catch (e) { cloneAfter = e.message; }
  out.cloneAfter = cloneAfter;
  const s = await fetch(base + "/echo?stream");
  const reader = s.body.getReader();
  let n = 0;
  for (;;) { const { done, value } = await reader.read(); if (done) break; n += value.byteLength; }
  out.stream = [n, s.bodyUsed, await again(s)];
  const b = await fetch(base + "/echo?bytes", { method: "PUT" });
  out.bytes = [(await b.blob()).type, b.bodyUsed];
  const h = await fetch(base + "/echo", { method: "HEAD" });
  out.head = [h.status, h.body, await h.text()];
  const nc = await fetch(base + "/nocontent", { method: "DELETE" });
  out.nocontent = [nc.status, nc.body, await nc.text()];
  try { await fetch(base + "/slow", { signal: AbortSignal.timeout(100) }); } catch (e) { out.aborted = [e.constructor.name, e.name, e.message]; }
  out.refused = [];
  for (const url of [closed + "/closed", base.replace(/:\\d+$/, ":1") + "/bad-port"]) {
    try { await fetch(url); } catch (e) { out.refused.push([e.constructor.name, e.message, e.cause && (e.cause.code || e.cause.message)]); }
  }
  return out;
}
export async function onTrack(event, settings) {
  const out = await probe(settings.base, settings.closed);
  await fetch(settings.base + "/report", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(out) });
  return "probed";
}
`;

let server: Server;
let base: string;
/** A port nothing listens on. */
let closed: string;
let dir: string;
/** What the server received, per path, in order. */
let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    res.sendDate = false; // both runs must see the same headers
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const path = req.url!.split("?")[0];
      if (path === "/gz") {
        const z = gzipSync("compressed ünïcode");
        res.writeHead(200, {
          "content-type": "text/plain; charset=utf-8",
          "content-encoding": "gzip",
          "content-length": z.length,
        });
        return res.end(z);
      }
      if (path === "/redirect") {
        res.writeHead(303, { location: "/echo?after-redirect" });
        return res.end();
      }
      if (path === "/big") {
        res.writeHead(200, { "content-type": "application/octet-stream" }); // chunked: no length
        for (let i = 0; i < 10; i++) res.write(Buffer.alloc(10_000, i));
        return res.end();
      }
      if (path === "/slow") {
        setTimeout(() => res.end("late"), 1000).unref();
        return;
      }
      if (path === "/nocontent") {
        res.writeHead(204);
        return res.end();
      }
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.writeHead(path === "/report" ? 200 : 201, "Made It", {
        "content-type": "application/json",
        "x-answer": "yes",
      });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
  closed = `http://127.0.0.1:${(spare.address() as AddressInfo).port}`;
  await new Promise((resolve) => spare.close(resolve));
  dir = mkdtempSync(join(tmpdir(), "devcenter-fetch-"));
  writeFileSync(join(dir, "handlers.mjs"), PROBE);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("a handler's fetch with liveFetch (benchmarks)", () => {
  it("answers as Node's fetch does, and the server receives the same requests", async () => {
    seen = [];
    const { probe } = (await import(pathToFileURL(join(dir, "handlers.mjs")).href)) as {
      probe: (base: string, closed: string) => Promise<unknown>;
    };
    const expected = await probe(base, closed);
    // Not a comparison of two empty results: Node's own answers are what the probe says.
    expect(expected).toMatchObject({
      gz: { text: "compressed ünïcode" },
      redirect: { redirected: true, url: `${base}/echo?after-redirect`, json: { method: "GET" } },
      big: 100_000,
      aborted: ["DOMException", "TimeoutError", "The operation was aborted due to timeout"],
      refused: [
        ["TypeError", "fetch failed", "ECONNREFUSED"],
        ["TypeError", "fetch failed", "bad port"],
      ],
    });
    const byNode = seen;
    seen = [];
    const runner = new FunctionRunner({ entry: join(dir, "handlers.mjs"), timeoutMs: 10_000, liveFetch: true });
    try {
      const o = await runner.run("onTrack", [{ type: "track" }, { base, closed }], { answers: null, seed: "probe" });
      expect(o).toMatchObject({ kind: "return", value: '"probed"' });
    } finally {
      await runner.close();
    }
    const report = seen.pop()!;
    expect(report.url).toBe("/report");
    expect(JSON.parse(report.body)).toEqual(expected);
    expect(seen).toEqual(byNode);
  });
});

describe("a handler's fetch answered by replay", () => {
  it("reads as a Response of the same answer does: text, json, clone, body stream, a second read refused", async () => {
    const entry = join(dir, "answered.mjs");
    writeFileSync(
      entry,
      `const again = async (res) => { try { await res.text(); return "read twice"; } catch (e) { return e.constructor.name + ": " + e.message; } };
export async function onTrack() {
  const out = [];
  const a = await fetch("https://api.partner.example/a", { method: "POST", body: "x" });
  out.push([a.status, [...a.headers], await a.text(), a.bodyUsed, await again(a)]);
  const b = await fetch("https://api.partner.example/b");
  const copy = b.clone();
  out.push([b.status, [...b.headers], await b.json(), await copy.text(), copy.bodyUsed]);
  const c = await fetch("https://api.partner.example/c");
  const reader = c.body.getReader();
  const chunk = await reader.read();
  out.push([new TextDecoder().decode(chunk.value), c.bodyUsed, (await reader.read()).done]);
  const d = await fetch("https://api.partner.example/d", { method: "DELETE" });
  out.push([d.status, d.body, await d.text(), (await (await fetch("https://api.partner.example/e")).arrayBuffer()).byteLength]);
  throw new Error(JSON.stringify(out));
}
`,
    );
    const runner = new FunctionRunner({ entry, timeoutMs: 10_000 });
    const answers = [
      { method: "POST", url: "https://api.partner.example/a", status: 200, body: "plain ünïcode" },
      {
        method: "GET",
        url: "https://api.partner.example/b",
        status: 201,
        body: { ok: true },
        headers: { "x-answer": "yes" },
      },
      { method: "GET", url: "https://api.partner.example/c", status: 200, body: "streamed" },
      { method: "DELETE", url: "https://api.partner.example/d", status: 204 },
      { method: "GET", url: "https://api.partner.example/e", status: 200, body: "1234" },
    ];
    let o;
    try {
      o = await runner.run("onTrack", [{ type: "track" }, {}], { answers, seed: "answered" });
    } finally {
      await runner.close();
    }
    expect(o.kind).toBe("throw");
    // The same reads over Responses Node makes from the same answers.
    const again = async (res: Response) => {
      try {
        await res.text();
        return "read twice";
      } catch (e) {
        return `${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
    };
    const a = new Response("plain ünïcode", { status: 200 });
    const b = new Response(JSON.stringify({ ok: true }), {
      status: 201,
      headers: { "x-answer": "yes", "content-type": "application/json" },
    });
    const copy = b.clone();
    const c = new Response("streamed");
    const reader = c.body!.getReader();
    const chunk = await reader.read();
    const d = new Response(null, { status: 204 });
    const expected = [
      [a.status, [...a.headers], await a.text(), a.bodyUsed, await again(a)],
      [b.status, [...b.headers], await b.json(), await copy.text(), copy.bodyUsed],
      [new TextDecoder().decode(chunk.value), c.bodyUsed, (await reader.read()).done],
      [d.status, d.body, await d.text(), (await new Response("1234").arrayBuffer()).byteLength],
    ];
    expect(JSON.parse(o.error!.message)).toEqual(JSON.parse(JSON.stringify(expected)));
  });
});
