// The GitHub App's entry: `probot run ./dist/app.js` loads this default export. Configuration comes
// from the App's environment (see docs/operator-guide.md), never from a partner's repository.
import type { ApplicationFunction } from "probot";
import { configFromEnv } from "./app/config.js";
import { createApp } from "./app/index.js";
import { replicasFromEnv } from "./app/replicas.js";
import { review } from "./review.js";

const app: ApplicationFunction = (probot, options) => {
  const { config, problems } = configFromEnv(process.env);
  for (const problem of problems) probot.log.warn(`devcenter config: ${problem}`);
  if (config.dryRun) probot.log.warn("devcenter: DEVCENTER_DRY_RUN is on — mutations are logged, not made");
  const replicas = replicasFromEnv(process.env, (m) => probot.log.warn(`devcenter: ${m}`));
  return createApp({ config, review, replicas })(probot, options);
};

export default app;
