/** Durations as people write them in path files and on the command line: 30m, 2h, 7d. */
const units = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const pattern = /^(\d{1,5})([mhd])$/;

export function parseDuration(text: string): number | null {
  const m = pattern.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * units[m[2] as keyof typeof units];
  return ms > 0 ? ms : null;
}

/** The shortest exact way to write a duration: 90m, 2h, 7d. */
export function formatDuration(ms: number): string {
  if (ms % units.d === 0) return `${ms / units.d}d`;
  if (ms % units.h === 0) return `${ms / units.h}h`;
  return `${Math.round(ms / units.m)}m`;
}

/** A rough human reading of a span, for "expires in …": 3 days, 5 hours, 12 minutes. */
export function describeSpan(ms: number): string {
  const abs = Math.abs(ms);
  const [n, unit] = abs >= units.d ? [Math.round(abs / units.d), 'day'] : abs >= units.h ? [Math.round(abs / units.h), 'hour'] : [Math.max(1, Math.round(abs / units.m)), 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The longest duration in one unit that does not exceed ms, as `--by` takes it: 4d for 4.6 days. */
export function wholeDurationAtMost(ms: number): string {
  if (ms >= units.d) return `${Math.floor(ms / units.d)}d`;
  if (ms >= units.h) return `${Math.floor(ms / units.h)}h`;
  return `${Math.max(0, Math.floor(ms / units.m))}m`;
}
