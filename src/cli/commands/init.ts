// `devcenter init [dir]`: scaffolds an integration that passes review as generated, by copying
// one of the examples and renaming it.
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { packageRoot } from "../package-root.js";
import type { Command } from "../command.js";
import { EXIT, UsageError, type CliIO } from "../io.js";

// Each style copies an example; `overlay` files from templates/init/ replace the example's (the
// stream scaffold runs on @segment/analytics-node, where the example needs no install).
const STYLES = {
  webhook: {
    dir: "webhook",
    name: "Acme Analytics",
    slug: "acme-analytics",
    short: "Acme",
    domain: "acme.example",
    what: "server",
  },
  function: {
    dir: "function",
    name: "Beacon CRM",
    slug: "beacon-crm",
    short: "Beacon",
    domain: "beacon.example",
    what: "handler",
  },
  plugin: {
    dir: "plugin",
    name: "Pulse Analytics",
    slug: "pulse-analytics",
    short: "Pulse",
    domain: "pulse.example",
    what: "plugin",
  },
  stream: {
    dir: "stream",
    name: "Cobalt Forms",
    slug: "cobalt-forms",
    short: "Cobalt",
    domain: "cobalt.example",
    what: "stream program",
    overlay: "stream",
  },
} as const;
type Style = keyof typeof STYLES;

export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // "Über" → "Uber", not "u-ber"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function titleCase(folder: string): string {
  return folder
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");
}

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(abs)));
    else if (e.isFile()) out.push(abs);
  }
  return out.sort();
}

/** Names that read well in the generated prose and YAML: a letter, then letters, digits, spaces and . & ' + - */
const NAME = /^[\p{L}][\p{L}\p{N} .&'+-]*$/u;

/**
 * Where a scaffold keeps its own copy of the manifest's JSON Schema, relative to integration.yml.
 * The manifest's `# yaml-language-server: $schema=` line points at it, so editors validate and
 * complete the manifest offline, with no dependency on the (private, unpublished) devcenter package.
 */
export const SCHEMA_COPY = ".devcenter/integration.v1.schema.json";

/** Replay's recordings of the example's own handler: a scaffold records its own on first replay. */
const GOLDEN = /\.golden\.json$/;

/** A JavaScript identifier from an App name: "Acme Co." → AcmeCo. */
function identifier(name: string): string {
  const id = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
  return /^[A-Za-z]/.test(id) ? id : `App${id}`;
}

/**
 * Every replacement in one pass, the earliest-listed first where two match at the same place: text
 * already replaced is never scanned again ("Acme" in a new name "Acme Hook" stays as it is).
 */
function replaceAll(text: string, replacements: readonly [string, string][]): string {
  const to = new Map(replacements);
  const pattern = new RegExp(replacements.map(([a]) => a.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return text.replace(pattern, (m) => to.get(m)!);
}

export async function scaffold(target: string, style: Style, name: string): Promise<string[]> {
  const example: (typeof STYLES)[Style] & { overlay?: string } = STYLES[style];
  const slug = slugify(name);
  const replacements: [string, string][] = [
    // The plugin's factory on window must stay a JavaScript identifier ("Acme Co" → AcmeCoPlugins).
    [`${example.short}Plugins`, `${identifier(name)}Plugins`],
    // The manifest's name line is quoted, so names such as "123" stay strings.
    [`name: ${example.name}\n`, `name: ${JSON.stringify(name)}\n`],
    [example.name, name],
    [example.slug, slug],
    [example.domain, `${slug}.example`],
    [example.short.toUpperCase() + "_", slug.replace(/-/g, "_").toUpperCase() + "_"],
    [example.short.toLowerCase() + "-", slug + "-"],
    [example.short, name],
  ];
  const from = join(packageRoot(), "examples", example.dir);
  const overlay = example.overlay ? join(packageRoot(), "templates", "init", example.overlay) : undefined;
  const replaced = new Set(overlay ? (await files(overlay)).map((abs) => relative(overlay, abs)) : []);
  const sources = [
    ...(await files(from)).map((abs) => ({ abs, rel: relative(from, abs) })).filter((f) => !replaced.has(f.rel)),
    ...(overlay ? (await files(overlay)).map((abs) => ({ abs, rel: relative(overlay, abs) })) : []),
  ];
  const written: string[] = [];
  for (const { abs, rel } of sources) {
    if (GOLDEN.test(rel)) continue;
    let text = await readFile(abs, "utf8");
    text = replaceAll(text, replacements);
    // The example's schema path points into this repository; a scaffold points at its own copy.
    text = text.replace("$schema=../../schemas/integration.v1.schema.json", `$schema=./${SCHEMA_COPY}`);
    await mkdir(join(target, rel, ".."), { recursive: true });
    await writeFile(join(target, rel), text);
    written.push(rel);
  }
  await mkdir(join(target, SCHEMA_COPY, ".."), { recursive: true });
  await copyFile(join(packageRoot(), "schemas", "integration.v1.schema.json"), join(target, SCHEMA_COPY));
  written.push(SCHEMA_COPY);
  return written;
}

export const initCommand: Command = {
  name: "init",
  usage: "init [dir]",
  summary: "Scaffold a webhook, function, plugin or stream integration that passes review as generated.",
  help: [
    "--style webhook|function|plugin|stream   what to build (default webhook): a webhook or function subscription, a device-mode plugin, or a stream on @segment/analytics-node",
    '--name "Tool Name"         the App name (default: from the folder name)',
    "--force                    write into a folder that is not empty",
  ],
  options: { style: { type: "string" }, name: { type: "string" }, force: { type: "boolean" } },
  async run(args, io: CliIO) {
    const style = (args.values.style ?? "webhook") as Style;
    if (!(style in STYLES))
      throw new UsageError(`--style must be webhook, function, plugin or stream; got "${args.values.style}".`);
    if (args.positionals.length > 1) throw new UsageError("give one folder.");
    const target = resolve(io.cwd, args.positionals[0] ?? ".");
    const name = ((args.values.name as string | undefined) ?? titleCase(basename(target))).trim();
    if (!NAME.test(name) || !slugify(name)) {
      throw new UsageError(
        `"${name}" cannot be used as the App name here; pass --name "Tool Name" (a letter first, then letters, digits, spaces and . & ' + -). You can edit integration.yml afterwards.`,
      );
    }
    const existing = await readdir(target).catch(() => [] as string[]);
    if (existing.length > 0 && !args.values.force) {
      throw new UsageError(`${relative(io.cwd, target) || "."} is not empty; pass --force to write into it anyway.`);
    }
    if ((await stat(target).catch(() => undefined))?.isFile()) throw new UsageError(`${target} is a file.`);
    const written = await scaffold(target, style, name);
    const shown = relative(io.cwd, target) || ".";
    // devcenter is a private package, never installed globally: `devcenter` is not on the PATH,
    // and the README runs it as `npx devcenter …` in its own folder. So does this hint, with the
    // new folder's path from there (the same as `shown` when init ran there, as the README does).
    const fromRoot = relative(packageRoot(), target);
    const path = fromRoot === "" ? "." : fromRoot.startsWith(`..${sep}..`) || isAbsolute(fromRoot) ? target : fromRoot;
    const arg = /^[\w./@+:\\-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
    io.stdout(
      [
        `Created a ${style} integration for ${name} (slug ${slugify(name)}) in ${shown}:`,
        ...written.map((f) => `  ${f}`),
        "",
        ...(style === "stream"
          ? [`First install the stream's dependency (@segment/analytics-node): cd ${shown} && npm install`, ""]
          : []),
        "Next, in the devcenter folder (devcenter is not installed globally; see its README):",
        `  npx devcenter review ${arg}      # manifest, Spec, docs, replay and checklist`,
        `  then edit integration.yml, the docs and the ${STYLES[style].what} for your tool.`,
        "",
      ].join("\n"),
    );
    return EXIT.ok;
  },
};
