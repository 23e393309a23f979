// Untrusted text on its way into Markdown: the helpers live with the message model in core, where
// rules build messages whose values they escape (src/core/markdown.ts).
export { escapeMarkdown, inlineCode, messageMarkdown } from "../core/markdown.js";
