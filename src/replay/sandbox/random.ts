// Seeded randomness: Math.random and node:crypto's randomness (randomUUID, randomBytes, randomInt,
// getRandomValues, …) follow one generator seeded from the event's messageId, so the same event
// sends the same request on every run (idempotency keys, nonces) and golden files can hold it.
// Replay is a test; nothing here is meant to be secret.
import nodeCrypto from "node:crypto";

let rngState = 1;

/** Seeds the generator (FNV-1a of `text`). */
export function seed(text: string): void {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  rngState = h >>> 0 || 1;
}

/** mulberry32. */
function random(): number {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function randomUUID(): string {
  const h: number[] = [];
  for (let i = 0; i < 16; i++) h.push(Math.floor(random() * 256));
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.map((b) => b.toString(16).padStart(2, "0")).join("");
  return x.slice(0, 8) + "-" + x.slice(8, 12) + "-" + x.slice(12, 16) + "-" + x.slice(16, 20) + "-" + x.slice(20);
}

function fillRandom<T extends ArrayBufferView>(view: T): T {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  return view;
}

type Bytes = ArrayBufferView | ArrayBuffer;
function randomFillSync<T extends Bytes>(buf: T, offset = 0, size?: number): T {
  const start = offset;
  const end = size === undefined ? buf.byteLength : start + size;
  const view = buf as Partial<ArrayBufferView>;
  fillRandom(new Uint8Array(view.buffer || (buf as ArrayBuffer), (view.byteOffset || 0) + start, end - start));
  return buf;
}

type Callback<T> = (error: null, value: T) => void;
function randomInt(min: number, max?: number | Callback<number>, cb?: Callback<number>): number | undefined {
  if (typeof max !== "number") {
    cb = max;
    max = min;
    min = 0;
  }
  const n = min + Math.floor(random() * (max - min));
  if (typeof cb === "function") {
    process.nextTick(cb, null, n);
    return;
  }
  return n;
}

function randomBytes(size: number, cb?: Callback<Buffer>): Buffer | undefined {
  const b = fillRandom(Buffer.alloc(size));
  if (typeof cb === "function") {
    process.nextTick(cb, null, b);
    return;
  }
  return b;
}

// Some of these are getters on node:crypto: defined, not assigned.
const setOn = (obj: object, name: string, value: unknown): void => {
  Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: true });
};

export function installRandom(): void {
  Math.random = random;
  setOn(nodeCrypto, "randomUUID", randomUUID);
  setOn(nodeCrypto, "randomBytes", randomBytes);
  setOn(nodeCrypto, "pseudoRandomBytes", randomBytes);
  setOn(nodeCrypto, "randomFillSync", randomFillSync);
  setOn(nodeCrypto, "randomFill", (buf: Bytes, ...rest: unknown[]) => {
    const cb = rest.pop() as Callback<Bytes>;
    randomFillSync(buf, ...(rest as [number?, number?]));
    process.nextTick(cb, null, buf);
  });
  setOn(nodeCrypto, "randomInt", randomInt);
  try {
    setOn(nodeCrypto, "getRandomValues", fillRandom);
  } catch {
    // Not configurable on some Node versions: its getter reads webcrypto's, patched below.
  }
  const webcrypto = nodeCrypto.webcrypto;
  Object.defineProperty(webcrypto, "getRandomValues", { value: fillRandom, writable: true, configurable: true });
  Object.defineProperty(webcrypto, "randomUUID", { value: randomUUID, writable: true, configurable: true });
  // The global `crypto` is Node's crypto module (the platform's), with the web API's members too.
  const cryptoGlobal = Object.assign({}, nodeCrypto, {
    randomUUID,
    webcrypto,
    subtle: webcrypto.subtle,
    getRandomValues: fillRandom,
  });
  Object.defineProperty(globalThis, "crypto", { value: cryptoGlobal, writable: true, configurable: true });
}
