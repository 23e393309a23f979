// The docs page and the catalog copy must be text: read.ts reports these while reading the file
// (a missing or oversized file is the manifest checks' `file/…`). Parser rules: no check here.
import { parserRule } from "../../core/rule.js";

export const docsFile = parserRule({
  id: "docs/file",
  severity: "error",
  title: "The docs page is UTF-8 text",
  description:
    "The platform docs page must be a UTF-8 Markdown file. Binary files and other encodings are reported once and " +
    "not checked further. (A missing file, or one over the 1 MiB limit, is reported by the manifest checks as `file/…`.)",
});

export const catalogFile = parserRule({
  id: "catalog/file",
  severity: "error",
  title: "The catalog copy is UTF-8 text",
  description:
    "The catalog copy must be a UTF-8 Markdown file; binary files and other encodings are reported once. (A missing file, or one over the 1 MiB limit, is reported by the manifest checks as `file/…`.)",
});
