// A cheap, linear pre-scan of YAML text that estimates how deeply its collections nest, so that
// a 10,000-deep `[[[[…` or staircase of indented maps is refused before the YAML parser (whose
// composer recurses once per level) ever sees it.
//
// The estimate follows YAML's structure closely enough to be exact for ordinary manifests:
// - block collections: a stack of the columns of open mappings and sequences; a `- ` at column c
//   counts as column c + 0.5 so that a sequence written at the same indentation as its parent
//   key ("key:\n- item") still nests under it; `- - x` and `? ` / `: ` indicators nest on one line;
// - flow collections: `[` and `{` outside quoted strings and comments, across lines;
// - block scalars (`|`, `>`) and quoted strings are skipped, so brackets inside text never count.
// It never under-counts a flow collection and can only over-count in malformed documents, which
// the parser would reject anyway.

export interface NestingProblem {
  depth: number;
  /** 1-based position where the limit was first exceeded. */
  line: number;
  column: number;
}

/** Returns where the nesting first exceeds `limit`, or undefined when it never does. */
export function findExcessiveNesting(text: string, limit: number): NestingProblem | undefined {
  const stack: number[] = [];
  let flow = 0; // open flow collections
  let quote: '"' | "'" | undefined; // inside a quoted scalar that may span lines
  let blockScalarParent: number | undefined; // inside a block scalar: lines indented more than this belong to it
  let lineNo = 0;
  let start = 0;
  const n = text.length;

  const exceeds = (col: number): NestingProblem | undefined => {
    const depth = stack.length + flow;
    return depth > limit ? { depth, line: lineNo, column: col + 1 } : undefined;
  };

  while (start <= n) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = n;
    lineNo++;
    let line = text.slice(start, end);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    start = end + 1;

    let indent = 0;
    while (indent < line.length && line.charCodeAt(indent) === 32) indent++;
    const blank = indent === line.length || line[indent] === "#";

    if (blockScalarParent !== undefined) {
      if (blank || indent > blockScalarParent) continue;
      blockScalarParent = undefined;
    }

    let pos = 0;
    if (quote === undefined && flow === 0) {
      if (blank) continue;
      if (
        indent === 0 &&
        (line.startsWith("---") || line.startsWith("...")) &&
        (line.length === 3 || line[3] === " " || line[3] === "\t")
      ) {
        stack.length = 0;
        pos = 3;
        while (pos < line.length && (line[pos] === " " || line[pos] === "\t")) pos++;
        if (pos >= line.length || line[pos] === "#") continue;
      } else if (indent === 0 && line[0] === "%") {
        continue; // directive
      } else {
        pos = indent;
      }
      // Compact indicators: `- `, `? `, `: ` each open a level on this line.
      for (;;) {
        const c = line[pos];
        if (
          (c === "-" || c === "?" || c === ":") &&
          (pos + 1 === line.length || line[pos + 1] === " " || line[pos + 1] === "\t")
        ) {
          push(pos + 0.5);
          const p = exceeds(pos);
          if (p) return p;
          pos++;
          while (pos < line.length && (line[pos] === " " || line[pos] === "\t")) pos++;
          continue;
        }
        break;
      }
      if (pos >= line.length || line[pos] === "#") continue;
      // `key: value` opens a mapping at the key's column.
      const colon = findKeyColon(line, pos);
      if (colon !== undefined) {
        push(pos);
        const p = exceeds(pos);
        if (p) return p;
        pos = colon + 1;
        while (pos < line.length && (line[pos] === " " || line[pos] === "\t")) pos++;
      }
      // Skip anchors and tags before the value.
      while (pos < line.length && (line[pos] === "&" || line[pos] === "!")) {
        while (pos < line.length && line[pos] !== " " && line[pos] !== "\t") pos++;
        while (pos < line.length && (line[pos] === " " || line[pos] === "\t")) pos++;
      }
      const c = line[pos];
      if (c === "|" || c === ">") {
        if (/^[|>][0-9+-]*\s*(#.*)?$/.test(line.slice(pos))) {
          blockScalarParent = Math.floor(stack.length ? stack[stack.length - 1]! : -1);
          continue;
        }
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        pos++;
      } else if (c !== "[" && c !== "{") {
        continue; // a plain scalar: nothing nests inside it
      }
    }

    // Flow context or a quoted scalar: scan characters.
    for (let i = pos; i < line.length; i++) {
      const c = line[i];
      if (quote === '"') {
        if (c === "\\") i++;
        else if (c === '"') quote = undefined;
        continue;
      }
      if (quote === "'") {
        if (c === "'") {
          if (line[i + 1] === "'") i++;
          else quote = undefined;
        }
        continue;
      }
      if (flow === 0) {
        if ((c === "[" || c === "{") && i === pos) {
          flow++;
          const p = exceeds(i);
          if (p) return p;
          continue;
        }
        // A quoted block value ended; the rest of the line is at most a comment.
        break;
      }
      if (c === "#" && (i === 0 || line[i - 1] === " " || line[i - 1] === "\t")) break;
      if (c === '"' || c === "'") {
        // Quotes open a scalar only at the start of a flow token.
        const prev = prevNonSpace(line, i);
        if (prev === undefined || prev === "[" || prev === "{" || prev === "," || prev === ":" || prev === "?")
          quote = c;
        continue;
      }
      if (c === "[" || c === "{") {
        flow++;
        const p = exceeds(i);
        if (p) return p;
      } else if (c === "]" || c === "}") {
        if (flow > 0) flow--;
      }
    }
  }
  return undefined;

  function push(col: number): void {
    while (stack.length && stack[stack.length - 1]! >= col) stack.pop();
    stack.push(col);
  }
}

/** Where a block mapping key on this line ends with its `:`, if the line starts with one. */
function findKeyColon(line: string, from: number): number | undefined {
  let i = from;
  const c = line[i];
  if (c === '"' || c === "'") {
    i++;
    while (i < line.length) {
      if (c === '"' && line[i] === "\\") i += 2;
      else if (line[i] === c) {
        if (c === "'" && line[i + 1] === "'") i += 2;
        else break;
      } else i++;
    }
    if (i >= line.length) return undefined;
    i++;
    while (i < line.length && (line[i] === " " || line[i] === "\t")) i++;
    return line[i] === ":" && (i + 1 === line.length || line[i + 1] === " " || line[i + 1] === "\t") ? i : undefined;
  }
  if (c === "[" || c === "{" || c === "|" || c === ">" || c === "#") return undefined;
  for (; i < line.length; i++) {
    if (line[i] === ":" && (i + 1 === line.length || line[i + 1] === " " || line[i + 1] === "\t")) return i;
    if (line[i] === "#" && (line[i - 1] === " " || line[i - 1] === "\t")) return undefined;
  }
  return undefined;
}

function prevNonSpace(line: string, i: number): string | undefined {
  for (let j = i - 1; j >= 0; j--) if (line[j] !== " " && line[j] !== "\t") return line[j];
  return undefined;
}
