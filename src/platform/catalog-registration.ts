import type pg from 'pg';
import { getEnvironmentView } from '../engine/environments/store.ts';
import { listTeams, listUsers } from '../engine/identity/users.ts';
import type { EventFeed } from '../engine/live/event-feed.ts';
import type { PathLibrary } from '../engine/paths/library.ts';
import { syncDatasets, syncGoldenPaths, syncOrganisation, upsertEnvironmentEntity } from '../engine/catalog/platform-sync.ts';
import { describeWarehouse } from '../infrastructure/warehouse/index.ts';

/**
 * What the platform knows goes into the one catalog: its teams and users, golden paths, the
 * warehouse's datasets, and every environment as it changes (driven by the event feed, so a
 * change made on any replica is registered).
 */
export async function registerInCatalog(deps: { pool: pg.Pool; paths: PathLibrary; feed: EventFeed; warehouseUrl: string; log: (s: string) => void }): Promise<() => Promise<void>> {
  const attempt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      console.error(`[catalog] could not register ${what}: ${(e as Error).message}`);
    }
  };
  const t0 = performance.now();
  await attempt('the organisation', async () => syncOrganisation(deps.pool, await listTeams(deps.pool), await listUsers(deps.pool)));
  await attempt('the golden paths', () => syncGoldenPaths(deps.pool, deps.paths.list().map((p) => p.path)));
  await attempt('the warehouse datasets', async () => syncDatasets(deps.pool, await describeWarehouse(deps.warehouseUrl)));
  deps.log(`catalog registered in ${Math.round(performance.now() - t0)} ms`);

  // Several events arrive together during a launch: register each environment once per burst.
  const pending = new Map<string, NodeJS.Timeout>();
  const unsubscribe = deps.feed.subscribeAll((envId) => {
    if (pending.has(envId)) return;
    pending.set(envId, setTimeout(() => {
      pending.delete(envId);
      void attempt(`environment ${envId}`, async () => {
        const env = await getEnvironmentView(deps.pool, envId);
        if (env) await upsertEnvironmentEntity(deps.pool, env);
      });
    }, 100));
  });
  return async () => {
    unsubscribe();
    for (const t of pending.values()) clearTimeout(t);
  };
}
