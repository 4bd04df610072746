import type pg from 'pg';
import { timingSafeEqual } from 'node:crypto';
import type { BucketGrant } from '../infrastructure/object-store/index.ts';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Git credentials are per repository: only the environment's own username and password open it. */
export function repoAuthorizer(pool: pg.Pool) {
  return async (repo: string, username: string, password: string): Promise<boolean> => {
    const { rows } = await pool.query<{ username: string; password: string }>(
      `SELECT state->>'username' AS username, state->>'password' AS password FROM resources
       WHERE type = 'git-repo' AND state->>'repo' = $1 AND status IN ('ready', 'provisioning')`,
      [repo],
    );
    return rows.some((r) => same(r.username ?? '', username) && same(r.password ?? '', password));
  };
}

/** An access key opens only the bucket of the environment it was issued to, while it exists. */
export function bucketKeyResolver(pool: pg.Pool) {
  return async (accessKeyId: string): Promise<BucketGrant | null> => {
    const { rows } = await pool.query<BucketGrant>(
      `SELECT outputs->>'accessKeyId' AS "accessKeyId", outputs->>'secretAccessKey' AS "secretAccessKey", outputs->>'bucket' AS bucket
       FROM resources WHERE type = 'bucket' AND outputs->>'accessKeyId' = $1 AND status = 'ready'`,
      [accessKeyId],
    );
    return rows[0] ?? null;
  };
}
