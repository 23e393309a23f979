// Reads integration.yml from a FileSource: bounded read, UTF-8 decode, nesting pre-scan, YAML
// parse with positions, safe conversion to data, and JSON Schema validation reporting every error
// with its line and column. `manifest` is set only when all of that passed without an error.
import { messageFields, type Message, msg, words } from "../core/markdown.js";
import { LineCounter, isNode, parseDocument, visit, type Document, type YAMLError } from "yaml";
import type { Diagnostic, Severity } from "../core/diagnostic.js";
import { fileDiagnostic } from "../core/file-diagnostic.js";
import { LIMITS } from "../core/limits.js";
import type { FileSource } from "../core/source.js";
import { decodeText } from "../core/text.js";
import { MANIFEST_FILE } from "../core/vocabulary.js";
import { findExcessiveNesting } from "./nesting.js";
import type { LoaderRuleId } from "./rules/loader.js";
import { describeSchemaErrors } from "./schema-errors.js";
import { manifestValidator } from "./schema.js";
import type { Manifest } from "./types.js";
import { buildTree, type Span, type Spans } from "./yaml-tree.js";

export interface Position {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface LoadedManifest {
  /** Present only when the manifest parsed and passed the schema with no error. */
  manifest?: Manifest;
  /**
   * The parsed data (prototype-free objects, unsafe keys dropped), present whenever the YAML parsed,
   * even if the schema failed: for checks that read it defensively. Its shape is not guaranteed.
   */
  data?: unknown;
  diagnostics: Diagnostic[];
  /** The manifest's path, relative to the source's root. */
  file: string;
  /** Where the value at a JSON pointer was written; for a pointer that does not exist, its nearest existing parent. */
  locate(pointer: string): Position | undefined;
  /** Where the key of a mapping entry was written (falls back to `locate`). */
  locateKey?(pointer: string): Position | undefined;
}

/** What to do about the parser's errors that partners meet most. */
const YAML_HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: "YAML indents with spaces only: replace the tabs with spaces (two per level).",
  MULTILINE_IMPLICIT_KEY: "Is a `:` missing the space after it (`website: https://…`), or a quote left open?",
  MISSING_CHAR: "Is a quote or bracket left open?",
  BAD_INDENT: "Check the indentation: keys of the same mapping line up, and list items start with `- `.",
  UNEXPECTED_TOKEN: "A value that starts with `@`, `` ` `` or contains `: ` must be quoted.",
};

/** Where a loader diagnostic is reported, and the text's offsets as lines and columns. */
interface Reporter {
  file: string;
  diagnostics: Diagnostic[];
  at(
    ruleId: LoaderRuleId,
    message: string | Message,
    pos: Position | undefined,
    extra?: { path?: string; severity?: Severity },
  ): void;
  fromSpan(span: Span | undefined): Position | undefined;
}

export async function loadManifest(source: FileSource, file: string = MANIFEST_FILE): Promise<LoadedManifest> {
  const diagnostics: Diagnostic[] = [];
  const none = (): undefined => undefined;
  const result = (extra: Partial<LoadedManifest> = {}): LoadedManifest => ({
    diagnostics,
    file,
    locate: none,
    locateKey: none,
    ...extra,
  });

  // 1–2. Bytes, bounded; text.
  const text = await readManifestText(source, file, diagnostics);
  if (text === undefined) return result();
  const lineCounter = new LineCounter();
  const r = reporter(file, text, lineCounter, diagnostics);

  // 3–4. Nesting, then YAML with positions.
  const doc = parseManifestYaml(text, lineCounter, r);
  if (!doc) return result();

  // 5. Safe data, with the place of every value. buildTree (not yaml's toJS, whose maxAliasCount
  //    it replaces) bounds alias expansions by LIMITS.yamlAliases and nesting by LIMITS.depth.
  const tree = buildTree(doc);
  const { locate, locateKey, locateMapping } = locators(tree.spans, r.fromSpan);
  for (const p of tree.problems)
    r.at(p.ruleId, p.message, r.fromSpan(p.span) ?? locate(p.pointer), { path: p.pointer });

  // 6. The schema: every error, each at its own place.
  validateManifest(tree.value, r, { locate, locateKey, locateMapping });

  const ok = !diagnostics.some((d) => d.severity === "error");
  return {
    data: tree.value,
    diagnostics,
    file,
    locate,
    locateKey,
    ...(ok ? { manifest: tree.value as Manifest } : {}),
  };
}

/** The manifest's text, or undefined with the reason in `diagnostics` (missing, too large, binary…). */
async function readManifestText(
  source: FileSource,
  file: string,
  diagnostics: Diagnostic[],
): Promise<string | undefined> {
  const read = await source.read(file, LIMITS.manifestBytes);
  if (!read.ok) {
    const hint =
      read.reason === "missing"
        ? msg`Every integration has a manifest, ${MANIFEST_FILE}, at the root of its repository; \`npx devcenter init\` writes one.`
        : undefined;
    diagnostics.push(fileDiagnostic(read, { file, hint }));
    return undefined;
  }
  const decoded = decodeText(read.bytes, file);
  if (!decoded.ok) {
    diagnostics.push(fileDiagnostic(decoded, { file }));
    return undefined;
  }
  return decoded.text;
}

function reporter(file: string, text: string, lineCounter: LineCounter, diagnostics: Diagnostic[]): Reporter {
  const posAt = (offset: number): { line: number; column: number } => {
    const p = lineCounter.linePos(Math.min(offset, text.length));
    return { line: p.line, column: p.col };
  };
  return {
    file,
    diagnostics,
    fromSpan(span) {
      if (!span) return undefined;
      const a = posAt(span[0]);
      const b = posAt(Math.max(span[0], span[1]));
      return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
    },
    at(ruleId, message, pos, extra = {}) {
      const d: Diagnostic = { ruleId, severity: extra.severity ?? "error", ...messageFields(message), file };
      if (pos) Object.assign(d, pos);
      if (extra.path !== undefined) d.path = extra.path;
      diagnostics.push(d);
    },
  };
}

/** The YAML document, or undefined when it must not be read as data (reported through `r`). */
function parseManifestYaml(text: string, lineCounter: LineCounter, r: Reporter): Document.Parsed | undefined {
  const { file } = r;
  // Nesting, before the parser (which recurses once per level) sees the text.
  const deep = findExcessiveNesting(text, LIMITS.depth);
  if (deep) {
    r.at(
      "manifest/yaml-nesting",
      `${file} nests lists and mappings more than ${LIMITS.depth} levels deep (line ${deep.line}); a manifest needs only a few levels. The file was not parsed.`,
      { line: deep.line, column: deep.column },
    );
    return undefined;
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      strict: true,
      version: "1.2",
      merge: false,
    });
  } catch (err) {
    r.at("manifest/yaml-syntax", `${file} could not be parsed as YAML: ${(err as Error).message}`, undefined);
    return undefined;
  }
  // One syntax error per line; after a tab used as indentation, the parser's later errors all
  // follow from it (it misreads the structure), so that one is reported alone.
  const errorLines = new Set<number>();
  for (const e of doc.errors) {
    const line = lineCounter.linePos(e.pos[0]).line;
    if (e.code !== "DUPLICATE_KEY" && errorLines.has(line)) continue;
    errorLines.add(line);
    yamlProblem(e, "error", r);
    if (e.code === "TAB_AS_INDENT") break;
  }
  for (const w of doc.warnings) yamlProblem(w, "warning", r);
  if (doc.errors.some((e) => e.code !== "DUPLICATE_KEY")) return undefined;
  // A tag the manifest cannot take (unresolved, like `!!js/function`, or a type JSON has no place
  // for, like `!!binary`): YAML 1.2 says such a document is not loaded as data, so it is not.
  const tags = foreignTags(doc, text);
  for (const t of tags) r.at("manifest/yaml-syntax", tagMessage(file, t.tag, t.known), r.fromSpan(t.span));
  return tags.length > 0 ? undefined : doc;
}

function yamlProblem(e: YAMLError, severity: Severity, r: Reporter): void {
  if (e.code === "DUPLICATE_KEY") return; // reported with its path by buildTree
  if (e.code === "TAG_RESOLVE_FAILED") return; // an error at the tag, below
  const pos = r.fromSpan([e.pos[0], e.pos[1]]);
  if (e.code === "MULTIPLE_DOCS") {
    r.at(
      "manifest/yaml-multiple-documents",
      msg`${r.file} holds more than one YAML document (a second \`---\`); a manifest is exactly one document.`,
      pos,
      { severity },
    );
    return;
  }
  const said = e.message.replace(/\s+at line \d+, column \d+[\s\S]*$/, "").trim();
  // "Implicit (map) keys …" is how the parser meets `key:value` (no space), whatever the code.
  const hintText = /^Implicit (map )?keys/.test(said) ? YAML_HINTS.MULTILINE_IMPLICIT_KEY : YAML_HINTS[e.code];
  // The parser's words are quoted as a value (escaped); the hint is devcenter's, its code spans kept.
  const hint = hintText ? words(` ${hintText}`) : "";
  r.at("manifest/yaml-syntax", msg`${r.file} is not valid YAML: ${said.replace(/\.$/, "")}.${hint}`, pos, { severity });
}

type Locate = (pointer: string) => Position | undefined;

/** Where a JSON pointer's value, key or mapping was written; a pointer that does not exist, at its nearest existing parent. */
function locators(
  spans: Map<string, Spans>,
  fromSpan: Reporter["fromSpan"],
): { locate: Locate; locateKey: Locate; locateMapping: Locate } {
  const nearest = (pointer: string): Spans | undefined => {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf("/"))) {
      const s = spans.get(p);
      if (s && (s.value || s.key)) return s;
      if (p === "") return undefined;
    }
  };
  const locate = (pointer: string): Position | undefined => {
    const s = nearest(pointer);
    return fromSpan(s?.value ?? s?.key);
  };
  const locateKey = (pointer: string): Position | undefined => {
    const s = nearest(pointer);
    return fromSpan(s?.key ?? s?.value);
  };
  /** A missing key is reported on its mapping: the mapping's own key line if it has one (`app:`), else where it starts. */
  const locateMapping = (pointer: string): Position | undefined => {
    const s = spans.get(pointer);
    if (s?.key) return fromSpan(s.key);
    return locate(pointer) ?? { line: 1, column: 1 };
  };
  return { locate, locateKey, locateMapping };
}

function validateManifest(
  value: unknown,
  r: Reporter,
  where: { locate: Locate; locateKey: Locate; locateMapping: Locate },
): void {
  if (value === null || value === undefined) {
    r.at(
      "manifest/schema",
      msg`${r.file} is empty. It must hold at least apiVersion, app, stage and components; \`npx devcenter init\` writes a starting point.`,
      { line: 1, column: 1 },
    );
    return;
  }
  const validate = manifestValidator();
  if (validate(value)) return;
  for (const p of describeSchemaErrors(validate.errors ?? [])) {
    const pos =
      p.target === "key"
        ? where.locateKey(p.pointer)
        : p.target === "mapping"
          ? where.locateMapping(p.pointer)
          : where.locate(p.pointer);
    r.at("manifest/schema", p.message, pos, { path: p.pointer });
  }
}

/** The tags of YAML 1.2's core schema: what JSON holds. `!` alone only says "not a plain scalar". */
const CORE_TAGS = new Set([
  "!",
  ...["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
]);
/** Tags the parser resolves beyond the core schema (YAML 1.1 types), to values a manifest cannot hold. */
const KNOWN_TAGS = new Set(["binary", "set", "omap", "pairs", "timestamp"].map((t) => `tag:yaml.org,2002:${t}`));

interface ForeignTag {
  /** As written: `!!js/function`, `!local`. */
  tag: string;
  known: boolean;
  span: Span;
}

/** Every tag outside the core schema, where it is written (the tag precedes the node's value). */
function foreignTags(doc: Document, text: string): ForeignTag[] {
  const out: ForeignTag[] = [];
  visit(doc, (_key, node) => {
    if (!isNode(node) || !node.tag || CORE_TAGS.has(node.tag) || !node.range) return;
    const start = node.range[0];
    const before = text.slice(Math.max(0, start - 1024), start);
    // `!tag value`, `!tag &anchor value` or `&anchor !tag value`: the last `!…` word before the value.
    const m = /(!\S*)(?:\s+&\S+)?\s*$/.exec(before);
    const at = m ? start - before.length + m.index : start;
    const tag = m ? m[1]! : node.tag;
    out.push({ tag, known: KNOWN_TAGS.has(node.tag), span: [at, at + (m ? tag.length : 0)] });
  });
  return out;
}

function tagMessage(file: string, tag: string, known: boolean): Message {
  return known
    ? msg`\`${tag}\` asks for a type a manifest has no place for (it holds text, numbers, true/false, lists and mappings), so ${file} was not read. Remove the tag and write the value as plain text.`
    : msg`\`${tag}\` is a YAML tag devcenter cannot resolve (a program's type, say), and YAML 1.2 does not load a document with an unresolved tag as data, so ${file} was not read. Remove the tag and write the value as plain text, or quote the value if the \`!\` belongs to it.`;
}
