import type pg from 'pg';
import { intervalsOf, type LifecycleEvent } from '../../domain/spend/intervals.ts';
import { lifecycleKind, type RateCard } from '../../domain/spend/rate-card.ts';
import { systemClock, type Clock } from '../../domain/time/clock.ts';
import type { Queryable } from '../audit/log.ts';
import { bucketSizes } from './storage-sizes.ts';

/**
 * The meter: turns what the platform does into usage records (migration 011, docs/spend.md).
 * Every write is an upsert keyed on the record's start, so each pass may re-read what an earlier
 * pass (or another replica, or the process before a restart) already wrote: nothing doubles, and
 * what a crash interrupted is simply written by the next pass.
 *
 * Three sources:
 * - lifecycle: resources' running intervals, read from the environments' event log;
 * - storage: bucket sizes, sampled; each size holds from one sample to the next change;
 * - warehouse: query time per environment role, sampled from pg_stat_activity.
 * The LLM gateway's tokens come in through recordTokens (the seam for it).
 */

/** How far behind its cursor the meter reads the event log again: a transaction that committed late is still seen. */
const REREAD_MARGIN_MS = 5 * 60_000;
const LIFECYCLE_EVENTS = ['resource.ready', 'resource.stopped', 'resource.deleted', 'resource.failed', 'environment.failed', 'environment.deleted'];

interface EnvMeta { id: string; team_id: string; owner_id: string; path_id: string }
interface ResMeta { environment_id: string; id: string; type: string; params: Record<string, unknown> }

const sizeOf = (params: Record<string, unknown>): string | null => (typeof params?.size === 'string' ? params.size : null);

export interface MeterOptions {
  pool: pg.Pool;
  /** The rate card in force: which resource types are workspaces (they stop) comes from it. */
  card: () => RateCard;
  clock?: Clock;
  /** Where buckets live on disk (the local object store's folder), for storage samples. */
  bucketsDir?: string;
  /** The warehouse database, as its admin, for query samples. */
  warehouse?: Queryable;
}

export class Meter {
  readonly #pool: pg.Pool;
  readonly #card: () => RateCard;
  readonly #clock: Clock;
  readonly #bucketsDir?: string;
  readonly #warehouse?: Queryable;

  constructor(opts: MeterOptions) {
    this.#pool = opts.pool;
    this.#card = opts.card;
    this.#clock = opts.clock ?? systemClock;
    this.#bucketsDir = opts.bucketsDir;
    this.#warehouse = opts.warehouse;
  }

  /**
   * Reads the lifecycle events of every environment that had one after the cursor (by id, or by time less a margin),
   * works out each resource's intervals from all its events, and writes them. Returns how many
   * environments it looked at.
   */
  async recordLifecycle(): Promise<number> {
    const { rows: cur } = await this.#pool.query<{ event_id: string; at: Date }>(`SELECT event_id, at FROM meter_cursors WHERE name = 'lifecycle'`);
    const since = cur[0] ? { id: cur[0].event_id, at: new Date(cur[0].at.getTime() - REREAD_MARGIN_MS) } : { id: '0', at: null };
    const { rows: touched } = await this.#pool.query<{ environment_id: string; last_id: string; last: Date }>(
      `SELECT environment_id, max(id) AS last_id, max(at) AS last FROM events
        WHERE (id > $1 OR at > $2) AND type = ANY($3) GROUP BY environment_id`,
      [since.id, since.at ?? new Date(0), LIFECYCLE_EVENTS],
    );
    if (touched.length === 0) return 0;
    const card = this.#card();
    for (let i = 0; i < touched.length; i += 500) {
      await this.#recordEnvironments(touched.slice(i, i + 500).map((t) => t.environment_id), card);
    }
    const lastId = touched.reduce((m, t) => (BigInt(t.last_id) > m ? BigInt(t.last_id) : m), 0n);
    const lastAt = touched.reduce((m, t) => (t.last > m ? t.last : m), touched[0].last);
    await this.#pool.query(
      `INSERT INTO meter_cursors (name, event_id, at) VALUES ('lifecycle', $1, $2)
       ON CONFLICT (name) DO UPDATE SET event_id = greatest(meter_cursors.event_id, EXCLUDED.event_id), at = greatest(meter_cursors.at, EXCLUDED.at)`,
      [lastId.toString(), lastAt],
    );
    return touched.length;
  }

  async #recordEnvironments(ids: string[], card: RateCard): Promise<void> {
    const [envs, resources, events] = await Promise.all([
      this.#pool.query<EnvMeta>('SELECT id, team_id, owner_id, path_id FROM environments WHERE id = ANY($1)', [ids]),
      this.#pool.query<ResMeta>('SELECT environment_id, id, type, params FROM resources WHERE environment_id = ANY($1)', [ids]),
      this.#pool.query<{ environment_id: string; resource_id: string | null; type: string; at: Date }>(
        'SELECT environment_id, resource_id, type, at FROM events WHERE environment_id = ANY($1) AND type = ANY($2) ORDER BY id',
        [ids, LIFECYCLE_EVENTS],
      ),
    ]);
    const envOf = new Map(envs.rows.map((e) => [e.id, e]));
    const eventsOf = Map.groupBy(events.rows, (e) => `${e.environment_id}/${e.resource_id ?? ''}`);
    const values: unknown[][] = [];
    for (const r of resources.rows) {
      const env = envOf.get(r.environment_id);
      if (!env) continue;
      // Environment-wide events (failed, deleted) end every resource's interval too.
      const evs: LifecycleEvent[] = [...(eventsOf.get(`${r.environment_id}/${r.id}`) ?? []), ...(eventsOf.get(`${r.environment_id}/`) ?? [])];
      const kind = lifecycleKind(r.type, card) as 'run' | 'grant' | 'exists';
      for (const iv of intervalsOf(evs, kind)) {
        values.push([r.environment_id, r.id, kind, iv.startedAt, iv.endedAt, r.type, sizeOf(r.params), env.team_id, env.owner_id, env.path_id]);
      }
    }
    if (values.length === 0) return;
    const cols = values[0].map((_, c) => values.map((v) => v[c]));
    await this.#pool.query(
      `INSERT INTO usage_records (environment_id, resource_id, kind, started_at, ended_at, resource_type, size_class, team_id, user_id, path_id, rate)
       SELECT *, 1 FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
       ON CONFLICT (environment_id, resource_id, kind, instance, started_at)
       DO UPDATE SET ended_at = EXCLUDED.ended_at WHERE usage_records.ended_at IS DISTINCT FROM EXCLUDED.ended_at`,
      cols,
    );
  }

  /**
   * Samples every bucket's size. A bucket's stored size holds from one sample to the next that
   * differs: an unchanged size writes nothing; a change closes the open record now and opens one at
   * the new size. A deleted bucket's open record closes when the bucket ended.
   */
  async sampleStorage(): Promise<number> {
    if (!this.#bucketsDir) return 0;
    const now = this.#clock.now();
    // A bucket that ended: close its open storage record at its end.
    await this.#pool.query(
      `UPDATE usage_records s SET ended_at = greatest(s.started_at, x.ended_at)
         FROM usage_records x
        WHERE s.kind = 'storage' AND s.ended_at IS NULL AND x.kind = 'exists' AND x.resource_type = 'bucket'
          AND x.environment_id = s.environment_id AND x.resource_id = s.resource_id AND x.ended_at IS NOT NULL`,
    );
    const { rows } = await this.#pool.query<{ environment_id: string; resource_id: string; bucket: string | null; started_at: Date; team_id: string; user_id: string; path_id: string; open_at: Date | null; open_rate: string | null }>(
      `SELECT x.environment_id, x.resource_id, r.state->>'bucket' AS bucket, x.started_at, x.team_id, x.user_id, x.path_id,
              s.started_at AS open_at, s.rate AS open_rate
         FROM usage_records x
         JOIN resources r ON r.environment_id = x.environment_id AND r.id = x.resource_id
         LEFT JOIN usage_records s ON s.kind = 'storage' AND s.ended_at IS NULL AND s.environment_id = x.environment_id AND s.resource_id = x.resource_id
        WHERE x.kind = 'exists' AND x.resource_type = 'bucket' AND x.ended_at IS NULL`,
    );
    const sizes = await bucketSizes(this.#bucketsDir, rows.map((r) => r.bucket).filter((b): b is string => Boolean(b)));
    let changed = 0;
    for (const r of rows) {
      const gb = gigabytes(sizes.get(r.bucket ?? '') ?? 0);
      if (r.open_rate !== null && Number(r.open_rate) === Number(gb)) continue;
      // The first sample covers the bucket from its creation; a change starts now.
      const start = r.open_at === null ? r.started_at : now;
      await this.#writeStorage(r, start, gb);
      changed++;
    }
    return changed;
  }

  async #writeStorage(r: { environment_id: string; resource_id: string; team_id: string; user_id: string; path_id: string; open_at: Date | null }, start: Date, gb: string): Promise<void> {
    await this.#pool.query(
      `WITH closed AS (
         UPDATE usage_records SET ended_at = $3 WHERE kind = 'storage' AND ended_at IS NULL AND environment_id = $1 AND resource_id = $2 AND started_at < $3)
       INSERT INTO usage_records (environment_id, resource_id, kind, started_at, rate, resource_type, team_id, user_id, path_id)
       VALUES ($1, $2, 'storage', $3, $4, 'bucket', $5, $6, $7)
       ON CONFLICT (environment_id, resource_id, kind, instance, started_at) DO UPDATE SET rate = EXCLUDED.rate`,
      [r.environment_id, r.resource_id, start, gb, r.team_id, r.user_id, r.path_id],
    );
  }

  /**
   * Samples the warehouse's sessions (pg_stat_activity) of environment roles. A query is known by
   * its session and its start; its length is what has run so far while it is active and exactly
   * state_change − query_start once it has finished, so sampling it again only ever lengthens it.
   * Queries that start and end between two samples in a session that runs another after them are
   * not seen: the query-seconds are a lower bound (docs/spend.md).
   */
  async sampleWarehouse(): Promise<number> {
    if (!this.#warehouse) return 0;
    const { rows: sessions } = await this.#warehouse.query<{ usename: string; pid: number; backend_start: Date; query_start: Date; seconds: string }>(
      `SELECT usename, pid, backend_start, query_start,
              extract(epoch FROM (CASE WHEN state = 'active' THEN clock_timestamp() ELSE state_change END) - query_start) AS seconds
         FROM pg_stat_activity
        WHERE usename LIKE 'gp\\_%' AND query_start IS NOT NULL AND backend_type = 'client backend'`,
    );
    if (sessions.length === 0) return 0;
    const { rows: grants } = await this.#pool.query<{ role: string; environment_id: string; id: string; team_id: string; owner_id: string; path_id: string }>(
      `SELECT r.state->>'role' AS role, r.environment_id, r.id, e.team_id, e.owner_id, e.path_id
         FROM resources r JOIN environments e ON e.id = r.environment_id
        WHERE r.type = 'warehouse' AND r.state->>'role' = ANY($1)`,
      [[...new Set(sessions.map((s) => s.usename))]],
    );
    const byRole = new Map(grants.map((g) => [g.role, g]));
    const values = sessions.flatMap((s) => {
      const g = byRole.get(s.usename);
      if (!g || Number(s.seconds) < 0) return [];
      return [[g.environment_id, g.id, `${s.pid}@${s.backend_start.toISOString()}`, s.query_start, s.seconds, g.team_id, g.owner_id, g.path_id]];
    });
    if (values.length === 0) return 0;
    const cols = values[0].map((_, c) => values.map((v) => v[c]));
    await this.#pool.query(
      `INSERT INTO usage_records (environment_id, resource_id, kind, instance, started_at, ended_at, quantity, resource_type, team_id, user_id, path_id)
       SELECT e, r, 'query', i, s, s, q, 'warehouse', t, u, p
         FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::numeric[], $6::text[], $7::text[], $8::text[]) AS x(e, r, i, s, q, t, u, p)
       ON CONFLICT (environment_id, resource_id, kind, instance, started_at)
       DO UPDATE SET quantity = greatest(usage_records.quantity, EXCLUDED.quantity)`,
      cols,
    );
    return values.length;
  }
}

/** Bytes as decimal gigabytes (10^9), to the byte. */
export const gigabytes = (bytes: number): string => (bytes / 1e9).toFixed(9);

/**
 * The seam for the LLM gateway (it does not exist yet): one call per answered request, keyed on the
 * request's id, so a retried report of the same request does not count twice.
 */
export async function recordTokens(db: Queryable, usage: {
  requestId: string; environmentId: string; model: string; at: Date; tokensIn: number; tokensOut: number;
}): Promise<void> {
  await db.query(
    `INSERT INTO usage_records (environment_id, resource_id, kind, instance, started_at, ended_at, quantity, resource_type, size_class, team_id, user_id, path_id)
     SELECT e.id, 'llm', k.kind, $2, $3, $3, k.quantity, 'llm', $4, e.team_id, e.owner_id, e.path_id
       FROM environments e, (VALUES ('tokens-in', $5::numeric), ('tokens-out', $6::numeric)) AS k(kind, quantity)
      WHERE e.id = $1
     ON CONFLICT (environment_id, resource_id, kind, instance, started_at) DO NOTHING`,
    [usage.environmentId, usage.requestId, usage.at, usage.model, usage.tokensIn, usage.tokensOut],
  );
}
