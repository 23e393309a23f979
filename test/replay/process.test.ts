import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ProcessStartError,
  describeExit,
  outputTail,
  processAlive,
  spawnProcess,
  startProcess,
  tailLines,
  type ProcessHandle,
} from "../../src/replay/process.js";

let dir: string;
const started: ProcessHandle[] = [];
const track = <T extends ProcessHandle>(h: T): T => (started.push(h), h);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "devcenter-process-"));
  // Listens on an ephemeral port and writes it to a file; /health answers 200.
  await writeFile(
    join(dir, "server.js"),
    `const http = require("node:http");
const fs = require("node:fs");
const s = http.createServer((req, res) => { res.writeHead(req.url === "/health" ? 200 : 404); res.end("ok"); });
s.listen(0, "127.0.0.1", () => { fs.writeFileSync(process.argv[2], String(s.address().port)); console.log("listening"); });
`,
  );
  await writeFile(
    join(dir, "stubborn.js"),
    `process.on("SIGTERM", () => console.log("ignoring SIGTERM")); console.log("started"); setInterval(() => {}, 1000);`,
  );
  await writeFile(
    join(dir, "noisy.js"),
    `for (let i = 0; i < 2000; i++) console.log("line " + i + " " + "x".repeat(50));`,
  );
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.stop()));
});

async function waitForFile(path: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  for (let i = 0; i < 200; i++) {
    const text = await readFile(path, "utf8").catch(() => "");
    if (text) return text;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} never appeared`);
}

async function eventuallyDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 25));
  return !processAlive(pid);
}

describe("startProcess", () => {
  it("waits for a URL to answer 2xx and captures output", async () => {
    // The probe URL is only known once the server picked its port: start it, then probe.
    const portFile = join(dir, "port-a");
    const h = track(spawnProcess({ command: `node server.js ${portFile}`, cwd: dir, baseEnv: process.env }));
    const port = await waitForFile(portFile);
    const { waitUntilReady } = await import("../../src/replay/process.js");
    await waitUntilReady(h, { url: `http://127.0.0.1:${port}/health`, timeoutMs: 10_000 });
    await h.stop();
    expect(h.logs()).toContain("listening");
    expect(h.exit()).toBeDefined();
  });

  it("reports a program that exits before it is ready, with its last lines", async () => {
    const err = await startProcess({
      command: `echo "booting"; echo "config missing: ACME_KEY" >&2; exit 3`,
      cwd: dir,
      baseEnv: process.env,
      ready: { url: "http://127.0.0.1:9/health", timeoutMs: 20_000 },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProcessStartError);
    const e = err as ProcessStartError;
    expect(e.reason).toBe("exited");
    expect(e.exit?.code).toBe(3);
    expect(e.message).toContain("exited with code 3 before it was ready");
    expect(e.message).toContain("last lines of its output:");
    expect(e.message).toContain("config missing: ACME_KEY");
    expect(e.logs).toContain("booting");
  });

  it("a server that crashes at start: the error line is shown, not only the stack frames below it", async () => {
    await writeFile(
      join(dir, "crashes.mjs"),
      `import express from "devcenter-no-such-package";\nexpress().listen(3000);\n`,
    );
    const err = await startProcess({
      command: "node crashes.mjs",
      cwd: dir,
      baseEnv: process.env,
      ready: { url: "http://127.0.0.1:9/health", timeoutMs: 20_000 },
    }).catch((e: unknown) => e);
    const e = err as ProcessStartError;
    expect(e.reason).toBe("exited");
    expect(e.message).toMatch(
      /last lines of its output:\n {2}Error \[ERR_MODULE_NOT_FOUND\]: Cannot find package 'devcenter-no-such-package' imported from .*crashes\.mjs\n {2}…\n/,
    );
    const shown = e.message.slice(e.message.indexOf("last lines of its output:")).split("\n").slice(1);
    expect(shown).toHaveLength(10); // the same cap as before
    expect(shown.at(-1)).toMatch(/^ {2}Node\.js v\d+/);
  });

  it("gives up on a server that never starts listening, and stops it", async () => {
    const err = await startProcess({
      command: `echo "thinking"; sleep 30`,
      cwd: dir,
      baseEnv: process.env,
      ready: { url: "http://127.0.0.1:9/health", timeoutMs: 500 },
      graceMs: 500,
    }).catch((e: unknown) => e);
    const e = err as ProcessStartError;
    expect(e.reason).toBe("timeout");
    expect(e.message).toMatch(/was not ready within 500 ms: http:\/\/127\.0\.0\.1:9\/health failed with ECONNREFUSED/);
    expect(e.message).toContain("thinking");
    expect(e.exit?.signal).toBe("SIGTERM");
  });

  it("polls a TCP port", async () => {
    const err = await startProcess({
      command: "sleep 30",
      cwd: dir,
      baseEnv: process.env,
      ready: { port: 9, timeoutMs: 300 },
      graceMs: 200,
    }).catch((e: unknown) => e);
    expect((err as ProcessStartError).message).toContain("127.0.0.1:9 failed with ECONNREFUSED");
  });

  it("reports a folder that does not exist", async () => {
    const err = await startProcess({
      command: "true",
      cwd: join(dir, "nope"),
      baseEnv: process.env,
      ready: { port: 9, timeoutMs: 5_000 },
    }).catch((e: unknown) => e);
    expect((err as ProcessStartError).reason).toBe("spawn");
    expect((err as ProcessStartError).message).toContain("could not be started");
  });

  it("reports a folder that does not exist when there is no readiness probe too", async () => {
    const err = await startProcess({ command: "true", cwd: join(dir, "nope"), baseEnv: process.env }).catch(
      (e: unknown) => e,
    );
    expect((err as ProcessStartError).reason).toBe("spawn");
    expect((err as ProcessStartError).message).toMatch(/^`true` could not be started: /);
  });

  it("kills a program that ignores SIGTERM after the grace period", async () => {
    const h = track(spawnProcess({ command: "node stubborn.js", cwd: dir, baseEnv: process.env, graceMs: 300 }));
    while (!h.logs().includes("started")) await new Promise((r) => setTimeout(r, 20));
    const exit = await h.stop();
    // The shell in front of it went on SIGTERM; node itself needed SIGKILL.
    expect(exit.forced).toBe(true);
    expect(describeExit(exit)).toContain("ignored SIGTERM and was killed with SIGKILL");
    expect(processAlive(h.pid!)).toBe(false);
    expect(h.logs()).toContain("ignoring SIGTERM");
    // Idempotent.
    expect(await h.stop()).toBe(exit);
  });

  it("stops every process in the group, not only the shell", async () => {
    const pidFile = join(dir, "grandchild.pid");
    const h = track(
      spawnProcess({ command: `sleep 30 & echo $! > ${pidFile}; wait`, cwd: dir, baseEnv: process.env, graceMs: 300 }),
    );
    const grandchild = Number(await waitForFile(pidFile));
    expect(processAlive(grandchild)).toBe(true);
    const exit = await h.stop();
    expect(processAlive(grandchild)).toBe(false);
    expect(exit.forced).toBeFalsy();
  });

  it("keeps only the newest output within the limit", async () => {
    const h = track(spawnProcess({ command: "node noisy.js", cwd: dir, baseEnv: process.env, logLimitBytes: 1024 }));
    const exit = await h.exited;
    expect(exit.code).toBe(0);
    expect(Buffer.byteLength(h.logs())).toBeLessThanOrEqual(1024);
    expect(h.logsTruncated()).toBe(true);
    // stdout and stderr are separate pipes: their relative order is not guaranteed.
    expect(h.logs()).toContain("line 1999 ");
    expect(h.logs()).not.toContain("line 0 ");
    expect(h.lastLines(200).length).toBeLessThan(30);
  });

  for (const how of ["exit", "SIGTERM"] as const) {
    it(`kills its children when this process ends (${how})`, async () => {
      const pidFile = join(dir, `orphan-${how}.pid`);
      const entry = new URL("../../src/replay/process.ts", import.meta.url).href;
      const script = join(dir, `parent-${how}.mts`);
      await writeFile(
        script,
        `const { spawnProcess } = await import(${JSON.stringify(entry)});
spawnProcess({ command: ${JSON.stringify(`sleep 30 & echo $! > ${pidFile}; wait`)}, cwd: ${JSON.stringify(dir)}, baseEnv: process.env });
${how === "exit" ? "setTimeout(() => process.exit(0), 300);" : 'console.log("ready"); setInterval(() => {}, 1000);'}
`,
      );
      const parent = track(
        spawnProcess({ command: `exec node --import tsx ${script}`, cwd: process.cwd(), baseEnv: process.env }),
      );
      const grandchild = Number(await waitForFile(pidFile));
      if (how === "SIGTERM") {
        while (!parent.logs().includes("ready")) await new Promise((r) => setTimeout(r, 20));
        process.kill(-parent.pid!, "SIGTERM");
      }
      const exit = await parent.exited;
      // With nobody else listening, the signal still ends the parent as it would by default.
      if (how === "SIGTERM") expect(exit.signal).toBe("SIGTERM");
      else expect(exit.code).toBe(0);
      // The exit hook sent SIGKILL before the parent was gone; the kernel may take a moment to finish it.
      expect(await eventuallyDead(grandchild)).toBe(true);
    });
  }

  it("passes env variables and waits for exit with a bound", async () => {
    const h = track(
      spawnProcess({
        command: 'echo "key=$DEVCENTER_WRITE_KEY"',
        cwd: dir,
        baseEnv: process.env,
        env: { DEVCENTER_WRITE_KEY: "wk-1" },
      }),
    );
    const exit = await h.waitForExit(10_000);
    expect(exit).not.toBe("timeout");
    expect(h.logs()).toContain("key=wk-1");
    const slow = track(spawnProcess({ command: "sleep 30", cwd: dir, baseEnv: process.env, graceMs: 200 }));
    expect(await slow.waitForExit(100)).toBe("timeout");
  });
});

describe("the lines shown of a program's output", () => {
  const frames = (n: number) =>
    Array.from({ length: n }, (_, i) => `    at step${i} (file:///srv/server.js:${i + 1}:5)`);

  it("the last lines when they say what went wrong", () => {
    const out = ["listening", "Error: boom", ...frames(3)];
    expect(tailLines(out, 10)).toEqual(out);
    expect(tailLines(out, 4)).toEqual(out.slice(-4));
  });

  it("a stack longer than the tail keeps its error line, once, within the cap", () => {
    const out = [
      "booting",
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find module '/srv/db.js' imported from /srv/server.js",
      ...frames(12),
      "{",
      "  code: 'ERR_MODULE_NOT_FOUND'",
      "}",
      "Node.js v22.12.0",
    ];
    const shown = tailLines(out, 10);
    expect(shown).toHaveLength(10);
    expect(shown[0]).toBe(out[1]);
    expect(shown[1]).toBe("…");
    expect(shown.slice(2)).toEqual(out.slice(-8));
    expect(new Set(shown).size).toBe(shown.length);
    // The same through outputTail, with the 5 lines a dying server's message gets.
    const tail = outputTail({ lastLines: (n = 20) => out.slice(-n) }, 5);
    expect(tail).toBe(
      `; last lines of its output:\n  ${out[1]}\n  …\n    code: 'ERR_MODULE_NOT_FOUND'\n  }\n  Node.js v22.12.0`,
    );
  });

  it("without an error line, frames alone get the nearest line above them that is not a frame", () => {
    const out = ["starting", "something odd happened", ...frames(10)];
    expect(tailLines(out, 5)).toEqual(["something odd happened", "…", ...frames(10).slice(-3)]);
    // Ordinary output is left as it is.
    const log = Array.from({ length: 30 }, (_, i) => `request ${i}`);
    expect(tailLines(log, 5)).toEqual(log.slice(-5));
  });
});
