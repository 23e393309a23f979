// `npm run bench`: runs every bench/*.bench.ts in turn. Each compares against a baseline measured
// in the same run and prints ratios (absolute times drift on shared machines).
// `npm run bench -- spec` runs only the benches whose file name contains "spec".
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const dir = fileURLToPath(new URL(".", import.meta.url));
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && (!filter || f.includes(filter)))
  .sort();
for (const file of files) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: () => Promise<void> };
  console.log(`\n## ${file.replace(/\.bench\.ts$/, "")}\n`);
  await mod.default();
}
