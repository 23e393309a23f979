// The worker thread a partner's function handlers run in. Bundled by the build (scripts/sandbox.mjs)
// into one script that function.ts starts with `new Worker(source, { eval: true })`.
//
// Inside the worker:
// - the documented globals (fetch, Request, Response, Headers, URL, URLSearchParams, atob, btoa,
//   crypto = Node's crypto module, lodash as `_` taken from the partner's own dependencies) and
//   the error classes (EventNotSupported, InvalidEventPayload, ValidationError, RetryError);
// - `fetch` records and answers every request (fetch.ts, redact.ts); every other way out to the
//   network is refused and recorded (network.ts): the event fails, or the module fails to load;
// - the clock is frozen per event and local time is UTC, the host's locale never shows
//   (clock.ts); Math.random and node:crypto's randomness are seeded from the messageId (random.ts);
// - memory: heap plus Buffers and ArrayBuffers against the cap (memory.ts);
// - process.exit is reported to the parent before the thread ends;
// - an error (thrown, uncaught, or failing the load) carries `at`: the first stack frame in the
//   integration's folder, as "src/handlers.js:51:30" (errors.ts).
// Messages: see messages.ts.
import nodePath from "node:path";
import { setClock, installClock } from "./clock.js";
import { als, data, live, loading, onRun, realExit, send, sendResult, type EventContext } from "./context.js";
import { describe, installPlatformErrors, stackHeader, summarise } from "./errors.js";
import { installFetch } from "./fetch.js";
import { installLodash } from "./lodash.js";
import { load, type Handlers } from "./load.js";
import { checkMemory, checkMemorySettled, installMemoryCap, memory, withinLimit } from "./memory.js";
import type { ResultMessage, RunMessage } from "./messages.js";
import { installNetworkRefusals } from "./network.js";
import { installRandom, seed } from "./random.js";
import { Redactor } from "./redact.js";

const root = data.root || nodePath.dirname(data.entry);

installPlatformErrors();
installClock();
installRandom();
installLodash(data.entry);
installFetch(new Redactor(data.secrets || []));
installNetworkRefusals();
process.exit = function (code?: number | string | null) {
  send({ type: "exit-called", code: code === undefined ? 0 : (code as number) });
  return realExit(code as number);
};
installMemoryCap(data.memoryMb);

// An error thrown outside a handler's promise (a timer, an event emitter) or a rejection nobody
// handles ends the worker; the parent is told which one first.
function fatal(kind: "exception" | "rejection", error: unknown): void {
  const d = describe(error, root);
  // The event whose handler scheduled the failing work (a timer keeps its async context), so the
  // crash is blamed where it started, not on whichever event happens to be in flight.
  const origin = als.getStore();
  const from = origin && origin.id !== undefined ? { eventId: origin.id, handler: origin.handler } : {};
  send({ type: "uncaught", kind, name: d.name, message: d.message, ...(d.at ? { at: d.at } : {}), ...from });
  realExit(70);
}
process.on("uncaughtException", (error) => fatal("exception", error));
process.on("unhandledRejection", (error) => fatal("rejection", error));

let handlers: Handlers = {};
type Fields = Pick<ResultMessage, "outcome" | "error" | "value">;
/** Events started and not yet answered. */
let inFlight = 0;

function run(msg: RunMessage["runs"][number]): void {
  const ctx: EventContext = {
    id: msg.id,
    handler: msg.handler,
    requests: [],
    record: msg.record,
    sent: 0,
    answers: msg.answers,
    unmatched: [],
    refused: [],
    used: 0,
    live,
    hung: false,
  };
  inFlight++;
  const answer = (fields: Fields): void => {
    const unusedAnswers = ctx.answers ? Math.max(0, ctx.answers.length - ctx.used) : 0;
    const sent = ctx.record ? {} : { sent: ctx.sent };
    sendResult(
      {
        type: "result",
        id: msg.id,
        requests: ctx.requests,
        ...sent,
        unmatched: ctx.unmatched,
        refused: ctx.refused,
        unusedAnswers,
        ...fields,
      },
      --inFlight > 0,
    );
  };
  // Memory still held when the event ends (a module-level array, say) ends the worker instead.
  const reply = (fields: Fields): void => {
    if (withinLimit()) return answer(fields);
    checkMemorySettled().then(
      () => {
        if (!memory.overCap) answer(fields);
      },
      () => {},
    );
  };
  const fn = handlers[msg.handler];
  if (typeof fn !== "function") {
    reply({ outcome: "missing" });
    return;
  }
  setClock(msg.clockMs);
  seed(String(msg.seed));
  void als.run(ctx, async () => {
    let fields: Fields;
    try {
      fields = { outcome: "return", value: summarise(await fn(...msg.args)) };
    } catch (error) {
      fields = { outcome: "throw", error: describe(error, root) };
    }
    reply(fields);
  });
}
onRun((msg) => {
  if (msg.type === "run") for (const one of (msg as RunMessage).runs) run(one);
});

// What the module tried at import time that replay refused (a request, a socket) fails the load,
// even when the module caught the error.
function refusedWhileLoading(): boolean {
  loading.now = false;
  if (!loading.problems.length) return false;
  const more = loading.problems.length > 1 ? " (and " + (loading.problems.length - 1) + " more such attempt(s))" : "";
  send({ type: "load-error", message: "its top-level code " + loading.problems[0] + more + "." });
  return true;
}

load(data.entry).then(
  (found) => {
    if (refusedWhileLoading()) return;
    try {
      checkMemory();
    } catch {
      return;
    }
    handlers = found;
    send({ type: "loaded", handlers: Object.keys(found) });
  },
  (error) => {
    if (refusedWhileLoading()) return;
    const d = describe(error, root);
    const header = d.name === "SyntaxError" ? stackHeader(error) : undefined;
    send({ type: "load-error", message: d.name + ": " + d.message, error: { ...d, ...(header ? { header } : {}) } });
  },
);
