import type { EnvironmentView } from '../../domain/environment/schema.ts';
import { canStart, canStop, type DesiredState } from '../../domain/environment/lifecycle.ts';
import { inTransaction } from '../../infrastructure/postgres/transaction.ts';
import { PlatformError } from '../errors.ts';
import type { User } from '../identity/users.ts';
import { enqueueReconcile } from '../orchestrator/jobs.ts';
import { requireEnvironment, type EnvironmentServiceDeps } from './launch.ts';
import { addEvent, getEnvironmentRow, getEnvironmentView } from './store.ts';

/**
 * Delete, stop and start only record what the owner wants (the desired state) and enqueue a
 * reconcile in the same transaction; the orchestrator makes it so.
 */
async function changeDesiredState(
  deps: EnvironmentServiceDeps,
  user: User,
  id: string,
  desired: DesiredState,
  check: (env: EnvironmentView) => void,
  message: string,
): Promise<EnvironmentView> {
  const env = await requireEnvironment(deps, user, id);
  if (env.desired === desired && env.status !== 'failed') return env;
  check(env);
  await inTransaction(deps.pool, async (client) => {
    const row = await getEnvironmentRow(client, id);
    if (!row || row.desired === 'deleted') return;
    await client.query(
      `UPDATE environments SET desired = $2, updated_at = now(),
         status = CASE WHEN $2 = 'ready' AND status IN ('stopped', 'stopping') THEN 'requested' ELSE status END
       WHERE id = $1`,
      [id, desired],
    );
    await addEvent(client, id, null, `environment.${desired === 'ready' ? 'start' : desired === 'stopped' ? 'stop' : 'delete'}-requested`, `${user.id} ${message}`);
    await enqueueReconcile(client, id);
  });
  return (await getEnvironmentView(deps.pool, id))!;
}

/** Asks for the environment to be removed; the orchestrator deletes its resources in reverse order. */
export function deleteEnvironment(deps: EnvironmentServiceDeps, user: User, id: string): Promise<EnvironmentView> {
  return changeDesiredState(deps, user, id, 'deleted', () => {}, 'asked to delete this environment');
}

/** Stops what runs (the notebook) and keeps the work, the repo, the bucket and the data grant. */
export function stopEnvironment(deps: EnvironmentServiceDeps, user: User, id: string): Promise<EnvironmentView> {
  return changeDesiredState(deps, user, id, 'stopped', (env) => {
    if (!canStop(env.status)) throw new PlatformError(409, 'cannot_stop', `environment ${id} is ${env.status}; only a ready or launching environment can be stopped`);
  }, 'asked to stop this environment');
}

export function startEnvironment(deps: EnvironmentServiceDeps, user: User, id: string): Promise<EnvironmentView> {
  return changeDesiredState(deps, user, id, 'ready', (env) => {
    if (!canStart(env.status)) throw new PlatformError(409, 'cannot_start', `environment ${id} is ${env.status}; only a stopped environment can be started`);
  }, 'asked to start this environment again');
}
