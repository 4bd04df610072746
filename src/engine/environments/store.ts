import type pg from 'pg';
import type { EnvironmentView, EventView, ResourceView } from '../../domain/environment/schema.ts';
import type { EnvironmentStatus, ResourceStatus, DesiredState } from '../../domain/environment/lifecycle.ts';
import type { Json } from '../../drivers/driver.ts';

/** Rows of the environment tables and the views read from them; changes go through ./repository.ts. */

export interface ResourceRow {
  environment_id: string;
  id: string;
  type: string;
  params: Record<string, unknown>;
  depends_on: string[];
  wave: number;
  status: ResourceStatus;
  state: Record<string, Json>;
  outputs: Record<string, Json>;
  error: string | null;
  updated_at: Date;
}

export interface EnvironmentRow {
  id: string;
  name: string;
  path_id: string;
  path_version: string;
  team_id: string;
  owner_id: string;
  data_class: string | null;
  params: Record<string, unknown>;
  status: EnvironmentStatus;
  desired: DesiredState;
  reason: string | null;
  created_at: Date;
  updated_at: Date;
  ready_at: Date | null;
  deleted_at: Date | null;
  /** When the lifetime sweeper deletes it; null until set from the path's ttl. */
  expires_at: Date | null;
  /** The workspace's own last activity (e.g. Jupyter's last_activity), as last measured. */
  last_activity_at: Date | null;
  /** When the owner was warned that expires_at is near (cleared when it moves). */
  expiry_warned_at: Date | null;
}

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export async function getEnvironmentRow(db: Queryable, id: string): Promise<EnvironmentRow | null> {
  const { rows } = await db.query<EnvironmentRow>('SELECT * FROM environments WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function getResourceRows(db: Queryable, envId: string): Promise<ResourceRow[]> {
  const { rows } = await db.query<ResourceRow>('SELECT * FROM resources WHERE environment_id = $1 ORDER BY wave, id', [envId]);
  return rows;
}

export async function addEvent(db: Queryable, envId: string, resourceId: string | null, type: string, message: string): Promise<void> {
  await db.query('INSERT INTO events (environment_id, resource_id, type, message) VALUES ($1, $2, $3, $4)', [envId, resourceId, type, message]);
}

export function toResourceView(r: ResourceRow): ResourceView {
  return { id: r.id, type: r.type, status: r.status, outputs: r.outputs, error: r.error, updatedAt: r.updated_at.toISOString() };
}

export function toEnvironmentView(e: EnvironmentRow, resources: ResourceRow[]): EnvironmentView {
  return {
    id: e.id,
    name: e.name,
    path: e.path_id,
    team: e.team_id,
    owner: e.owner_id,
    dataClass: (e.data_class as EnvironmentView['dataClass']) ?? null,
    status: e.status,
    desired: e.desired,
    reason: e.reason,
    params: e.params,
    createdAt: e.created_at.toISOString(),
    updatedAt: e.updated_at.toISOString(),
    readyAt: e.ready_at?.toISOString() ?? null,
    deletedAt: e.deleted_at?.toISOString() ?? null,
    expiresAt: e.expires_at?.toISOString() ?? null,
    lastActivityAt: e.last_activity_at?.toISOString() ?? null,
    resources: resources.map(toResourceView),
  };
}

export async function getEnvironmentView(db: Queryable, id: string): Promise<EnvironmentView | null> {
  const env = await getEnvironmentRow(db, id);
  if (!env) return null;
  return toEnvironmentView(env, await getResourceRows(db, id));
}

export async function listEnvironmentViews(
  db: Queryable,
  filter: { team?: string; owner?: string; includeDeleted?: boolean },
): Promise<EnvironmentView[]> {
  const { rows } = await db.query<EnvironmentRow>(
    `SELECT * FROM environments
     WHERE ($1::text IS NULL OR team_id = $1) AND ($2::text IS NULL OR owner_id = $2) AND ($3 OR status <> 'deleted')
     ORDER BY created_at DESC LIMIT 500`,
    [filter.team ?? null, filter.owner ?? null, filter.includeDeleted ?? false],
  );
  if (rows.length === 0) return [];
  const res = await db.query<ResourceRow>('SELECT * FROM resources WHERE environment_id = ANY($1) ORDER BY wave, id', [rows.map((r) => r.id)]);
  const byEnv = Map.groupBy(res.rows, (r) => r.environment_id);
  return rows.map((e) => toEnvironmentView(e, byEnv.get(e.id) ?? []));
}

export async function listEvents(db: Queryable, envId: string, afterId = 0): Promise<EventView[]> {
  const { rows } = await db.query<{ id: string; environment_id: string; resource_id: string | null; type: string; message: string; at: Date }>(
    'SELECT * FROM events WHERE environment_id = $1 AND id > $2 ORDER BY id LIMIT 1000',
    [envId, afterId],
  );
  return rows.map((r) => ({ id: Number(r.id), environment: r.environment_id, resource: r.resource_id, type: r.type, message: r.message, at: r.at.toISOString() }));
}
