import type { EnvironmentView } from '../../domain/environment/schema.ts';
import type { DesiredState } from '../../domain/environment/lifecycle.ts';
import { requestDesired } from '../../domain/environment/plan.ts';
import { PlatformError } from '../errors.ts';
import { enqueueReconcile } from '../orchestrator/jobs.ts';
import { requireEnvironment, type Actor, type EnvironmentServiceDeps } from './launch.ts';
import { PgEnvironmentRepository } from './repository.ts';

/**
 * Delete, stop and start only record what the owner wants (the desired state) and enqueue a
 * reconcile in the same transaction; the planner says whether the change is allowed, and the
 * orchestrator makes it so.
 */
const actionFor = { deleted: 'delete', stopped: 'stop', ready: 'start' } as const;

async function changeDesiredState(deps: EnvironmentServiceDeps, actor: Actor, id: string, want: DesiredState, message: string): Promise<EnvironmentView> {
  const { user } = actor;
  await requireEnvironment(deps, actor, id, actionFor[want]);
  const environments = new PgEnvironmentRepository(deps.pool);
  await environments.atomically(async (repo, db) => {
    const snapshot = await repo.load(id);
    if (!snapshot) return;
    const change = requestDesired(id, snapshot.environment, snapshot.approvals, want, new Date());
    if (change.kind === 'refused') throw new PlatformError(409, change.code, change.message);
    if (change.kind === 'unchanged') return;
    if (await repo.setDesired(id, { desired: change.desired, status: change.status, event: { type: change.event, message: `${user.id} ${message}` } })) {
      await enqueueReconcile(db, id);
    }
  });
  return (await environments.view(id))!;
}

/** Asks for the environment to be removed; the orchestrator deletes its resources in reverse order. */
export function deleteEnvironment(deps: EnvironmentServiceDeps, actor: Actor, id: string): Promise<EnvironmentView> {
  return changeDesiredState(deps, actor, id, 'deleted', 'asked to delete this environment');
}

/** Stops what runs (the notebook) and keeps the work, the repo, the bucket and the data grant. */
export function stopEnvironment(deps: EnvironmentServiceDeps, actor: Actor, id: string): Promise<EnvironmentView> {
  return changeDesiredState(deps, actor, id, 'stopped', 'asked to stop this environment');
}

export function startEnvironment(deps: EnvironmentServiceDeps, actor: Actor, id: string): Promise<EnvironmentView> {
  return changeDesiredState(deps, actor, id, 'ready', 'asked to start this environment again');
}
