// Cold start of the bundled Action: `node index.js` from a folder holding only the bundle, against
// `node -e 0` measured in the same run (interleaved, median of several runs each). Three rows:
// Node alone, loading the bundle (a bad input makes it stop at step 1), and loading it plus a
// review of examples/webhook with replay off. Then the bundle's size, raw and gzipped.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { fmt, table } from "./measure.js";

const RUNS = 9;
const repo = fileURLToPath(new URL("..", import.meta.url));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export default async function actionBench(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), "devcenter-action-bench-"));
  try {
    // A fresh build of the current sources, copied alone into an empty folder.
    const built = join(tmp, "build");
    const build = spawnSync(process.execPath, [join(repo, "scripts/build-action.mjs"), built], {
      cwd: repo,
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
    const bundleDir = join(tmp, "action");
    cpSync(built, bundleDir, { recursive: true });
    const workspace = join(tmp, "workspace");
    cpSync(join(repo, "examples/webhook"), workspace, { recursive: true });

    const env = (extra: Record<string, string>): Record<string, string> => {
      const summary = join(tmp, "summary.md");
      const output = join(tmp, "output.txt");
      writeFileSync(summary, "");
      writeFileSync(output, "");
      return {
        PATH: process.env.PATH ?? "",
        GITHUB_WORKSPACE: workspace,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: output,
        RUNNER_TEMP: tmp,
        INPUT_PATH: ".",
        INPUT_REPLAY: "false",
        ...extra,
      };
    };
    const cases: { name: string; args: string[]; env: Record<string, string>; expect: number }[] = [
      { name: "`node -e 0`", args: ["-e", "0"], env: { PATH: process.env.PATH ?? "" }, expect: 0 },
      {
        name: "bundle loaded (stops at a bad input)",
        args: ["index.js"],
        env: env({ INPUT_REPLAY: "maybe" }),
        expect: 1,
      },
      { name: "bundle + review of examples/webhook, replay off", args: ["index.js"], env: env({}), expect: 0 },
    ];
    const times = cases.map(() => [] as number[]);
    // One warm-up of each (disk cache), then interleaved runs so drift hits every row alike.
    for (let round = -1; round < RUNS; round++) {
      cases.forEach((c, i) => {
        const start = performance.now();
        const r = spawnSync(process.execPath, c.args, { cwd: bundleDir, env: c.env, encoding: "utf8" });
        const ms = performance.now() - start;
        if (r.status !== c.expect) throw new Error(`${c.name} exited ${r.status}: ${r.stdout}${r.stderr}`);
        if (round >= 0) times[i]!.push(ms);
      });
    }
    const base = median(times[0]!);
    table(
      ["run", `median of ${RUNS} (ms)`, "min (ms)", "× node -e 0", "over node -e 0 (ms)"],
      cases.map((c, i) => {
        const m = median(times[i]!);
        return [c.name, fmt(m, 1), fmt(Math.min(...times[i]!), 1), fmt(m / base, 2), fmt(m - base, 1)];
      }),
    );
    console.log("");
    const files = readdirSync(bundleDir).sort();
    table(
      ["file", "bytes", "gzip bytes"],
      files.map((f) => {
        const bytes = readFileSync(join(bundleDir, f));
        return [`action/dist/${f}`, fmt(statSync(join(bundleDir, f)).size), fmt(gzipSync(bytes).length)];
      }),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
