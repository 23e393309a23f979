// Loads documentation fixtures: a shared complete integration (`base/`) that each case folder
// patches. A case folder holds `case.json` (optional manifest patch, files to remove, expected
// diagnostics) and `files/` whose contents replace or add files of the base.
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { MemorySource, type MemoryEntry } from "../../src/core/source-memory.js";
import type { Manifest } from "../../src/manifest/types.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/docs/", import.meta.url));

export interface Expected {
  ruleId: string;
  line: number;
  column: number;
  severity?: string;
  /** A piece of the message that must appear in it. */
  message?: string;
}

export interface Case {
  name: string;
  dir: string;
  manifest: Manifest;
  source: MemorySource;
  expect: Expected[];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

function files(root: string): Map<string, Uint8Array> {
  const m = new Map<string, Uint8Array>();
  if (!existsSync(root)) return m;
  for (const p of walk(root)) m.set(relative(root, p).split(sep).join("/"), new Uint8Array(readFileSync(p)));
  return m;
}

function merge(a: unknown, b: unknown): unknown {
  if (
    b === null ||
    typeof b !== "object" ||
    Array.isArray(b) ||
    a === null ||
    typeof a !== "object" ||
    Array.isArray(a)
  )
    return b;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b)) out[k] = v === null ? undefined : merge(out[k], v);
  return out;
}

export function baseManifest(): Manifest {
  return JSON.parse(readFileSync(join(FIXTURES, "base/manifest.json"), "utf8")) as Manifest;
}

export function sourceOf(entries: Map<string, Uint8Array>, label = "fixture"): MemorySource {
  const m = new Map<string, MemoryEntry>();
  for (const [p, bytes] of entries) m.set(p, { type: "file", size: bytes.length, bytes });
  return new MemorySource(label, m);
}

export function loadCase(dir: string, name: string): Case {
  const spec = existsSync(join(dir, "case.json"))
    ? (JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as {
        manifest?: unknown;
        remove?: string[];
        expect?: Expected[];
      })
    : {};
  const all = files(join(FIXTURES, "base"));
  all.delete("manifest.json");
  for (const [p, b] of files(join(dir, "files"))) all.set(p, b);
  for (const p of spec.remove ?? []) all.delete(p);
  return {
    name,
    dir,
    manifest: merge(baseManifest(), spec.manifest ?? {}) as Manifest,
    source: sourceOf(all, name),
    expect: spec.expect ?? [],
  };
}

/** Case folders: valid/<case>/ and invalid/<ruleId>/<case>/ (ruleIds hold a slash: invalid/docs/title/<case>/). */
export function cases(kind: "valid" | "invalid"): Case[] {
  const root = join(FIXTURES, kind);
  const out: Case[] = [];
  const visit = (dir: string): void => {
    if (existsSync(join(dir, "case.json")) || existsSync(join(dir, "files"))) {
      out.push(loadCase(dir, relative(root, dir).split(sep).join("/")));
      return;
    }
    for (const e of readdirSync(dir)) if (statSync(join(dir, e)).isDirectory()) visit(join(dir, e));
  };
  if (existsSync(root)) visit(root);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
