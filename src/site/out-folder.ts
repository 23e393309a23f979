// The site folder must not hold the catalog: the build replaces out/integrations/, which must
// never be the records themselves.
import { stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";

const inside = (child: string, parent: string) => {
  const r = relative(parent, child);
  return r === "" || (!r.startsWith(`..${sep}`) && r !== ".." && !r.startsWith(sep));
};

export async function checkOutFolder(catalog: string, path: string, out: string): Promise<string | undefined> {
  if (path.split("/").some((p) => p === "..")) return `--path must stay inside the catalog folder, not "${path}".`;
  try {
    const st = await stat(catalog);
    if (!st.isDirectory()) return `${catalog} is not a folder; name the catalog repository's folder.`;
  } catch {
    return `the catalog folder ${catalog} does not exist.`;
  }
  if (inside(catalog, out))
    return `--out ${out} holds the catalog folder itself; write the site to a folder of its own (e.g. _site).`;
  if (inside(out, join(catalog, path)))
    return `--out ${out} is inside the records folder; write the site elsewhere (e.g. _site).`;
  return undefined;
}
