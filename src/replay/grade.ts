// A replayed case's grade (webhook, function and plugin replay alike), and rewording it in both
// forms. Kept apart from webhook.ts so the golden check (golden.ts) can reword a grade too.
import { asMessage, type Message, messageFields } from "../core/markdown.js";
import type { CaseStatus } from "./types.js";

export interface Grade {
  status: CaseStatus;
  httpStatus?: number;
  message: string;
  /** The message's Markdown, where devcenter's words in it carry code spans (the case carries it on). */
  markdown?: string;
  retryable: boolean;
}

/**
 * The grade with its message rewritten by `f`: in both forms when it has a Markdown form, otherwise
 * the text alone (a renderer escapes it whole), so a Markdown form never lags behind its text.
 */
export function reword(grade: Grade, f: (message: Message) => Message): Grade {
  const { markdown: _md, ...rest } = grade;
  const out = f(asMessage(grade));
  return grade.markdown === undefined ? { ...rest, message: out.text } : { ...rest, ...messageFields(out) };
}
