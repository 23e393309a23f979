// One integration's page, after the platform's own catalog pages: the "Destination Info" box
// (calls accepted, components, stage, version), the catalog copy, the settings, the docs page,
// the partner's links and the changelog with breaking changes and their upgrade deadlines.
import { STAGE_TITLES, CATALOG_STAGES, type Stage } from "../core/vocabulary.js";
import { html, safeUrl, type Html } from "./html.js";
import type { ImageUrls } from "./images.js";
import { page } from "./layout.js";
import { plainParagraphs, renderMarkdown } from "./markdown.js";
import type { SiteIntegration, SiteVersion } from "./model.js";

const CALL_TITLE = (c: string) => c[0]!.toUpperCase() + c.slice(1);

export function stageTitle(catalogStage: string): string {
  const stage = (Object.keys(CATALOG_STAGES) as Stage[]).find((s) => CATALOG_STAGES[s] === catalogStage);
  return stage ? STAGE_TITLES[stage] : catalogStage;
}

function listOf(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

const day = (iso?: string) => (iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : (iso ?? ""));

function infoBox(i: SiteIntegration): Html {
  return html`<aside class="info" aria-labelledby="info"><h2 id="info">Destination Info</h2><ul>
${i.calls.length ? html`<li>Accepts ${listOf(i.calls.map(CALL_TITLE))} calls.</li>` : i.legacy ? "" : html`<li>Accepts no calls from the platform (it sends events in).</li>`}
<li>Refer to it as <strong>${i.name}</strong> in the Integrations object.</li>
${i.components.length ? html`<li>Components: ${i.components.map((c, n) => html`${n ? ", " : ""}${c.kind}${c.name ? html` (${c.name})` : ""}`)}.</li>` : ""}
<li>Stage: <strong>${stageTitle(i.stage)}</strong>.${i.stage === "PUBLIC_BETA" ? " This integration is in Beta." : ""}</li>
${i.version ? html`<li>Version ${i.version}.</li>` : ""}
${i.legacy ? html`<li class="muted">Listed before the catalog kept approved versions: the calls, settings and docs are shown once a new version is approved.</li>` : ""}
</ul></aside>`;
}

function settingsTable(i: SiteIntegration): Html {
  if (!i.settings.length) return i.legacy ? html`` : html`<h2>Settings</h2><p>This integration has no settings.</p>`;
  const yes = (b: boolean) => (b ? "Yes" : "No");
  return html`<h2>Settings</h2><div class="wrap"><table><caption class="muted">What a customer fills in to connect it</caption><thead><tr><th scope="col">Setting</th><th scope="col">Key</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Secret</th></tr></thead><tbody>
${i.settings.map(
  (
    s,
  ) => html`<tr><th scope="row">${s.label}${s.description ? html`<br><span class="muted">${s.description}</span>` : ""}</th><td><code>${s.key}</code></td><td>${s.type}</td><td>${yes(s.required)}</td><td>${yes(s.secret)}</td></tr>
`,
)}</tbody></table></div>`;
}

function links(i: SiteIntegration): Html {
  const items: Html[] = [];
  const web = safeUrl(i.website);
  const docs = safeUrl(i.documentationUrl);
  const mail =
    i.supportEmail && /^[^\s@<>"']+@[^\s@<>"']+$/.test(i.supportEmail) ? `mailto:${i.supportEmail}` : undefined;
  if (web) items.push(html`<li><a href="${web}" rel="nofollow noopener">Website</a></li>`);
  if (docs) items.push(html`<li><a href="${docs}" rel="nofollow noopener">The partner's documentation</a></li>`);
  if (mail) items.push(html`<li>Support: <a href="${mail}" rel="nofollow noopener">${i.supportEmail}</a></li>`);
  return items.length ? html`<h2>Links</h2><ul>${items}</ul>` : html``;
}

function changelog(i: SiteIntegration): Html {
  const versions = i.history.filter((h): h is SiteVersion & { version: string } => !!h.version);
  const rows = new Map<string, SiteVersion & { version: string }>();
  for (const v of versions) if (!rows.has(v.version)) rows.set(v.version, v);
  const breaking = new Map(i.breakingChanges.map((b) => [b.version, b] as const));
  const entries = [...rows.values()].reverse();
  const promotions = i.history.filter((h) => !h.version);
  if (!entries.length && !promotions.length) return html``;
  return html`<h2>Versions</h2>${i.version ? html`<p>Current version: <strong>${i.version}</strong></p>` : ""}<ul>
${entries.map((v) => {
  const b = breaking.get(v.version);
  return html`<li><strong>${v.version}</strong> — ${stageTitle(v.stage)}${v.approvedAt ? html`, approved ${day(v.approvedAt)}` : ""}${v.breaking || b ? html` <span class="b brk">Breaking change</span>` : ""}${b ? html`<br>${b.message}${b.upgradeDeadline ? html` <strong>Upgrade by ${day(b.upgradeDeadline)}.</strong>` : ""}${b.migrationGuide ? html` Migration guide: <code>${b.migrationGuide}</code>.` : ""}` : ""}</li>
`;
})}${promotions.map(
  (v) => html`<li>${stageTitle(v.stage)}${v.approvedAt ? html`, approved ${day(v.approvedAt)}` : ""}</li>
`,
)}</ul>`;
}

export function integrationPage(i: SiteIntegration, images: ImageUrls): string {
  const hero = images.logo ?? images.mark;
  const copy = i.catalogCopy ? plainParagraphs(i.catalogCopy) : i.description ? html`<p>${i.description}</p>` : html``;
  const body = html`<p><a href="../../">← All integrations</a></p>
<div class="hero">${hero ? html`<img src="${hero}" alt="${i.name} logo" height="64">` : ""}<h1>${i.name}</h1>${i.stage === "PUBLIC_BETA" ? html`<span class="b">Beta</span>` : ""}</div>
${i.categories.length ? html`<p class="muted">${i.categories.join(" · ")}</p>` : ""}
${infoBox(i)}
<section aria-labelledby="about"><h2 id="about">About</h2><div class="copy">${copy}</div></section>
${settingsTable(i)}
${i.docs ? html`<section aria-labelledby="docs"><h2 id="docs">Documentation</h2><div class="doc">${renderMarkdown(i.docs)}</div></section>` : ""}
${links(i)}
${changelog(i)}`;
  return page({ title: `${i.name} — Integrations`, base: "../../", section: "catalog", body });
}
