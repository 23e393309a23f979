// The memory cap. resourceLimits caps the JavaScript heap at the cap; Buffers and ArrayBuffers live
// outside it (V8's "external" memory). Heap and external memory together may use twice the cap:
// checked on every MB allocated through Buffer and the ArrayBuffer and typed-array constructors (a
// loop that never yields), after every event and every 100 ms. Over it, a full garbage collection
// first, so only memory still held (a module-level array, a cache) ends the worker. Why twice and
// not the cap itself: inside a handler's frames a collection cannot free what they still reference
// (a loop's previous buffer), and V8 may keep the memory of a large dropped ArrayBuffer accounted
// for a while after collecting it, so the cap itself would stop handlers that hold nothing.
import v8 from "node:v8";
import vm from "node:vm";
import { realExit, send } from "./context.js";

const MB = 1024 * 1024;
let limitBytes = 0;
let collect: ((options: { type: "major"; execution: "sync" }) => void) | undefined;
/** Set once the worker is being stopped for memory: nothing more is reported. */
export const memory = { overCap: false };

/** A worker cannot be started with --expose-gc; the flag is on just long enough to make one gc(). */
function gcFunction(): typeof collect {
  const existing = (globalThis as { gc?: typeof collect }).gc;
  if (typeof existing === "function") return existing;
  try {
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as typeof collect;
  } catch {
    return undefined;
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
}

/** Heap statistics when over the limit even after a full collection; undefined when within it. */
function overLimit(): v8.HeapInfo | undefined {
  let h = v8.getHeapStatistics();
  if (h.used_heap_size + h.external_memory <= limitBytes) return undefined;
  if (collect) {
    collect({ type: "major", execution: "sync" });
    h = v8.getHeapStatistics();
    if (h.used_heap_size + h.external_memory <= limitBytes) return undefined;
  }
  return h;
}

function stopOverCap(h: v8.HeapInfo): never {
  memory.overCap = true;
  send({ type: "memory", heapMb: Math.round(h.used_heap_size / MB), externalMb: Math.round(h.external_memory / MB) });
  realExit(71);
  throw new RangeError("devcenter replay: the memory cap is exceeded; the function is stopped");
}

/** Whether heap and external memory are within the limit now (no collection: the cheap check after an event). */
export function withinLimit(): boolean {
  if (memory.overCap) return false;
  if (!(limitBytes > 0)) return true;
  const h = v8.getHeapStatistics();
  return h.used_heap_size + h.external_memory <= limitBytes;
}

/** Stops the worker (throwing) when over the limit after a collection. */
export function checkMemory(): void {
  if (memory.overCap || !(limitBytes > 0)) return;
  const h = overLimit();
  if (h) stopOverCap(h);
}

// V8 releases the memory of collected ArrayBuffers on a background thread, so right after a
// collection garbage may still count (more so on a busy machine). Outside a handler's frames there
// is time to let it settle: a few short waits, collecting again, before the worker is stopped.
let settling: Promise<void> | undefined;
export function checkMemorySettled(): Promise<void> {
  if (memory.overCap || !(limitBytes > 0)) return Promise.resolve();
  // One check at a time; whoever asks meanwhile (the timer, an event's reply) waits for its verdict.
  settling ??= (async () => {
    for (let attempt = 0; ; attempt++) {
      const h = overLimit();
      if (!h) return;
      if (attempt >= 5) return stopOverCap(h);
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  })().finally(() => {
    settling = undefined;
  });
  return settling;
}

let sinceCheck = 0;
function allocated(bytes: number | undefined): void {
  sinceCheck += bytes || 0;
  if (sinceCheck >= MB) {
    sinceCheck = 0;
    checkMemory();
  }
}

const WATCHED = [
  "ArrayBuffer",
  "SharedArrayBuffer",
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
];

/** Counts what the ArrayBuffer and typed-array constructors, Buffer's factories and resize() allocate. */
function watchAllocations(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of WATCHED) {
    const Real = g[name] as (new (...args: unknown[]) => { byteLength: number }) | undefined;
    if (typeof Real !== "function") continue;
    // A Proxy keeps instanceof, statics, subclassing and the name; only construction is watched.
    const watched: typeof Real = new Proxy(Real, {
      construct(target, args, newTarget) {
        const made = Reflect.construct(target, args, newTarget === watched ? target : newTarget);
        allocated(made.byteLength);
        return made;
      },
    });
    Object.defineProperty(globalThis, name, { value: watched, writable: true, configurable: true, enumerable: false });
    // So that "x.constructor === Uint8Array" still holds (and species lookups construct through it).
    Object.defineProperty(Real.prototype, "constructor", {
      value: watched,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  const factories = Buffer as unknown as Record<string, (...args: unknown[]) => { byteLength: number } | undefined>;
  for (const name of ["alloc", "allocUnsafe", "allocUnsafeSlow", "from", "concat"]) {
    const real = factories[name]!;
    factories[name] = function (this: unknown, ...args: unknown[]) {
      const made = real.apply(this, args);
      allocated(made && made.byteLength);
      return made;
    };
  }
  const resizable = ArrayBuffer.prototype as unknown as { resize?: (n: number) => unknown };
  if (resizable.resize) {
    const resize = resizable.resize;
    resizable.resize = function (this: ArrayBuffer, n: number) {
      const r = resize.call(this, n);
      allocated(n);
      return r;
    };
  }
}

/** Starts counting against `memoryMb` (heap and external memory together: twice it). */
export function installMemoryCap(memoryMb: number): void {
  limitBytes = 2 * Number(memoryMb) * MB;
  collect = gcFunction();
  watchAllocations();
  setInterval(() => {
    checkMemorySettled().catch(() => {});
  }, 100).unref();
}
