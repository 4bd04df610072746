import type pg from 'pg';
import { requestDesired } from '../../domain/environment/plan.ts';
import { noticeKinds } from '../../domain/notice/schema.ts';
import { entityRef } from '../../domain/policy/decision.ts';
import { systemClock, type Clock } from '../../domain/time/clock.ts';
import { formatDuration } from '../../domain/time/duration.ts';
import type { DriverRegistry } from '../../drivers/driver.ts';
import { recordAudit } from '../audit/log.ts';
import { PgEnvironmentRepository, type EnvironmentRepository, type LifetimeCandidate } from '../environments/repository.ts';
import type { Queryable } from '../environments/store.ts';
import { notify } from '../notices/notices.ts';
import { enqueueReconcile } from '../orchestrator/jobs.ts';
import type { LifetimeOf } from './lifetimes.ts';
import { expiryDue, isIdle, longestWarningLead } from './rules.ts';

export interface LifetimeDeps {
  pool: pg.Pool;
  drivers: Pick<DriverRegistry, 'get'>;
  lifetimeOf: LifetimeOf;
  clock?: Clock;
}

export interface SweepReport {
  warned: string[];
  expired: string[];
  idleStopped: string[];
}

/**
 * One pass over lifetimes: environments without an expiry get one (launch + the path's ttl); the
 * owners of those about to expire are warned once; expired ones are deleted and idle ones stopped,
 * the same way `goldpath delete` and `goldpath stop` do it (desired state, event, reconcile job),
 * each with a notice to the owner and an audit row by 'system'. Cheap: one narrow query, and an
 * activity read per running workspace.
 */
export async function sweepLifetimes(deps: LifetimeDeps): Promise<SweepReport> {
  const now = (deps.clock ?? systemClock).now();
  const report: SweepReport = { warned: [], expired: [], idleStopped: [] };
  const environments = new PgEnvironmentRepository(deps.pool);
  await environments.setMissingExpiries((pathId) => deps.lifetimeOf(pathId).ttl);
  for (const env of await environments.lifetimeCandidates(now, longestWarningLead)) {
    const lifetime = deps.lifetimeOf(env.path_id);
    const due = expiryDue({ expiresAt: env.expires_at, warnedAt: env.expiry_warned_at }, lifetime, now);
    if (due.kind === 'expire') {
      if (await expire(environments, env, now)) report.expired.push(env.id);
      continue;
    }
    if (due.kind === 'warn' || due.kind === 'warn-late') {
      if (await warn(environments, env, due.kind === 'warn-late' ? due.expiresAt : env.expires_at, now)) report.warned.push(env.id);
    }
    if (env.status === 'ready' && env.desired === 'ready') {
      const last = await lastActivity(deps, environments, env.id);
      if (!last) continue; // nothing measured (no workspace, or it does not answer): never stop on a guess
      if (!env.last_activity_at || env.last_activity_at.getTime() !== last.getTime()) {
        await environments.recordActivity(env.id, last);
      }
      if (isIdle(last, lifetime, now) && (await idleStop(environments, env, last, formatDuration(lifetime.idle), now))) report.idleStopped.push(env.id);
    }
  }
  return report;
}

/** The latest activity any of the environment's running workspaces reports; null when none can tell. */
async function lastActivity(deps: LifetimeDeps, environments: EnvironmentRepository, envId: string): Promise<Date | null> {
  let latest: Date | null = null;
  for (const r of await environments.resources(envId)) {
    if (r.status !== 'ready') continue;
    let driver;
    try {
      driver = deps.drivers.get(r.type);
    } catch {
      continue; // a type without a driver here has no activity to read
    }
    if (!driver.activity) continue;
    const at = await driver.activity({ environmentId: envId, resourceId: r.id, state: r.state }).catch(() => null);
    if (at && (!latest || at > latest)) latest = at;
  }
  return latest;
}

const when = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Warns the owner once per expiry; with a late warning the expiry moves so that the warning comes first. */
async function warn(environments: EnvironmentRepository, env: LifetimeCandidate, expiresAt: Date, now: Date): Promise<boolean> {
  return environments.atomically(async (repo, db) => {
    const message = `environment ${env.name} (${env.id}) expires at ${when(expiresAt)} and will then be deleted; \`goldpath extend ${env.id}\` keeps it longer`;
    const event = { type: 'environment.expiry-warning', message };
    // Not written when another sweep warned, or an extension moved the expiry.
    if (!(await repo.markExpiryWarned(env.id, { seen: env.expires_at, expiresAt, warnedAt: now, event }))) return false;
    await notify(db, { user: env.owner_id, kind: noticeKinds.expiryWarning, message, environmentId: env.id });
    return true;
  });
}

function expire(environments: EnvironmentRepository, env: LifetimeCandidate, now: Date): Promise<boolean> {
  return changeBySystem(environments, env, 'deleted', now, {
    action: 'delete', notice: noticeKinds.expired,
    message: `environment ${env.name} (${env.id}) expired at ${when(env.expires_at)}: the platform is deleting it`,
  });
}

function idleStop(environments: EnvironmentRepository, env: LifetimeCandidate, last: Date, idle: string, now: Date): Promise<boolean> {
  return changeBySystem(environments, env, 'stopped', now, {
    action: 'stop', notice: noticeKinds.idleStopped,
    message: `environment ${env.name} (${env.id}) was idle since ${when(last)}, longer than its path allows (${idle}): the platform is stopping it; your work is kept, \`goldpath start ${env.id}\` brings it back`,
  });
}

/**
 * What `goldpath stop` and `goldpath delete` do (the planner allows it, the desired state and its
 * event are written, a reconcile is enqueued), by the platform itself: in the same transaction, a
 * notice to the owner and an audit row by 'system'. The row lock makes concurrent sweeps (other
 * replicas) act once.
 */
async function changeBySystem(environments: EnvironmentRepository, env: LifetimeCandidate, want: 'stopped' | 'deleted', now: Date,
  what: { action: 'stop' | 'delete'; notice: string; message: string }): Promise<boolean> {
  return environments.atomically(async (repo, db) => {
    await repo.lock(env.id);
    const snapshot = await repo.load(env.id);
    if (!snapshot) return false;
    // Looked at again under the lock: an extension or a user's own stop may have come first.
    const e = snapshot.environment;
    if (want === 'deleted' && (!e.expires_at || e.expires_at > now)) return false;
    if (want === 'stopped' && e.status !== 'ready') return false;
    const change = requestDesired(env.id, e, snapshot.approvals, want, now);
    if (change.kind !== 'change') return false;
    if (!(await repo.setDesired(env.id, { desired: change.desired, status: change.status, event: { type: change.event, message: `system: ${what.message}` } }))) return false;
    await enqueueReconcile(db, env.id);
    await notify(db, { user: env.owner_id, kind: what.notice, message: what.message, environmentId: env.id });
    await audit(db, env, what.action, what.message);
    return true;
  });
}

async function audit(db: Queryable, env: LifetimeCandidate, action: string, detail: string): Promise<void> {
  await recordAudit(db, {
    actor: 'system', action, resource: entityRef({ type: 'Environment', id: env.id }), team: env.team_id,
    decision: 'allow', policies: ['lifetime'], detail,
  });
}

/** Runs the sweep every `everyMs` (default a minute, GOLDPATH_LIFETIME_SWEEP_MS) until stopped. */
export function startLifetimeSweeper(deps: LifetimeDeps & { everyMs?: number }): { sweep: () => Promise<SweepReport>; stop: () => void } {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    const next = running.then(() => sweepLifetimes(deps));
    running = next.catch(() => {});
    return next;
  };
  const timer = setInterval(() => {
    sweep().catch((e) => console.error(`[lifetimes] sweep failed: ${(e as Error).message}`));
  }, deps.everyMs ?? (Number(process.env.GOLDPATH_LIFETIME_SWEEP_MS) || 60_000));
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
