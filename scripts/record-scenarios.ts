// Records the App's scenario fixtures (test/fixtures/app/snapshots/<name>/): each recipe in
// test/app/scenario-recipes.ts runs the App against the fake GitHub up to its event, and the
// snapshot that event read is written with its context and golden state, decision and mutations.
// Usage: npx tsx scripts/record-scenarios.ts [name…]   (all recipes when none is named)
// To add a scenario, add a recipe, record it, and read the golden files before committing them.
import { recordSnapshot } from "../test/app/recorded.js";
import { RECIPES, stage } from "../test/app/scenario-recipes.js";

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !RECIPES.some((r) => r.name === w));
if (unknown.length) {
  process.stderr.write(
    `record-scenarios: no recipe named ${unknown.join(", ")} (known: ${RECIPES.map((r) => r.name).join(", ")})\n`,
  );
  process.exit(2);
}
for (const recipe of RECIPES.filter((r) => !wanted.length || wanted.includes(r.name))) {
  const s = await stage(recipe);
  const result = await recipe.run(s);
  if (!result.snapshot || !result.state) throw new Error(`${recipe.name}: the event read no integration`);
  const outcome = await recordSnapshot(recipe.name, recipe.description, result.snapshot, result.state, {
    now: s.fake.now,
    ...(s.config.botLogin ? { botLogin: s.config.botLogin } : {}),
    config: s.config,
    directory: s.handle.directory()!,
    blob: (sha) => s.fake.blob(sha),
  });
  process.stdout.write(`${recipe.name}: ${outcome.mutations.map((m) => m.kind).join(", ") || "no mutation"}\n`);
}
