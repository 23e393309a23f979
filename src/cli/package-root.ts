// The devcenter package's own folder (for examples/, schemas/, templates/), found from this
// module whether it runs from src/ under tsx or from the dist/ bundle.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "devcenter")
      return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("devcenter's package.json was not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
