// The platform gives handlers lodash as the global "_". Replay ships no copy of its own (the
// Action bundle has no node_modules): "_" is resolved, on first use, from the partner's project,
// starting at the handler module's folder, so "npm install --save-dev lodash@4" provides it. Until
// then, using "_" throws an error that says so. A module may still declare its own "_".
import { createRequire } from "node:module";

export function installLodash(entry: string): void {
  let lodash: unknown;
  Object.defineProperty(globalThis, "_", {
    configurable: true,
    enumerable: false,
    get() {
      if (lodash === undefined) {
        try {
          lodash = createRequire(entry)("lodash");
        } catch {
          throw new ReferenceError(
            "_ is not defined here: the platform gives handlers lodash as the global _, and devcenter replay loads it from your project — add it with npm install --save-dev lodash@4",
          );
        }
      }
      return lodash;
    },
    set(value) {
      lodash = value;
    },
  });
}
