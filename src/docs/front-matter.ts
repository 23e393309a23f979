// YAML front matter at the top of a Markdown file: `---` on the first line, YAML, then `---` (or `...`).
import { LineCounter, parseDocument, isMap, isScalar } from "yaml";
import type { LineIndex } from "./lines.js";

export type FrontMatter =
  | { kind: "none" }
  | { kind: "unclosed"; line: number }
  | {
      kind: "ok";
      /** 0-based line of the opening `---`. */
      openLine0: number;
      /** 0-based line of the closing `---`; the body starts on the next line. */
      closeLine0: number;
      problems: { message: string; line: number; column: number }[];
      /** Top-level string values with their 1-based positions in the file. */
      fields: Map<string, { value: unknown; line: number; column: number }>;
    };

const MAX_FRONT_MATTER_LINES = 1000;

export function readFrontMatter(lines: LineIndex): FrontMatter {
  if (lines.line(0).trimEnd() !== "---") return { kind: "none" };
  let close = -1;
  const last = Math.min(lines.lineCount, MAX_FRONT_MATTER_LINES + 1);
  for (let i = 1; i < last; i++) {
    const l = lines.line(i).trimEnd();
    if (l === "---" || l === "...") {
      close = i;
      break;
    }
  }
  if (close === -1) return { kind: "unclosed", line: 1 };

  const yamlStart = lines.starts[1] ?? lines.text.length;
  const yamlEnd = lines.starts[close]!;
  const yamlText = lines.text.slice(yamlStart, yamlEnd);
  const counter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): { line: number; column: number } => {
    const p = counter.linePos(offset);
    return { line: p.line + 1, column: p.col };
  };
  const problems = doc.errors.map((e) => ({ message: e.message.split("\n")[0]!, ...at(e.pos[0]) }));
  const fields = new Map<string, { value: unknown; line: number; column: number }>();
  if (problems.length === 0) {
    if (doc.contents !== null && !isMap(doc.contents)) {
      problems.push({
        message: "the front matter must be a YAML mapping of keys to values",
        ...at(doc.contents.range?.[0] ?? 0),
      });
    } else if (isMap(doc.contents)) {
      for (const pair of doc.contents.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const node = pair.value;
        // Only scalars are read: no alias expansion, whatever the front matter holds.
        const value = isScalar(node) ? node.value : node === null ? null : { nonScalar: true };
        const offset = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? pair.key.range?.[0] ?? 0;
        fields.set(key, { value, ...at(offset) });
      }
    }
  }
  return { kind: "ok", openLine0: 0, closeLine0: close, problems, fields };
}

/** The file with the front matter lines blanked, so Markdown line numbers stay those of the file. */
export function bodyText(lines: LineIndex, fm: FrontMatter): { body: string; firstLine0: number } {
  if (fm.kind !== "ok") return { body: lines.text, firstLine0: 0 };
  const bodyStart = lines.starts[fm.closeLine0 + 1] ?? lines.text.length;
  return { body: "\n".repeat(fm.closeLine0 + 1) + lines.text.slice(bodyStart), firstLine0: fm.closeLine0 + 1 };
}
