// Golden files for webhook replay: per case, what the endpoint was sent and the status it answered,
// recorded once and compared on every later run (the function replay's GoldenStore, the same flags
// and wording), so a change that alters what the endpoint accepts shows up as a red case.
// Recorded from the case's exchange, so secrets are already redacted; the URL keeps only its path
// (the host and port of a local endpoint vary from one machine to the next).
import type { Exchange } from "./exchange.js";
import type { GoldenStore, RecordedRequest } from "./golden.js";
import type { ReplayCase } from "./types.js";

/** Where a case's entry lives: a golden file (relative to the integration's folder) and its key. */
export interface GoldenPlace {
  file: string;
  key: string;
}

interface Graded {
  status: ReplayCase["status"];
  message: string;
  retryable: boolean;
  httpStatus?: number;
}

const SETTINGS_HEADER = "x-segment-settings";

/** One delivery as a golden file holds it. */
export function recordOf(e: Exchange): RecordedRequest {
  const url = new URL(e.request.url);
  const headers: Record<string, string> = {};
  let settings: unknown;
  for (const [name, value] of Object.entries(e.request.headers)) {
    const lower = name.toLowerCase();
    if (lower === "content-length") continue;
    if (lower === SETTINGS_HEADER) settings = decodeSettings(value);
    else headers[name] = value;
  }
  let body: unknown = e.request.body;
  try {
    body = JSON.parse(e.request.body);
  } catch {
    // not JSON (the malformed-body probe): kept as the text sent
  }
  return {
    method: e.request.method,
    url: `${url.pathname}${url.search}`,
    headers,
    ...(settings !== undefined ? { settings } : {}),
    body,
    ...(e.response ? { status: e.response.status } : {}),
  };
}

function decodeSettings(value: string): unknown {
  try {
    return JSON.parse(Buffer.from(value, "base64").toString("utf8"));
  } catch {
    return value;
  }
}

/**
 * Compares a graded case's deliveries with its golden entry (recording it when absent, rewriting it
 * with --update). A red case keeps its own message and leaves its entry alone: recording what a
 * failing endpoint answered would save the failure as expected.
 */
export function checkGolden<G extends Graded>(
  store: GoldenStore | undefined,
  place: GoldenPlace | undefined,
  grade: G,
  sent: readonly Exchange[],
): { grade: G; note: string; golden?: ReplayCase["golden"] } {
  if (!store || !place || !sent.length) return { grade, note: "" };
  if (grade.status === "fail") {
    store.keep(place.file, place.key);
    return { grade, note: "" };
  }
  const check = store.check(place.file, place.key, sent.map(recordOf));
  if (check.status === "differs") {
    return {
      grade: {
        ...grade,
        status: "fail",
        message: `What was sent or the status that came back differs from ${check.file}: ${check.difference}. Run with --update if the change is intended. (${grade.message})`,
      },
      note: "",
    };
  }
  if (check.status === "created")
    return { grade, note: ` Recorded in ${check.file}.`, golden: { file: check.file, status: "created" } };
  if (check.status === "updated")
    return {
      grade,
      note: ` Updated ${check.file} (${check.difference}).`,
      golden: { file: check.file, status: "updated" },
    };
  return { grade, note: "" };
}
