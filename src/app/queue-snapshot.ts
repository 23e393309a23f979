// The review queue snapshot in the catalog repository (`queue.json` at its root): written by the
// sweep through the operator installation, one commit per run and only when the queue changed
// (the time it was taken alone is no change). Entries the sweep could not see this time (a
// repository it did not sweep, a pull request that failed) are carried over from the last snapshot.
import {
  QUEUE_FILE,
  QUEUE_SCHEMA,
  compareQueueEntries,
  parseQueue,
  serializeQueue,
  type QueueEntry,
  type QueueSnapshot,
} from "../core/review-queue.js";
import type { CatalogConfig } from "./catalog.js";
import { statusOf, type Gh } from "./github.js";

export interface QueueWrite {
  status: "written" | "unchanged";
  entries: number;
}

async function readCurrent(gh: Gh, catalog: CatalogConfig): Promise<{ sha?: string; snapshot?: QueueSnapshot }> {
  try {
    const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", {
      owner: catalog.owner,
      repo: catalog.repo,
      path: QUEUE_FILE,
      ...(catalog.branch ? { ref: catalog.branch } : {}),
    });
    if (Array.isArray(data) || data.type !== "file" || typeof data.content !== "string") return {};
    const read = parseQueue(Buffer.from(data.content, "base64").toString("utf8"));
    // An older or unreadable snapshot is replaced whole (its sha still needed to overwrite it).
    return read.ok ? { sha: data.sha, snapshot: read.snapshot } : { sha: data.sha };
  } catch (error) {
    if (statusOf(error) === 404) return {};
    throw error;
  }
}

/** Same entries and SLA (the time taken aside), compared as a reader reads them back. */
function sameQueue(current: QueueSnapshot, next: QueueSnapshot): boolean {
  const read = parseQueue(serializeQueue(next));
  return (
    read.ok &&
    current.reviewBusinessDays === next.reviewBusinessDays &&
    JSON.stringify(current.entries) === JSON.stringify(read.snapshot.entries)
  );
}

export async function writeQueueSnapshot(
  gh: Gh,
  catalog: CatalogConfig,
  o: { entries: QueueEntry[]; takenAt: string; reviewBusinessDays: number; carryOver: (e: QueueEntry) => boolean },
): Promise<QueueWrite> {
  for (let attempt = 0; ; attempt++) {
    const current = await readCurrent(gh, catalog);
    const kept = (current.snapshot?.entries ?? []).filter(o.carryOver);
    const next: QueueSnapshot = {
      schema: QUEUE_SCHEMA,
      takenAt: o.takenAt,
      reviewBusinessDays: o.reviewBusinessDays,
      entries: [...o.entries, ...kept].sort(compareQueueEntries),
    };
    if (current.snapshot && sameQueue(current.snapshot, next))
      return { status: "unchanged", entries: next.entries.length };
    const open = next.entries.length;
    try {
      await gh.request("PUT /repos/{owner}/{repo}/contents/{path}", {
        owner: catalog.owner,
        repo: catalog.repo,
        path: QUEUE_FILE,
        message: `devcenter: review queue snapshot (${open} open ${open === 1 ? "submission" : "submissions"})`,
        content: Buffer.from(serializeQueue(next), "utf8").toString("base64"),
        ...(current.sha ? { sha: current.sha } : {}),
        ...(catalog.branch ? { branch: catalog.branch } : {}),
      });
      return { status: "written", entries: open };
    } catch (error) {
      // Another replica's sweep wrote first: read again and compare once more.
      const status = statusOf(error);
      if ((status === 409 || status === 422) && attempt === 0) continue;
      throw error;
    }
  }
}
