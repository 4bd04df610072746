import { run, runMigrations, type Runner, type Logger as WorkerLogger } from 'graphile-worker';
import { Logger } from 'graphile-worker';
import type pg from 'pg';
import { needsWork, unsettledStates } from '../../domain/environment/plan.ts';
import type { DriverRegistry } from '../../drivers/driver.ts';
import { PgEnvironmentRepository, type EnvironmentRepository } from '../environments/repository.ts';
import { planFor, reconcileEnvironment, type ReconcileDeps } from './reconcile.ts';
import { enqueueReconcile } from './jobs.ts';

export interface Orchestrator {
  /** Enqueues a reconcile for every environment that needs one (after a crash, or on a timer). */
  sweep(options?: { includeReady?: boolean }): Promise<number>;
  stop(): Promise<void>;
}

const quiet: WorkerLogger = new Logger(() => (level: string, message: string) => {
  if (level === 'error') console.error(`[orchestrator] ${message}`);
});

export async function prepareJobQueue(pool: pg.Pool): Promise<void> {
  await runMigrations({ pgPool: pool, logger: quiet });
}

/**
 * The environments a sweep enqueues: those whose plan has work (with `includeReady`, after a
 * start, every ready one too) and that no live run holds. The query only narrows the search
 * (states the planner calls unsettled, environments holding a grant that may lapse); the planner
 * decides for each.
 */
export async function environmentsNeedingWork(
  environments: EnvironmentRepository, drivers: DriverRegistry, now: Date, options: { includeReady?: boolean } = {},
): Promise<string[]> {
  const found: string[] = [];
  for (const id of await environments.sweepCandidates(unsettledStates, options.includeReady ?? false)) {
    const snapshot = await environments.load(id);
    if (!snapshot) continue;
    const routine = options.includeReady && snapshot.environment.status === 'ready';
    if (!routine && !needsWork(planFor(snapshot, drivers, now))) continue;
    // Nobody holds the environment's lock: no live run works on it (a crashed one released it with its connection).
    if (await environments.isBusy(id)) continue;
    found.push(id);
  }
  return found;
}

/**
 * Runs reconcile jobs from the durable queue in PostgreSQL (graphile-worker): a launch or delete
 * is a job committed with the change itself, so it survives a crash of this process.
 */
export async function startOrchestrator(deps: ReconcileDeps & { concurrency?: number; sweepEveryMs?: number }): Promise<Orchestrator> {
  const runner: Runner = await run({
    pgPool: deps.pool,
    concurrency: deps.concurrency ?? 24,
    noHandleSignals: true,
    pollInterval: 2000,
    logger: quiet,
    taskList: {
      reconcile: async (payload) => {
        const { environmentId } = payload as { environmentId: string };
        await reconcileEnvironment(deps, environmentId);
      },
    },
  });

  const environments = deps.environments ?? new PgEnvironmentRepository(deps.pool);
  const now = deps.now ?? (() => new Date());
  const sweep = async (options: { includeReady?: boolean } = {}): Promise<number> => {
    const ids = await environmentsNeedingWork(environments, deps.drivers, now(), options);
    for (const id of ids) await enqueueReconcile(deps.pool, id);
    return ids.length;
  };

  const timer = setInterval(() => {
    sweep().catch((e) => console.error(`[orchestrator] sweep failed: ${(e as Error).message}`));
  }, deps.sweepEveryMs ?? (Number(process.env.GOLDPATH_SWEEP_MS) || 15_000));
  timer.unref();

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await runner.stop();
    },
  };
}
