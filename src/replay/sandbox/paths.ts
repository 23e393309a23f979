// Where a stack frame or a compiler header points, as a path inside the integration's folder:
// shared by the sandbox (a thrown error's first frame in the partner's code) and the parent (the
// place of a syntax error from `node --check`).
import nodePath from "node:path";
import { fileURLToPath } from "node:url";

/** `file` (a path or a file:// URL) relative to `root` with POSIX separators, or undefined when it is not below it. */
export function insideRoot(root: string, file: string): string | undefined {
  let path = file;
  if (path.startsWith("file://")) {
    try {
      path = fileURLToPath(path);
    } catch {
      return undefined;
    }
  }
  if (!nodePath.isAbsolute(path)) return undefined;
  const rel = nodePath.relative(root, path);
  if (!rel || rel.startsWith("..") || nodePath.isAbsolute(rel)) return undefined;
  return rel.split(nodePath.sep).join("/");
}
