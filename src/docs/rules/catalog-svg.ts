// The catalog assets: the logo (horizontal) and the mark (square), both well-formed, safe SVG.
import { svgBoxes } from "../svg.js";
import { svgRule, type SvgContext } from "./context.js";

/** The boxes that give the drawing's shape, when the SVG is well formed. */
function shapes({ svg }: SvgContext): { w: number; h: number; offset: number; what: string }[] | undefined {
  if (!svg.root || svg.problems.some((p) => p.kind === "svg")) return undefined;
  const { viewBox, size } = svgBoxes(svg.root);
  return [
    viewBox && { ...viewBox, what: `its viewBox is ${viewBox.w} × ${viewBox.h}` },
    size && { ...size, what: `its width and height are ${size.w} × ${size.h}` },
  ].filter((b): b is NonNullable<typeof b> => !!b);
}

export const svg = svgRule({
  id: "catalog/svg",
  severity: "error",
  title: "The logo and mark are well-formed SVG files",
  description:
    "`app.logo` and `app.mark` must be SVG: UTF-8 XML whose root element is `<svg>`, at most 512 KiB. A PNG or JPEG " +
    "renamed to `.svg` is refused; export a vector SVG from the design tool instead.",
  check({ role, field, file, svg, report }) {
    if (!/\.svg$/i.test(file))
      report(`The ${role} (${field}) must be an .svg file; export it from the design tool as SVG.`, 0);
    for (const p of svg.problems)
      if (p.kind === "svg") report(`The ${role} (${field}) is not a well-formed SVG file: ${p.message}.`, p.offset);
  },
});

export const svgUnsafe = svgRule({
  id: "catalog/svg-unsafe",
  severity: "error",
  title: "The logo and mark hold no script and no external reference",
  description:
    "SVG files can run code and load other files. Logos and marks may not contain `<script>`, `<foreignObject>`, event " +
    "handler attributes (`onload`, …), `javascript:` URLs, links or references to other files or sites (`href`, " +
    "`xlink:href`, `src`, CSS `url(…)` or `@import` other than `#fragment` and embedded `data:image/…`), " +
    "`xml-stylesheet` instructions, or DTD entity declarations. Most design tools have an export option that leaves these out.",
  check({ role, field, svg, report }) {
    for (const p of svg.problems) {
      if (p.kind !== "svg")
        report(
          `The ${role} (${field}) is unsafe to show: ${p.message}. Remove it, or export the SVG again without scripts, links or embedded files.`,
          p.offset,
        );
    }
  },
});

export const markSquare = svgRule({
  id: "catalog/mark-square",
  severity: "error",
  title: "The mark is square",
  description:
    "The mark (`app.mark`) is shown in square slots: its `viewBox` (and its `width`/`height`, when given in absolute units) " +
    "must be square. An SVG with neither cannot be checked and is reported too.",
  check(ctx) {
    const boxes = ctx.role === "mark" ? shapes(ctx) : undefined;
    if (!boxes) return;
    if (boxes.length === 0) {
      ctx.report(
        'The mark (app.mark) has no viewBox or width and height, so it cannot be shown as a square; add a square viewBox, e.g. viewBox="0 0 64 64".',
        ctx.svg.root!.offset,
      );
    }
    for (const b of boxes) {
      if (Math.abs(b.w - b.h) <= 0.01 * Math.max(b.w, b.h)) continue;
      const side = Math.max(b.w, b.h);
      ctx.report(
        `The mark (app.mark) must be square, but ${b.what}; make the drawing square, e.g. viewBox="0 0 ${side} ${side}".`,
        b.offset,
      );
    }
  },
});

export const logoHorizontal = svgRule({
  id: "catalog/logo-horizontal",
  severity: "error",
  title: "The logo is horizontal",
  description:
    "The logo (`app.logo`) holds the tool's name and is shown in wide slots: it must be wider than it is tall, by its `viewBox` " +
    "(or its `width`/`height`).",
  check(ctx) {
    const boxes = ctx.role === "logo" ? shapes(ctx) : undefined;
    if (!boxes) return;
    if (boxes.length === 0) {
      ctx.report(
        "The logo (app.logo) has no viewBox or width and height, so its shape cannot be told; add a viewBox wider than it is tall.",
        ctx.svg.root!.offset,
      );
    }
    for (const b of boxes) {
      if (b.w <= b.h)
        ctx.report(
          `The logo (app.logo) must be horizontal (wider than tall, with the tool's name), but ${b.what}.`,
          b.offset,
        );
    }
  },
});
