// Reads files in order while keeping up to `window` reads in flight, so parsing one file overlaps
// the I/O of the next ones; memory stays bounded by `window` files.
import type { FileSource, ReadResult } from "./source.js";

export async function* readAhead(
  source: FileSource,
  files: readonly string[],
  maxBytes: number,
  window: number,
): AsyncGenerator<ReadResult> {
  const inFlight: Promise<ReadResult>[] = [];
  let next = 0;
  const fill = () => {
    while (next < files.length && inFlight.length < window) inFlight.push(source.read(files[next++]!, maxBytes));
  };
  fill();
  while (inFlight.length > 0) {
    const result = await inFlight.shift()!;
    fill();
    yield result;
  }
}
