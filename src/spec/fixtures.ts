// The partner's fixture folder (manifest `fixtures:`): every .json / .ndjson / .jsonl file below it.
// A file holds a bare message, a wrapper {message, expect, partnerApi, name}, or an array (or NDJSON)
// of either. Every message is Spec-validated; wrappers are checked too, all with file/line/column.
import type { Diagnostic } from "../core/diagnostic.js";
import { type Message, messageFields, msg } from "../core/markdown.js";
import { LIMITS } from "../core/limits.js";
import { fileDiagnostic } from "../core/file-diagnostic.js";
import { readAhead } from "../core/read-ahead.js";
import type { FileSource, ReadResult } from "../core/source.js";
import { decodeText } from "../core/text.js";
import { findingsToDiagnostics, parseEventFile } from "./event-file.js";
import { SPEC_RULE as R } from "./rules.js";
import { pointer, show, validateMessage } from "./validate.js";

export interface PartnerApiResponse {
  method: string;
  url: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  error?: "timeout" | "reset";
}

export interface Fixture {
  /** Root-relative path of the file. */
  file: string;
  /** Position of the message in the file (0 for a file holding one). */
  index: number;
  /**
   * The line the message (or its wrapper) starts on. Computed on first read (finding where each
   * element of an array file starts costs a scan of the file, which only replay needs), and not
   * enumerable: a copy of the fixture (`{ ...f }`) leaves it out.
   */
  readonly line?: number;
  /** The wrapper's `name`, else the file's path below the folder without extension (plus `#index` in multi-message files). */
  name: string;
  message: Record<string, unknown>;
  expect: "pass" | "unsupported" | "fail";
  partnerApi?: PartnerApiResponse[];
}

export const FIXTURE_EXPECTS = ["pass", "unsupported", "fail"] as const;
const WRAPPER_KEYS = ["message", "expect", "partnerApi", "name"] as const;
const API_KEYS = ["method", "url", "status", "body", "headers", "delayMs", "error"] as const;
const EVENT_FILE = /\.(json|ndjson|jsonl)$/i;
/** Findings that make a message impossible to replay as it is. */
const UNSENDABLE = new Set<string>([R.tooDeep.id, R.eventTooLarge.id, R.notAnObject.id]);
/** Files read concurrently ahead of the one being parsed (bounds memory to this many files). */
const READ_AHEAD = 8;
/** Golden files written next to fixtures by replay are not fixtures. */
const GOLDEN = /\.golden\.(json|ndjson|jsonl)$/i;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A wrapper has no message fields of its own and `message`, `expect` or `partnerApi` (or a key that
 * looks like a misspelt `message`, so `{"mesage": …}` is reported as a typo, not as a message).
 */
function isWrapper(item: unknown): item is Record<string, unknown> {
  if (!isObject(item) || Object.hasOwn(item, "type") || Object.hasOwn(item, "action")) return false;
  return Object.keys(item).some(
    (k) => k === "message" || k === "expect" || k === "partnerApi" || closest(k, ["message"]) !== undefined,
  );
}

/** The closest known key for a typo, compared case- and separator-insensitively. */
function closest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase().replace(/[^a-z]/g, "");
  for (const c of known) {
    const n = c.toLowerCase();
    if (
      k === n ||
      k === n + "s" ||
      k === n + "ed" ||
      k + "s" === n ||
      (k.length > 3 && (n.startsWith(k) || k.startsWith(n)))
    )
      return c;
  }
  return undefined;
}

export async function loadFixtures(
  source: FileSource,
  dir: string,
): Promise<{ fixtures: Fixture[]; files: number; events: number; diagnostics: Diagnostic[] }> {
  const fixtures: Fixture[] = [];
  const diagnostics: Diagnostic[] = [];
  let files = 0;
  let events = 0;

  const listed = await source.list(dir, LIMITS.filesPerFolder);
  if (!listed.ok) {
    diagnostics.push(
      fileDiagnostic(
        { ...listed, message: `The fixtures folder ${dir} cannot be read: ${listed.message}` },
        { file: dir },
      ),
    );
    return { fixtures, files, events, diagnostics };
  }
  if (listed.truncated) {
    diagnostics.push({
      ruleId: R.tooManyFiles.id,
      severity: "warning",
      message: `${dir} holds more than ${LIMITS.filesPerFolder.toLocaleString("en-US")} files; only the first ${LIMITS.filesPerFolder.toLocaleString("en-US")} were read — keep fixtures to the cases that matter, or merge them into NDJSON files.`,
      file: dir,
    });
  }
  const prefix = dir === "" || dir === "." ? "" : dir.replace(/\/+$/, "") + "/";

  const eventFiles = listed.files.filter((file) => EVENT_FILE.test(file) && !GOLDEN.test(file));
  // Reads run a few files ahead of parsing: sequential awaits left the CPU idle on I/O.
  const reads = readAhead(source, eventFiles, LIMITS.eventFileBytes, READ_AHEAD);
  for (const file of eventFiles) {
    const read = (await reads.next()).value as ReadResult;
    if (!read.ok) {
      diagnostics.push(fileDiagnostic(read, { file }));
      continue;
    }
    const decoded = decodeText(read.bytes, file);
    if (!decoded.ok) {
      diagnostics.push(fileDiagnostic(decoded, { file, line: 1, column: 1 }));
      continue;
    }
    files++;
    const base = (file.startsWith(prefix) ? file.slice(prefix.length) : file).replace(EVENT_FILE, "");
    const parsed = fixturesFromText(decoded.text, file, base);
    for (const f of parsed.fixtures) fixtures.push(f);
    for (const d of parsed.diagnostics) diagnostics.push(d);
    events += parsed.events;
  }
  return { fixtures, files, events, diagnostics };
}

/**
 * The fixtures in one file's text: a bare message, a wrapper, or an array / NDJSON of either.
 * Every message is Spec-validated and every wrapper checked. `base` names the fixtures.
 * Messages that cannot be sent as they are (too deep, too large) are reported and left out.
 */
export function fixturesFromText(
  text: string,
  file: string,
  base: string,
): { fixtures: Fixture[]; events: number; diagnostics: Diagnostic[] } {
  const fixtures: Fixture[] = [];
  const diagnostics: Diagnostic[] = [];
  const parsed = parseEventFile(text, file);
  for (const d of parsed.diagnostics) diagnostics.push(d);
  const items = parsed.items;
  const events = items.length;

  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const at = (p: string) => parsed.position(i, p);
    // The message's position in the file (NDJSON lines that do not parse keep their places).
    const index = parsed.fileIndex(i);
    const wrapperDiag = (ruleId: string, message: string | Message, path: string) => {
      diagnostics.push({ ruleId, severity: "error", ...messageFields(message), file, index, path, ...at(path) });
    };
    let message: unknown = item;
    let expect: Fixture["expect"] = "pass";
    let partnerApi: PartnerApiResponse[] | undefined;
    // NDJSON: one message a line, so a case is named by its file and line ("events:3").
    let name =
      parsed.format === "ndjson"
        ? `${base}:${at("").line}`
        : items.length > 1 || parsed.format !== "single"
          ? `${base}#${index}`
          : base;
    let usable = true;
    let messagePath = "";

    if (isWrapper(item)) {
      messagePath = "/message";
      message = item.message;
      for (const key of Object.keys(item)) {
        if ((WRAPPER_KEYS as readonly string[]).includes(key)) continue;
        const guess = closest(key, WRAPPER_KEYS);
        wrapperDiag(
          R.fixtureWrapper.id,
          `Unknown fixture key ${show(key)}${guess ? `; did you mean "${guess}"?` : `; a fixture has only ${WRAPPER_KEYS.join(", ")}.`}`,
          pointer(key),
        );
      }
      if (Object.hasOwn(item, "expect")) {
        const e = item.expect;
        if (typeof e === "string" && (FIXTURE_EXPECTS as readonly string[]).includes(e))
          expect = e as Fixture["expect"];
        else {
          const lower = typeof e === "string" ? e.trim().toLowerCase() : "";
          const fix = (FIXTURE_EXPECTS as readonly string[]).includes(lower)
            ? `write "${lower}"`
            : `use "pass", "unsupported" or "fail"`;
          wrapperDiag(R.fixtureExpect.id, msg`\`expect\` is ${show(e)}; ${fix}.`, "/expect");
          usable = false;
        }
      }
      if (Object.hasOwn(item, "partnerApi")) {
        const checked = checkPartnerApi(item.partnerApi, (m, p) =>
          wrapperDiag(R.fixturePartnerApi.id, m, "/partnerApi" + p),
        );
        if (checked) partnerApi = checked;
        else usable = false;
      }
      if (Object.hasOwn(item, "name")) {
        if (typeof item.name === "string" && item.name.trim() !== "") name = item.name;
        else
          wrapperDiag(
            R.fixtureWrapper.id,
            msg`The fixture's \`name\` must be a non-empty string but it is ${show(item.name)}.`,
            "/name",
          );
      }
      if (!isObject(message)) {
        wrapperDiag(
          R.fixtureWrapper.id,
          msg`The fixture's \`message\` must be a Spec message (a JSON object) but it is ${show(message)}.`,
          "/message",
        );
        continue;
      }
    }

    const findings = validateMessage(message);
    if (findings.length > 0) {
      for (const d of findingsToDiagnostics(findings, file, index, (p) => at(messagePath + p))) diagnostics.push(d);
      if (findings.some((f) => UNSENDABLE.has(f.ruleId))) usable = false;
    }
    if (usable && isObject(message)) {
      const fixture: Fixture = { file, index, name, message, expect };
      if (partnerApi) fixture.partnerApi = partnerApi;
      let line: number | undefined;
      Object.defineProperty(fixture, "line", {
        get: () => (line ??= at("").line),
        enumerable: false,
        configurable: true,
      });
      fixtures.push(fixture);
    }
  }
  return { fixtures, events, diagnostics };
}

/** Validates `partnerApi`; returns the answers when every one is well formed. */
function checkPartnerApi(
  value: unknown,
  problem: (message: string | Message, path: string) => void,
): PartnerApiResponse[] | undefined {
  if (!Array.isArray(value)) {
    problem(msg`\`partnerApi\` must be an array of answers ({method, url, status}) but it is ${show(value)}.`, "");
    return undefined;
  }
  let ok = true;
  const bad = (message: string, path: string) => {
    ok = false;
    problem(message, path);
  };
  value.forEach((a: unknown, i) => {
    const at = `/${i}`;
    if (!isObject(a)) {
      bad(
        `partnerApi[${i}] must be an object like {"method": "POST", "url": "https://…", "status": 200} but it is ${show(a)}.`,
        at,
      );
      return;
    }
    for (const key of Object.keys(a)) {
      if ((API_KEYS as readonly string[]).includes(key)) continue;
      const guess = closest(key, API_KEYS);
      bad(
        `Unknown key ${show(key)} in partnerApi[${i}]${guess ? `; did you mean "${guess}"?` : `; an answer has ${API_KEYS.join(", ")}.`}`,
        `${at}${pointer(key)}`,
      );
    }
    if (typeof a.method !== "string" || !/^[A-Za-z]+$/.test(a.method))
      bad(`partnerApi[${i}].method must be an HTTP method such as "POST" but it is ${show(a.method)}.`, `${at}/method`);
    if (typeof a.url !== "string" || !/^https?:\/\/[^\s]+$/i.test(a.url))
      bad(`partnerApi[${i}].url must be an absolute http(s) URL but it is ${show(a.url)}.`, `${at}/url`);
    if (typeof a.status !== "number" || !Number.isInteger(a.status) || a.status < 100 || a.status > 599)
      bad(`partnerApi[${i}].status must be an HTTP status code (100–599) but it is ${show(a.status)}.`, `${at}/status`);
    if (a.headers !== undefined) {
      if (!isObject(a.headers))
        bad(`partnerApi[${i}].headers must be an object of strings but it is ${show(a.headers)}.`, `${at}/headers`);
      else
        for (const [h, v] of Object.entries(a.headers))
          if (typeof v !== "string")
            bad(
              `partnerApi[${i}].headers[${show(h)}] must be a string but it is ${show(v)}.`,
              `${at}/headers${pointer(h)}`,
            );
    }
    if (a.delayMs !== undefined && (typeof a.delayMs !== "number" || !Number.isFinite(a.delayMs) || a.delayMs < 0))
      bad(
        `partnerApi[${i}].delayMs must be a number of milliseconds (0 or more) but it is ${show(a.delayMs)}.`,
        `${at}/delayMs`,
      );
    if (a.error !== undefined && a.error !== "timeout" && a.error !== "reset")
      bad(`partnerApi[${i}].error must be "timeout" or "reset" but it is ${show(a.error)}.`, `${at}/error`);
  });
  if (!ok) return undefined;
  return value.map((a) => {
    const o = a as Record<string, unknown>;
    const r: PartnerApiResponse = {
      method: (o.method as string).toUpperCase(),
      url: o.url as string,
      status: o.status as number,
    };
    if (Object.hasOwn(o, "body")) r.body = o.body;
    if (o.headers !== undefined) r.headers = Object.assign(Object.create(null) as Record<string, string>, o.headers);
    if (o.delayMs !== undefined) r.delayMs = o.delayMs as number;
    if (o.error !== undefined) r.error = o.error as "timeout" | "reset";
    return r;
  });
}
