/**
 * Plain aligned tables for terminals; --json prints data instead. `paint` colours a whole row,
 * after aligning: escape codes would count as width.
 */
export function table(rows: Record<string, unknown>[], columns: string[], paint?: (row: number) => ((s: string) => string) | undefined): string {
  if (rows.length === 0) return '';
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map((vals, i) => (paint?.(i) ?? String)(line(vals)))].join('\n');
}

/** An ISO time as terminals show it: `2026-05-01 09:30`, or with `seconds`, `2026-05-01 09:30:12` (UTC). */
export const clock = (iso: string, opts: { seconds?: boolean } = {}): string => iso.slice(0, opts.seconds ? 19 : 16).replace('T', ' ');

const color = process.stdout.isTTY && !process.env.NO_COLOR;
export const green = (s: string) => (color ? `\x1b[32m${s}\x1b[0m` : s);
export const red = (s: string) => (color ? `\x1b[31m${s}\x1b[0m` : s);
export const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
export const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
