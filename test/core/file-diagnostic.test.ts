import { describe, expect, test } from "vitest";
import { FILE_RULE_IDS, FILE_RULES, fileDiagnostic } from "../../src/core/file-diagnostic.js";
import { MemorySource } from "../../src/core/source-memory.js";
import { decodeText } from "../../src/core/text.js";

describe("decodeText", () => {
  test("UTF-8 text, with its byte-order mark removed", () => {
    expect(decodeText(new TextEncoder().encode("\ufeffcafé"), "a.md")).toEqual({ ok: true, text: "café" });
  });
  test("binary and invalid UTF-8 carry a reason", () => {
    expect(decodeText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00]), "a.zip")).toMatchObject({
      ok: false,
      reason: "binary",
    });
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), "a.md")).toMatchObject({
      ok: false,
      reason: "invalid-utf8",
    });
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0x00]), "utf16.md")).toMatchObject({
      ok: false,
      reason: "invalid-utf8",
      message: "utf16.md is saved as UTF-16; save it as UTF-8.",
    });
  });
});

describe("fileDiagnostic", () => {
  test("every read failure and decode failure maps to a documented rule", async () => {
    const documented = new Set(FILE_RULES.map((r) => r.id));
    for (const id of Object.values(FILE_RULE_IDS)) expect(documented.has(id)).toBe(true);
    const src = new MemorySource("t", {
      "a.json": { type: "file", size: 10 },
      "big.json": { type: "file", size: 10_000 },
      "out.json": { type: "symlink", target: "/etc/passwd" },
      "dir/x.json": "{}",
    });
    const reasons: Record<string, string> = {};
    for (const p of ["a.json", "big.json", "out.json", "dir", "missing.json", "../up.json"]) {
      const r = await src.read(p, 100);
      if (!r.ok) reasons[p] = fileDiagnostic(r).ruleId;
    }
    expect(reasons).toEqual({
      "a.json": "file/unreadable",
      "big.json": "file/too-large",
      "out.json": "file/symlink-out",
      dir: "file/not-a-file",
      "missing.json": "file/missing",
      "../up.json": "file/escapes",
    });
  });

  test("decode failures, with or without a reason, and a place in another file", () => {
    const bin = decodeText(new Uint8Array([0, 1, 2]), "logo.svg");
    if (bin.ok) throw new Error("expected a failure");
    expect(fileDiagnostic(bin, { file: "logo.svg" })).toEqual({
      ruleId: "file/binary",
      severity: "error",
      file: "logo.svg",
      message: bin.message,
    });
    expect(fileDiagnostic({ message: "x.md is not valid UTF-8; save it with UTF-8 encoding." }).ruleId).toBe(
      "file/invalid-utf8",
    );
    expect(fileDiagnostic({ message: "x looks like a binary file" }).ruleId).toBe("file/binary");
    const d = fileDiagnostic(
      { reason: "missing", message: "assets/logo.svg does not exist in the repository.", path: "assets/logo.svg" },
      { file: "integration.yml", line: 9, column: 9, path: "/app/logo", hint: "Commit it." },
    );
    expect(d).toEqual({
      ruleId: "file/missing",
      severity: "error",
      file: "integration.yml",
      line: 9,
      column: 9,
      path: "/app/logo",
      message: "assets/logo.svg does not exist in the repository. Commit it.",
    });
    expect(fileDiagnostic({ reason: "missing", message: "m", path: "a.json" }).file).toBe("a.json");
  });
});

describe("UTF-16 files", () => {
  test("are named as UTF-16 (not binary), with the fix", () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("apiVersion: devcenter/v1\n", "utf16le")]);
    const r = decodeText(utf16, "integration.yml");
    expect(r).toMatchObject({
      ok: false,
      reason: "invalid-utf8",
      message: "integration.yml is saved as UTF-16; save it as UTF-8.",
    });
  });
});
