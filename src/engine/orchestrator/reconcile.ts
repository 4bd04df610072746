import type pg from 'pg';
import { plan, type PlanResource, type Step } from '../../domain/environment/plan.ts';
import { substitute } from '../../domain/golden-path/placeholders.ts';
import { redact, secretValues } from '../../domain/secrets/redact.ts';
import type { DriverRegistry, Json, ProvisionInput } from '../../drivers/driver.ts';
import { PgEnvironmentRepository, type EnvironmentRepository, type EnvironmentSnapshot } from '../environments/repository.ts';
import type { EnvironmentRow, Queryable, ResourceRow } from '../environments/store.ts';
import { withRetry, defaultRetry, type RetryPolicy } from './retry.ts';

export interface ReconcileDeps {
  pool: pg.Pool;
  drivers: DriverRegistry;
  retry?: RetryPolicy;
  /** Defaults to the PostgreSQL repository on `pool`. */
  environments?: EnvironmentRepository;
  now?: () => Date;
}

interface Context {
  repo: EnvironmentRepository;
  /** Null for bookkeeping only (no step that calls a driver is carried out then). */
  drivers: DriverRegistry | null;
  retry: RetryPolicy;
}

type DriverContext = Context & { drivers: DriverRegistry };

/** What the planner needs to know of each resource, the driver's abilities included. */
export function planResources(resources: ResourceRow[], drivers: DriverRegistry | null): PlanResource[] {
  return resources.map((r) => ({
    id: r.id, type: r.type, wave: r.wave, status: r.status, error: r.error,
    stoppable: drivers ? stoppable(drivers, r.type) : false,
  }));
}

function stoppable(drivers: DriverRegistry, type: string): boolean {
  try {
    return typeof drivers.get(type).stop === 'function';
  } catch {
    return false;
  }
}

export const planFor = (s: EnvironmentSnapshot, drivers: DriverRegistry | null, now: Date): Step[] =>
  plan(s.environment, planResources(s.resources, drivers), s.approvals, now);

/**
 * Level-triggered: plans from what exists, carries out the first step, and plans again, until
 * the plan is empty. Every step is safe to repeat, so a restart after a crash simply runs this
 * again; a step that comes up twice in one run (a health check, a teardown that keeps failing)
 * ends the run, and the sweeper or the job's retry brings it back later. The health check runs
 * only when it is the first step: a run that just provisioned has nothing to check.
 */
export async function reconcileEnvironment(deps: ReconcileDeps, envId: string): Promise<void> {
  const repo = deps.environments ?? new PgEnvironmentRepository(deps.pool);
  const ctx: Context = { repo, drivers: deps.drivers, retry: deps.retry ?? defaultRetry };
  const now = deps.now ?? (() => new Date());
  await repo.exclusively(envId, async () => {
    const done = new Set<string>();
    for (;;) {
      const snapshot = await repo.load(envId);
      if (!snapshot) return;
      const step = planFor(snapshot, deps.drivers, now())[0];
      if (!step) return;
      const key = JSON.stringify(step);
      if (done.has(key)) return;
      // The health check is what a run asked of a ready environment does; one that just made it ready has nothing to check.
      if (step.kind === 'check-health' && done.size > 0) return;
      done.add(key);
      await execute(ctx, snapshot, step);
    }
  });
}

/**
 * Carries out the steps that need no driver (status changes, approvals' bookkeeping) inside the
 * caller's transaction, as an approval decision does; says whether driver work remains.
 */
export async function applyBookkeeping(repo: EnvironmentRepository, envId: string, now: Date): Promise<{ moreWork: boolean }> {
  for (let i = 0; i < 20; i++) {
    const snapshot = await repo.load(envId);
    if (!snapshot) return { moreWork: false };
    const step = planFor(snapshot, null, now)[0];
    if (!step) return { moreWork: false };
    if (step.kind !== 'transition' && step.kind !== 'end-approvals' && step.kind !== 'reset') return { moreWork: true };
    await execute({ repo, drivers: null, retry: defaultRetry }, snapshot, step);
  }
  return { moreWork: true };
}

async function execute(context: Context, s: EnvironmentSnapshot, step: Step): Promise<void> {
  const env = s.environment;
  const needsDrivers = step.kind !== 'transition' && step.kind !== 'reset' && step.kind !== 'end-approvals' && step.kind !== 'record-grant';
  if (needsDrivers && !context.drivers) throw new Error(`step ${step.kind} needs the driver registry`);
  const ctx = context as DriverContext;
  const byId = new Map(s.resources.map((r) => [r.id, r]));
  const chosen = 'resources' in step ? step.resources.map((id) => byId.get(id)!) : [];
  switch (step.kind) {
    case 'transition':
      // Compare-and-set on the status read: a concurrent change (another replica) wins and we plan again.
      await ctx.repo.transition(env.id, { from: env.status, to: step.to, reason: step.reason, event: step.event });
      return;
    case 'reset':
      for (const r of chosen) await ctx.repo.updateResource(env.id, r.id, { status: 'pending', error: null });
      return;
    case 'provision': {
      const context = placeholderContext(env, s.resources);
      // A failure is recorded on its resource; the next plan rolls the launch back.
      await Promise.allSettled(chosen.map((r) => provisionOne(ctx, env, r, context)));
      return;
    }
    case 'stop':
      for (const r of chosen) {
        const driver = ctx.drivers.get(r.type);
        await withRetry(() => driver.stop!({ environmentId: env.id, resourceId: r.id, state: r.state }), ctx.retry);
        await ctx.repo.updateResource(env.id, r.id, { status: 'stopped' }, { type: 'resource.stopped', message: `${r.id} stopped` });
      }
      return;
    case 'deprovision': {
      const problems: string[] = [];
      await Promise.all(chosen.map(async (r) => {
        try {
          await deprovisionOne(ctx, env, r);
        } catch (e) {
          problems.push(`${r.id}: ${(e as Error).message}`);
        }
      }));
      if (problems.length > 0) {
        // The environment stays where it is: the sweeper runs this again later, so nothing is leaked.
        await ctx.repo.addEvent(env.id, null, { type: 'environment.teardown-incomplete', message: `could not remove ${problems.join('; ')}; will retry` });
        throw new Error(`teardown of ${env.id} incomplete`);
      }
      return;
    }
    case 'record-grant':
      await ctx.repo.recordGrant(env.id, chosen.map((r) => `${r.outputs.username} (${env.data_class})`).join(', '));
      return;
    case 'end-approvals':
      await ctx.repo.endApprovals(env.id, step.event);
      return;
    case 'check-health':
      await repair(ctx, env, s.resources, chosen);
      return;
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

async function provisionOne(ctx: DriverContext, env: EnvironmentRow, r: ResourceRow, context: Record<string, unknown>): Promise<void> {
  const started = performance.now();
  await ctx.repo.updateResource(env.id, r.id, { status: 'provisioning' }, { type: 'resource.provisioning', message: `provisioning ${r.id} (${r.type})` });
  let secrets = secretValues(r.outputs, r.state);
  try {
    const driver = ctx.drivers.get(r.type);
    const params = substitute(r.params, context);
    secrets = [...secrets, ...secretValues({ params: params as Json })];
    const result = await withRetry(
      () => driver.provision(driverInput(env, r, params)),
      ctx.retry,
      (e, attempt) => ctx.repo.addEvent(env.id, r.id, { type: 'resource.retry', message: `attempt ${attempt} failed, retrying: ${redact(e.message, secrets)}` }),
    );
    await ctx.repo.updateResource(env.id, r.id, { status: 'ready', state: result.state, outputs: result.outputs, error: null },
      { type: 'resource.ready', message: `${r.id} ready in ${Math.round(performance.now() - started)} ms` });
  } catch (e) {
    const message = redact((e as Error).message, secrets);
    await ctx.repo.updateResource(env.id, r.id, { status: 'failed', error: message }, { type: 'resource.failed', message: `${r.id} failed: ${message}` });
    throw new Error(message);
  }
}

async function deprovisionOne(ctx: DriverContext, env: EnvironmentRow, r: ResourceRow): Promise<void> {
  if (r.status === 'pending') {
    await ctx.repo.updateResource(env.id, r.id, { status: 'deleted' });
    return;
  }
  const secrets = secretValues(r.outputs, r.state);
  await ctx.repo.updateResource(env.id, r.id, { status: 'deprovisioning', error: r.error });
  try {
    await withRetry(() => ctx.drivers.get(r.type).deprovision({ environmentId: env.id, resourceId: r.id, state: r.state }), ctx.retry);
  } catch (e) {
    const message = redact((e as Error).message, secrets);
    await ctx.repo.updateResource(env.id, r.id, { status: 'deprovisioning', error: message });
    throw new Error(message);
  }
  await ctx.repo.updateResource(env.id, r.id, { status: 'deleted', error: r.error }, { type: 'resource.deleted', message: `${r.id} removed` });
}

/** A ready environment whose resource stopped answering (a notebook after a restart) is provisioned again. */
async function repair(ctx: DriverContext, env: EnvironmentRow, before: ResourceRow[], chosen: ResourceRow[]): Promise<void> {
  let all = before;
  for (const r of chosen) {
    const status = await ctx.drivers.get(r.type).status({ environmentId: env.id, resourceId: r.id, state: r.state })
      .catch((e: Error) => ({ healthy: false, message: e.message }));
    if (status.healthy) continue;
    await ctx.repo.addEvent(env.id, r.id, { type: 'resource.repairing', message: `${r.id} is not answering (${redact(status.message ?? 'unhealthy', secretValues(r.outputs, r.state))}); provisioning it again` });
    try {
      await provisionOne(ctx, env, r, placeholderContext(env, all));
      // Its outputs may have changed (a cache that had to take another port): later ones are wired to the new ones.
      all = await ctx.repo.resources(env.id);
    } catch {
      // Recorded on the resource; the environment stays ready for the parts that work and the next pass tries again.
    }
  }
}

export type { Queryable };
