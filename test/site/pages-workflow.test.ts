// The workflow template operators copy into the catalog repository: it builds the site on every
// push and on a schedule, publishes with actions/upload-pages-artifact and actions/deploy-pages,
// asks for no more than Pages needs — and its build command works (run here as a child process,
// with this checkout's devcenter in place of the package npx would fetch).
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeRecord } from "./catalog-fixture.js";

const ROOT = join(import.meta.dirname, "../..");
const text = await readFile(join(ROOT, "templates/workflows/catalog-site.yml"), "utf8");
type Step = { uses?: string; run?: string; with?: Record<string, unknown>; id?: string };
const workflow = parse(text) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { needs?: string; steps: Step[]; environment?: { name: string } }>;
};
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "devcenter-pages-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("templates/workflows/catalog-site.yml", () => {
  it("runs on every push to the default branch and on a schedule", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["push", "schedule", "workflow_dispatch"]);
    expect((workflow.on.schedule as { cron: string }[])[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
  });

  it("asks only for what Pages needs", () => {
    expect(workflow.permissions).toEqual({ contents: "read", pages: "write", "id-token": "write" });
  });

  it("uploads the folder it built with upload-pages-artifact and deploys it with deploy-pages", () => {
    const build = steps.find((s) => s.run?.includes("devcenter catalog build"))!;
    const out = /--out (\S+)/.exec(build.run!)![1];
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-pages-artifact@"));
    expect(upload?.with?.path).toBe(out);
    expect(workflow.jobs.deploy!.needs).toBe("build");
    expect(workflow.jobs.deploy!.environment?.name).toBe("github-pages");
    expect(workflow.jobs.deploy!.steps.map((s) => s.uses)).toEqual(["actions/deploy-pages@v4"]);
  });

  it("its build command builds the site from a catalog checkout (a child process of the built CLI)", async () => {
    const build = steps.find((s) => s.run?.includes("devcenter catalog build"))!;
    const args = build.run!.split(/\s+/);
    const at = args.indexOf("devcenter");
    const catalog = join(dir, "catalog");
    await writeRecord(catalog, { slug: "acme-analytics", name: "Acme Analytics", stage: "PUBLIC" });
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, "bin/devcenter.js"), ...args.slice(at + 1)],
      { cwd: catalog },
    );
    expect(stdout).toBe("Built 3 pages in _site: 1 listed integration, the index and the review queue.\n");
    expect(stderr).toBe("");
    expect(await readFile(join(catalog, "_site/integrations/acme-analytics/index.html"), "utf8")).toContain(
      "<h1>Acme Analytics</h1>",
    );
  });
});
