// `--only` and `--no-volume` on `replay` and `review`: the fast inner loop. `--only` takes a case
// name, a call type or a fixture file (as written in the manifest, or a path from the current
// folder); probes, fault cases, stream programs and volume are left out of such a run.
import { isAbsolute, relative, resolve } from "node:path";
import type { ReplayOptions } from "../replay/run.js";
import type { ReplayReport } from "../replay/types.js";
import { UsageError } from "./io.js";

/** The two options' help lines, their descriptions starting at column `width`. */
export function onlyHelp(width: number): string[] {
  return [
    ["--only X", "replay only the cases X names: a case name, a call type"],
    ["", "(track, identify, …) or a fixture file; no probes, faults or volume"],
    ["--no-volume", "skip the volume run even when the manifest sets a bar"],
  ].map(([flag, text]) => `${flag!.padEnd(width)}${text}`);
}

export function onlyMatcher(value: string | undefined, dir: string, cwd: string): ReplayOptions["only"] {
  if (value === undefined) return undefined;
  const wanted = value.trim();
  if (!wanted) throw new UsageError("--only needs a case name, a call type or a fixture file.");
  const lower = wanted.toLowerCase();
  // A file given from the current folder, as the integration's folder sees it.
  const fromCwd = relative(dir, isAbsolute(wanted) ? wanted : resolve(cwd, wanted))
    .split("\\")
    .join("/");
  const asFile = (f: string) => {
    const file = f.replace(/^\.\//, "");
    return file === wanted.replace(/^\.\//, "") || file === fromCwd;
  };
  return (c) =>
    c.name.toLowerCase() === lower || c.type.toLowerCase() === lower || (c.file !== undefined && asFile(c.file));
}

/** After a run with `--only`: nothing matched is a mistake in the argument, said as one. */
export function checkOnlyMatched(value: string | undefined, report: ReplayReport | undefined): void {
  if (value === undefined || !report || report.cases.length) return;
  throw new UsageError(
    `--only "${value}" matched no case. Give a case name as the replay output shows it, a call type (track, identify, page, screen, group, alias, delete) or a fixture file.`,
  );
}
