// `devcenter validate-events` on pipes, FIFOs and stdin (issue 8): real child processes, a real
// shell for process substitution, real FIFOs (mkfifo). A stream is read to its end under the file
// size cap, and gives the same findings as the same bytes in a regular file; a FIFO nobody writes
// to ends in a clear error after the read timeout, never a hang.
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = resolve("bin/devcenter.js");
const EVENT = '{"type":"track"}\n';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "devcenter-streams-"));
  await writeFile(join(dir, "event.json"), EVENT);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `command` (argv, or a shell line when a string) with `input` on stdin; "open" leaves stdin open and silent. */
function run(command: string[] | string, input?: string | Buffer | "open"): Promise<Run> {
  const child =
    typeof command === "string"
      ? spawn("bash", ["-c", command], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] })
      : spawn(process.execPath, [BIN, ...command], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  child.stdin.on("error", () => {}); // the command may stop reading early (over the cap)
  if (input !== "open") child.stdin.end(input);
  child.on("exit", () => child.stdin.destroy());
  return new Promise((r) => child.on("close", (code) => r({ code, out, err })));
}

const findings = (r: Run) =>
  (
    JSON.parse(r.out) as { diagnostics: { ruleId: string; index: number; line?: number; message: string }[] }
  ).diagnostics.map((d) => `${d.ruleId} #${d.index} ${d.line}:${d.message}`);

describe("validate-events reads pipes, FIFOs and stdin as streams", () => {
  it("a pipe on /dev/stdin, `-`, and process substitution give the regular file's findings and exit code", async () => {
    const file = await run(["validate-events", "event.json", "--format", "json"]);
    expect(file.code).toBe(1);
    expect(findings(file).map((f) => f.split(" ")[0])).toEqual(["spec/event-missing", "spec/identity-missing"]);

    const node = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;
    const [viaDevStdin, viaDash, viaShellPipe, viaSubstitution] = await Promise.all([
      run(["validate-events", "/dev/stdin", "--format", "json"], EVENT), // stdin is a socket here
      run(["validate-events", "-", "--format", "json"], EVENT),
      run(`printf '%s' '${EVENT.trim()}' | ${node} validate-events /dev/stdin --format json`), // a real pipe
      run(`${node} validate-events <(printf '%s' '${EVENT.trim()}') --format json`),
    ]);
    for (const r of [viaDevStdin, viaDash, viaShellPipe, viaSubstitution]) {
      expect(r.code, r.err).toBe(1);
      expect(findings(r)).toEqual(findings(file));
      expect(JSON.parse(r.out).summary).toEqual({ files: 1, events: 1, errors: 2, warnings: 0 });
    }
    expect(JSON.parse(viaDash.out).diagnostics[0].file).toBe("<stdin>");
    expect(JSON.parse(viaDevStdin.out).diagnostics[0].file).toBe("/dev/stdin");
  });

  it("a FIFO is read once a program writes to it", async () => {
    const fifo = join(dir, "events.fifo");
    execFileSync("mkfifo", [fifo]);
    const reading = run(["validate-events", "events.fifo", "--format", "json"]);
    // The writer opens the FIFO after the command started (the open waits for the reader).
    await writeFile(fifo, EVENT);
    const r = await reading;
    expect(r.code, r.err).toBe(1);
    expect(findings(r).map((f) => f.split(" ")[0])).toEqual(["spec/event-missing", "spec/identity-missing"]);
  });

  it("a FIFO nobody writes to ends with a clear error after the read timeout, and the process exits", async () => {
    const fifo = join(dir, "silent.fifo");
    execFileSync("mkfifo", [fifo]);
    const r = await run(["validate-events", "silent.fifo", "--read-timeout", "300"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "silent.fifo is a FIFO and no program opened it for writing within 0.3 s; start the program that writes the events into it",
    );
    expect(r.out).toContain("file/unreadable");
  });

  it("stdin that stays open and silent ends with a clear error after the read timeout", async () => {
    const r = await run(["validate-events", "-", "--read-timeout", "300"], "open");
    expect(r.code).toBe(1);
    expect(r.out).toContain("Nothing arrived on standard input for 0.3 s");
  });

  it("the file size cap holds for streams (no size to trust up front)", async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 0x20);
    const r = await run(["validate-events", "-", "--format", "json"], big);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.out).diagnostics;
    expect(d.map((x: { ruleId: string }) => x.ruleId)).toEqual(["file/too-large"]);
    expect(d[0].message).toBe(
      "More than 5 MiB arrived on standard input, over the 5 MiB limit; split the events into smaller files.",
    );
  });

  it("--read-timeout is checked", async () => {
    const r = await run(["validate-events", "-", "--read-timeout", "soon"], EVENT);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--read-timeout must be a whole number of milliseconds");
  });
});
