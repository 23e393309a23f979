// The sandbox's code as the script its worker runs. The builds put it into their bundles as a
// constant (scripts/sandbox.cjs); running from src/ (tests, tsx) it is bundled here, on first use,
// with the same options — esbuild is a development dependency, there whenever src/ runs.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

declare const __DEVCENTER_SANDBOX__: string | undefined;

let built: string | undefined;

export function sandboxSource(): string {
  if (typeof __DEVCENTER_SANDBOX__ === "string") return __DEVCENTER_SANDBOX__;
  if (built === undefined) {
    const script = fileURLToPath(new URL("../../../scripts/sandbox.cjs", import.meta.url));
    const { bundleSandbox } = createRequire(import.meta.url)(script) as { bundleSandbox: () => string };
    built = bundleSandbox();
  }
  return built;
}
