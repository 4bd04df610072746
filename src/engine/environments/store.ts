import type pg from 'pg';
import type { EnvironmentView, EventView, ResourceView } from '../../domain/environment/schema.ts';
import type { EnvironmentStatus, ResourceStatus, DesiredState } from '../../domain/environment/lifecycle.ts';
import type { Json } from '../../drivers/driver.ts';
import type { ExtensionRecord } from '../../domain/golden-path/extension.ts';

/**
 * Rows of the environment tables and the views made of them, without I/O: reads and changes go
 * through ./repository.ts.
 */

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
  /** What the developer added to the path (migration 015); null when nothing. */
  extension?: ExtensionRecord | null;
}

export interface EventRow {
  /** bigserial: pg returns it as a string. */
  id: string;
  environment_id: string;
  resource_id: string | null;
  type: string;
  message: string;
  at: Date;
}

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

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
    extension: e.extension ?? null,
  };
}

export function toEventView(r: EventRow): EventView {
  return { id: Number(r.id), environment: r.environment_id, resource: r.resource_id, type: r.type, message: r.message, at: r.at.toISOString() };
}
