import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO } from "../helpers/cli.js";

describe("devcenter CLI", () => {
  it("prints usage and exits 2 without a command", async () => {
    const io = captureIO();
    expect(await main([], io)).toBe(2);
    expect(io.out).toContain("Usage: devcenter <command>");
  });

  it("names an unknown command and exits 2", async () => {
    const io = captureIO();
    expect(await main(["reveiw"], io)).toBe(2);
    expect(io.err).toContain('unknown command "reveiw"');
  });

  it("offers the command a typo was meant to be (issue 14)", async () => {
    for (const typo of ["reviw", "reveiw", "replya", "Init"]) {
      const io = captureIO();
      expect(await main([typo], io)).toBe(2);
      expect(io.err).toMatch(/Did you mean `(review|replay|init)`\?/);
    }
    const io = captureIO();
    await main(["frobnicate"], io);
    expect(io.err).not.toContain("Did you mean");
  });

  it("reports an unknown option as a usage error with a hint", async () => {
    const io = captureIO();
    expect(await main(["init", "--bogus"], io)).toBe(2);
    expect(io.err).toMatch(/unknown option --bogus\.[\s\S]*devcenter init --help/);
  });

  it("shows a command's help", async () => {
    const io = captureIO();
    expect(await main(["init", "--help"], io)).toBe(0);
    expect(io.out).toContain("--style webhook|function");
  });
});

describe("option mistakes", () => {
  it("suggests the option meant, and explains a flag left without its value", async () => {
    const typo = captureIO();
    expect(await main(["review", "--formt", "json"], typo)).toBe(2);
    expect(typo.err).toContain("unknown option --formt. Did you mean --format?");
    const dash = captureIO();
    expect(await main(["review", "--volume", "-5"], dash)).toBe(2);
    expect(dash.err).toContain("--volume needs a value");
  });
});

describe("the output going away", () => {
  // Real child processes: the behaviour is process-level (stdout's error event).
  const run = async (stdout: "closed" | "full") => {
    const { spawn } = await import("node:child_process");
    const { openSync, closeSync } = await import("node:fs");
    const fd = stdout === "full" ? openSync("/dev/full", "w") : "pipe";
    const child = spawn(
      process.execPath,
      ["bin/devcenter.js", "validate-events", "test/fixtures/spec/examples", "--format", "json"],
      { stdio: ["ignore", fd, "pipe"] },
    );
    if (stdout === "closed") child.stdout!.destroy(); // like `| head -0`
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on("close", r));
    if (typeof fd === "number") closeSync(fd);
    return { code, stderr };
  };

  it("a reader that stops reading (EPIPE) ends the command quietly, no stack trace", async () => {
    const { code, stderr } = await run("closed");
    expect(stderr).not.toMatch(/Error|at .*\.js/);
    expect([0, 1]).toContain(code);
  });

  it.runIf(process.platform === "linux")(
    "an output that cannot be written (a full disk) is one sentence and exit 2",
    async () => {
      const { code, stderr } = await run("full");
      expect(stderr).toMatch(
        /^devcenter: could not write the output \(ENOSPC\); is the disk full or the output closed\?\n$/,
      );
      expect(code).toBe(2);
    },
  );
});
