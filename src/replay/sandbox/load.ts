// Loading the partner's module: an ES or CommonJS module exporting handlers (named, default or
// module.exports), or the platform's own style, a script declaring top-level async functions with
// no exports.
import fs from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import vm from "node:vm";

export const HANDLERS = ["onIdentify", "onTrack", "onPage", "onScreen", "onGroup", "onAlias", "onDelete", "onBatch"];

export type Handler = (...args: unknown[]) => unknown;
export type Handlers = Record<string, Handler>;

function pick(obj: unknown): Handlers {
  const out: Handlers = {};
  if (!obj || (typeof obj !== "object" && typeof obj !== "function")) return out;
  const o = obj as Record<string, unknown>;
  for (const name of HANDLERS) if (typeof o[name] === "function") out[name] = o[name] as Handler;
  return out;
}

/** The handlers `entry` defines; throws why it cannot be loaded. */
export async function load(entry: string): Promise<Handlers> {
  let handlers: Handlers = {};
  let importError: unknown;
  try {
    const ns = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    handlers = { ...pick(ns.default), ...pick(ns["module.exports"]), ...pick(ns) };
  } catch (error) {
    importError = error;
  }
  if (Object.keys(handlers).length > 0) return handlers;
  let source: string;
  try {
    source = fs.readFileSync(entry, "utf8");
  } catch (error) {
    throw importError || error;
  }
  const probe = HANDLERS.map((n) => n + ": typeof " + n + " === 'function' ? " + n + " : undefined").join(", ");
  const wrapped = "(function (require, module, exports) {\n" + source + "\n;return { " + probe + " };\n})";
  let fn: (require: NodeJS.Require, module: { exports: unknown }, exports: unknown) => unknown;
  try {
    fn = vm.runInThisContext(wrapped, { filename: entry, lineOffset: -1 });
  } catch (error) {
    throw importError || error;
  }
  const mod = { exports: {} };
  const found = fn(createRequire(entry), mod, mod.exports);
  return { ...pick(found), ...pick(mod.exports) };
}
