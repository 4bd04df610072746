/**
 * A resource's running intervals, read from its lifecycle events. Pure: the meter hands it the
 * events it finds, as often as it likes, and always gets the same intervals back, each keyed on
 * its start, so writing them again changes nothing.
 */

export interface LifecycleEvent {
  /** resource.ready, resource.stopped, resource.deleted, resource.failed, environment.failed, environment.deleted … */
  type: string;
  at: Date;
}

export interface Interval {
  startedAt: Date;
  /** null while it lasts. */
  endedAt: Date | null;
}

/**
 * `run` intervals (workspaces) end when the resource stops, is deleted or fails; `exists` and `grant`
 * intervals (repositories, buckets, warehouse grants) last through a stop and end at delete or failure.
 * A resource that comes back (a start after a stop, a repair) opens a new interval.
 */
export function intervalsOf(events: readonly LifecycleEvent[], kind: 'run' | 'grant' | 'exists'): Interval[] {
  const ends = new Set(['resource.deleted', 'resource.failed', 'environment.failed', 'environment.deleted']);
  if (kind === 'run') ends.add('resource.stopped');
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  const out: Interval[] = [];
  let open: Interval | null = null;
  for (const e of sorted) {
    if (e.type === 'resource.ready' && !open) {
      open = { startedAt: e.at, endedAt: null };
      out.push(open);
    } else if (ends.has(e.type) && open) {
      open.endedAt = e.at;
      open = null;
    }
  }
  return out;
}
