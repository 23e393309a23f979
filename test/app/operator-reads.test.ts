// The catalog repository's files (policy.yml, both forms of a catalog record) are read in one
// GraphQL query through the operator's installation (src/app/operator-reads.ts), and every failure
// keeps the behaviour of the REST reads it replaced (docs/operator-guide.md, docs/catalog-repository.md):
// an absent policy is the built-in one; one that cannot be used is a warning; one that cannot be
// reached fails the run unless a good read is cached; an unreadable record is said, never a crash;
// what GraphQL cannot give exactly (a binary file, a query GitHub refuses) is read by REST.
// GitHub is faked (nock, net connect disabled); nothing else is.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../src/core/policy.js";
import { CHECK_NAMES } from "../../src/core/vocabulary.js";
import { FakeGitHub } from "./fake-github.js";
import { HEAD, HEAD2, OWNER, PARTNER, PR, REPO, harness, prEventNow, world } from "./harness.js";

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const RECORD = (stage = "DEVELOPER_PREVIEW") =>
  `${JSON.stringify({ schema: 2, slug: "acme-analytics", name: "Acme Analytics", repository: `${OWNER}/${REPO}`, root: "", stage, history: [] }, null, 2)}\n`;
const isCatalogQuery = (method: string, path: string, body: any) =>
  method === "POST" && path === "/graphql" && /query CatalogFiles/.test(String(body?.query));

async function opened(catalog: Record<string, string>, setup: (fake: FakeGitHub) => void = () => {}) {
  const fake = new FakeGitHub(world({ catalog }));
  setup(fake);
  nock.cleanAll(); // a test may open twice: the second fake answers
  const h = await harness(fake);
  await h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }));
  const result = h.results.at(-1)!;
  const catalogReads = fake.log.filter(
    (r) => r.path.startsWith("/repos/platform/catalog/") || isCatalogQuery(r.method, r.path, r.body),
  );
  return {
    fake,
    h,
    result,
    catalogReads: catalogReads.map((r) => (r.path === "/graphql" ? "graphql CatalogFiles" : `${r.method} ${r.path}`)),
  };
}

describe("the catalog repository in one query", () => {
  it("a record in the folder form and policy.yml: one call, the record found with its blob SHA, the policy applied", async () => {
    const r = await opened({
      "integrations/acme-analytics/record.json": RECORD("PUBLIC_BETA"),
      "policy.yml": "volume:\n  events: 20000\n",
    });
    expect(r.catalogReads).toEqual(["graphql CatalogFiles"]);
    expect(r.result.snapshot!.catalogs["acme-analytics"]).toMatchObject({
      status: "found",
      path: "integrations/acme-analytics/record.json",
      record: { stage: "PUBLIC_BETA" },
    });
    expect(r.result.snapshot!.policy!.policy.volume.events).toBe(20_000);
    expect(r.result.state!.integrations[0]!.currentStage).toBe("public-beta");
  });

  it("a record in the legacy one-file form: found in the same call", async () => {
    const r = await opened({ "integrations/acme-analytics.json": RECORD("PUBLIC_BETA") });
    expect(r.catalogReads).toEqual(["graphql CatalogFiles"]);
    expect(r.result.snapshot!.catalogs["acme-analytics"]).toMatchObject({
      status: "found",
      path: "integrations/acme-analytics.json",
    });
    expect(r.result.snapshot!.policy).toEqual({ policy: DEFAULT_POLICY });
  });

  it("no record and no policy.yml: absent (Developer Preview) and the built-in policy", async () => {
    const r = await opened({});
    expect(r.catalogReads).toEqual(["graphql CatalogFiles"]);
    expect(r.result.snapshot!.catalogs["acme-analytics"]).toEqual({
      status: "absent",
      path: "integrations/acme-analytics/record.json",
    });
    expect(r.result.state!.integrations[0]!.currentStage).toBe("developer-preview");
  });

  it("a record that is a folder, a record that is not JSON: said on the checklist, never a crash", async () => {
    const folder = await opened({ "integrations/acme-analytics/record.json/x": "{}" });
    expect(folder.result.snapshot!.catalogs["acme-analytics"]).toEqual({
      status: "error",
      path: "integrations/acme-analytics/record.json",
      message: "platform/catalog/integrations/acme-analytics/record.json is not a file.",
    });
    const broken = await opened({ "integrations/acme-analytics/record.json": '{"schema": 2, "slug": "acme-' });
    // GraphQL's text does not parse: read again by REST (a symlink only the contents API follows), same verdict.
    expect(broken.catalogReads).toEqual([
      "graphql CatalogFiles",
      "GET /repos/platform/catalog/contents/integrations/acme-analytics/record.json",
    ]);
    expect(broken.result.snapshot!.catalogs["acme-analytics"]).toMatchObject({
      status: "error",
      message: expect.stringContaining("is not valid JSON"),
    });
    expect(broken.fake.runsOn(HEAD, CHECK_NAMES.review)).toHaveLength(1);
  });

  it("policy.yml that is a folder or binary: the built-in policy applies and the check run says why", async () => {
    const folder = await opened({ "policy.yml/x": "a" });
    expect(folder.result.snapshot!.policy).toEqual({
      policy: DEFAULT_POLICY,
      problem:
        "The operator's platform/catalog/policy.yml cannot be used, so the built-in policy applies: it is not a file.",
    });
    const binary = await opened({ "policy.yml": "volume:\0\n" });
    // GraphQL gives no text for a binary file: read by REST, judged as before.
    expect(binary.catalogReads).toContain("GET /repos/platform/catalog/contents/policy.yml");
    expect(binary.result.snapshot!.policy!.problem).toContain("looks like a binary file");
  });

  it("the catalog repository the installation cannot see (GitHub refuses the query): read by REST, as before", async () => {
    const r = await opened({}, (fake) => (fake as any).repos.delete("platform/catalog"));
    expect(r.catalogReads).toEqual([
      "graphql CatalogFiles",
      "GET /repos/platform/catalog/contents/policy.yml",
      "GET /repos/platform/catalog/contents/integrations/acme-analytics/record.json",
      "GET /repos/platform/catalog/contents/integrations/acme-analytics.json",
    ]);
    expect(r.result.snapshot!.policy).toEqual({ policy: DEFAULT_POLICY });
    expect(r.result.snapshot!.catalogs["acme-analytics"]!.status).toBe("absent");
  });

  it("the query failing with no policy read yet fails the run on the check run; with one cached, the cached policy applies and the record's failure is said", async () => {
    const fake = new FakeGitHub(world({ catalog: { "policy.yml": "volume:\n  events: 20000\n" } }));
    const h = await harness(fake);
    const failing = { match: isCatalogQuery, status: 502, times: 1000 };
    fake.failures.push(failing);
    await expect(h.receive("pull_request", prEventNow(fake, "opened", { sender: PARTNER }))).rejects.toThrow(
      /could not read the operator's policy\.yml from platform\/catalog \(502\)/,
    );
    expect(fake.runsOn(HEAD, CHECK_NAMES.review).at(-1)!.conclusion).toBe("failure");

    failing.times = 0;
    await h.receive("pull_request", prEventNow(fake, "synchronize", { sender: PARTNER }));
    expect(h.results.at(-1)!.snapshot!.policy!.policy.volume.events).toBe(20_000);

    // A minute later (the record's cache expired, the policy's has not): the query fails again.
    failing.times = 1000;
    fake.tick(2 * 60_000);
    fake.pull(OWNER, REPO, PR).head = HEAD2;
    await h.receive("pull_request", prEventNow(fake, "synchronize", { sender: PARTNER }));
    const last = h.results.at(-1)!.snapshot!;
    expect(last.policy!.policy.volume.events).toBe(20_000);
    expect(last.catalogs["acme-analytics"]).toEqual({
      status: "error",
      path: "integrations/acme-analytics/record.json",
      message: "the catalog repository could not be read (502)",
    });
  });

  it("caches: a second event within the minute reads nothing from the catalog repository; a stage label reads both fresh", async () => {
    const r = await opened({ "integrations/acme-analytics/record.json": RECORD() });
    r.fake.clearLog();
    await r.h.receive("pull_request", prEventNow(r.fake, "edited", { sender: PARTNER }));
    expect(
      r.fake.log.filter((x) => isCatalogQuery(x.method, x.path, x.body) || x.path.includes("platform/catalog")),
    ).toEqual([]);
    r.fake.label(OWNER, REPO, PR, "stage: public-beta", PARTNER);
    r.fake.clearLog();
    await r.h.receive("pull_request", prEventNow(r.fake, "labeled", { label: "stage: public-beta", sender: PARTNER }));
    const query = r.fake.log.find((x) => isCatalogQuery(x.method, x.path, x.body))!;
    expect(
      Object.values(query.body.variables)
        .filter((v) => String(v).startsWith("HEAD:"))
        .sort(),
    ).toEqual([
      "HEAD:integrations/acme-analytics.json",
      // The approved files a record folder may keep, asked with it (the change check compares their content).
      ...["catalog.md", "docs.md", "logo.svg", "mark.svg", "record.json"].map(
        (f) => `HEAD:integrations/acme-analytics/${f}`,
      ),
      "HEAD:policy.yml",
    ]);
  });
});
