// Golden files: what a function handler sent to the partner's own API, recorded once and compared
// on every later replay. One JSON file per fixture file (and one per built-in group), holding every
// request of every case, in order:
//
//   {
//     "$comment": "Recorded by devcenter replay. …",
//     "<case name>": [ { "method": "POST", "url": "https://…", "headers": { … }, "body": { … } }, … ],
//     …
//   }
//
// Webhook replay records, per case, what the endpoint was sent (the URL's path, the headers but the
// settings, which are decoded under `settings`, and the body) and the status it answered.
//
// Header values whose names look secret (authorization, *key*, *token*, *secret*, …), any
// `Basic`/`Bearer` credential, and every sensitive setting value — as written, URL-encoded and
// base64-encoded — are redacted by the worker before anything is recorded. The worker's
// clock is frozen to each event's timestamp and its local time zone is UTC, so a golden file never
// depends on when or where replay runs.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Message, msg } from "../core/markdown.js";
import { normalizePath } from "../core/source.js";
import { type Grade, reword } from "./grade.js";
import type { ReplayCase } from "./types.js";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  /** Webhook replay: the settings sent in X-Segment-Settings (decoded, sensitive ones redacted). */
  settings?: unknown;
  /** Webhook replay: the status the endpoint answered. */
  status?: number;
}

/** Where a case's entry lives: a golden file (relative to the integration's folder) and its key. */
export interface GoldenPlace {
  file: string;
  key: string;
}

export type GoldenStatus = "match" | "created" | "updated" | "differs";

export interface GoldenCheck {
  status: GoldenStatus;
  /** Root-relative path of the golden file. */
  file: string;
  /** The first difference, for "differs" and "updated". */
  difference?: string;
}

const COMMENT =
  "Recorded by devcenter replay: every request the handler sent for each case, or what the webhook was sent and the status it answered (secrets redacted). Run `npx devcenter replay --update` to rewrite it after an intended change.";

interface Loaded {
  cases: Map<string, RecordedRequest[]>;
  seen: Set<string>;
  dirty: boolean;
}

export class GoldenStore {
  private files = new Map<string, Loaded>();

  /**
   * `rootDir`: the integration's folder; golden paths are relative to it. `keepUnseen`: with update,
   * keep the entries this run did not replay (an `--only` run replays a few cases, not the rest).
   */
  constructor(
    private readonly rootDir: string,
    private readonly update: boolean,
    private readonly options: { keepUnseen?: boolean } = {},
  ) {}

  private load(file: string): Loaded {
    let loaded = this.files.get(file);
    if (loaded) return loaded;
    const cases = new Map<string, RecordedRequest[]>();
    try {
      const parsed = JSON.parse(readFileSync(this.abs(file), "utf8")) as Record<string, unknown>;
      for (const [key, value] of Object.entries(parsed))
        if (key !== "$comment" && Array.isArray(value)) cases.set(key, value as RecordedRequest[]);
    } catch {
      // missing or unreadable: treated as empty (a broken file is rewritten on --update)
    }
    loaded = { cases, seen: new Set(), dirty: false };
    this.files.set(file, loaded);
    return loaded;
  }

  private abs(file: string): string {
    const norm = normalizePath(file);
    if (!norm.ok) throw new Error(norm.message);
    return join(this.rootDir, norm.path);
  }

  /** Compares `requests` with the golden entry `key` of `file`; records it when absent (or when updating). */
  check(file: string, key: string, requests: RecordedRequest[]): GoldenCheck {
    const g = this.load(file);
    g.seen.add(key);
    const stored = g.cases.get(key);
    if (!stored) {
      g.cases.set(key, requests);
      g.dirty = true;
      return { status: "created", file };
    }
    const difference = firstDifference(stored, requests);
    if (difference === undefined) return { status: "match", file };
    if (this.update) {
      g.cases.set(key, requests);
      g.dirty = true;
      return { status: "updated", file, difference };
    }
    return { status: "differs", file, difference };
  }

  /** Keeps the entry `key` as it is (a red case: nothing to compare, nothing to drop on update). */
  keep(file: string, key: string): void {
    this.load(file).seen.add(key);
  }

  /** Writes the files that changed; returns their root-relative paths. With update, entries not seen in this run are dropped. */
  flush(): string[] {
    const written: string[] = [];
    for (const [file, g] of this.files) {
      if (this.update && !this.options.keepUnseen) {
        for (const key of [...g.cases.keys()]) {
          if (!g.seen.has(key)) {
            g.cases.delete(key);
            g.dirty = true;
          }
        }
      }
      if (!g.dirty) continue;
      const out: Record<string, unknown> = { $comment: COMMENT };
      for (const key of [...g.cases.keys()].sort()) out[key] = g.cases.get(key);
      const abs = this.abs(file);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, `${JSON.stringify(out, null, 2)}\n`);
      g.dirty = false;
      written.push(file);
    }
    return written;
  }
}

/** A readable description of the first difference between two request lists, or undefined if equal. */
export function firstDifference(
  golden: readonly RecordedRequest[],
  actual: readonly RecordedRequest[],
): string | undefined {
  const n = Math.max(golden.length, actual.length);
  for (let i = 0; i < n; i++) {
    const g = golden[i];
    const a = actual[i];
    if (!g) return `request ${i + 1} (${a!.method} ${a!.url}) is new: the golden file has ${golden.length} request(s)`;
    if (!a)
      return `request ${i + 1} (${g.method} ${g.url}) was not sent: the golden file has ${golden.length} request(s), this run sent ${actual.length}`;
    const d = diffValue(g, a, "");
    if (d) return `request ${i + 1} (${a.method} ${a.url}): ${d}`;
  }
  return undefined;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

function diffValue(g: unknown, a: unknown, path: string): string | undefined {
  if (Object.is(g, a)) return undefined;
  const where = path || "(value)";
  if (typeof g !== typeof a || g === null || a === null || typeof g !== "object") {
    return `${where}: golden ${g === undefined ? "has nothing" : show(g)}, now ${a === undefined ? "nothing" : show(a)}`;
  }
  if (Array.isArray(g) !== Array.isArray(a)) return `${where}: golden ${show(g)}, now ${show(a)}`;
  if (Array.isArray(g)) {
    const arr = a as unknown[];
    for (let i = 0; i < Math.max(g.length, arr.length); i++) {
      const d = diffValue(g[i], arr[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  const go = g as Record<string, unknown>;
  const ao = a as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(go), ...Object.keys(ao)])].sort();
  for (const k of keys) {
    const d = diffValue(go[k], ao[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}

/** How a replay words a golden check's outcome in its case's message. */
export interface GoldenWords {
  /** The red case's message when what was sent differs from the entry (`said`: the grade's own). */
  differs(file: string, difference: string | undefined, said: Message): Message;
  /** The note added when the entry was recorded: " Recorded in golden/x.json." */
  recorded(file: string): string;
}

/** What function and plugin replay say when a case's requests differ from its entry. */
export function requestsDiffer(file: string, difference: string | undefined, said: Message): Message {
  return msg`The requests differ from ${file}: ${difference}. Run with --update if the change is intended. (${said})`;
}

/**
 * A graded case's requests against its golden entry (recorded when absent, rewritten with --update):
 * a difference turns it red; a new or updated entry is noted, to be added to its message. A red
 * case keeps its own message and leaves its entry alone: recording what failed would save the
 * failure as expected.
 */
export function checkGolden(
  store: GoldenStore | undefined,
  place: GoldenPlace | undefined,
  grade: Grade,
  requests: RecordedRequest[],
  words: GoldenWords,
): { grade: Grade; note: string; golden?: ReplayCase["golden"] } {
  if (!store || !place) return { grade, note: "" };
  if (grade.status === "fail") {
    store.keep(place.file, place.key);
    return { grade, note: "" };
  }
  const check = store.check(place.file, place.key, requests);
  if (check.status === "differs")
    return {
      grade: { ...reword(grade, (m) => words.differs(check.file, check.difference, m)), status: "fail" },
      note: "",
    };
  if (check.status === "created")
    return { grade, note: words.recorded(check.file), golden: { file: check.file, status: "created" } };
  if (check.status === "updated")
    return {
      grade,
      note: ` Updated ${check.file} (${check.difference}).`,
      golden: { file: check.file, status: "updated" },
    };
  return { grade, note: "" };
}
