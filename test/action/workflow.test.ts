import { describe, expect, it } from "vitest";
import { parseCommands } from "./harness.js";
import { annotationCommand, escapeData, escapeProperty, formatCommand, Workflow } from "../../action/workflow.js";

function capture(): { lines: string[]; wf: Workflow } {
  const lines: string[] = [];
  return { lines, wf: new Workflow({ write: (l) => void lines.push(l) }) };
}

describe("workflow command escaping", () => {
  it("escapes %, CR and LF in data, % first so escapes are not escaped twice", () => {
    expect(escapeData("100% done\r\nnext")).toBe("100%25 done%0D%0Anext");
    expect(escapeData("%0A")).toBe("%250A");
    expect(escapeData("a: b, c")).toBe("a: b, c");
  });

  it("also escapes : and , in properties", () => {
    expect(escapeProperty("a:b,c%\n")).toBe("a%3Ab%2Cc%25%0A");
  });

  it("formats an annotation with its properties and leaves out the empty ones", () => {
    expect(
      annotationCommand("error", "Bad\nthing", { title: "devcenter: x/y", file: "dir,1/a:b.yml", line: 3, col: 5 }),
    ).toBe("::error title=devcenter%3A x/y,file=dir%2C1/a%3Ab.yml,line=3,col=5::Bad%0Athing");
    expect(formatCommand("warning", { file: undefined, title: "" }, "plain")).toBe("::warning::plain");
  });

  it("a message cannot start a second command", () => {
    const line = annotationCommand("error", "x\n::add-mask::secret");
    expect(line.split("\n")).toHaveLength(1);
  });
});

describe("Workflow log", () => {
  it("prints our own text as is", () => {
    const { lines, wf } = capture();
    wf.info("one\ntwo");
    expect(lines).toEqual(["one", "two"]);
  });

  it("turns commands off around text that would read as a command, even indented", () => {
    const { lines, wf } = capture();
    wf.info("fine\n   ::set-output name=x::y");
    expect(lines[0]).toMatch(/^::stop-commands::[0-9a-f-]{36}$/);
    const token = lines[0]!.slice("::stop-commands::".length);
    expect(lines.slice(1, 3)).toEqual(["fine", "   ::set-output name=x::y"]);
    expect(lines[3]).toBe(`::${token}::`);
  });

  it("turns commands off around text holding the old `##[command]` syntax anywhere in a line", () => {
    const { lines, wf } = capture();
    wf.info('🟢 Order Completed (track, HTTP 200): {"ok":"##[warning]injected"}');
    expect(lines[0]).toMatch(/^::stop-commands::/);
    expect(parseCommands(lines.join("\n"))).toEqual([]);
    // What the fence prevents: the same line printed bare is a command to the runner.
    expect(parseCommands('x {"ok":"##[warning]injected"}')).toMatchObject([{ command: "warning" }]);
  });

  it("untrusted text is always fenced, with a fresh token each time", () => {
    const { lines, wf } = capture();
    wf.untrusted("a");
    wf.untrusted("b");
    expect(lines[0]).not.toBe(lines[3]);
  });

  it("groups", () => {
    const { lines, wf } = capture();
    wf.group("Review: a, b");
    wf.endGroup();
    expect(lines).toEqual(["::group::Review: a, b", "::endgroup::"]);
  });
});
