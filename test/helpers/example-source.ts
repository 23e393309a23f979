// An example integration from examples/ as a MemorySource, with files replaced or added.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { MemorySource, type MemoryEntry } from "../../src/core/source-memory.js";

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) walk(abs, out);
    else out.push(abs);
  }
  return out;
}

export function exampleSource(
  name: string,
  overrides: Record<string, string | Uint8Array | MemoryEntry> = {},
): MemorySource {
  const root = join("examples", name);
  const entries = new Map<string, MemoryEntry>();
  for (const abs of walk(root)) {
    const bytes = readFileSync(abs);
    entries.set(relative(root, abs), { type: "file", size: bytes.length, bytes });
  }
  for (const [path, v] of Object.entries(overrides)) {
    const bytes = typeof v === "string" ? new TextEncoder().encode(v) : v;
    entries.set(path, bytes instanceof Uint8Array ? { type: "file", size: bytes.length, bytes } : bytes);
  }
  return new MemorySource(`examples/${name}`, entries);
}
