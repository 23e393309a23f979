// Caps that keep a review bounded in time and memory whatever a repository holds.
export const LIMITS = {
  /** integration.yml: room for 10,000 settings written out (about 1 MB), not for a file that is no manifest */
  manifestBytes: 2 * 1024 * 1024,
  /** a fixture or event file */
  eventFileBytes: 5 * 1024 * 1024,
  /** a Markdown document */
  docBytes: 1024 * 1024,
  /** an SVG logo or mark */
  imageBytes: 512 * 1024,
  /** files listed under one fixtures folder */
  filesPerFolder: 5_000,
  /** events read from one file */
  eventsPerFile: 100_000,
  /** nesting of any YAML or JSON value */
  depth: 64,
  /** YAML aliases resolved in one document */
  yamlAliases: 100,
} as const;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 102.4) / 10} KiB`;
  return `${Math.round(n / (1024 * 102.4)) / 10} MiB`;
}
