/**
 * `since` as people write it: a duration back from now (`90s`, `30m`, `1h`, `7d`, `2w`) or a date or
 * time (`2026-12-01`, `2026-12-01T09:00:00Z`). The CLI and the API take the same words.
 */
const units: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export const sinceHelp = 'a duration back from now like 30m, 1h, 7d, or a date or time like 2026-12-01 or 2026-12-01T09:00:00Z';

/** The time meant, or undefined when the text is neither a duration nor a date. */
export function parseSince(text: string, now: Date = new Date()): Date | undefined {
  const t = text.trim();
  const ago = t.match(/^(\d{1,6})\s*([smhdw])$/i);
  if (ago) return new Date(now.getTime() - Number(ago[1]) * units[ago[2]!.toLowerCase()]!);
  // Dates only in ISO form: Date.parse accepts much else (e.g. "1"), which would be a surprise.
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
