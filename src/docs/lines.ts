// Line lookups over a whole file, built once: offsets ↔ 1-based line and column in O(log n).
export class LineIndex {
  /** Offset of the first character of each line (0-based line numbers). */
  readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The text of a 0-based line, without its line ending. */
  line(line0: number): string {
    if (line0 < 0 || line0 >= this.starts.length) return "";
    const start = this.starts[line0]!;
    let end = line0 + 1 < this.starts.length ? this.starts[line0 + 1]! - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  /** Position of the first non-blank character of a 0-based line. */
  lineStart(line0: number): { line: number; column: number } {
    const text = this.line(line0);
    const indent = text.length - text.trimStart().length;
    return { line: line0 + 1, column: text.trim() === "" ? 1 : indent + 1 };
  }
}
