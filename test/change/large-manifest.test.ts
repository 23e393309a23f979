// Manifests with 10,000 settings (issue 11, bad input): such a manifest, written out as partners
// write settings, is about 1 MB — inside the manifest size limit — and `devcenter review
// --baseline` and `devcenter diff` finish on it with the right change list, each change at its
// line. A file far over the limit is still refused with the located, helpful message.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { LIMITS } from "../../src/core/limits.js";
import { captureIO } from "../helpers/cli.js";

const SETTINGS = 10_000;
let tmp: string;
let approved: string;
let next: string;
let nextText: string;

/** One setting as a partner writes it (block form, a label, a description), about 100 bytes. */
const setting = (i: number, edit: Partial<Record<"type" | "required", string>> = {}) =>
  [
    `      - label: Option ${i}`,
    `        key: option${i}`,
    `        type: ${edit.type ?? "string"}`,
    `        description: Option ${i} of the Acme account, as shown in Acme's settings page.`,
    ...(edit.required ? [`        required: ${edit.required}`] : []),
  ].join("\n");

/** The webhook example, live at `version`, with 10,000 more settings after its own two. */
async function integration(
  name: string,
  version: string,
  settings: (i: number) => string | undefined,
): Promise<{ dir: string; text: string }> {
  const dir = join(tmp, name);
  await cp(resolve("examples/webhook"), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  const lines: string[] = [];
  for (let i = 0; i < SETTINGS; i++) {
    const s = settings(i);
    if (s !== undefined) lines.push(s);
  }
  const file = join(dir, "integration.yml");
  const text = (await readFile(file, "utf8"))
    .replace("stage: developer-preview", `stage: public-beta\nversion: ${version}`)
    .replace("        default: us\n", `        default: us\n${lines.join("\n")}\n`);
  await writeFile(file, text);
  return { dir, text };
}

type Entry = { ruleId: string; breaking: boolean; line: number };
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "devcenter-large-"));
  approved = (await integration("approved", "1.0.0", (i) => setting(i))).dir;
  // The new version: option1234 removed, option42 made required, option777 a number, one new
  // required setting without a default, option9000 described anew (a notice).
  const n = await integration("next", "1.1.0", (i) => {
    if (i === 1234) return undefined;
    if (i === 42) return setting(i, { required: "true" });
    if (i === 777) return setting(i, { type: "number" });
    if (i === 9000) return setting(i).replace("as shown in Acme's settings page.", "see Acme's help centre.");
    if (i === SETTINGS - 1)
      return `${setting(i)}\n      - label: Tenant\n        key: tenant\n        type: string\n        required: true`;
    return setting(i);
  });
  next = n.dir;
  nextText = n.text;
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe("a manifest with 10,000 settings", () => {
  it("is about 1 MB, inside the manifest size limit", () => {
    const bytes = Buffer.byteLength(nextText);
    expect(bytes).toBeGreaterThan(1_000_000);
    expect(bytes).toBeLessThan(LIMITS.manifestBytes);
  });

  const expected = () => [
    { ruleId: "change/setting-removed", breaking: true, line: lineOf(nextText, "    settings:") },
    { ruleId: "change/setting-type", breaking: true, line: lineOf(nextText, "key: option777") + 1 },
    { ruleId: "change/setting-required", breaking: true, line: lineOf(nextText, "key: option42") + 3 },
    { ruleId: "change/description", breaking: false, line: lineOf(nextText, "key: option9000") + 2 },
    { ruleId: "change/setting-required-added", breaking: true, line: lineOf(nextText, "key: tenant") },
  ];
  const sorted = <T extends { ruleId: string; line?: number }>(xs: T[]): T[] =>
    [...xs].sort((a, b) => a.line! - b.line! || a.ruleId.localeCompare(b.ruleId));

  it("devcenter diff lists its changes, each at its line; undeclared breaking changes exit 1", async () => {
    const io = captureIO(tmp);
    const code = await main(["diff", approved, next, "--format", "json"], io);
    expect(io.err).toBe("");
    const json = JSON.parse(io.out);
    expect(json).toMatchObject({ from: "1.0.0", to: "1.1.0", breaking: 4, notices: 1, declared: false });
    expect(sorted(json.changes as Entry[]).map(({ ruleId, breaking, line }) => ({ ruleId, breaking, line }))).toEqual(
      sorted(expected()),
    );
    expect(json.changes.find((c: { ruleId: string }) => c.ruleId === "change/setting-removed").message).toMatch(
      /setting `option1234` \("Option 1234"\) was removed/,
    );
    expect(json.diagnostics.map((d: { ruleId: string }) => d.ruleId)).toEqual(["change/breaking-undeclared"]);
    expect(code).toBe(1);
  });

  it("devcenter review --baseline finishes with the same change list", async () => {
    const io = captureIO(tmp);
    const code = await main(["review", next, "--baseline", approved, "--no-replay", "--format", "json"], io);
    const json = JSON.parse(io.out);
    expect(json.change).toMatchObject({ breaking: 4, notices: 1, declared: false });
    expect(sorted(json.change.changes as Entry[]).map(({ ruleId, line }) => ({ ruleId, line }))).toEqual(
      sorted(expected()).map(({ ruleId, line }) => ({ ruleId, line })),
    );
    expect(json.diagnostics.filter((d: { ruleId: string }) => d.ruleId === "file/too-large")).toEqual([]);
    expect(code).toBe(1);
  });

  it("a file far over the limit is still refused, said with its size and what to do", async () => {
    const huge = join(tmp, "huge");
    await cp(approved, huge, { recursive: true });
    await writeFile(join(huge, "integration.yml"), `# ${"x".repeat(3 * 1024 * 1024)}\n`);
    const io = captureIO(tmp);
    const code = await main(["review", huge, "--no-replay"], io);
    expect(code).toBe(1);
    expect(io.out).toMatch(/integration\.yml.*3 MiB, over the 2 MiB limit/);
  });
});
