// Connection caps per team and for all environments together, so that one team cannot take every
// slot of the server (and lock other teams, or the platform, out). Per role, PostgreSQL's own
// CONNECTION LIMIT applies. On PostgreSQL ≥ 17 a `login` event trigger refuses the login that would
// go over a cap; on older servers (and for sessions in other databases, where the trigger does not
// fire) the watchdog terminates the newest sessions over a cap.
import type pg from 'pg';
import { INTERNAL_SCHEMA, limitSql } from './model.ts';

export interface ConnectionCaps {
  /** Sessions of all environment roles of one team together. Default: a quarter of `total`. */
  perTeam?: number;
  /** Sessions of all environment roles together. Default: half of the server's non-reserved slots. */
  total?: number;
}

export const LOGIN_TRIGGER = 'gp_warehouse_connection_caps';
const TRIGGER_FUNCTION = `${INTERNAL_SCHEMA}.refuse_login_over_cap`;

export function validateCaps(caps: ConnectionCaps): void {
  for (const [key, v] of Object.entries(caps)) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 100_000)) {
      throw new Error(`ensureWarehouse: connectionCaps.${key} must be an integer from 1 to 100000, got ${v}`);
    }
  }
}

/**
 * `SELECT team_cap, total_cap`: read from the server's settings at each use, so raising
 * max_connections raises the caps. The other half of the slots is the platform's (its own
 * database is on the same server in the embedded default) and the administrators'.
 */
function capsSelect(caps: ConnectionCaps): string {
  const slots = `current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
                 - coalesce(current_setting('reserved_connections', true)::int, 0)`;
  const total = caps.total ?? `greatest(1, (${slots}) / 2)`;
  const team = caps.perTeam ?? 'greatest(1, x.total / 4)';
  return `SELECT (${team})::int AS team_cap, x.total::int AS total_cap FROM (SELECT (${total}) AS total) x`;
}

/** Client sessions of environment roles with their comment (where the granted limits are). */
export function envSessionsSql(): string {
  return `SELECT a.*, shobj_description(a.usesysid, 'pg_authid') AS grant_comment
          FROM pg_stat_activity a JOIN pg_roles r ON r.oid = a.usesysid
          WHERE a.backend_type = 'client backend' AND NOT r.rolsuper
            AND ${limitSql.isEnv("shobj_description(a.usesysid, 'pg_authid')")}`;
}

/**
 * Creates the caps function (the watchdog reads it) and, on PostgreSQL ≥ 17 with a superuser, the
 * login trigger. Runs inside ensureWarehouse's transaction.
 */
export async function ensureConnectionCaps(c: pg.Client, caps: ConnectionCaps, progress: (m: string) => void): Promise<void> {
  await c.query(`CREATE OR REPLACE FUNCTION ${INTERNAL_SCHEMA}.connection_caps(OUT team_cap int, OUT total_cap int)
    LANGUAGE sql STABLE SET search_path = pg_catalog AS $$ ${capsSelect(caps)} $$`);
  const probe = await c.query<{ version: number; superuser: boolean }>(
    `SELECT current_setting('server_version_num')::int AS version, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`,
  );
  const { version, superuser } = probe.rows[0];
  if (version < 170000 || !superuser) {
    progress(`connection caps per team are enforced by the watchdog only (${version < 170000 ? 'PostgreSQL < 17 has no login triggers' : 'not a superuser'})`);
    return;
  }
  // SECURITY DEFINER (the platform's superuser): the role logging in would see other roles'
  // sessions in pg_stat_activity without their backend type, so parallel workers would count as
  // sessions. It takes no input but session_user, and its search_path is pinned. Everything that
  // could raise is inside the inner block, and an unexpected error lets the login through (the
  // watchdog is the backstop): an error in a login trigger would refuse every login, superusers' too.
  await c.query(`CREATE OR REPLACE FUNCTION ${TRIGGER_FUNCTION}() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
    DECLARE
      me text;
      my_team text;
      team_n int;
      total_n int;
      caps record;
      refusal text;
    BEGIN
      BEGIN
        SELECT shobj_description(r.oid, 'pg_authid') INTO me FROM pg_roles r WHERE r.rolname = session_user AND NOT r.rolsuper;
        IF me IS NULL OR NOT ${limitSql.isEnv('me')} THEN
          RETURN;
        END IF;
        my_team := ${limitSql.team('me')};
        ${capsSelect(caps)} INTO caps;
        SELECT count(*) FILTER (WHERE ${limitSql.team('s.grant_comment')} = my_team), count(*)
          INTO team_n, total_n FROM (${envSessionsSql()}) s;
        -- The counts include this session.
        IF my_team IS NOT NULL AND team_n > caps.team_cap THEN
          refusal := format('team %s already has %s warehouse connections (its cap); close some (idle notebooks, connection pools) and try again', my_team, team_n - 1);
        ELSIF total_n > caps.total_cap THEN
          refusal := format('environments already have %s warehouse connections (the cap for all teams together); close some or try again later', total_n - 1);
        END IF;
      EXCEPTION WHEN OTHERS THEN
        RETURN;
      END;
      IF refusal IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'too_many_connections', MESSAGE = refusal;
      END IF;
    END
    $fn$`);
  await c.query(`REVOKE ALL ON FUNCTION ${TRIGGER_FUNCTION}() FROM PUBLIC`);
  await c.query(`DROP EVENT TRIGGER IF EXISTS ${LOGIN_TRIGGER}`);
  await c.query(`CREATE EVENT TRIGGER ${LOGIN_TRIGGER} ON login EXECUTE FUNCTION ${TRIGGER_FUNCTION}()`);
}
