import type pg from 'pg';
import type { ResourceRef } from '../drivers/driver.ts';

/** A driver that builds a resource from its repository (a website preview, a service). */
export interface Rebuilds {
  rebuild(ref: Pick<ResourceRef, 'environmentId' | 'resourceId'>): Promise<unknown>;
}

/**
 * A push to a hosted repository starts a build of every ready resource built from it. The builder
 * itself skips a push that did not move the built branch, serialises a resource's builds and lets
 * a newer push supersede a waiting one; the push's answer does not wait for the build.
 */
export function buildsOnPush(deps: { pool: pg.Pool; builders: Record<string, Rebuilds> }): (repo: string) => void {
  const types = Object.keys(deps.builders);
  return (repo) => {
    void (async () => {
      // Repository names are <environment>-<resource> (the git-repo driver names them so).
      const envId = repo.split('-')[0];
      const { rows } = await deps.pool.query<{ id: string; type: string }>(
        `SELECT id, type FROM resources WHERE environment_id = $1 AND type = ANY($2) AND state->>'repo' = $3 AND status = 'ready'`,
        [envId, types, repo],
      );
      await Promise.all(rows.map((r) => deps.builders[r.type].rebuild({ environmentId: envId, resourceId: r.id })
        .catch((e: Error) => console.error(`[builds] ${r.id} of ${envId} after a push to ${repo}: ${e.message}`))));
    })().catch((e: Error) => console.error(`[builds] push to ${repo}: ${e.message}`));
  };
}
