// Shared by the manifest tests: a small repository around a manifest, and a full load + rules run.
import type { Diagnostic } from "../../src/core/diagnostic.js";
import { MemorySource, type MemoryEntry } from "../../src/core/source-memory.js";
import { loadManifest, type LoadedManifest } from "../../src/manifest/load.js";
import { checkManifest } from "../../src/manifest/check.js";

const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"></svg>';

/** Every file a fixture manifest may reference, plus a few traps (a symlink out, an oversized doc). */
export function repoFiles(): Record<string, MemoryEntry | string> {
  return {
    "assets/logo.svg": svg,
    "assets/mark.svg": svg,
    "assets/outside.svg": { type: "symlink", target: "../../outside.svg" },
    "assets/inside.svg": { type: "symlink", target: "logo.svg" },
    "docs/segment.md": "---\ntitle: Acme Destination\n---\n",
    "docs/catalog.md": "Acme does things.\n",
    "docs/huge.md": { type: "file", size: 2 * 1024 * 1024 },
    "test/events/track.json": '{"type":"track","event":"Report Exported","userId":"u-1"}',
    "test/stream/identify.json": '{"type":"identify","userId":"u-1"}',
    "src/handlers.js": "export async function onTrack() {}\n",
    "dist/plugin.js": "export default {};\n",
  };
}

export function sourceWith(
  manifest: string | Uint8Array,
  extra: Record<string, MemoryEntry | string> = {},
): MemorySource {
  const entry: MemoryEntry | string =
    typeof manifest === "string" ? manifest : { type: "file", size: manifest.length, bytes: manifest };
  return new MemorySource("test", { ...repoFiles(), ...extra, "integration.yml": entry });
}

export async function review(
  manifest: string | Uint8Array,
  extra: Record<string, MemoryEntry | string> = {},
): Promise<{ loaded: LoadedManifest; diagnostics: Diagnostic[] }> {
  const source = sourceWith(manifest, extra);
  const loaded = await loadManifest(source);
  const diagnostics = [...loaded.diagnostics];
  if (loaded.manifest)
    diagnostics.push(
      ...(await checkManifest(
        loaded as LoadedManifest & { manifest: NonNullable<LoadedManifest["manifest"]> },
        source,
      )),
    );
  return { loaded, diagnostics };
}

export const brief = (d: Diagnostic): string => `${d.ruleId} ${d.line ?? "?"}:${d.column ?? "?"}`;
