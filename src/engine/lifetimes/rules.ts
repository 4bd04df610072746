import type { Lifetime } from '../../domain/golden-path/schema.ts';
import { formatDuration, wholeDurationAtMost } from '../../domain/time/duration.ts';

/**
 * The lifetime rules, without I/O: when an environment expires, when its owner is warned, when its
 * workspace counts as idle, and how far it may be extended. The sweeper and `extend` ask these.
 */

const hour = 3_600_000;

/** How long before expiry the owner is warned: a tenth of the ttl, at least an hour, at most a day. */
export const warningLead = (lifetime: Pick<Lifetime, 'ttl'>): number => Math.min(24 * hour, Math.max(hour, lifetime.ttl / 10));
/** The longest warning lead of any path: the sweep looks this far ahead. */
export const longestWarningLead = 24 * hour;

export const expiryFor = (createdAt: Date, lifetime: Pick<Lifetime, 'ttl'>): Date => new Date(createdAt.getTime() + lifetime.ttl);
export const latestExpiry = (createdAt: Date, lifetime: Pick<Lifetime, 'maxTtl'>): Date => new Date(createdAt.getTime() + lifetime.maxTtl);

export type ExpiryDue =
  | { kind: 'none' }
  | { kind: 'warn' }
  /** Reached without a warning (the platform was down): warn now and give the owner the warning lead. */
  | { kind: 'warn-late'; expiresAt: Date }
  | { kind: 'expire' };

export function expiryDue(env: { expiresAt: Date; warnedAt: Date | null }, lifetime: Pick<Lifetime, 'ttl'>, now: Date): ExpiryDue {
  const left = env.expiresAt.getTime() - now.getTime();
  if (left <= 0) return env.warnedAt ? { kind: 'expire' } : { kind: 'warn-late', expiresAt: new Date(now.getTime() + warningLead(lifetime)) };
  if (left <= warningLead(lifetime) && !env.warnedAt) return { kind: 'warn' };
  return { kind: 'none' };
}

/** Idle for longer than the path allows, measured from the workspace's own last activity. */
export const isIdle = (lastActivity: Date, lifetime: Pick<Lifetime, 'idle'>, now: Date): boolean => now.getTime() - lastActivity.getTime() > lifetime.idle;

export type Extension =
  | { kind: 'extended'; expiresAt: Date }
  | { kind: 'refused'; message: string; latest: Date };

/**
 * A new expiry: `by` past the current one (or past now, when that is later). Without `by`, one
 * more ttl, as far as the limit allows. Never beyond launch + maxTtl.
 */
export function extension(env: { id: string; createdAt: Date; expiresAt: Date | null }, lifetime: Lifetime, by: number | undefined, now: Date): Extension {
  const latest = latestExpiry(env.createdAt, lifetime);
  const current = env.expiresAt ?? expiryFor(env.createdAt, lifetime);
  const base = Math.max(current.getTime(), now.getTime());
  const limit = `environments of this path live at most ${formatDuration(lifetime.maxTtl)} from launch`;
  if (base >= latest.getTime()) {
    return { kind: 'refused', latest, message: `environment ${env.id} already expires at its limit, ${latest.toISOString()}: ${limit}; launch a new one to keep working` };
  }
  if (by === undefined) return { kind: 'extended', expiresAt: new Date(Math.min(base + lifetime.ttl, latest.getTime())) };
  const wanted = new Date(base + by);
  if (wanted > latest) {
    return {
      kind: 'refused', latest,
      message: `extending environment ${env.id} by ${formatDuration(by)} would make it expire at ${wanted.toISOString()}, beyond its limit: ${limit}. The latest possible expiry is ${latest.toISOString()}; extend by at most ${wholeDurationAtMost(latest.getTime() - base)}`,
    };
  }
  return { kind: 'extended', expiresAt: wanted };
}
