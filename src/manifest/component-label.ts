// How a component is named in replay results and checklist reasons: its `name`, or its type
// (and style) with its position. One definition for replay, which labels cases, and the checklist
// registry, which reads them back (the App evaluates the registry and never loads replay).
import type { Component } from "./types.js";

export function componentLabel(c: Component, index: number): string {
  if (c.name) return c.name;
  if (c.type === "subscription") return `subscription/${c.style}${index ? ` #${index + 1}` : ""}`;
  return `${c.type}${index ? ` #${index + 1}` : ""}`;
}
