import type pg from 'pg';
import { requestDesired } from '../../domain/environment/plan.ts';
import { noticeKinds } from '../../domain/notice/schema.ts';
import { entityRef } from '../../domain/policy/decision.ts';
import { systemClock, type Clock } from '../../domain/time/clock.ts';
import { formatDuration } from '../../domain/time/duration.ts';
import type { DriverRegistry } from '../../drivers/driver.ts';
import { recordAudit } from '../audit/log.ts';
import { PgEnvironmentRepository } from '../environments/repository.ts';
import { getResourceRows, type Queryable } from '../environments/store.ts';
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

interface Candidate {
  id: string;
  name: string;
  path_id: string;
  team_id: string;
  owner_id: string;
  status: string;
  desired: string;
  created_at: Date;
  expires_at: Date;
  expiry_warned_at: Date | null;
  last_activity_at: Date | null;
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
  await setMissingExpiries(deps.pool, deps.lifetimeOf);
  const { rows } = await deps.pool.query<Candidate>(
    `SELECT id, name, path_id, team_id, owner_id, status, desired, created_at, expires_at, expiry_warned_at, last_activity_at
     FROM environments
     WHERE status <> 'deleted' AND desired <> 'deleted' AND expires_at IS NOT NULL
       AND (expires_at <= $1::timestamptz + make_interval(secs => $2) OR (status = 'ready' AND desired = 'ready'))
     ORDER BY expires_at`,
    [now, longestWarningLead / 1000],
  );
  for (const env of rows) {
    const lifetime = deps.lifetimeOf(env.path_id);
    const due = expiryDue({ expiresAt: env.expires_at, warnedAt: env.expiry_warned_at }, lifetime, now);
    if (due.kind === 'expire') {
      if (await expire(deps, env, now)) report.expired.push(env.id);
      continue;
    }
    if (due.kind === 'warn' || due.kind === 'warn-late') {
      if (await warn(deps.pool, env, due.kind === 'warn-late' ? due.expiresAt : env.expires_at, now)) report.warned.push(env.id);
    }
    if (env.status === 'ready' && env.desired === 'ready') {
      const last = await lastActivity(deps, env.id);
      if (!last) continue; // nothing measured (no workspace, or it does not answer): never stop on a guess
      if (!env.last_activity_at || env.last_activity_at.getTime() !== last.getTime()) {
        await deps.pool.query('UPDATE environments SET last_activity_at = $2 WHERE id = $1', [env.id, last]);
      }
      if (isIdle(last, lifetime, now) && (await idleStop(deps, env, last, formatDuration(lifetime.idle), now))) report.idleStopped.push(env.id);
    }
  }
  return report;
}

/**
 * Environments launched before their path's ttl was known to them: launch + ttl, per path. Kept to
 * milliseconds, as JavaScript holds times, so an expiry read and written back compares equal.
 */
async function setMissingExpiries(pool: pg.Pool, lifetimeOf: LifetimeOf): Promise<void> {
  const { rows } = await pool.query<{ path_id: string }>(`SELECT DISTINCT path_id FROM environments WHERE expires_at IS NULL AND status <> 'deleted'`);
  for (const { path_id } of rows) {
    await pool.query(
      `UPDATE environments SET expires_at = date_trunc('milliseconds', created_at + make_interval(secs => $2)) WHERE path_id = $1 AND expires_at IS NULL AND status <> 'deleted'`,
      [path_id, lifetimeOf(path_id).ttl / 1000],
    );
  }
}

/** The latest activity any of the environment's running workspaces reports; null when none can tell. */
async function lastActivity(deps: LifetimeDeps, envId: string): Promise<Date | null> {
  let latest: Date | null = null;
  for (const r of await getResourceRows(deps.pool, envId)) {
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
async function warn(pool: pg.Pool, env: Candidate, expiresAt: Date, now: Date): Promise<boolean> {
  const repo = new PgEnvironmentRepository(pool);
  return repo.atomically(async (r, db) => {
    const { rowCount } = await db.query(
      'UPDATE environments SET expiry_warned_at = $3, expires_at = $4 WHERE id = $1 AND expires_at = $2 AND expiry_warned_at IS NULL',
      [env.id, env.expires_at, now, expiresAt],
    );
    if (!rowCount) return false; // another sweep warned, or an extension moved the expiry
    const message = `environment ${env.name} (${env.id}) expires at ${when(expiresAt)} and will then be deleted; \`goldpath extend ${env.id}\` keeps it longer`;
    await r.addEvent(env.id, null, { type: 'environment.expiry-warning', message });
    await notify(db, { user: env.owner_id, kind: noticeKinds.expiryWarning, message, environmentId: env.id });
    return true;
  });
}

function expire(deps: LifetimeDeps, env: Candidate, now: Date): Promise<boolean> {
  return changeBySystem(deps.pool, env, 'deleted', now, {
    action: 'delete', notice: noticeKinds.expired,
    message: `environment ${env.name} (${env.id}) expired at ${when(env.expires_at)}: the platform is deleting it`,
  });
}

function idleStop(deps: LifetimeDeps, env: Candidate, last: Date, idle: string, now: Date): Promise<boolean> {
  return changeBySystem(deps.pool, env, 'stopped', now, {
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
async function changeBySystem(pool: pg.Pool, env: Candidate, want: 'stopped' | 'deleted', now: Date,
  what: { action: 'stop' | 'delete'; notice: string; message: string }): Promise<boolean> {
  const environments = new PgEnvironmentRepository(pool);
  return environments.atomically(async (repo, db) => {
    await db.query('SELECT 1 FROM environments WHERE id = $1 FOR UPDATE', [env.id]);
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

async function audit(db: Queryable, env: Candidate, action: string, detail: string): Promise<void> {
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
