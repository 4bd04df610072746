import type pg from 'pg';
import type { DesiredState, EnvironmentStatus, ResourceStatus } from '../../domain/environment/lifecycle.ts';
import type { PlanApproval, PlannedEvent } from '../../domain/environment/plan.ts';
import type { EnvironmentView, EventView } from '../../domain/environment/schema.ts';
import type { Json } from '../../drivers/driver.ts';
import { inTransaction } from '../../infrastructure/postgres/transaction.ts';
import type { ExtensionRecord } from '../../domain/golden-path/extension.ts';
import { toEnvironmentView, toEventView, type EnvironmentRow, type EventRow, type Queryable, type ResourceRow } from './store.ts';
import { notifyOwner } from '../notices/notices.ts';

/** An environment with everything the planner looks at. */
export interface EnvironmentSnapshot {
  environment: EnvironmentRow;
  resources: ResourceRow[];
  approvals: PlanApproval[];
}

export interface NewEnvironment {
  id: string;
  name: string;
  pathId: string;
  pathVersion: string;
  team: string;
  owner: string;
  dataClass: string | null;
  params: Record<string, unknown>;
  status: EnvironmentStatus;
  resources: { id: string; type: string; params: unknown; dependsOn: string[]; wave: number }[];
  event: PlannedEvent;
  /** The path's time-to-live: it expires that long after its creation (when absent the lifetime sweeper sets it). */
  ttlMs?: number;
}

export interface ResourcePatch {
  status: ResourceStatus;
  state?: Record<string, Json>;
  outputs?: Record<string, Json>;
  error?: string | null;
}

/** Which environments a list shows: a team's, an owner's, or both; deleted ones only when asked. */
export interface EnvironmentFilter {
  team?: string;
  owner?: string;
  includeDeleted?: boolean;
}

/** What the lifetime sweeper looks at of an environment whose expiry is set. */
export type LifetimeCandidate = Pick<EnvironmentRow,
  'id' | 'name' | 'path_id' | 'team_id' | 'owner_id' | 'status' | 'desired' | 'created_at' | 'expiry_warned_at' | 'last_activity_at'> & { expires_at: Date };

/** Another environment of the team already has this name (the unique index says so, even in a race). */
export class NameTakenError extends Error {
  readonly team: string;
  readonly name: string;
  constructor(team: string, name: string) {
    super(`team ${team} already has an environment named "${name}"`);
    this.team = team;
    this.name = name;
  }
}

/**
 * The one way the engine reads and changes environments. Each change is written with its event in
 * one statement, so the history never misses a change and never tells of one that did not happen.
 */
export interface EnvironmentRepository {
  load(id: string): Promise<EnvironmentSnapshot | null>;
  /** The environment as the API shows it, with its resources; null when there is none. */
  view(id: string): Promise<EnvironmentView | null>;
  /** The newest 500 environments that match, each with its resources. */
  list(filter: EnvironmentFilter): Promise<EnvironmentView[]>;
  /** The environment's history after event `after`, oldest first, at most 1000. */
  events(id: string, after?: number): Promise<EventView[]>;
  /** The environment's resources in provisioning order. */
  resources(id: string): Promise<ResourceRow[]>;
  create(env: NewEnvironment): Promise<void>;
  nameTaken(team: string, name: string): Promise<boolean>;
  /** Moves the environment from `from` to `to`; false (and nothing written) when it is no longer in `from`. */
  transition(id: string, change: { from: EnvironmentStatus; to: EnvironmentStatus; reason: string | null; event: PlannedEvent }): Promise<boolean>;
  /** Records what the owner asked for (and the status that follows from it); false when the environment is being deleted. */
  setDesired(id: string, change: { desired: DesiredState; status: EnvironmentStatus; event: PlannedEvent }): Promise<boolean>;
  updateResource(envId: string, resourceId: string, patch: ResourcePatch, event?: PlannedEvent): Promise<void>;
  addEvent(envId: string, resourceId: string | null, event: PlannedEvent): Promise<void>;
  /** Writes on the environment's approved requests what was granted. */
  recordGrant(envId: string, granted: string): Promise<void>;
  /** Granted access ends and pending requests are cancelled, with the event when there is one. */
  endApprovals(envId: string, event: PlannedEvent | null): Promise<void>;
  /** Environments in one of `states`, or holding a grant (whose approval may lapse), or with `includeReady` every ready one. */
  sweepCandidates(states: { status: EnvironmentStatus; desired: DesiredState }[], includeReady: boolean): Promise<string[]>;
  /**
   * Environments the lifetime sweeper looks at: not (being) deleted, with an expiry, and either
   * expiring within `leadMs` of `now` or running (whose activity is measured). Soonest expiry first.
   */
  lifetimeCandidates(now: Date, leadMs: number): Promise<LifetimeCandidate[]>;
  /**
   * Gives environments launched before their path's ttl was known to them an expiry: launch + ttl.
   * Kept to milliseconds, as JavaScript holds times, so an expiry read and written back compares equal.
   */
  setMissingExpiries(ttlOf: (pathId: string) => number): Promise<void>;
  /** Keeps the workspace's last measured activity. */
  recordActivity(id: string, at: Date): Promise<void>;
  /**
   * Marks the owner warned of the expiry `seen` (moving it to `expiresAt`) with its event; false (and
   * nothing written) when another sweep warned first or an extension moved the expiry.
   */
  markExpiryWarned(id: string, change: { seen: Date; expiresAt: Date; warnedAt: Date; event: PlannedEvent }): Promise<boolean>;
  /** Moves the expiry (a new expiry earns a new warning), with its event. */
  setExpiry(id: string, expiresAt: Date, event: PlannedEvent): Promise<void>;
  /** Holds the environment's row until the transaction ends (inside `atomically`): concurrent changes to it take turns. */
  lock(id: string): Promise<void>;
  /** Runs fn while holding the environment's lock: runs for one environment take turns, on any replica. */
  exclusively<T>(id: string, fn: () => Promise<T>): Promise<T>;
  /** Whether a live run holds the environment's lock (a crashed run's lock went with its connection). */
  isBusy(id: string): Promise<boolean>;
  /** Runs fn in one transaction, with a repository and a connection bound to it. */
  atomically<T>(fn: (repo: EnvironmentRepository, db: Queryable) => Promise<T>): Promise<T>;
  /**
   * Records the environment's extension and makes its resources what the extended path declares:
   * new ones are added (pending), changed ones get their new params and are marked pending to be
   * provisioned again, and every resource gets its wave in the new graph. With its event.
   */
  applyExtension(id: string, change: { record: ExtensionRecord; resources: NewEnvironment['resources']; changed: string[]; event: PlannedEvent }): Promise<void>;
}

const lockKey = (id: string) => 'env:' + id;

/** The environment tables in PostgreSQL. */
export class PgEnvironmentRepository implements EnvironmentRepository {
  readonly #pool: pg.Pool;
  readonly #db: Queryable;

  constructor(pool: pg.Pool, db: Queryable = pool) {
    this.#pool = pool;
    this.#db = db;
  }

  async load(id: string): Promise<EnvironmentSnapshot | null> {
    const environment = await this.#row(id);
    if (!environment) return null;
    const resources = await this.resources(id);
    const { rows } = await this.#db.query<{ approver_team: string; status: PlanApproval['status']; decided_by: string | null; decision_reason: string | null; expires_at: Date | null; revoked_at: Date | null; granted: string | null }>(
      'SELECT approver_team, status, decided_by, decision_reason, expires_at, revoked_at, granted FROM approvals WHERE environment_id = $1 ORDER BY approver_team',
      [id],
    );
    const approvals = rows.map((a) => ({
      approverTeam: a.approver_team, status: a.status, decidedBy: a.decided_by, decisionReason: a.decision_reason, expiresAt: a.expires_at, revokedAt: a.revoked_at, granted: a.granted,
    }));
    return { environment, resources, approvals };
  }

  async #row(id: string): Promise<EnvironmentRow | null> {
    const { rows } = await this.#db.query<EnvironmentRow>('SELECT * FROM environments WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  async view(id: string): Promise<EnvironmentView | null> {
    const env = await this.#row(id);
    if (!env) return null;
    return toEnvironmentView(env, await this.resources(id));
  }

  async list(filter: EnvironmentFilter): Promise<EnvironmentView[]> {
    const { rows } = await this.#db.query<EnvironmentRow>(
      `SELECT * FROM environments
       WHERE ($1::text IS NULL OR team_id = $1) AND ($2::text IS NULL OR owner_id = $2) AND ($3 OR status <> 'deleted')
       ORDER BY created_at DESC LIMIT 500`,
      [filter.team ?? null, filter.owner ?? null, filter.includeDeleted ?? false],
    );
    if (rows.length === 0) return [];
    const res = await this.#db.query<ResourceRow>('SELECT * FROM resources WHERE environment_id = ANY($1) ORDER BY wave, id', [rows.map((r) => r.id)]);
    const byEnv = Map.groupBy(res.rows, (r) => r.environment_id);
    return rows.map((e) => toEnvironmentView(e, byEnv.get(e.id) ?? []));
  }

  async events(id: string, after = 0): Promise<EventView[]> {
    const { rows } = await this.#db.query<EventRow>('SELECT * FROM events WHERE environment_id = $1 AND id > $2 ORDER BY id LIMIT 1000', [id, after]);
    return rows.map(toEventView);
  }

  async resources(id: string): Promise<ResourceRow[]> {
    const { rows } = await this.#db.query<ResourceRow>('SELECT * FROM resources WHERE environment_id = $1 ORDER BY wave, id', [id]);
    return rows;
  }

  async create(env: NewEnvironment): Promise<void> {
    await this.atomically(async (_repo, db) => {
      try {
        await db.query(
          `INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, data_class, params, status, desired, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'ready', date_trunc('milliseconds', now() + make_interval(secs => $10::double precision / 1000)))`,
          [env.id, env.name, env.pathId, env.pathVersion, env.team, env.owner, env.dataClass, JSON.stringify(env.params), env.status, env.ttlMs ?? null],
        );
      } catch (e) {
        if ((e as { code?: string; constraint?: string }).constraint === 'environments_team_name') throw new NameTakenError(env.team, env.name);
        throw e;
      }
      for (const r of env.resources) {
        await db.query(
          'INSERT INTO resources (environment_id, id, type, params, depends_on, wave) VALUES ($1, $2, $3, $4, $5, $6)',
          [env.id, r.id, r.type, JSON.stringify(r.params), r.dependsOn, r.wave],
        );
      }
      await insertEvent(db, env.id, null, env.event);
    });
  }

  async nameTaken(team: string, name: string): Promise<boolean> {
    const { rowCount } = await this.#db.query(`SELECT 1 FROM environments WHERE team_id = $1 AND name = $2 AND status <> 'deleted'`, [team, name]);
    return (rowCount ?? 0) > 0;
  }

  async transition(id: string, change: { from: EnvironmentStatus; to: EnvironmentStatus; reason: string | null; event: PlannedEvent }): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `WITH changed AS (
         UPDATE environments SET status = $3::text, reason = $4, updated_at = now(),
           ready_at = CASE WHEN $3::text = 'ready' AND ready_at IS NULL THEN now() ELSE ready_at END,
           deleted_at = CASE WHEN $3::text = 'deleted' THEN now() ELSE deleted_at END
         WHERE id = $1 AND status = $2 RETURNING id)
       INSERT INTO events (environment_id, resource_id, type, message) SELECT id, NULL, $5, $6 FROM changed`,
      [id, change.from, change.to, change.reason, change.event.type, change.event.message],
    );
    const changed = (rowCount ?? 0) > 0;
    // The owner hears of the outcome in the notification centre, not only on the environment's page.
    if (changed && (change.to === 'ready' || change.to === 'failed')) await notifyOwner(this.#db, id, change.to, change.reason);
    return changed;
  }

  async setDesired(id: string, change: { desired: DesiredState; status: EnvironmentStatus; event: PlannedEvent }): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `WITH changed AS (
         UPDATE environments SET desired = $2, status = $3, updated_at = now()
         WHERE id = $1 AND desired <> 'deleted' RETURNING id)
       INSERT INTO events (environment_id, resource_id, type, message) SELECT id, NULL, $4, $5 FROM changed`,
      [id, change.desired, change.status, change.event.type, change.event.message],
    );
    return (rowCount ?? 0) > 0;
  }

  async updateResource(envId: string, resourceId: string, patch: ResourcePatch, event?: PlannedEvent): Promise<void> {
    await this.#db.query(
      `WITH changed AS (
         UPDATE resources SET status = $3,
           state = COALESCE($4::jsonb, state), outputs = COALESCE($5::jsonb, outputs), error = $6, updated_at = now()
         WHERE environment_id = $1 AND id = $2 RETURNING environment_id, id)
       INSERT INTO events (environment_id, resource_id, type, message) SELECT environment_id, id, $7, $8 FROM changed WHERE $7::text IS NOT NULL`,
      [envId, resourceId, patch.status, patch.state ? JSON.stringify(patch.state) : null, patch.outputs ? JSON.stringify(patch.outputs) : null,
        patch.error ?? null, event?.type ?? null, event?.message ?? null],
    );
  }

  async addEvent(envId: string, resourceId: string | null, event: PlannedEvent): Promise<void> {
    await insertEvent(this.#db, envId, resourceId, event);
  }

  async recordGrant(envId: string, granted: string): Promise<void> {
    await this.#db.query(`UPDATE approvals SET granted = $2 WHERE environment_id = $1 AND status = 'approved' AND revoked_at IS NULL`, [envId, granted]);
  }

  async endApprovals(envId: string, event: PlannedEvent | null): Promise<void> {
    await this.atomically(async (_repo, db) => {
      await db.query(`UPDATE approvals SET revoked_at = now() WHERE environment_id = $1 AND status = 'approved' AND revoked_at IS NULL`, [envId]);
      await db.query(`UPDATE approvals SET status = 'cancelled' WHERE environment_id = $1 AND status = 'pending'`, [envId]);
      if (event) await insertEvent(db, envId, null, event);
    });
  }

  async sweepCandidates(states: { status: EnvironmentStatus; desired: DesiredState }[], includeReady: boolean): Promise<string[]> {
    const { rows } = await this.#db.query<{ id: string }>(
      `SELECT id FROM environments
       WHERE (status, desired) IN (SELECT * FROM unnest($1::text[], $2::text[]))
          OR ($3 AND status = 'ready' AND desired = 'ready')
          OR (status <> 'deleted' AND id IN (SELECT environment_id FROM approvals WHERE status = 'approved' AND revoked_at IS NULL))`,
      [states.map((s) => s.status), states.map((s) => s.desired), includeReady],
    );
    return rows.map((r) => r.id);
  }

  async lifetimeCandidates(now: Date, leadMs: number): Promise<LifetimeCandidate[]> {
    const { rows } = await this.#db.query<LifetimeCandidate>(
      `SELECT id, name, path_id, team_id, owner_id, status, desired, created_at, expires_at, expiry_warned_at, last_activity_at
       FROM environments
       WHERE status <> 'deleted' AND desired <> 'deleted' AND expires_at IS NOT NULL
         AND (expires_at <= $1::timestamptz + make_interval(secs => $2) OR (status = 'ready' AND desired = 'ready'))
       ORDER BY expires_at`,
      [now, leadMs / 1000],
    );
    return rows;
  }

  async setMissingExpiries(ttlOf: (pathId: string) => number): Promise<void> {
    const { rows } = await this.#db.query<{ path_id: string }>(`SELECT DISTINCT path_id FROM environments WHERE expires_at IS NULL AND status <> 'deleted'`);
    for (const { path_id } of rows) {
      await this.#db.query(
        `UPDATE environments SET expires_at = date_trunc('milliseconds', created_at + make_interval(secs => $2)) WHERE path_id = $1 AND expires_at IS NULL AND status <> 'deleted'`,
        [path_id, ttlOf(path_id) / 1000],
      );
    }
  }

  async recordActivity(id: string, at: Date): Promise<void> {
    await this.#db.query('UPDATE environments SET last_activity_at = $2 WHERE id = $1', [id, at]);
  }

  async markExpiryWarned(id: string, change: { seen: Date; expiresAt: Date; warnedAt: Date; event: PlannedEvent }): Promise<boolean> {
    const { rowCount } = await this.#db.query(
      `WITH changed AS (
         UPDATE environments SET expiry_warned_at = $3, expires_at = $4
         WHERE id = $1 AND expires_at = $2 AND expiry_warned_at IS NULL RETURNING id)
       INSERT INTO events (environment_id, resource_id, type, message) SELECT id, NULL, $5, $6 FROM changed`,
      [id, change.seen, change.warnedAt, change.expiresAt, change.event.type, change.event.message],
    );
    return (rowCount ?? 0) > 0;
  }

  async setExpiry(id: string, expiresAt: Date, event: PlannedEvent): Promise<void> {
    await this.#db.query(
      `WITH changed AS (
         UPDATE environments SET expires_at = $2, expiry_warned_at = NULL, updated_at = now() WHERE id = $1 RETURNING id)
       INSERT INTO events (environment_id, resource_id, type, message) SELECT id, NULL, $3, $4 FROM changed`,
      [id, expiresAt, event.type, event.message],
    );
  }

  async lock(id: string): Promise<void> {
    await this.#db.query('SELECT 1 FROM environments WHERE id = $1 FOR UPDATE', [id]);
  }

  async exclusively<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const lock = await this.#pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey(id)]);
      return await fn();
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(id)]).catch(() => {});
      lock.release();
    }
  }

  async isBusy(id: string): Promise<boolean> {
    const client = await this.#pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [lockKey(id)]);
      if (!rows[0].ok) return true;
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(id)]);
      return false;
    } finally {
      client.release();
    }
  }

  async applyExtension(id: string, change: { record: ExtensionRecord; resources: NewEnvironment['resources']; changed: string[]; event: PlannedEvent }): Promise<void> {
    await this.atomically(async (_repo, db) => {
      await db.query('UPDATE environments SET extension = $2, updated_at = now() WHERE id = $1', [id, JSON.stringify(change.record)]);
      for (const r of change.resources) {
        await db.query(
          `INSERT INTO resources (environment_id, id, type, params, depends_on, wave) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (environment_id, id) DO UPDATE SET params = EXCLUDED.params, depends_on = EXCLUDED.depends_on, wave = EXCLUDED.wave,
             status = CASE WHEN resources.id = ANY($7) AND resources.status IN ('ready', 'failed') THEN 'pending' ELSE resources.status END,
             updated_at = now()`,
          [id, r.id, r.type, JSON.stringify(r.params), r.dependsOn, r.wave, change.changed],
        );
      }
      await insertEvent(db, id, null, change.event);
    });
  }

  async atomically<T>(fn: (repo: EnvironmentRepository, db: Queryable) => Promise<T>): Promise<T> {
    // Already inside a transaction (bound to one client): join it.
    if (this.#db !== this.#pool) return fn(this, this.#db);
    return inTransaction(this.#pool, (client) => fn(new PgEnvironmentRepository(this.#pool, client), client));
  }
}

async function insertEvent(db: Queryable, envId: string, resourceId: string | null, event: PlannedEvent): Promise<void> {
  await db.query('INSERT INTO events (environment_id, resource_id, type, message) VALUES ($1, $2, $3, $4)', [envId, resourceId, event.type, event.message]);
}
