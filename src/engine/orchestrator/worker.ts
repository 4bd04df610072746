import { run, runMigrations, type Runner, type Logger as WorkerLogger } from 'graphile-worker';
import { Logger } from 'graphile-worker';
import type pg from 'pg';
import { reconcileEnvironment, type ReconcileDeps } from './reconcile.ts';
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

  const sweep = async (options: { includeReady?: boolean } = {}): Promise<number> => {
    const { rows } = await deps.pool.query<{ id: string }>(
      `SELECT id FROM environments
       WHERE (desired = 'deleted' AND status <> 'deleted')
          OR (desired = 'stopped' AND status NOT IN ('stopped', 'failed'))
          OR (desired = 'ready' AND status IN ('requested', 'provisioning', 'deleting'))
          OR ($1 AND desired = 'ready' AND status = 'ready')
          OR id IN (SELECT environment_id FROM approvals WHERE status = 'approved' AND revoked_at IS NULL AND expires_at < now())`,
      [options.includeReady ?? false],
    );
    let queued = 0;
    for (const { id } of rows) {
      // Nobody holds the environment's lock: no live run works on it (a crashed one released it with its connection).
      const client = await deps.pool.connect();
      try {
        const { rows: got } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', ['env:' + id]);
        if (!got[0].ok) continue;
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['env:' + id]);
        await enqueueReconcile(client, id);
        queued++;
      } finally {
        client.release();
      }
    }
    return queued;
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
