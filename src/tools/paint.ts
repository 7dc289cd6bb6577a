/**
 * Terminal styles of the CLI reports (lint and doctor), one table: SGR
 * set/reset pairs (ECMA-48 §8.3.117). The foreground colours reset with 39 and
 * dim/bold with 22, so a style never ends another one around it.
 */
const SGR = {
  red: ['\x1b[31m', '\x1b[39m'],
  green: ['\x1b[32m', '\x1b[39m'],
  yellow: ['\x1b[33m', '\x1b[39m'],
  magenta: ['\x1b[35m', '\x1b[39m'],
  cyan: ['\x1b[36m', '\x1b[39m'],
  dim: ['\x1b[2m', '\x1b[22m'],
  bold: ['\x1b[1m', '\x1b[22m'],
} as const;

export type Style = keyof typeof SGR;

/** `text` in `style` when `on` (a terminal that wants colour), else `text` as it is. */
export function paint(style: Style, text: string, on: boolean): string {
  return on ? SGR[style][0] + text + SGR[style][1] : text;
}
