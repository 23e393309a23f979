// The built catalog site in a real browser: Debian's Chromium driven by playwright-core, the site
// served from a local static server on 127.0.0.1. Screenshots of the index and one page at 1280
// and 390 pixels wide are written to test-artifacts/site/ (kept out of git) for a person to look at.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUE_SCHEMA } from "../../src/core/review-queue.js";
import { buildSite } from "../../src/site/build.js";
import { writeLegacyRecord, writeRecord } from "./catalog-fixture.js";
import { serveFolder, type StaticServer } from "./static-server.js";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(import.meta.dirname, "../../test-artifacts/site");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
/** HTML, Markdown and an @-mention in one description: a customer must see it as written. */
const HOSTILE_TEXT = `<b>Bold?</b> <img src=x onerror="window.__xss=1"> **not bold** @octocat [link](https://evil.example)`;
const SCRIPTED_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>fetch("/__svg-script-ran");window.top.__svg=1</script><rect width="10" height="10" fill="red"/></svg>`;
const LISTED = ["Acme Analytics", "Beacon CRM", "Hostile Partner", "Old Timer", "Scripted Logo"];

let dir: string;
let server: StaticServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does).`);
  dir = await mkdtemp(join(tmpdir(), "devcenter-site-browser-"));
  const catalog = join(dir, "catalog");
  await writeRecord(catalog, {
    slug: "acme-analytics",
    name: "Acme Analytics",
    stage: "PUBLIC_BETA",
    categories: ["Analytics"],
  });
  await writeRecord(catalog, {
    slug: "beacon-crm",
    name: "Beacon CRM",
    stage: "PUBLIC",
    categories: ["CRM", "Email"],
    description: "Beacon CRM keeps customer profiles in step with every identify call.",
  });
  await writeRecord(catalog, {
    slug: "hostile-partner",
    name: "Hostile Partner",
    stage: "PUBLIC",
    categories: ["Email"],
    description: HOSTILE_TEXT,
    catalogCopy: `${HOSTILE_TEXT}\n\n<script>window.__xss=2</script>`,
  });
  await writeRecord(catalog, {
    slug: "scripted-logo",
    name: "Scripted Logo",
    stage: "PUBLIC_BETA",
    categories: ["Analytics"],
    logo: false,
  });
  await writeRecord(catalog, { slug: "in-preview", name: "In Preview", stage: "PRIVATE_BUILDING" });
  await writeLegacyRecord(catalog, { slug: "old-timer", name: "Old Timer", stage: "PUBLIC" });
  await writeFile(
    join(catalog, "queue.json"),
    JSON.stringify({
      schema: QUEUE_SCHEMA,
      takenAt: "2026-12-01T09:30:00.000Z",
      reviewBusinessDays: 2,
      entries: [
        {
          repository: "partners/acme",
          pullRequest: 7,
          url: "https://github.com/partners/acme/pull/7",
          title: "Add the group call",
          partner: "acme-dev",
          integration: { slug: "acme-analytics", name: "Acme Analytics", root: "" },
          stage: "public-beta",
          target: "public",
          since: "2026-11-26T10:00:00.000Z",
          businessDays: 3,
          overdue: true,
          state: "waiting",
          blockedBy: [],
        },
        {
          repository: "partners/beacon",
          pullRequest: 2,
          url: "https://github.com/partners/beacon/pull/2",
          title: "First submission",
          partner: "beacon-dev",
          integration: { slug: "beacon-crm", name: "Beacon CRM", root: "" },
          stage: "developer-preview",
          target: "public-beta",
          since: "2026-11-30T10:00:00.000Z",
          businessDays: 1,
          overdue: false,
          state: "blocked",
          blockedBy: ["Spec conformance", "Docs page"],
        },
      ],
    }),
  );
  const out = join(dir, "site");
  await buildSite({ catalog, out });
  // The build refuses a scripted SVG (tested in bad-input); here one is planted after the build to
  // show that an <img> would not run it even if it were published.
  await writeFile(join(out, "integrations/scripted-logo/mark.svg"), SCRIPTED_SVG);
  const index = join(out, "index.html");
  await writeFile(
    index,
    (await readFile(index, "utf8")).replace(
      '<a href="integrations/scripted-logo/"><span class="ph" data-l="S"></span>',
      '<a href="integrations/scripted-logo/"><img class="m" src="integrations/scripted-logo/mark.svg" alt="" width="40" height="40">',
    ),
  );
  server = await serveFolder(out, { "/__axe.js": { type: "text/javascript", body: await readFile(AXE, "utf8") } });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Nothing leaves 127.0.0.1.
  await context.route("**/*", (route) =>
    new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort(),
  );
  await mkdir(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function open(path: string, c: BrowserContext = context): Promise<Page> {
  const page = await c.newPage();
  page.on("dialog", (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await page.goto(new URL(path, server.url).href);
  return page;
}

const visibleTiles = (page: Page) => page.locator(".t:visible a").allTextContents();

describe("the catalog site in Chromium", () => {
  it("the index lists exactly the listed integrations", async () => {
    const page = await open("/");
    expect((await visibleTiles(page)).sort()).toEqual(LISTED);
    expect(await page.locator("#count").textContent()).toBe("5 integrations");
    await page.close();
  });

  it("search and the category filter narrow it, and the URL keeps them", async () => {
    const page = await open("/");
    await page.getByLabel("Search").fill("profiles");
    expect(await visibleTiles(page)).toEqual(["Beacon CRM"]);
    expect(await page.locator("#count").textContent()).toBe("1 integration");
    expect(new URL(page.url()).search).toBe("?q=profiles");
    await page.getByLabel("Search").fill("");
    await page.getByLabel("Category").selectOption({ label: "Email" });
    expect((await visibleTiles(page)).sort()).toEqual(["Beacon CRM", "Hostile Partner"]);
    // A group with nothing left in it is hidden.
    expect(await page.locator("section.g:visible h2").allTextContents()).toEqual(["CRM", "Email"]);
    await page.getByLabel("Search").fill("hostile");
    expect(await visibleTiles(page)).toEqual(["Hostile Partner"]);
    // Search covers descriptions: the Scripted Logo's copy mentions Acme too.
    const again = await open(`/?c=analytics&q=acme`);
    expect(await visibleTiles(again)).toEqual(["Acme Analytics", "Scripted Logo"]);
    await page.close();
    await again.close();
  });

  it("a tile opens its page with the right name, stage, settings and calls", async () => {
    const page = await open("/");
    await page.getByRole("link", { name: "Acme Analytics" }).click();
    await page.waitForURL(/\/integrations\/acme-analytics\/$/);
    expect(await page.locator("h1").textContent()).toBe("Acme Analytics");
    const info = page.locator("aside.info");
    expect(await info.textContent()).toContain("Accepts Identify, Track, Page, Group and Delete calls.");
    expect(await info.textContent()).toContain("Stage: Public Beta. This integration is in Beta.");
    const rows = await page
      .locator("table tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) =>
          Array.from(tr.querySelectorAll("th,td"), (c) =>
            (c as { firstChild?: { textContent: string | null } | null }).firstChild?.textContent?.trim(),
          ),
        ),
      );
    expect(rows).toEqual([
      ["API Key", "apiKey", "string", "Yes", "Yes"],
      ["Region", "region", "select", "No", "No"],
    ]);
    await page.close();
  });

  it("keyboard alone (Tab, Enter) reaches and opens every tile", async () => {
    const page = await open("/");
    const inPageOrder = await page.locator(".t a").allTextContents();
    expect([...inPageOrder].sort()).toEqual(LISTED);
    const opened: string[] = [];
    for (const name of inPageOrder) {
      // Tab from the top of a freshly loaded index until the tile's link has focus.
      await page.goto(server.url);
      let focused = "";
      for (let i = 0; i < 40 && focused !== name; i++) {
        await page.keyboard.press("Tab");
        focused = await page.evaluate<string>(
          `document.activeElement?.closest(".t") ? document.activeElement.textContent : ""`,
        );
      }
      expect(focused, `Tab never reached ${name}`).toBe(name);
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/integrations\/[a-z-]+\/$/);
      opened.push((await page.locator("h1").textContent()) ?? "");
    }
    expect(opened).toEqual(inPageOrder);
    await page.close();
  });

  it("axe-core finds no serious or critical violation on the index, a page and the queue", async () => {
    for (const path of [
      "/",
      "/integrations/acme-analytics/",
      "/integrations/hostile-partner/",
      "/integrations/old-timer/",
      "/queue/",
    ]) {
      const page = await open(path);
      await page.addScriptTag({ url: "/__axe.js" });
      const violations = await page.evaluate(async () => {
        const result = await (
          globalThis as unknown as {
            axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
          }
        ).axe.run({ resultTypes: ["violations"] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      });
      expect(
        violations.filter((v) => v.impact === "serious" || v.impact === "critical"),
        path,
      ).toEqual([]);
      await page.close();
    }
  });

  it("an SVG logo holding <script> does not run it", async () => {
    const page = await open("/");
    const img = page.locator('img[src="integrations/scripted-logo/mark.svg"]');
    await expect
      .poll(() =>
        img.evaluate(
          (i) =>
            (i as unknown as { complete: boolean; naturalWidth: number }).complete &&
            (i as unknown as { naturalWidth: number }).naturalWidth > 0,
        ),
      )
      .toBe(true);
    await page.waitForTimeout(300);
    expect(server.requests).toContain("/integrations/scripted-logo/mark.svg");
    expect(server.requests).not.toContain("/__svg-script-ran");
    expect(await page.evaluate(() => (globalThis as { __svg?: number }).__svg)).toBeUndefined();
    await page.close();
  });

  it("a description holding HTML, Markdown and @mentions shows as text", async () => {
    const index = await open("/");
    const tile = index.locator(".t", { hasText: "Hostile Partner" });
    expect(await tile.locator("p").textContent()).toBe(HOSTILE_TEXT);
    expect(await tile.locator("p *").count()).toBe(0);
    const page = await open("/integrations/hostile-partner/");
    const copy = page.locator(".copy");
    // The catalog copy is plain prose, as the platform's catalog shows it (rule catalog/markup):
    // emphasis and links reduced to their text, the HTML shown as text, the mention no link.
    expect(await copy.locator("p").first().textContent()).toBe(
      HOSTILE_TEXT.replace("**not bold**", "not bold").replace("[link](https://evil.example)", "link"),
    );
    expect(await copy.locator("b, img, script, a").count()).toBe(0);
    expect(await copy.textContent()).toContain("<script>window.__xss=2</script>");
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    expect(await index.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    await index.close();
    await page.close();
  });

  it("the queue page shows every open submission, what needs a reviewer first, and when the snapshot was taken", async () => {
    const page = await open("/queue/");
    expect(await page.locator("main > p").first().textContent()).toContain("Snapshot taken 2026-12-01 09:30 UTC.");
    const rows = await page
      .locator("tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) =>
          Array.from(tr.querySelectorAll("th,td"), (c) =>
            (c as unknown as { innerText: string }).innerText.replace(/\s+/g, " ").trim(),
          ),
        ),
      );
    expect(rows).toEqual([
      [
        "Acme Analytics Public Beta → Public",
        "partners/acme#7 Add the group call",
        "acme-dev",
        "3 business days of 2 (overdue)",
        "Waiting for a reviewer",
      ],
      [
        "Beacon CRM Developer Preview → Public Beta",
        "partners/beacon#2 First submission",
        "beacon-dev",
        "1 business day of 2",
        "Blocked by automatic items Spec conformance Docs page",
      ],
    ]);
    await page.close();
  });

  it("works without JavaScript: every tile and the category links are there, the search stays hidden", async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    await noJs.route("**/*", (route) =>
      new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort(),
    );
    const page = await open("/", noJs);
    expect((await visibleTiles(page)).sort()).toEqual(LISTED);
    expect(await page.locator("form.find").isVisible()).toBe(false);
    await page.getByRole("link", { name: "Email" }).click();
    expect(new URL(page.url()).hash).toBe("#c-email");
    await noJs.close();
  });

  it("writes screenshots of the index and one page at 1280 and 390 pixels wide", async () => {
    for (const width of [1280, 390]) {
      const c = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
      await c.route("**/*", (route) =>
        new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort(),
      );
      for (const [name, path] of [
        ["index", "/"],
        ["page", "/integrations/acme-analytics/"],
        ["queue", "/queue/"],
      ] as const) {
        const page = await open(path, c);
        const file = join(ARTIFACTS, `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        // Nothing wider than the viewport: no sideways scrolling on a phone.
        expect(
          await page.evaluate<number>("document.documentElement.scrollWidth"),
          `${name} at ${width}`,
        ).toBeLessThanOrEqual(width);
        expect(existsSync(file)).toBe(true);
      }
      await c.close();
    }
  });
});
