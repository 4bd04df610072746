/**
 * The builds of workspaces (website previews, services), kept in PostgreSQL so that a failed
 * build's error and log outlive a restart and are seen from every replica. Each finished build
 * also moves its resource's outputs (the commit served, how the last build ended) and leaves an
 * event on the environment, which is how the environment page learns of it live.
 */
import type pg from 'pg';
import { buildFailureMessage, type BuildView } from '../../domain/build/schema.ts';
import type { BuildJournal } from '../../infrastructure/workspace-build/index.ts';

interface BuildRow {
  id: string;
  environment_id: string;
  resource_id: string;
  commit: string;
  status: BuildView['status'];
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  error: string | null;
  log: string;
}

const toView = (r: BuildRow): BuildView => ({
  id: String(r.id), environment: r.environment_id, resource: r.resource_id, commit: r.commit, status: r.status,
  startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null, durationMs: r.duration_ms, error: r.error, log: r.log,
});

// PostgreSQL text cannot hold NUL; a build may print anything.
const storable = (s: string) => s.replace(/\u0000/g, '');

export class PgBuildJournal implements BuildJournal {
  readonly #pool: Pick<pg.Pool, 'query'>;
  constructor(pool: Pick<pg.Pool, 'query'>) {
    this.#pool = pool;
  }

  async started(b: { environmentId: string; resourceId: string; commit: string }): Promise<string> {
    const { rows } = await this.#pool.query<{ id: string }>(
      // A resource builds one commit at a time: a build still 'running' was cut short by a platform that stopped.
      `WITH cut AS (
         UPDATE workspace_builds SET status = 'failed', finished_at = clock_timestamp(), error = 'the platform stopped during this build'
         WHERE environment_id = $1 AND resource_id = $2 AND status = 'running'
       )
       INSERT INTO workspace_builds (environment_id, resource_id, commit, status) VALUES ($1, $2, $3, 'running') RETURNING id`,
      [b.environmentId, b.resourceId, b.commit],
    );
    return String(rows[0].id);
  }

  async finished(id: string, b: Parameters<BuildJournal['finished']>[1]): Promise<void> {
    const short = b.commit.slice(0, 12);
    const event = b.status === 'succeeded'
      ? { type: 'build.succeeded', message: `${b.resourceId}: built ${short} in ${(b.durationMs / 1000).toFixed(1)} s` }
      : { type: 'build.failed', message: `${b.resourceId}: ${buildFailureMessage(b.commit, b.error)}` };
    await this.#pool.query(
      `WITH build AS (
         UPDATE workspace_builds SET status = $2, finished_at = clock_timestamp(), duration_ms = $3, error = $4, log = $5 WHERE id = $1
       ), outputs AS (
         -- Only a resource that is ready: during provision the engine writes the outputs provision gives.
         UPDATE resources SET outputs = outputs || jsonb_build_object('buildStatus', $2::text)
             || CASE WHEN $2 = 'succeeded' THEN jsonb_build_object('commit', $8::text) ELSE '{}'::jsonb END,
           updated_at = now()
         WHERE environment_id = $6 AND id = $7 AND status = 'ready'
       )
       INSERT INTO events (environment_id, resource_id, type, message) VALUES ($6, $7, $9, $10)`,
      [id, b.status, b.durationMs, b.error === null ? null : storable(b.error), storable(b.log), b.environmentId, b.resourceId, b.commit, event.type, storable(event.message)],
    );
  }

  /** The resource's builds, newest first. */
  async list(environmentId: string, resourceId: string, limit = 10): Promise<BuildView[]> {
    const { rows } = await this.#pool.query<BuildRow>(
      `SELECT * FROM workspace_builds WHERE environment_id = $1 AND resource_id = $2 ORDER BY id DESC LIMIT $3`,
      [environmentId, resourceId, limit],
    );
    return rows.map(toView);
  }
}
