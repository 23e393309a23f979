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
