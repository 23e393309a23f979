// Partner logos and marks: copied as files and shown only through <img> (a script inside an SVG
// shown as an image never runs). Copied only when small and safe on their own too — someone who
// opens the file's URL directly gets it as a document, so an SVG holding a script, or one too big
// for a catalog page, is not published: the page shows a placeholder and the build warns.
import { copyFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { LIMITS, formatBytes } from "../core/limits.js";
import { decodeText } from "../core/text.js";
import { readSvg, sniffNonSvg } from "../docs/svg.js";
import type { SiteImage } from "./model.js";

export interface ImageUrls {
  logo?: string;
  mark?: string;
}

/** Why the image is not published, or undefined when it may be. */
export async function imageProblem(image: SiteImage): Promise<string | undefined> {
  if (image.bytes > LIMITS.imageBytes)
    return `is ${formatBytes(image.bytes)}, more than the ${formatBytes(LIMITS.imageBytes)} a catalog image may be; not copied, a placeholder is shown`;
  const bytes = await readFile(image.source);
  const other = sniffNonSvg(bytes);
  if (other) return `is ${other}, not an SVG; not copied, a placeholder is shown`;
  const decoded = decodeText(bytes, "the image");
  if (!decoded.ok) return `is not UTF-8 SVG text; not copied, a placeholder is shown`;
  const problem = readSvg(decoded.text).problems[0];
  if (problem) return `is not a safe SVG (${problem.message}); not copied, a placeholder is shown`;
  return undefined;
}

/** Copies what may be published into `dir`; returns the file names shown and the warnings. */
export async function publishImages(
  images: { logo?: SiteImage; mark?: SiteImage },
  dir: string,
): Promise<{ urls: ImageUrls; warnings: string[] }> {
  const urls: ImageUrls = {};
  const warnings: string[] = [];
  for (const role of ["logo", "mark"] as const) {
    const image = images[role];
    if (!image) continue;
    let problem: string | undefined;
    try {
      problem = await imageProblem(image);
      if (!problem) await copyFile(image.source, join(dir, `${role}.svg`));
    } catch (error) {
      problem = `could not be copied (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); a placeholder is shown`;
    }
    if (problem) warnings.push(`the ${role} ${problem}`);
    else urls[role] = `${role}.svg`;
  }
  return { urls, warnings };
}
