// The page shell every page shares: language, title, the site's stylesheet, a skip link, the
// header with the two sections (catalog, review queue). `base` is the path back to the site root.
import { html, type Html } from "./html.js";

export interface PageOptions {
  title: string;
  base: string;
  section: "catalog" | "queue";
  body: Html;
  script?: boolean;
}

export function page(o: PageOptions): string {
  const nav = (href: string, label: string, current: boolean) =>
    html`<a href="${o.base}${href}"${current ? html` aria-current="page"` : ""}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>${o.title}</title>
<link rel="stylesheet" href="${o.base}assets/site.css">
${o.script ? html`<script src="${o.base}assets/site.js" defer></script>` : ""}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">${nav("", "Integrations", o.section === "catalog")}${nav("queue/", "Review queue", o.section === "queue")}</header>
<main id="main">
${o.body}
</main>
</body>
</html>
`.text;
}
