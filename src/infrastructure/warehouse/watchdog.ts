// statement_timeout is a user-settable parameter: PostgreSQL lets any session change it, so an env
// role could `SET statement_timeout = 0`. This backstop cancels statements of environment roles
// that run longer than the timeout the platform set for the role; the platform calls it
// periodically (e.g. every few seconds).
import { ENV_ROLE_MARKER } from './model.ts';
import { withClient } from './sql.ts';

export async function enforceStatementTimeouts(adminUrl: string): Promise<{ cancelled: number }> {
  return withClient(adminUrl, async (c) => {
    const r = await c.query<{ cancelled: number }>(
      `WITH limits AS (
         SELECT r.rolname, split_part(cfg, '=', 2)::bigint AS ms
         FROM pg_roles r
         JOIN pg_db_role_setting s ON s.setrole = r.oid AND s.setdatabase = 0
         CROSS JOIN LATERAL unnest(s.setconfig) AS cfg
         WHERE shobj_description(r.oid, 'pg_authid') = $1 AND cfg ~ '^statement_timeout=[0-9]+$'
       )
       SELECT count(*) FILTER (WHERE pg_cancel_backend(a.pid))::int AS cancelled
       FROM pg_stat_activity a JOIN limits l ON l.rolname = a.usename
       WHERE a.state = 'active' AND l.ms > 0 AND clock_timestamp() - a.query_start > l.ms * interval '1 millisecond'`,
      [ENV_ROLE_MARKER],
    );
    return { cancelled: r.rows[0].cancelled };
  });
}
