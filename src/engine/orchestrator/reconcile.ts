import type pg from 'pg';
import { substitute } from '../../domain/golden-path/placeholders.ts';
import { redact, secretValues } from '../../domain/secrets/redact.ts';
import type { DriverRegistry, Json, ProvisionInput } from '../../drivers/driver.ts';
import {
  addEvent, getEnvironmentRow, getResourceRows, setEnvironmentStatus, updateResource,
  type EnvironmentRow, type Queryable, type ResourceRow,
} from '../environments/store.ts';
import { withRetry, defaultRetry, type RetryPolicy } from './retry.ts';
import { hasExpiredApproval, recordGrant, recordRevocation } from '../approvals/approvals.ts';

export interface ReconcileDeps {
  pool: pg.Pool;
  drivers: DriverRegistry;
  retry?: RetryPolicy;
}

/**
 * Level-triggered: compares what the owner asked for (desired) with what exists and acts on the
 * difference. Every step is safe to repeat, so a restart after a crash simply runs this again.
 * An advisory lock per environment makes runs for one environment take turns, on any replica.
 */
export async function reconcileEnvironment(deps: ReconcileDeps, envId: string): Promise<void> {
  const lock = await deps.pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', ['env:' + envId]);
    const env = await getEnvironmentRow(deps.pool, envId);
    if (!env) return;
    if (env.desired === 'deleted') {
      if (env.status !== 'deleted') await teardown(deps, env, 'deleted', null);
    } else if (env.desired === 'stopped') {
      if (env.status !== 'stopped' && env.status !== 'failed') await stop(deps, env);
    } else if (env.status === 'requested' || env.status === 'provisioning') {
      await provision(deps, env);
    } else if (env.status === 'ready') {
      if (await hasExpiredApproval(deps.pool, env.id)) await revokeDataAccess(deps, env);
      await repair(deps, env);
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', ['env:' + envId]).catch(() => {});
    lock.release();
  }
}

function driverInput(env: EnvironmentRow, r: ResourceRow, params: Record<string, unknown>): ProvisionInput {
  return {
    environmentId: env.id,
    resourceId: r.id,
    state: r.state,
    params,
    environment: { id: env.id, name: env.name, team: env.team_id, owner: env.owner_id, dataClass: env.data_class, path: env.path_id, params: env.params },
  };
}

function placeholderContext(env: EnvironmentRow, resources: ResourceRow[]): Record<string, unknown> {
  return {
    resources: Object.fromEntries(resources.filter((r) => r.status === 'ready').map((r) => [r.id, r.outputs])),
    params: env.params,
    environment: { id: env.id, name: env.name, team: env.team_id, owner: env.owner_id, path: env.path_id, dataClass: env.data_class },
  };
}

async function provision(deps: ReconcileDeps, env: EnvironmentRow): Promise<void> {
  if (env.status === 'requested') await setEnvironmentStatus(deps.pool, env.id, 'provisioning');
  let resources = await getResourceRows(deps.pool, env.id);
  const waves = [...new Set(resources.map((r) => r.wave))].sort((a, b) => a - b);
  for (const wave of waves) {
    const current = await getEnvironmentRow(deps.pool, env.id);
    if (current?.desired === 'deleted') return teardown(deps, env, 'deleted', null);
    if (current?.desired === 'stopped') return stop(deps, env);
    const todo = resources.filter((r) => r.wave === wave && r.status !== 'ready');
    const context = placeholderContext(env, resources);
    const results = await Promise.allSettled(todo.map((r) => provisionOne(deps, env, r, context)));
    const failed = results.flatMap((res, i) => (res.status === 'rejected' ? [`${todo[i].id}: ${(res.reason as Error).message}`] : []));
    if (failed.length > 0) {
      return teardown(deps, env, 'failed', `could not provision ${failed.join('; ')}`);
    }
    resources = await getResourceRows(deps.pool, env.id);
  }
  const grants = resources.filter((r) => r.type === 'warehouse').map((r) => `${r.outputs.username} (${env.data_class})`);
  if (grants.length) await recordGrant(deps.pool, env.id, grants.join(', '));
  await setEnvironmentStatus(deps.pool, env.id, 'ready');
}

/** Stops what runs (notebooks) and keeps everything else; a start provisions the stopped parts again. */
async function stop(deps: ReconcileDeps, env: EnvironmentRow): Promise<void> {
  if (env.status !== 'stopping') await setEnvironmentStatus(deps.pool, env.id, 'stopping');
  const resources = await getResourceRows(deps.pool, env.id);
  for (const r of resources.filter((x) => x.status === 'ready' || x.status === 'provisioning')) {
    const driver = deps.drivers.get(r.type);
    if (!driver.stop) continue;
    await withRetry(() => driver.stop!({ environmentId: env.id, resourceId: r.id, state: r.state }), deps.retry ?? defaultRetry);
    await updateResource(deps.pool, env.id, r.id, { status: 'stopped' });
    await addEvent(deps.pool, env.id, r.id, 'resource.stopped', `${r.id} stopped`);
  }
  await setEnvironmentStatus(deps.pool, env.id, 'stopped');
}

/** An approval ran out: the data grant goes, the rest of the environment stays. */
async function revokeDataAccess(deps: ReconcileDeps, env: EnvironmentRow): Promise<void> {
  const resources = await getResourceRows(deps.pool, env.id);
  for (const r of resources.filter((x) => x.type === 'warehouse' && x.status !== 'deleted')) await deprovisionOne(deps, env, r);
  await recordRevocation(deps.pool, env.id);
  await addEvent(deps.pool, env.id, null, 'approval.expired', 'the data owners\' approval expired: warehouse access revoked (launch again to ask anew)');
}

async function provisionOne(deps: ReconcileDeps, env: EnvironmentRow, r: ResourceRow, context: Record<string, unknown>): Promise<void> {
  const started = performance.now();
  await updateResource(deps.pool, env.id, r.id, { status: 'provisioning' });
  await addEvent(deps.pool, env.id, r.id, 'resource.provisioning', `provisioning ${r.id} (${r.type})`);
  let secrets = secretValues(r.outputs, r.state);
  try {
    const driver = deps.drivers.get(r.type);
    const params = substitute(r.params, context);
    secrets = [...secrets, ...secretValues({ params: params as Json })];
    const result = await withRetry(
      () => driver.provision(driverInput(env, r, params)),
      deps.retry ?? defaultRetry,
      (e, attempt) => addEvent(deps.pool, env.id, r.id, 'resource.retry', `attempt ${attempt} failed, retrying: ${redact(e.message, secrets)}`),
    );
    await updateResource(deps.pool, env.id, r.id, { status: 'ready', state: result.state, outputs: result.outputs, error: null });
    await addEvent(deps.pool, env.id, r.id, 'resource.ready', `${r.id} ready in ${Math.round(performance.now() - started)} ms`);
  } catch (e) {
    const message = redact((e as Error).message, secrets);
    await updateResource(deps.pool, env.id, r.id, { status: 'failed', error: message });
    await addEvent(deps.pool, env.id, r.id, 'resource.failed', `${r.id} failed: ${message}`);
    throw new Error(message);
  }
}

/** Removes what exists, last wave first. `final` is `deleted` for a delete and `failed` for a rollback. */
async function teardown(deps: ReconcileDeps, env: EnvironmentRow, final: 'deleted' | 'failed', reason: string | null): Promise<void> {
  if (final === 'deleted') {
    if (env.status !== 'deleting') await setEnvironmentStatus(deps.pool, env.id, 'deleting');
  } else {
    await addEvent(deps.pool, env.id, null, 'environment.rollback', 'rolling back what this launch made');
  }
  const resources = await getResourceRows(deps.pool, env.id);
  const waves = [...new Set(resources.map((r) => r.wave))].sort((a, b) => b - a);
  const problems: string[] = [];
  for (const wave of waves) {
    const todo = resources.filter((r) => r.wave === wave && r.status !== 'deleted');
    await Promise.all(todo.map(async (r) => {
      try {
        await deprovisionOne(deps, env, r);
      } catch (e) {
        problems.push(`${r.id}: ${(e as Error).message}`);
      }
    }));
  }
  if (problems.length > 0) {
    // Stay in a non-final state: the sweeper runs this again later, so nothing is leaked.
    await addEvent(deps.pool, env.id, null, 'environment.teardown-incomplete', `could not remove ${problems.join('; ')}; will retry`);
    throw new Error(`teardown of ${env.id} incomplete`);
  }
  await recordRevocation(deps.pool, env.id);
  await setEnvironmentStatus(deps.pool, env.id, final, reason);
}

async function deprovisionOne(deps: ReconcileDeps, env: EnvironmentRow, r: ResourceRow): Promise<void> {
  if (r.status === 'pending') {
    await updateResource(deps.pool, env.id, r.id, { status: 'deleted' });
    return;
  }
  const secrets = secretValues(r.outputs, r.state);
  await updateResource(deps.pool, env.id, r.id, { status: 'deprovisioning', error: r.error });
  try {
    await withRetry(() => deps.drivers.get(r.type).deprovision({ environmentId: env.id, resourceId: r.id, state: r.state }), deps.retry ?? defaultRetry);
  } catch (e) {
    const message = redact((e as Error).message, secrets);
    await updateResource(deps.pool, env.id, r.id, { status: 'deprovisioning', error: message });
    throw new Error(message);
  }
  await updateResource(deps.pool, env.id, r.id, { status: 'deleted', error: r.error });
  await addEvent(deps.pool, env.id, r.id, 'resource.deleted', `${r.id} removed`);
}

/** A ready environment whose resource stopped answering (a notebook after a restart) is provisioned again. */
async function repair(deps: ReconcileDeps, env: EnvironmentRow): Promise<void> {
  const resources = await getResourceRows(deps.pool, env.id);
  for (const r of resources.filter((x) => x.status !== 'deleted' && x.status !== 'stopped')) {
    const status = await deps.drivers.get(r.type).status({ environmentId: env.id, resourceId: r.id, state: r.state }).catch((e: Error) => ({ healthy: false, message: e.message }));
    if (status.healthy) continue;
    await addEvent(deps.pool, env.id, r.id, 'resource.repairing', `${r.id} is not answering (${redact(status.message ?? 'unhealthy', secretValues(r.outputs, r.state))}); provisioning it again`);
    try {
      await provisionOne(deps, env, r, placeholderContext(env, resources));
    } catch {
      // Recorded on the resource; the environment stays ready for the parts that work and the next pass tries again.
    }
  }
}

export type { Queryable };
