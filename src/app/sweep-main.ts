// `npm run sweep [-- --dry-run] [-- --repo owner/name]`: the overdue sweep as a one-off process,
// for a scheduler (cron, a scheduled workflow in the operator's repository, a Kubernetes CronJob).
// Reads the same environment as the server (APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, the
// DEVCENTER_* settings, REDIS_URL); it does not read a .env file. Prints what it did (or, with
// --dry-run, what it would do) as JSON; exits 1 when a pull request could not be handled.
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Probot } from "probot";
import { review } from "../review.js";
import { configFromEnv } from "./config.js";
import { createApp, type AppHandle } from "./index.js";
import { KeyedQueue } from "./queue.js";
import { replicasFromEnv } from "./replicas.js";
import { BlobCache } from "./tree-source.js";

function privateKey(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PRIVATE_KEY_PATH) return readFileSync(env.PRIVATE_KEY_PATH, "utf8");
  const key = env.PRIVATE_KEY;
  if (!key) return undefined;
  if (key.includes("-----BEGIN")) return key.replace(/\\n/g, "\n");
  return Buffer.from(key, "base64").toString("utf8");
}

const USAGE = `Usage: npm run sweep [-- --dry-run] [-- --repo owner/name[,owner/name…]]

  --dry-run   list the mutations the sweep would make, make none
  --repo      only these repositories (comma-separated owner/name)
  --help      this text
`;

/** The flags, checked: a mistyped --dry-run must never become a real run. */
export function parseSweepArgs(
  argv: string[],
): { dryRun: boolean; repositories?: string[] } | { help: true } | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { "dry-run": { type: "boolean" }, repo: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    return { error: (error as Error).message };
  }
  if (parsed.values.help) return { help: true };
  const dryRun = parsed.values["dry-run"] === true;
  if (parsed.values.repo === undefined) return { dryRun };
  const repositories = parsed.values.repo
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = repositories.filter((r) => !/^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(r));
  if (!repositories.length || bad.length)
    return { error: `--repo takes owner/name[,owner/name…], not "${parsed.values.repo}"` };
  return { dryRun, repositories };
}

async function main(argv: string[]): Promise<number> {
  const args = parseSweepArgs(argv);
  if ("help" in args) {
    process.stdout.write(USAGE);
    return 0;
  }
  if ("error" in args) {
    process.stderr.write(`devcenter sweep: ${args.error}\n\n${USAGE}`);
    return 2;
  }
  const { dryRun, repositories } = args;
  const env = process.env;
  const key = privateKey(env);
  if (!env.APP_ID || !key) {
    console.error("devcenter sweep: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) for the GitHub App.");
    return 2;
  }
  const { config, problems } = configFromEnv(env);
  for (const p of problems) console.error(`devcenter config: ${p}`);
  const probot = new Probot({
    appId: env.APP_ID,
    privateKey: key,
    logLevel: (env.LOG_LEVEL as "info" | undefined) ?? "warn",
    ...(env.REDIS_URL ? { redisConfig: env.REDIS_URL } : {}),
    ...(env.GHE_HOST ? { baseUrl: `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}/api/v3` } : {}),
  });
  const handle: AppHandle = { queue: new KeyedQueue(), blobs: new BlobCache(), directory: () => undefined };
  // With REDIS_URL, the sweep takes the same per-pull-request locks as the replicas.
  const replicas = replicasFromEnv(env, (m) => console.error(`devcenter sweep: ${m}`));
  await probot.load(createApp({ config: { ...config, sweepEveryMinutes: 0 }, review, replicas }, handle));
  const result = await handle.sweep!({ dryRun, ...(repositories ? { repositories } : {}) }).finally(() =>
    replicas.close(),
  );
  console.log(JSON.stringify(result, null, 2));
  return result.errors.length ? 1 : 0;
}

// Run only as the entry point (dist/sweep.js), not when a test imports parseSweepArgs.
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1]))
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(2);
    },
  );
