// The index: one tile per listed integration (mark or logo, name, categories, a Beta badge),
// grouped by its first category and sorted by name; category links that work without script,
// and a search and category filter the script enhances.
import { html, type Html } from "./html.js";
import { page } from "./layout.js";
import type { SiteIntegration } from "./model.js";
import type { ImageUrls } from "./images.js";

const OTHER = "Other";
const TILE_TEXT = 160;

export function categoryId(name: string): string {
  const id = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return id || "x";
}

const byName = (a: SiteIntegration, b: SiteIntegration) =>
  a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.slug.localeCompare(b.slug);
const clip = (t: string) => (t.length > TILE_TEXT ? `${t.slice(0, TILE_TEXT - 1).trimEnd()}…` : t);

function tile(i: SiteIntegration, images: ImageUrls): Html {
  const url = `integrations/${i.slug}/`;
  const img = images.mark ?? images.logo;
  return html`<li class="t" data-c="${i.categories.map(categoryId).join(" ")}"><a href="${url}">${img ? html`<img class="m" src="${url}${img}" alt="" width="40" height="40" loading="lazy">` : html`<span class="ph" data-l="${[...i.name][0]?.toUpperCase()}"></span>`}${i.name}</a>${i.stage === "PUBLIC_BETA" ? html`<span class="b">Beta</span>` : ""}${i.description ? html`<p>${clip(i.description)}</p>` : ""}${i.categories.length ? html`<small>${i.categories.join(" · ")}</small>` : ""}</li>
`;
}

export function indexPage(listed: SiteIntegration[], imagesOf: (i: SiteIntegration) => ImageUrls): string {
  // Grouped under the first category (a tile appears once); the filter matches any of its categories.
  const groups = new Map<string, { name: string; tiles: SiteIntegration[] }>();
  const categories = new Map<string, string>();
  for (const i of [...listed].sort(byName)) {
    const first = i.categories[0] ?? OTHER;
    const g = groups.get(categoryId(first)) ?? { name: first, tiles: [] };
    g.tiles.push(i);
    groups.set(categoryId(first), g);
    for (const c of i.categories) if (!categories.has(categoryId(c))) categories.set(categoryId(c), c);
  }
  const byTitle = (a: [string, { name: string } | string], b: [string, { name: string } | string]) => {
    const [x, y] = [typeof a[1] === "string" ? a[1] : a[1].name, typeof b[1] === "string" ? b[1] : b[1].name];
    return x === OTHER ? 1 : y === OTHER ? -1 : x.localeCompare(y, "en", { sensitivity: "base" });
  };
  const sorted = [...groups.entries()].sort(byTitle);
  const options = [...categories.entries()].sort(byTitle);
  const count = `${listed.length} ${listed.length === 1 ? "integration" : "integrations"}`;
  const body = html`<h1>Integrations</h1>
<p>Every integration customers can enable: Public Beta and Public. <span id="count" aria-live="polite">${count}</span></p>
<form class="find" role="search" hidden><label>Search<input type="search" name="q" autocomplete="off"></label><label>Category<select name="c"><option value="">All categories</option>${options.map(([id, name]) => html`<option value="${id}">${name}</option>`)}</select></label></form>
${sorted.length ? html`<nav aria-label="Categories"><ul class="cats">${sorted.map(([id, g]) => html`<li><a href="#c-${id}">${g.name}</a></li>`)}</ul></nav>` : html`<p>No integration is listed yet.</p>`}
${sorted.map(
  ([id, g]) => html`<section class="g" aria-labelledby="c-${id}"><h2 id="c-${id}">${g.name}</h2><ul class="tiles">
${g.tiles.map((i) => tile(i, imagesOf(i)))}</ul></section>
`,
)}`;
  return page({ title: "Integrations", base: "./", section: "catalog", body, script: true });
}
