// A small, bounded XML reader for logos and marks: well-formedness, an <svg> root, nothing that
// runs code or loads another file, and the root's dimensions. Linear in the file's size, no recursion.
import type { LineIndex } from "./lines.js";

export interface SvgProblem {
  kind: "svg" | "unsafe";
  message: string;
  offset: number;
}

export interface SvgRoot {
  offset: number;
  attrs: Map<string, { value: string; offset: number; valueOffset: number }>;
}

export interface SvgReport {
  problems: SvgProblem[];
  root?: SvgRoot;
}

const MAGIC: [string, (b: Uint8Array) => boolean][] = [
  ["a PNG image", (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47],
  ["a JPEG image", (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ["a GIF image", (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38],
  ["a WebP image", (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP"],
  ["a PDF document", (b) => ascii(b, 0, 5) === "%PDF-"],
  ["a gzip-compressed file (SVGZ)", (b) => b[0] === 0x1f && b[1] === 0x8b],
  ["an ICO icon", (b) => b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0],
];

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/** A raster (or other non-SVG) format recognised from the first bytes, if any. */
export function sniffNonSvg(bytes: Uint8Array): string | undefined {
  return MAGIC.find(([, test]) => test(bytes))?.[0];
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const SPACE = /\s*/y;
const EQUALS = /\s*=\s*/y;

/** A sticky match of `re` at `at`, or undefined. */
function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}
const PREDEFINED = new Set(["amp", "lt", "gt", "quot", "apos"]);
const ALLOWED_DATA = /^data:image\/(?:png|jpe?g|gif|webp);/i;
const URL_REF = /url\(\s*(['"]?)\s*([^'")\s]*)/gi;

function localName(name: string): string {
  const i = name.indexOf(":");
  return (i === -1 ? name : name.slice(i + 1)).toLowerCase();
}

/** Reads an SVG document; stops at the first well-formedness error (later positions would be guesses). */
export function readSvg(text: string): SvgReport {
  const problems: SvgProblem[] = [];
  const fail = (message: string, offset: number): SvgReport => {
    problems.push({ kind: "svg", message, offset });
    return { problems, root };
  };
  const unsafe = (message: string, offset: number): void => {
    problems.push({ kind: "unsafe", message, offset });
  };
  const checkCss = (css: string, offset: number): void => cssProblems(css, offset, unsafe);

  let root: SvgRoot | undefined;
  const stack: { name: string; offset: number }[] = [];
  let rootClosed = false;
  let i = 0;
  const n = text.length;

  while (i < n) {
    const lt = text.indexOf("<", i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      const chunk = text.slice(i, textEnd);
      if (stack.length === 0 && chunk.trim() !== "") {
        const at = i + chunk.search(/\S/);
        return fail(
          root ? "there is text after the closing </svg> tag" : "the file does not start with an XML or <svg> tag",
          at,
        );
      }
      const bad = checkEntities(chunk);
      if (bad !== undefined) return fail(bad.message, i + bad.index);
      if (stack.length > 0 && localName(stack[stack.length - 1]!.name) === "style") checkCss(chunk, i);
    }
    if (lt === -1) break;
    i = lt;

    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end === -1) return fail("a comment (<!--) is never closed", i);
      i = end + 3;
      continue;
    }
    if (text.startsWith("<![CDATA[", i)) {
      if (stack.length === 0) return fail("CDATA outside the <svg> element", i);
      const end = text.indexOf("]]>", i + 9);
      if (end === -1) return fail("a CDATA section is never closed", i);
      if (localName(stack[stack.length - 1]!.name) === "style") checkCss(text.slice(i + 9, end), i + 9);
      i = end + 3;
      continue;
    }
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end === -1) return fail("a processing instruction (<?) is never closed", i);
      const target = /^<\?([^\s?]+)/.exec(text.slice(i, end))?.[1] ?? "";
      if (target.toLowerCase() === "xml-stylesheet") unsafe("an xml-stylesheet instruction loads another file", i);
      else if (target.toLowerCase() === "xml" && i !== 0)
        return fail("the <?xml ?> declaration must be the very first thing in the file", i);
      i = end + 2;
      continue;
    }
    if (text.startsWith("<!DOCTYPE", i) || text.startsWith("<!doctype", i)) {
      if (root) return fail("a DOCTYPE after the root element", i);
      const end = doctypeEnd(text, i);
      if (end === -1) return fail("the DOCTYPE is never closed", i);
      const decl = text.slice(i, end);
      if (/<!ENTITY/i.test(decl))
        unsafe(
          "the DOCTYPE declares entities (these can expand without bound or read other files)",
          i + decl.search(/<!ENTITY/i),
        );
      const system = /\b(?:SYSTEM|PUBLIC\s+(["'])[^"']*\1)\s*(["'])([^"']*)\2/i.exec(decl);
      if (system && !/^https?:\/\/www\.w3\.org\//i.test(system[3] ?? ""))
        unsafe(`the DOCTYPE refers to an external file (${system[3]})`, i);
      i = end;
      continue;
    }
    if (text.startsWith("</", i)) {
      const m = matchAt(NAME, text, i + 2);
      const close = m ? text.indexOf(">", i) : -1;
      if (!m || close === -1 || text.slice(i + 2 + m.length, close).trim() !== "")
        return fail("a malformed closing tag", i);
      const open = stack.pop();
      if (!open) return fail(`a closing </${m}> tag without an opening tag`, i);
      if (open.name !== m) return fail(`</${m}> closes <${open.name}>; tags must nest properly`, i);
      if (stack.length === 0) rootClosed = true;
      i = close + 1;
      continue;
    }

    // A start tag.
    const start = i;
    const name = matchAt(NAME, text, i + 1);
    if (!name) return fail("a < that does not start a tag; write &lt; in text", i);
    if (rootClosed || (stack.length === 0 && root))
      return fail("more than one root element; everything must be inside one <svg>", i);
    i += 1 + name.length;
    const attrs = new Map<string, { value: string; offset: number; valueOffset: number }>();
    let selfClosing = false;
    for (;;) {
      const ws = matchAt(SPACE, text, i)?.length ?? 0;
      i += ws;
      if (i >= n) return fail(`the <${name}> tag is never closed`, start);
      if (text.startsWith("/>", i)) {
        selfClosing = true;
        i += 2;
        break;
      }
      if (text[i] === ">") {
        i += 1;
        break;
      }
      if (ws === 0) return fail(`attributes of <${name}> must be separated by white space`, i);
      const an = matchAt(NAME, text, i);
      if (!an) return fail(`a malformed attribute in <${name}>`, i);
      const attrOffset = i;
      i += an.length;
      const eq = matchAt(EQUALS, text, i);
      if (eq === undefined) return fail(`the attribute ${an} of <${name}> has no value (write ${an}="…")`, attrOffset);
      i += eq.length;
      const quote = text[i];
      if (quote !== '"' && quote !== "'") return fail(`the value of ${an} must be in quotes`, i);
      const endQ = text.indexOf(quote, i + 1);
      if (endQ === -1) return fail(`the value of ${an} is never closed`, i);
      const value = text.slice(i + 1, endQ);
      if (value.includes("<")) return fail(`the value of ${an} contains "<"; write &lt;`, i);
      const bad = checkEntities(value);
      if (bad !== undefined) return fail(bad.message, i + 1 + bad.index);
      if (attrs.has(an)) return fail(`<${name}> has the attribute ${an} twice`, attrOffset);
      attrs.set(an, { value, offset: attrOffset, valueOffset: i + 1 });
      i = endQ + 1;
    }

    if (!root) {
      if (localName(name) !== "svg") return fail(`the root element is <${name}>, not <svg>`, start);
      root = { offset: start, attrs };
    }
    elementProblems(localName(name), start, attrs, unsafe);
    if (!selfClosing) stack.push({ name, offset: start });
    else if (stack.length === 0) rootClosed = true;
  }

  if (!root) return fail("the file holds no <svg> element", 0);
  if (stack.length > 0)
    return fail(`<${stack[stack.length - 1]!.name}> is never closed`, stack[stack.length - 1]!.offset);
  return { problems, root };
}

type Unsafe = (message: string, offset: number) => void;

/** What in a style sheet or style attribute loads another file: @import, url(…) other than #fragments and images inlined as data. */
function cssProblems(css: string, offset: number, unsafe: Unsafe): void {
  if (/@import/i.test(css)) unsafe("CSS @import loads another file", offset + css.search(/@import/i));
  URL_REF.lastIndex = 0;
  for (let m = URL_REF.exec(css); m; m = URL_REF.exec(css)) {
    const target = m[2] ?? "";
    if (!target.startsWith("#") && !ALLOWED_DATA.test(target))
      unsafe(`CSS url(${target}) refers to another file or site`, offset + m.index);
  }
}

/** What in one element runs code or reaches out: scripts, HTML, event handlers, links to other files. */
function elementProblems(
  local: string,
  start: number,
  attrs: Map<string, { value: string; offset: number; valueOffset: number }>,
  unsafe: Unsafe,
): void {
  if (local === "script") unsafe("a <script> element runs code", start);
  if (local === "foreignobject") unsafe("a <foreignObject> element embeds HTML", start);
  for (const [attr, { value, offset, valueOffset }] of attrs) {
    const a = attr.toLowerCase();
    const v = value.trim();
    if (a.startsWith("on")) unsafe(`the ${attr} attribute runs code`, offset);
    else if (a === "href" || a === "src" || a.endsWith(":href")) {
      if (/^\s*javascript:/i.test(v)) unsafe(`${attr}="${v.slice(0, 60)}" runs code`, offset);
      else if (!v.startsWith("#") && !ALLOWED_DATA.test(v))
        unsafe(`${attr}="${v.slice(0, 80)}" refers to another file or site`, offset);
    } else if (a === "style" || value.includes("url(")) cssProblems(value, valueOffset, unsafe);
  }
}

/** End offset (exclusive) of a DOCTYPE, internal subset included; -1 when unclosed. */
function doctypeEnd(text: string, from: number): number {
  let inSubset = false;
  let quote = "";
  for (let j = from + 9; j < text.length; j++) {
    const c = text[j]!;
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") inSubset = true;
    else if (c === "]") inSubset = false;
    else if (c === ">" && !inSubset) return j + 1;
  }
  return -1;
}

function checkEntities(s: string): { message: string; index: number } | undefined {
  for (let j = s.indexOf("&"); j !== -1; j = s.indexOf("&", j + 1)) {
    const m = /^&(?:#[0-9]+|#x[0-9a-fA-F]+|([A-Za-z_][\w.-]*));/.exec(s.slice(j, j + 64));
    if (!m) return { message: 'a bare "&"; write &amp;', index: j };
    if (m[1] !== undefined && !PREDEFINED.has(m[1]))
      return { message: `the entity &${m[1]}; is not defined in XML`, index: j };
  }
  return undefined;
}

/** Width and height of the drawing, from `viewBox` and from absolute `width`/`height`. */
export function svgBoxes(root: SvgRoot): {
  viewBox?: { w: number; h: number; offset: number };
  size?: { w: number; h: number; offset: number };
} {
  const out: ReturnType<typeof svgBoxes> = {};
  const vb = root.attrs.get("viewBox");
  if (vb) {
    const parts = vb.value
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (parts.length === 4 && parts.every(Number.isFinite) && parts[2]! > 0 && parts[3]! > 0) {
      out.viewBox = { w: parts[2]!, h: parts[3]!, offset: vb.offset };
    }
  }
  const w = root.attrs.get("width");
  const h = root.attrs.get("height");
  if (w && h) {
    const pw = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex)?\s*$/i.exec(w.value);
    const ph = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex)?\s*$/i.exec(h.value);
    const unit = (u: string | undefined) => (u ?? "px").toLowerCase();
    if (pw && ph && unit(pw[2]) === unit(ph[2]) && Number(pw[1]) > 0 && Number(ph[1]) > 0) {
      out.size = { w: Number(pw[1]), h: Number(ph[1]), offset: w.offset };
    }
  }
  return out;
}

export function positionOf(lines: LineIndex, offset: number): { line: number; column: number } {
  return lines.position(offset);
}
