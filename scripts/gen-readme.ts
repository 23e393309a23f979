// `npm run docs`: rewrites the generated reference sections of README.md.
import { readFileSync, writeFileSync } from "node:fs";
import { regenerate } from "../src/reference.js";

const file = new URL("../README.md", import.meta.url);
const before = readFileSync(file, "utf8");
const after = regenerate(before);
writeFileSync(file, after);
console.log(before === after ? "README.md is up to date." : "README.md reference sections regenerated.");
