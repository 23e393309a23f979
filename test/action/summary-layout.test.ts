import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { builtBundle, runAction } from "./harness.js";

const { bundleDir, api } = builtBundle("devcenter-summary-layout-");

/** The replay section's rows, in order: [icon, case name] for the visible table and for the folded one. */
function replayRows(summary: string): { shown: string[][]; folded: string[][] } {
  const section = summary.slice(summary.indexOf("#### Replay:"), summary.indexOf("#### Checklist"));
  const [visible = "", folded = ""] = section.split("<details>");
  const rows = (text: string) =>
    [...text.matchAll(/^\| (🟢|🟡|🔴) \| [^`|]*`([^`]+)` \|/gm)].map((m) => [m[1]!, m[2]!]);
  return { shown: rows(visible), folded: rows(folded) };
}

describe("the job summary", () => {
  it("says where findings are from the repository's root, as the annotations do (bad-manifest)", async () => {
    const run = await runAction({ bundleDir, integration: "bad-manifest", api });
    const annotated = run.annotations
      .filter((a) => a.level === "error")
      .map((a) => `${a.properties.file}:${a.properties.line}:${a.properties.col}`);
    expect(annotated.length).toBeGreaterThan(0);
    for (const where of annotated) {
      expect(where).toMatch(/^integrations\/bad-manifest\/integration\.yml:\d+:\d+$/);
      expect(run.summary).toContain(`| \`${where}\` |`);
    }
    // The manifest could not be read, so the heading names the folder: from the repository, not the runner's disk.
    expect(run.summary).toMatch(/^### devcenter review: `integrations\/bad-manifest`$/m);
    expect(run.summary).not.toContain(run.workspace);
  }, 120_000);

  it("opens on the red and yellow rows; the green ones are folded (red-replay)", async () => {
    const run = await runAction({ bundleDir, integration: "red-replay", api });
    const { shown, folded } = replayRows(run.summary);
    const icons = shown.map(([icon]) => icon).join("");
    expect(icons).toMatch(/^(🔴)+(🟡)+$/u);
    expect(shown.length).toBeGreaterThan(10);
    expect(folded.length).toBeGreaterThan(5);
    expect(folded.every(([icon]) => icon === "🟢")).toBe(true);
    expect(run.summary).toContain(`<details>\n<summary>🟢 ${folded.length} green cases</summary>`);
    // Every case is there once, and the summary still reads as GitHub renders it: the fold holds a real table.
    const json = JSON.parse((await import("node:fs")).readFileSync(run.outputs.report!, "utf8")) as {
      replay: { cases: { name: string }[] };
    };
    expect([...shown, ...folded].map(([, name]) => name).sort()).toEqual(json.replay.cases.map((c) => c.name).sort());
    const html = new MarkdownIt({ html: true }).render(run.summary);
    expect(html).toMatch(/<details>\s*<summary>🟢 \d+ green cases<\/summary>\s*<table>/);
  }, 120_000);

  it("keeps the volume row in view with its figures and the run's length (examples/webhook)", async () => {
    const run = await runAction({ bundleDir, integration: "examples/webhook", api });
    const { shown, folded } = replayRows(run.summary);
    expect(shown.map(([icon, name]) => `${icon} ${name}`)).toContain("🟢 Volume — high data volumes");
    expect(folded.map(([, name]) => name)).not.toContain("Volume — high data volumes");
    const row = run.summary.split("\n").find((l) => l.includes("`Volume — high data volumes`"))!;
    // Time: the run's length (its events at its rate), not the 0 ms its case carries; the message: the measured figures.
    expect(row).toMatch(/\| `volume` \| {2}\| \d+(\.\d)? (s|ms) \| 10,000 events at [\d,]+ events\/s, p95 [\d.\\]+ ms/);
    expect(row).not.toContain("| 0 ms |");
  }, 180_000);
});
