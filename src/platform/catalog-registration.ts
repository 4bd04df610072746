import type pg from 'pg';
import { PgEnvironmentRepository } from '../engine/environments/repository.ts';
import { getUser, listTeams, listUsers } from '../engine/identity/users.ts';
import type { PolicyEngine } from '../engine/policy/engine.ts';
import { guardFor } from '../engine/policy/guard.ts';
import type { EventFeed } from '../engine/live/event-feed.ts';
import type { PathLibrary } from '../engine/paths/library.ts';
import { syncDatasets, syncGoldenPaths, syncOrganisation, upsertEnvironmentEntity } from '../engine/catalog/platform-sync.ts';
import { replaceSource, writeEntities } from '../engine/catalog/store.ts';
import { importCatalogPath } from '../engine/catalog/import.ts';
import { existsSync } from 'node:fs';
import { parseCatalogFile, formatDocumentError } from '../domain/catalog/parse.ts';
import type { WarehouseDescription } from '../infrastructure/warehouse/index.ts';
import { readRepoFile } from '../infrastructure/git-http/index.ts';

/**
 * What the platform knows goes into the one catalog: its teams and users, golden paths, the
 * warehouse's datasets, and every environment as it changes (driven by the event feed, so a
 * change made on any replica is registered).
 */
export async function registerInCatalog(deps: {
  pool: pg.Pool; paths: PathLibrary; feed: EventFeed; log: (s: string) => void;
  /** The warehouse's data dictionary, and the names of its datasets (which a warehouse grant reads). */
  dictionary: WarehouseDescription;
  datasetNames: () => string[];
  /** A folder of catalog-info.yaml files the organisation keeps (configured, optional). */
  catalogDir?: string;
}): Promise<() => Promise<void>> {
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
  await attempt('the warehouse datasets', async () => syncDatasets(deps.pool, deps.dictionary));
  if (deps.catalogDir && existsSync(deps.catalogDir)) {
    await attempt(`the descriptors in ${deps.catalogDir}`, () => importCatalogPath(deps.pool, deps.catalogDir!, { source: 'file:catalog-dir', replace: true }));
  }
  deps.log(`catalog registered in ${Math.round(performance.now() - t0)} ms`);

  const environments = new PgEnvironmentRepository(deps.pool);
  // Several events arrive together during a launch: register each environment once per burst.
  const pending = new Map<string, NodeJS.Timeout>();
  const unsubscribe = deps.feed.subscribeAll((envId) => {
    if (pending.has(envId)) return;
    pending.set(envId, setTimeout(() => {
      pending.delete(envId);
      void attempt(`environment ${envId}`, async () => {
        const env = await environments.view(envId);
        if (!env) return;
        const grant = env.resources.some((r) => r.type === 'warehouse' && r.status !== 'deleted');
        await upsertEnvironmentEntity(deps.pool, env, { datasets: grant ? deps.datasetNames() : [] });
        if (env.status === 'deleted') {
          // What the environment's repositories registered goes with them.
          for (const r of env.resources.filter((x) => x.type === 'git-repo')) await replaceSource(deps.pool, `repo:${String(r.outputs.name)}`, []);
        }
      });
    }, 100));
  });
  return async () => {
    unsubscribe();
    for (const t of pending.values()) clearTimeout(t);
  };
}

/**
 * A push to a repository the platform hosts re-reads its `catalog-info.yaml`: the entities it
 * declares replace what that repository registered before (none, when the file is gone). A bad
 * file changes nothing and is reported on the environment's timeline.
 */
export function catalogOnPush(deps: { pool: pg.Pool; reposDir: string; policy: PolicyEngine }): (repo: string) => void {
  const environments = new PgEnvironmentRepository(deps.pool);
  return (repo) => {
    void (async () => {
      const envId = repo.split('-')[0];
      const text = await readRepoFile(deps.reposDir, repo, 'catalog-info.yaml');
      const parsed = text === null ? { entities: [], errors: [] } : parseCatalogFile('catalog-info.yaml', text);
      if (parsed.errors.length) {
        await environments.addEvent(envId, null, { type: 'catalog.rejected', message: `catalog-info.yaml not registered: ${parsed.errors.map(formatDocumentError).join('; ')}` });
        return;
      }
      try {
        // What a push registers is asked of the policy as the environment's owner: a repository is
        // no way to register entities for a team its owner is not in.
        const env = await environments.view(envId);
        const owner = env && (await getUser(deps.pool, env.owner));
        if (!owner) throw new Error(`environment ${envId} has no owner any more`);
        const source = `repo:${repo}`;
        const may = guardFor(deps.policy, owner);
        await writeEntities(deps.pool, source, parsed.entities, {
          replace: true,
          authorize: (changes) => changes.forEach((ch) => may(ch.action, { type: 'CatalogEntity', ref: ch.ref, owner: ch.owner, source: ch.source }, { source })),
        });
      } catch (e) {
        await environments.addEvent(envId, null, { type: 'catalog.rejected', message: `catalog-info.yaml not registered: ${(e as Error).message}` });
        return;
      }
      if (text !== null) await environments.addEvent(envId, null, { type: 'catalog.registered', message: `catalog-info.yaml registered ${parsed.entities.length} entit${parsed.entities.length === 1 ? 'y' : 'ies'}` });
    })().catch((e: Error) => console.error(`[catalog] push to ${repo}: ${e.message}`));
  };
}
