// Recorded scenarios (see recorded.ts): each snapshot replays through deriveState → decide → plan,
// without GitHub, to its golden state, decision and mutations. After an intended change, record
// again (`npx tsx scripts/record-scenarios.ts`) and read the diff.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readRecorded, replaySnapshot, SNAPSHOTS } from "./recorded.js";
import { RECIPES } from "./scenario-recipes.js";

const folders = readdirSync(SNAPSHOTS).sort();

describe("recorded scenarios", () => {
  it("every recipe is recorded, and every recording has its recipe", () => {
    expect(folders).toEqual(RECIPES.map((r) => r.name).sort());
    expect(folders.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of folders) {
    it(name, async () => {
      const { snapshot, context, golden } = readRecorded(name);
      const outcome = await replaySnapshot(snapshot, context);
      expect(`${JSON.stringify(outcome.state, null, 2)}\n`, `${name}/state.json`).toBe(golden.state);
      expect(`${JSON.stringify(outcome.decision, null, 2)}\n`, `${name}/decision.json`).toBe(golden.decision);
      expect(`${JSON.stringify(outcome.mutations, null, 2)}\n`, `${name}/mutations.json`).toBe(golden.mutations);
    });
  }
});
