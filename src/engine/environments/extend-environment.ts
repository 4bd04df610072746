import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { extensionRecord, type ExtensionRecord } from '../../domain/golden-path/extension.ts';
import { launchResources } from '../../domain/golden-path/launch-resources.ts';
import { placeholdersIn } from '../../domain/golden-path/placeholders.ts';
import { readRepoFile } from '../../infrastructure/git-http/index.ts';
import { repoDir, runGit } from '../../infrastructure/git-http/repos.ts';
import { PlatformError } from '../errors.ts';
import { getUser } from '../identity/users.ts';
import { notify } from '../notices/notices.ts';
import { enqueueReconcile } from '../orchestrator/jobs.ts';
import { readExtension } from '../paths/extension.ts';
import type { PathLibrary } from '../paths/library.ts';
import { formatPathError } from '../paths/loader.ts';
import { resolveParameters, ParameterError } from '../paths/parameters.ts';
import type { PolicyEngine } from '../policy/engine.ts';
import { teamRef } from '../policy/entities.ts';
import { guardFor } from '../policy/guard.ts';
import type { Actor } from './launch.ts';
import { describeExtension } from './launch.ts';
import { PgEnvironmentRepository } from './repository.ts';

/** The file in an environment's repository that extends it (the same format as `goldpath launch --extend`). */
export const EXTENSION_FILE = 'goldpath.yaml';

export type ExtendOutcome =
  | { kind: 'unchanged' }
  | { kind: 'extended'; added: string[]; changed: string[] };

const refuse = (message: string, details?: { field: string; message: string }[]) => new PlatformError(400, 'extension_refused', message, details);

/**
 * Extends a live environment with an extension (a pushed goldpath.yaml): checked against its path's
 * rules as a launch's is, then recorded through the repository with the resources it adds (pending)
 * and those it changes (pending again, to be provisioned with their new params), and a reconcile is
 * enqueued in the same transaction. The planner provisions them while the environment stays ready;
 * a refusal changes nothing. Resources added before are not removed by leaving them out: their
 * data would go with them.
 */
export async function extendEnvironment(
  deps: { pool: pg.Pool; paths: PathLibrary },
  actor: Actor,
  envId: string,
  input: unknown,
  source: { from: ExtensionRecord['from']; commit?: string; file?: string },
): Promise<ExtendOutcome> {
  const environments = new PgEnvironmentRepository(deps.pool);
  const env = await environments.view(envId);
  if (!env) throw new PlatformError(404, 'unknown_environment', `no environment "${envId}"`);
  const loaded = deps.paths.get(env.path);
  const file = source.file ?? EXTENSION_FILE;
  const checked = readExtension(input, loaded.path, deps.paths.types, file);
  if ('errors' in checked) throw refuse(checked.errors.map(formatPathError).join('; '));
  actor.may('applyExtension', { type: 'Environment', ...env }, { team: teamRef(env.team) });
  if (env.status !== 'ready' && env.status !== 'stopped') {
    throw refuse(`environment ${env.name} is ${env.status}; an extension is applied to a ready or stopped environment (push again once it is)`);
  }
  const { extension, merged } = checked;
  const before = env.extension ?? null;
  const dropped = Object.keys(before?.resources ?? {}).filter((id) => !extension.resources[id]);
  if (dropped.length) {
    throw refuse(`${file} no longer lists ${dropped.join(', ')}, added before; a push does not remove resources (their data would go): put ${dropped.length > 1 ? 'them' : 'it'} back, or launch a new environment without ${dropped.length > 1 ? 'them' : 'it'}`);
  }
  let params: Record<string, unknown>;
  try {
    params = resolveParameters(merged.spec.parameters, { ...env.params, ...extension.parameters });
  } catch (e) {
    if (e instanceof ParameterError) throw refuse(`${file}: ${e.message}`, e.problems);
    throw e;
  }
  const changedParams = Object.keys(params).filter((k) => !isDeepStrictEqual(params[k], env.params[k]));

  // As a launch records them: ${path.*} filled in, the rest filled when each is provisioned.
  const rows = new Map((await environments.resources(envId)).map((r) => [r.id, r]));
  const resources = launchResources(merged, loaded.dir);
  const added = resources.filter((r) => !rows.has(r.id)).map((r) => r.id);
  const changed = resources.filter((r) => {
    const row = rows.get(r.id);
    if (!row) return false;
    const usesChangedParam = placeholdersIn(r.params).some((p) => p.scope === 'params' && changedParams.includes(p.path[0]));
    return usesChangedParam || !isDeepStrictEqual(row.params, r.params); // jsonb keeps its own key order
  }).map((r) => r.id);
  const record = extensionRecord(extension, source.from, source.commit);
  const sameRecord = before !== null && isDeepStrictEqual({ ...before, commit: undefined, from: undefined }, { ...record, commit: undefined, from: undefined });
  if (added.length === 0 && changed.length === 0 && changedParams.length === 0 && sameRecord) return { kind: 'unchanged' };

  const what = [
    ...(added.length ? [`adds ${added.map((id) => `${id} (${merged.spec.resources[id].type})`).join(', ')}`] : []),
    ...(changed.length ? [`provisions ${changed.join(', ')} again with new settings`] : []),
  ].join(' and ') || 'records it';
  await environments.atomically(async (repo, db) => {
    await repo.lock(envId);
    await repo.applyExtension(envId, {
      record, resources, changed,
      event: { type: 'environment.extended', message: `${actor.user.id} extended it${source.commit ? ` at ${source.commit.slice(0, 12)}` : ''} with ${describeExtension(extension)}: ${what}` },
    });
    if (changedParams.length) await db.query('UPDATE environments SET params = $2 WHERE id = $1', [envId, JSON.stringify(params)]);
    await enqueueReconcile(db, envId);
  });
  return { kind: 'extended', added, changed };
}

/**
 * A push listener: when the environment's repository has a goldpath.yaml at the head of main, the
 * environment is extended with it. A refusal leaves the environment as it is and says why, on the
 * environment (an event, and the repository resource's error) and to its owner (a notice).
 */
export function extendOnPush(deps: { pool: pg.Pool; paths: PathLibrary; policy: PolicyEngine; reposDir: string }): (repo: string) => Promise<void> {
  const environments = new PgEnvironmentRepository(deps.pool);
  return async (repo) => {
    const envId = repo.split('-')[0];
    try {
      const env = await environments.view(envId);
      // Only the environment's own repository, and only paths that can be extended at all (or that have a file to refuse).
      const repoResource = env?.resources.find((r) => r.type === 'git-repo' && r.outputs.name === repo);
      if (!env || !repoResource || env.status === 'deleted' || env.desired === 'deleted') return;
      const text = await readRepoFile(deps.reposDir, repo, EXTENSION_FILE);
      if (text === null) return;
      const owner = await getUser(deps.pool, env.owner);
      if (!owner) return;
      const commit = await readRepoHead(deps.reposDir, repo);
      try {
        const outcome = await extendEnvironment(deps, { user: owner, may: guardFor(deps.policy, owner) }, envId, text, { from: 'repository', commit });
        if (repoResource.error?.startsWith(`${EXTENSION_FILE} `) || outcome.kind === 'extended') {
          await environments.updateResource(envId, repoResource.id, { status: repoResource.status, error: null });
        }
      } catch (e) {
        if (!(e instanceof PlatformError)) throw e;
        const message = `${EXTENSION_FILE} was not applied: ${e.message}`;
        await environments.atomically(async (repoTx, db) => {
          await repoTx.updateResource(envId, repoResource.id, { status: repoResource.status, error: message }, { type: 'extension.refused', message });
          await notify(db, { user: env.owner, kind: 'extension-refused', message: `environment "${env.name}": ${message}`, environmentId: envId });
        });
      }
    } catch (e) {
      console.error(`[extend] push to ${repo}: ${(e as Error).message}`);
    }
  };
}

async function readRepoHead(reposDir: string, repo: string): Promise<string | undefined> {
  try {
    return (await runGit(['--git-dir', repoDir(reposDir, repo), 'rev-parse', 'HEAD'])).stdout.trim();
  } catch {
    return undefined;
  }
}
