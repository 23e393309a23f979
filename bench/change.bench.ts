// The change check's cost inside a review: the webhook example with 1,000 settings, reviewed
// (replay off) with and without a baseline of the same size that differs in a few places, the runs
// interleaved; the ratio is the extra time the comparison adds (goal: under 5%). The baseline keeps
// the approved docs page, catalog copy and logos, as a folder or catalog record does, so their
// contents are compared too (the docs page differs by a section).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Baseline } from "../src/change/check.js";
import { LocalSource } from "../src/replay/source-local.js";
import { checkChanges } from "../src/change/check.js";
import { readApprovedFiles } from "../src/change/contents.js";
import { loadManifest } from "../src/manifest/load.js";
import { review } from "../src/review.js";
import { fmt, table, timeAsync } from "./measure.js";

const SETTINGS = 1_000;

function withSettings(text: string, version: string, edit: (i: number) => string | undefined): string {
  const lines: string[] = [];
  for (let i = 0; i < SETTINGS; i++) {
    const line = edit(i);
    if (line !== undefined) lines.push(line);
  }
  return text
    .replace("stage: developer-preview", `stage: public-beta\nversion: ${version}`)
    .replace("        default: us\n", `        default: us\n${lines.join("\n")}\n`);
}

const setting = (i: number, description = `Option ${i} of the Acme account.`) =>
  `      - { label: Option ${i}, key: option${i}, type: string, description: "${description}" }`;

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "devcenter-bench-change-"));
  const approvedDir = mkdtempSync(join(tmpdir(), "devcenter-bench-change-approved-"));
  try {
    cpSync("examples/webhook", dir, { recursive: true });
    cpSync("examples/webhook", approvedDir, { recursive: true });
    writeFileSync(
      join(dir, "docs/segment.md"),
      `${readFileSync(join(dir, "docs/segment.md"), "utf8")}\n## Troubleshooting\n\nNo data? Check the API key.\n`,
    );
    const original = readFileSync(join(dir, "integration.yml"), "utf8");
    writeFileSync(
      join(approvedDir, "integration.yml"),
      withSettings(original, "1.0.0", (i) => setting(i)),
    );
    // The new version: one setting dropped, every tenth described anew.
    writeFileSync(
      join(dir, "integration.yml"),
      withSettings(original, "1.1.0", (i) =>
        i === 500 ? undefined : i % 10 === 0 ? setting(i, `Option ${i}, renamed in Acme.`) : setting(i),
      ),
    );
    const approved = await loadManifest(new LocalSource(approvedDir));
    if (!approved.manifest)
      throw new Error(`bench: the approved manifest is invalid: ${approved.diagnostics[0]?.message}`);
    const files = await readApprovedFiles(new LocalSource(approvedDir), {
      docs: "docs/segment.md",
      catalog: "docs/catalog.md",
      logo: "assets/logo.svg",
      mark: "assets/mark.svg",
    });
    const baseline: Baseline = {
      manifest: approved.manifest,
      label: "approved",
      stage: "public-beta",
      version: "1.0.0",
      files,
    };
    const source = new LocalSource(dir);
    const now = new Date("2026-12-01T00:00:00Z");
    const plain = () => review(source, { now });
    const compared = () => review(source, { now, baseline });

    for (let i = 0; i < 3; i++) {
      await plain(); // warm-up: module loading and JIT
      await compared();
    }
    const a: number[] = [];
    const b: number[] = [];
    let changes = 0;
    for (let i = 0; i < 15; i++) {
      a.push((await timeAsync(plain)).ms);
      const r = await timeAsync(compared);
      b.push(r.ms);
      changes = r.value.change?.changes.length ?? 0;
    }
    // The check alone, on the loaded manifest (what the review adds), many times: a steadier figure
    // than the difference of two whole reviews on a shared machine.
    const loaded = await loadManifest(source);
    const alone: number[] = [];
    for (let i = 0; i < 50; i++)
      alone.push(
        (await timeAsync(() => checkChanges({ ...loaded, manifest: loaded.manifest! }, source, { baseline, now }))).ms,
      );
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const ma = median(a);
    const mb = median(b);
    const mc = median(alone);
    table(
      [
        "settings",
        "review without baseline",
        "review with the change check",
        "the change check alone",
        "changes found",
      ],
      [[fmt(SETTINGS), `${fmt(ma, 1)} ms`, `${fmt(mb, 1)} ms`, `${fmt(mc, 2)} ms`, changes]],
    );
    console.log(
      `\nMedians. The change check alone is ${fmt((mc / ma) * 100, 2)}% of the review without it (goal: under 5% extra);`,
    );
    console.log(
      `the two whole reviews differ by ${fmt(((mb - ma) / ma) * 100, 1)}% (within this machine's noise when small).`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(approvedDir, { recursive: true, force: true });
  }
}
