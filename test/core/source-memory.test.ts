// MemorySource: a GitHub tree held in memory; same guarantees as LocalSource.
import { describe, expect, test } from "vitest";
import { MemorySource } from "../../src/core/source-memory.js";
import { normalizePath } from "../../src/core/source.js";

const source = new MemorySource("acme/app@abc123", {
  "integration.yml": "apiVersion: devcenter/v1\n",
  "docs/segment.md": "# Hi\n",
  "test/events/b.json": "{}",
  "test/events/a.json": "{}",
  "test/events/nested/c.json": "{}",
  "huge.json": { type: "file", size: 50 * 1024 * 1024 },
  "link-in.md": { type: "symlink", target: "docs/segment.md" },
  "docs/up.md": { type: "symlink", target: "../docs/segment.md" },
  "link-out.md": { type: "symlink", target: "../../etc/passwd" },
  "abs-out.md": { type: "symlink", target: "/etc/passwd" },
  "events-link": { type: "symlink", target: "test/events" },
  "dir-out": { type: "symlink", target: "../elsewhere" },
  "loop-a": { type: "symlink", target: "loop-b" },
  "loop-b": { type: "symlink", target: "loop-a" },
});

describe("MemorySource.read", () => {
  test("reads files given as strings or bytes", async () => {
    const r = await source.read("docs/segment.md", 100);
    expect(r).toMatchObject({ ok: true, path: "docs/segment.md" });
    const bytes = new MemorySource("b", { "x.bin": { type: "file", size: 3, bytes: new Uint8Array([1, 2, 3]) } });
    expect(await bytes.read("./x.bin", 3)).toMatchObject({ ok: true, path: "x.bin" });
  });

  test("refuses paths out of the root", async () => {
    for (const p of ["../x", "/integration.yml", "a\\b", "docs/../../x"])
      expect(await source.read(p, 100), p).toMatchObject({ ok: false, reason: "escapes" });
  });

  test("symlinks: inside followed, outside refused, loops end", async () => {
    expect(await source.read("link-in.md", 100)).toMatchObject({ ok: true, path: "link-in.md" });
    expect(await source.read("docs/up.md", 100)).toMatchObject({ ok: true });
    expect(await source.read("link-out.md", 100)).toMatchObject({ ok: false, reason: "symlink-out" });
    expect(await source.read("abs-out.md", 100)).toMatchObject({ ok: false, reason: "symlink-out" });
    expect(await source.read("loop-a", 100)).toMatchObject({ ok: false, reason: "missing" });
  });

  test("size is checked before bytes (a file too large to fetch has none)", async () => {
    const r = await source.read("huge.json", 5 * 1024 * 1024);
    expect(r).toMatchObject({ ok: false, reason: "too-large" });
    if (!r.ok) expect(r.message).toMatch(/50 MiB, over the 5 MiB limit/);
    const unfetched = new MemorySource("u", { "a.json": { type: "file", size: 10 } });
    expect(await unfetched.read("a.json", 100)).toMatchObject({ ok: false, reason: "unreadable" });
  });

  test("missing and folders", async () => {
    expect(await source.read("nope", 100)).toMatchObject({ ok: false, reason: "missing" });
    expect(await source.read("docs", 100)).toMatchObject({ ok: false, reason: "not-a-file" });
  });
});

describe("MemorySource.list and kind", () => {
  test("lists recursively, sorted, with a limit", async () => {
    expect(await source.list("test/events", 10)).toEqual({
      ok: true,
      files: ["test/events/a.json", "test/events/b.json", "test/events/nested/c.json"],
      truncated: false,
    });
    expect(await source.list("test/events", 1)).toEqual({ ok: true, files: ["test/events/a.json"], truncated: true });
  });

  test("a symlinked folder lists its target; one that leaves the root is refused", async () => {
    expect(await source.list("events-link", 10)).toMatchObject({
      ok: true,
      files: ["test/events/a.json", "test/events/b.json", "test/events/nested/c.json"],
    });
    expect(await source.list("dir-out", 10)).toMatchObject({ ok: false, reason: "symlink-out" });
  });

  test("files, missing folders and escapes", async () => {
    expect(await source.list("integration.yml", 10)).toMatchObject({ ok: false, reason: "not-a-file" });
    expect(await source.list("nowhere", 10)).toMatchObject({ ok: false, reason: "missing" });
    expect(await source.list("../", 10)).toMatchObject({ ok: false, reason: "escapes" });
  });

  test("kind", async () => {
    expect(await source.kind("")).toBe("dir");
    expect(await source.kind("test")).toBe("dir");
    expect(await source.kind("integration.yml")).toBe("file");
    expect(await source.kind("link-in.md")).toBe("file");
    expect(await source.kind("events-link")).toBe("dir");
    expect(await source.kind("link-out.md")).toBe("missing");
    expect(await source.kind("../x")).toBe("missing");
  });
});

describe("normalizePath", () => {
  test.each([
    ["docs/a.md", "", "docs/a.md"],
    ["./docs//a.md", "", "docs/a.md"],
    ["docs/", "", "docs"],
    [".", "", ""],
    ["../a.md", "pkg", "a.md"],
    ["a.md", "pkg", "pkg/a.md"],
  ])("%j from %j → %j", (input, base, out) => {
    expect(normalizePath(input, base)).toEqual({ ok: true, path: out });
  });
  test.each(["..", "../a", "a/../../b", "/a", "C:\\a", "c:/a", "a\\b", "a\0b"])("refuses %j", (input) => {
    expect(normalizePath(input)).toMatchObject({ ok: false, reason: "escapes" });
  });
});
