import type pg from 'pg';
import type { EnvironmentView } from '../../domain/environment/schema.ts';
import { isEnvironmentId } from '../../domain/environment/id.ts';
import type { Driver, WorkspaceUpstream } from '../../domain/resource/driver-contract.ts';
import { PgEnvironmentRepository } from '../../engine/environments/repository.ts';
import type { ResourceRow } from '../../engine/environments/store.ts';
import type { WorkspaceKey } from './workspace-origin.ts';

/** What the door knows of a workspace: its environment (for the policy) and the resource behind it. */
export interface WorkspaceTarget {
  environment: EnvironmentView;
  resource: ResourceRow;
}

export type TargetLookup =
  | { found: true; target: WorkspaceTarget }
  | { found: false; status: 404; code: string; message: string };

const TARGET_TTL_MS = 2000;
const UPSTREAM_TTL_MS = 1000;

/**
 * Looks workspaces up in the database and asks their drivers where they run, each briefly cached:
 * a page load of JupyterLab is a hundred requests, and none should cost a query or a file read.
 */
export class WorkspaceTargets {
  readonly #repo: PgEnvironmentRepository;
  readonly #drivers: { get(type: string): Driver };
  readonly #targets = new Map<string, { at: number; value: TargetLookup }>();
  readonly #upstreams = new Map<string, { at: number; value: Promise<WorkspaceUpstream | null> }>();

  constructor(pool: pg.Pool, drivers: { get(type: string): Driver }) {
    this.#repo = new PgEnvironmentRepository(pool);
    this.#drivers = drivers;
  }

  async find(key: WorkspaceKey): Promise<TargetLookup> {
    const k = `${key.environmentId}/${key.resourceId}`;
    const hit = this.#targets.get(k);
    if (hit && Date.now() - hit.at < TARGET_TTL_MS) return hit.value;
    const value = await this.#lookup(key);
    if (this.#targets.size > 5000) this.#targets.clear();
    this.#targets.set(k, { at: Date.now(), value });
    return value;
  }

  async #lookup({ environmentId, resourceId }: WorkspaceKey): Promise<TargetLookup> {
    const environment = isEnvironmentId(environmentId) ? await this.#repo.view(environmentId) : null;
    if (!environment || environment.status === 'deleted') {
      return { found: false, status: 404, code: 'unknown_environment', message: `no environment "${environmentId}"${environment ? ' (it was deleted)' : ''}; \`goldpath envs\` lists yours` };
    }
    const resource = (await this.#repo.resources(environmentId)).find((r) => r.id === resourceId);
    if (!resource) {
      const web = environment.resources.filter((r) => typeof this.#driverOf(r.type)?.upstream === 'function').map((r) => r.id);
      return { found: false, status: 404, code: 'unknown_resource', message: `environment ${environmentId} has no resource "${resourceId}"; its web resources: ${web.join(', ') || 'none'}` };
    }
    if (typeof this.#driverOf(resource.type)?.upstream !== 'function') {
      return { found: false, status: 404, code: 'not_a_web_resource', message: `resource "${resourceId}" of environment ${environmentId} is a ${resource.type}: it serves no web pages` };
    }
    return { found: true, target: { environment, resource } };
  }

  /** Where the resource runs now, or null when it does not. */
  async upstream(t: WorkspaceTarget): Promise<WorkspaceUpstream | null> {
    const k = `${t.environment.id}/${t.resource.id}`;
    const hit = this.#upstreams.get(k);
    if (hit && Date.now() - hit.at < UPSTREAM_TTL_MS) return hit.value;
    // Shared while it is being asked: a page's first requests come together, and a driver may
    // start its server on the first one (the IDE does).
    const value = (async () => (await this.#driverOf(t.resource.type)!.upstream!({ environmentId: t.environment.id, resourceId: t.resource.id, state: t.resource.state })) ?? null)();
    if (this.#upstreams.size > 5000) this.#upstreams.clear();
    this.#upstreams.set(k, { at: Date.now(), value });
    // Only a running workspace is remembered: one that does not run is asked again at once, so a
    // start is seen by the very next request (and its environment's status with it).
    value.then((v) => {
      if (v) this.#upstreams.set(k, { at: Date.now(), value: Promise.resolve(v) });
      else this.forget({ environmentId: t.environment.id, resourceId: t.resource.id });
    }, () => this.#upstreams.delete(k));
    return value;
  }

  /** After a refused connection: the next request asks the driver (and the database) again. */
  forget(key: WorkspaceKey): void {
    const k = `${key.environmentId}/${key.resourceId}`;
    this.#upstreams.delete(k);
    this.#targets.delete(k);
  }

  #driverOf(type: string): Driver | undefined {
    try {
      return this.#drivers.get(type);
    } catch {
      return undefined;
    }
  }
}
