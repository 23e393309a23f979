// Terminal styling: colour only when writing to a terminal (and NO_COLOR is unset).
export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export const COLOR: Style = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  green: wrap(32, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};
const id = (s: string) => s;
export const PLAIN: Style = { red: id, yellow: id, green: id, dim: id, bold: id };

export function styleFor(isTTY: boolean, env: NodeJS.ProcessEnv): Style {
  return isTTY && !env.NO_COLOR ? COLOR : PLAIN;
}
