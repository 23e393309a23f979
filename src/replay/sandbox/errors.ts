// The platform's error classes, given to handlers as globals, and how the sandbox describes an
// error to the parent: its name, message and `at`, the first stack frame in the integration's
// folder (node_modules excluded), as "src/handlers.js:51:30".
import type { DescribedError } from "./messages.js";
import { insideRoot } from "./paths.js";

export const PLATFORM_ERRORS = ["EventNotSupported", "InvalidEventPayload", "ValidationError", "RetryError"] as const;

function defineError(name: string): new (message?: string) => Error {
  const C = class extends Error {
    constructor(message?: string) {
      super(message);
      this.name = name;
    }
  };
  Object.defineProperty(C, "name", { value: name });
  return C;
}

export function installPlatformErrors(): void {
  const g = globalThis as Record<string, unknown>;
  for (const name of PLATFORM_ERRORS) g[name] = defineError(name);
}

const FRAME = /^\s*at (?:.*? \()?(?:async )?(.+?):(\d+):(\d+)\)?$/;

/** Reading `stack` runs the partner's getters (or prepareStackTrace): it may throw. */
function stackOf(error: unknown): string | undefined {
  try {
    const stack = (error as { stack?: unknown } | null | undefined)?.stack;
    return typeof stack === "string" ? stack : undefined;
  } catch {
    return undefined;
  }
}

function partnerFrame(error: unknown, root: string): string | undefined {
  const stack = stackOf(error);
  if (stack === undefined) return undefined;
  for (const line of stack.split("\n")) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const rel = insideRoot(root, m[1]!);
    if (!rel || rel.split("/").includes("node_modules")) continue;
    return `${rel}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/** Name, message and (when in the partner's code) where, of anything thrown. */
export function describe(error: unknown, root: string): DescribedError {
  if (error && typeof error === "object") {
    const e = error as { name?: unknown; message?: unknown; constructor?: { name?: string } };
    const name = typeof e.name === "string" ? e.name : (e.constructor && e.constructor.name) || "Error";
    const message = typeof e.message === "string" ? e.message : String(error);
    const at = partnerFrame(error, root);
    return at ? { name, message, at } : { name, message };
  }
  return { name: "non-Error value", message: String(error) };
}

/** The lines Node puts before the error's name in a syntax error's stack ("file:line", the source line, a caret). */
export function stackHeader(error: unknown): string | undefined {
  const stack = error ? stackOf(error) : undefined;
  if (stack === undefined) return undefined;
  const lines = stack.split("\n");
  const named = lines.findIndex(
    (l) => /^[\w$.]*(Error|Exception)\b.*?:/.test(l) || /^[\w$.]*(Error|Exception)$/.test(l),
  );
  return named > 0 ? lines.slice(0, Math.min(named, 6)).join("\n") : undefined;
}

/** What a handler returned, as JSON cut to 200 characters. */
export function summarise(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 200 ? text.slice(0, 199) + "…" : text;
  } catch {
    return String(value);
  }
}
