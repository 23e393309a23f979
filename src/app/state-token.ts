// The record of reviewer-confirmed items, kept in the checklist comment as a signed hidden marker:
//   <!-- devcenter:state PAYLOAD.SIGNATURE -->
// Partners administer their repositories and can edit any comment, so the visible checkboxes are
// not evidence; the signed record is. It is bound to the pull request, so it cannot be copied
// from another one. Ticks become part of it only through an edit by an authorised reviewer.
import { createHmac, timingSafeEqual } from "node:crypto";
import { MARKERS } from "../core/vocabulary.js";

export interface PrRef {
  owner: string;
  repo: string;
  number: number;
}

const prKey = (pr: PrRef) => `${pr.owner.toLowerCase()}/${pr.repo.toLowerCase()}#${pr.number}`;
const sign = (secret: string, pr: PrRef, payload: string) =>
  createHmac("sha256", secret)
    .update(`${prKey(pr)}\n${payload}`)
    .digest("base64url");

/**
 * `at`: when the last reviewer edit the record took in was made (the comment's `updated_at`);
 * `itemAt`: the same per item. Records are ordered by `at`: one pasted back from the comment's
 * edit history is older than the record it replaced. An edit older than an item's own time is not
 * applied to it again (a redelivery), while edits of other items still are (deliveries out of order).
 */
export function encodeState(
  secret: string,
  pr: PrRef,
  confirmed: Iterable<string>,
  at = "",
  itemAt: Record<string, string> = {},
): string {
  const i = Object.keys(itemAt).length
    ? { i: Object.fromEntries(Object.entries(itemAt).sort(([a], [b]) => a.localeCompare(b))) }
    : {};
  const payload = Buffer.from(
    JSON.stringify({ v: 1, c: [...new Set(confirmed)].sort(), ...(at ? { t: at } : {}), ...i }),
  ).toString("base64url");
  return `<!-- ${MARKERS.state} ${payload}.${sign(secret, pr, payload)} -->`;
}

const PATTERN = new RegExp(`<!-- ${MARKERS.state} ([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+) -->`);

export interface SignedState {
  valid: boolean;
  confirmed: string[];
  /** When the last reviewer edit it holds was made; "" for none. */
  at: string;
  /** When each item was last changed by a reviewer. */
  itemAt: Record<string, string>;
}

const INVALID: SignedState = { valid: false, confirmed: [], at: "", itemAt: {} };

/** The confirmed item keys in `body`, or `valid: false` when the record is missing or forged. */
export function decodeState(secret: string, pr: PrRef, body: string | undefined): SignedState {
  const m = body ? PATTERN.exec(body) : null;
  if (!m) return INVALID;
  const expected = Buffer.from(sign(secret, pr, m[1]!));
  const given = Buffer.from(m[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return INVALID;
  try {
    const data = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8")) as {
      v?: number;
      c?: unknown;
      t?: unknown;
      i?: unknown;
    };
    if (data.v !== 1 || !Array.isArray(data.c)) return INVALID;
    const itemAt: Record<string, string> = {};
    if (data.i && typeof data.i === "object" && !Array.isArray(data.i)) {
      for (const [k, v] of Object.entries(data.i as Record<string, unknown>))
        if (typeof v === "string" && k !== "__proto__") itemAt[k] = v;
    }
    return {
      valid: true,
      confirmed: data.c.filter((x): x is string => typeof x === "string"),
      at: typeof data.t === "string" ? data.t : "",
      itemAt,
    };
  } catch {
    return INVALID;
  }
}

/** Of two records, the one holding the later reviewer edit (the first on a tie); an invalid one never wins. */
export function newerState(a: SignedState, b: SignedState): SignedState {
  if (!b.valid) return a;
  if (!a.valid) return b;
  return b.at > a.at ? b : a;
}
