import { join } from 'node:path';
import type { EnvironmentView } from '../../domain/environment/schema.ts';
import { PlatformError } from '../errors.ts';

/** The environment's warehouse grant as the console uses it: its URL holds the role's password, so it never leaves the server. */
export interface WarehouseGrant {
  url: string;
  role: string;
  dataClass: string;
  schemas: string[];
}

/** The environment's ready warehouse grant; a 409 that says why when it has none (yet). */
export function warehouseGrantOf(env: EnvironmentView): WarehouseGrant {
  const resource = env.resources.find((r) => r.type === 'warehouse');
  if (!resource) {
    throw new PlatformError(409, 'no_warehouse_grant', `environment ${env.name} has no warehouse grant: the SQL console works on environments of a path with a warehouse, such as sql-data-querying`);
  }
  const url = resource.outputs.url;
  if (resource.status !== 'ready' || typeof url !== 'string') {
    throw new PlatformError(409, 'grant_not_ready', `the warehouse grant of ${env.name} is ${resource.status}, not ready; wait for the environment to be ready`);
  }
  return {
    url,
    role: String(resource.outputs.username ?? ''),
    dataClass: String(resource.outputs.dataClass ?? env.dataClass ?? ''),
    schemas: Array.isArray(resource.outputs.schemas) ? resource.outputs.schemas.map(String) : [],
  };
}

/** The bare repository saved queries go to: the resource named `queries`, else the environment's first repository. */
export function queryRepoOf(env: EnvironmentView, reposDir: string): { name: string; gitDir: string } {
  const repos = env.resources.filter((r) => r.type === 'git-repo' && r.status === 'ready' && typeof r.outputs.name === 'string');
  const repo = repos.find((r) => r.id === 'queries') ?? repos[0];
  if (!repo) throw new PlatformError(409, 'no_repository', `environment ${env.name} has no ready git repository to keep saved queries in`);
  const name = repo.outputs.name as string;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) throw new PlatformError(409, 'no_repository', `environment ${env.name}'s repository has an unexpected name`);
  return { name, gitDir: join(reposDir, `${name}.git`) };
}
