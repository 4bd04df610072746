import type { Queryable } from '../environments/store.ts';

/**
 * Enqueues a reconcile of one environment. Called inside the transaction that changes the
 * environment's desired state, so the job exists if and only if the change was committed.
 * The job key collapses repeated requests for the same environment into one pending job.
 */
export async function enqueueReconcile(db: Queryable, envId: string): Promise<void> {
  await db.query(
    `SELECT graphile_worker.add_job('reconcile', json_build_object('environmentId', $1::text), job_key => 'env:' || $1::text, max_attempts => 10)`,
    [envId],
  );
}
