// Holds environment roles to what their grant allows, whatever they set for themselves: a role may
// `SET statement_timeout = 0`, even `ALTER ROLE <self> SET ...`, because those are user-settable
// parameters. The granted limits are read from the role's comment (only a superuser can change it).
// One query per round: cancel statements running past the granted statement time, terminate
// sessions idle in a transaction past the granted time, and terminate the newest sessions over a
// team's or the total connection cap (the login trigger refuses those on PostgreSQL ≥ 17; this
// catches older servers and sessions in other databases). The platform runs a round every second.
import pg from 'pg';
import { envSessionsSql } from './connections.ts';
import { INTERNAL_SCHEMA, limitSql } from './model.ts';

export interface WatchdogRound {
  /** Statements cancelled for running longer than granted. */
  cancelled: number;
  /** Sessions terminated for sitting idle in a transaction longer than granted. */
  idleTerminated: number;
  /** Sessions terminated for being over their team's or the total connection cap. */
  overCapTerminated: number;
}

// A session still logging in is left to the login trigger, which refuses it with a message that
// says why; terminating it meanwhile would only say "administrator command".
const LOGIN_GRACE_SECONDS = 2;

const ROUND_SQL = `
  WITH env AS (
    SELECT pid, state, query_start, state_change, backend_start,
           ${limitSql.team('grant_comment')} AS team,
           ${limitSql.statementMs('grant_comment')} AS statement_ms,
           ${limitSql.idleMs('grant_comment')} AS idle_ms,
           row_number() OVER (PARTITION BY ${limitSql.team('grant_comment')} ORDER BY backend_start, pid) AS team_rank,
           row_number() OVER (ORDER BY backend_start, pid) AS total_rank
    FROM (${envSessionsSql()}) s
  ), verdicts AS (
    SELECT pid, CASE
      WHEN ((team IS NOT NULL AND team_rank > caps.team_cap) OR total_rank > caps.total_cap)
           AND backend_start < now() - interval '${LOGIN_GRACE_SECONDS} seconds' THEN 'over_cap'
      WHEN state LIKE 'idle in transaction%' AND now() - state_change > idle_ms * interval '1 millisecond' THEN 'idle'
      WHEN state = 'active' AND now() - query_start > statement_ms * interval '1 millisecond' THEN 'statement'
    END AS verdict
    FROM env CROSS JOIN ${INTERNAL_SCHEMA}.connection_caps() caps
  )
  SELECT verdict, count(*) FILTER (WHERE CASE verdict WHEN 'statement' THEN pg_cancel_backend(pid) ELSE pg_terminate_backend(pid) END)::int AS n
  FROM verdicts WHERE verdict IS NOT NULL GROUP BY verdict`;

function roundOf(rows: { verdict: string; n: number }[]): WatchdogRound {
  const n = (v: string) => rows.find((r) => r.verdict === v)?.n ?? 0;
  return { cancelled: n('statement'), idleTerminated: n('idle'), overCapTerminated: n('over_cap') };
}

export interface Watchdog {
  /** One round: a single prepared query on a kept connection (reopened after an error). */
  round(): Promise<WatchdogRound>;
  close(): Promise<void>;
}

/** A watchdog on one kept connection, so a round every second costs one short query, not a login. */
export function warehouseWatchdog(adminUrl: string): Watchdog {
  let client: pg.Client | undefined;
  let closed = false;
  let running: Promise<WatchdogRound> | undefined;
  const drop = async () => {
    const c = client;
    client = undefined;
    await c?.end().catch(() => {});
  };
  return {
    round() {
      // A slow round (a busy server) is shared by the calls that arrive meanwhile, not stacked.
      running ??= once().finally(() => { running = undefined; });
      return running;
    },
    async close() {
      closed = true;
      await running?.catch(() => {});
      await drop();
    },
  };

  async function once(): Promise<WatchdogRound> {
    if (closed) throw new Error('the warehouse watchdog is closed');
    try {
      if (!client) {
        const c = new pg.Client({ connectionString: adminUrl, application_name: 'goldpath-warehouse-watchdog' });
        // A lost connection is noticed by the next round; the error event must not crash the process.
        c.on('error', () => { if (client === c) void drop(); });
        await c.connect().catch(async (err: unknown) => {
          await c.end().catch(() => {});
          throw err;
        });
        client = c;
      }
      const r = await client.query<{ verdict: string; n: number }>({ name: 'goldpath_warehouse_watchdog', text: ROUND_SQL });
      return roundOf(r.rows);
    } catch (err) {
      await drop();
      throw err;
    }
  }
}

/** One round on a connection of its own (for callers that run it rarely). */
export async function enforceWarehouseLimits(adminUrl: string): Promise<WatchdogRound> {
  const w = warehouseWatchdog(adminUrl);
  try {
    return await w.round();
  } finally {
    await w.close();
  }
}
