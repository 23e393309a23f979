// LocalSource: a folder on disk; nothing outside it can be read, symlinks only while they stay inside.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LocalSource } from "../../src/replay/source-local.js";

let outside: string;
let root: string;
let source: LocalSource;

beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), "devcenter-outside-"));
  writeFileSync(join(outside, "secret.txt"), "top secret");
  mkdirSync(join(outside, "dir"));
  writeFileSync(join(outside, "dir", "x.json"), "{}");
  root = mkdtempSync(join(tmpdir(), "devcenter-root-"));
  mkdirSync(join(root, "docs"));
  mkdirSync(join(root, "test", "events", "nested"), { recursive: true });
  writeFileSync(join(root, "integration.yml"), "apiVersion: devcenter/v1\n");
  writeFileSync(join(root, "docs", "segment.md"), "# Hi\n");
  writeFileSync(join(root, "test", "events", "b.json"), "{}");
  writeFileSync(join(root, "test", "events", "a.json"), "{}");
  writeFileSync(join(root, "test", "events", "nested", "c.json"), "{}");
  writeFileSync(join(root, "big.bin"), Buffer.alloc(2048, 1));
  symlinkSync(join(outside, "secret.txt"), join(root, "link-out.txt"));
  symlinkSync("../" + outside.split("/").pop() + "/secret.txt", join(root, "relative-link-out.txt"));
  symlinkSync("docs/segment.md", join(root, "link-in.md"));
  symlinkSync(join(outside, "dir"), join(root, "dir-out"));
  symlinkSync("test/events", join(root, "events-link"));
  symlinkSync("nowhere.txt", join(root, "dangling.txt"));
  source = new LocalSource(root);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("LocalSource.read", () => {
  test("reads a file inside the root", async () => {
    const r = await source.read("docs/segment.md", 1024);
    expect(r).toMatchObject({ ok: true, path: "docs/segment.md" });
    if (r.ok) expect(new TextDecoder().decode(r.bytes)).toBe("# Hi\n");
  });

  test("normalises ./ and inner ..", async () => {
    expect(await source.read("./docs/../docs/segment.md", 1024)).toMatchObject({ ok: true, path: "docs/segment.md" });
  });

  test.each([
    ["../secret.txt", "points outside the repository"],
    ["docs/../../secret.txt", "points outside the repository"],
    ["/etc/passwd", "is absolute"],
    ["C:/Windows/win.ini", "is absolute"],
    ["docs\\segment.md", "uses backslashes"],
    ["docs/segment.md\0.png", "contains a NUL byte"],
  ])("refuses %j", async (path, why) => {
    const r = await source.read(path, 1024);
    expect(r).toMatchObject({ ok: false, reason: "escapes" });
    if (!r.ok) expect(r.message).toContain(why);
  });

  test("refuses symlinks that leave the root, absolute or relative", async () => {
    for (const p of ["link-out.txt", "relative-link-out.txt", "dir-out/x.json"]) {
      expect(await source.read(p, 1024), p).toMatchObject({ ok: false, reason: "symlink-out" });
    }
  });

  test("follows symlinks that stay inside", async () => {
    expect(await source.read("link-in.md", 1024)).toMatchObject({ ok: true, path: "link-in.md" });
    expect(await source.read("events-link/a.json", 1024)).toMatchObject({ ok: true });
  });

  test("missing, dangling, folder, too large", async () => {
    expect(await source.read("nope.txt", 1024)).toMatchObject({ ok: false, reason: "missing" });
    expect(await source.read("dangling.txt", 1024)).toMatchObject({ ok: false, reason: "missing" });
    expect(await source.read("docs", 1024)).toMatchObject({ ok: false, reason: "not-a-file" });
    const big = await source.read("big.bin", 1024);
    expect(big).toMatchObject({ ok: false, reason: "too-large" });
    if (!big.ok) expect(big.message).toMatch(/2 KiB, over the 1 KiB limit/);
    expect(await source.read("big.bin", 2048)).toMatchObject({ ok: true });
  });
});

describe("LocalSource.list and kind", () => {
  test("lists files recursively, sorted, root-relative", async () => {
    expect(await source.list("test/events", 100)).toEqual({
      ok: true,
      files: ["test/events/a.json", "test/events/b.json", "test/events/nested/c.json"],
      truncated: false,
    });
  });

  test("stops at the limit and says so", async () => {
    expect(await source.list("test/events", 2)).toEqual({
      ok: true,
      files: ["test/events/a.json", "test/events/b.json"],
      truncated: true,
    });
  });

  test("refuses folders outside, and says when a path is a file or missing", async () => {
    expect(await source.list("dir-out", 10)).toMatchObject({ ok: false, reason: "symlink-out" });
    expect(await source.list("../", 10)).toMatchObject({ ok: false, reason: "escapes" });
    expect(await source.list("integration.yml", 10)).toMatchObject({ ok: false, reason: "not-a-file" });
    expect(await source.list("nowhere", 10)).toMatchObject({ ok: false, reason: "missing" });
  });

  test("a symlinked folder inside lists its target's files", async () => {
    const r = await source.list("events-link", 10);
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.files).toEqual(["test/events/a.json", "test/events/b.json", "test/events/nested/c.json"]);
  });

  test("kind", async () => {
    expect(await source.kind("docs")).toBe("dir");
    expect(await source.kind("")).toBe("dir");
    expect(await source.kind("integration.yml")).toBe("file");
    expect(await source.kind("link-in.md")).toBe("file");
    expect(await source.kind("link-out.txt")).toBe("missing");
    expect(await source.kind("../x")).toBe("missing");
    expect(await source.kind("nope")).toBe("missing");
  });
});
