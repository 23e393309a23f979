// An example integration copied to a temporary folder (its node_modules left out) with its
// integration.yml edited: real files on disk for replay, the CLI and review to read. Each test
// file removes its copies in afterAll with removeExampleCopies().
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const copies: string[] = [];

export async function copyExample(name: string, edit?: (yml: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `devcenter-${name}-copy-`));
  copies.push(dir);
  await cp(resolve("examples", name), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  if (edit) {
    const file = join(dir, "integration.yml");
    const yml = await readFile(file, "utf8");
    const edited = edit(yml);
    // An edit that matches nothing would leave the test reviewing the example as it is.
    if (edited === yml) throw new Error(`the edit of examples/${name}/integration.yml changed nothing`);
    await writeFile(file, edited);
  }
  return dir;
}

export async function removeExampleCopies(): Promise<void> {
  await Promise.all(copies.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}
