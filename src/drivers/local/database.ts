import type pg from 'pg';
import { z } from 'zod';
import { scramVerifier } from '../../infrastructure/warehouse/scram.ts';
import { ident, literal, withClient, withDatabase } from '../../infrastructure/warehouse/sql.ts';
import { defineDriver, PermanentDriverError, type Driver } from '../driver.ts';
import { newPassword } from './secrets.ts';

export interface DatabaseDriverOptions {
  /** A URL of a role that may create databases and roles on the server (the platform's superuser). */
  adminUrl: string;
  /** Host and port the service connects to. */
  host: string;
  port: number;
  /**
   * The server's databases a service's role must never reach: the platform's own, the warehouse,
   * `postgres`. Their CONNECT is taken from PUBLIC at every provision, so nobody's role can be let in by default.
   */
  closed: string[];
}

/** A service's database takes nothing: its name, role and password are the platform's to choose. */
export const databaseParams = z.strictObject({});

export const databaseOutputs = z.strictObject({
  url: z.string().describe('postgres:// URI with the role\'s credentials'),
  host: z.string(),
  port: z.number().int(),
  database: z.string(),
  username: z.string().describe('the LOGIN role that owns the database'),
  password: z.string(),
  jdbcUrl: z.string().describe('jdbc:postgresql:// URL (credentials in username and password)'),
});

/** What a database resource takes and gives on this target; the path loader checks paths against it. */
export const databaseDeclaration = { type: 'database', target: 'local', params: databaseParams, outputs: databaseOutputs };

/** Marks the roles this driver made, so it never alters or drops a role someone else made by that name. */
const ROLE_COMMENT = 'goldpath service database role';
const CONNECTION_LIMIT = 20;

/**
 * A service's own PostgreSQL database and LOGIN role on the platform's server, apart from the
 * warehouse and the platform's database: the role owns its database (and its public schema),
 * nobody else may connect to it, and it may connect to no database of the platform's.
 */
export function databaseDriver(opts: DatabaseDriverOptions): Driver {
  const nameOf = (envId: string, resourceId: string) => `svc_${envId}_${resourceId}`.replaceAll('-', '_').slice(0, 63);
  const admin = <T>(fn: (c: pg.Client) => Promise<T>) => withClient(opts.adminUrl, fn);

  return defineDriver({
    ...databaseDeclaration,
    async provision({ environmentId, resourceId, state }) {
      const name = nameOf(environmentId, resourceId);
      const password = typeof state.password === 'string' ? state.password : newPassword();
      await admin(async (c) => {
        await c.query('BEGIN');
        try {
          await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['goldpath.database.' + name]);
          const { rows } = await c.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [name]);
          if (rows[0] && rows[0].comment !== ROLE_COMMENT) {
            throw new PermanentDriverError(`role ${name} already exists and was not made for a service database; refusing to change it`);
          }
          // The password goes as a SCRAM verifier: the clear text never reaches the server's log.
          const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT CONNECTION LIMIT ${CONNECTION_LIMIT} PASSWORD ${literal(scramVerifier(password))}`;
          await c.query(`${rows[0] ? 'ALTER' : 'CREATE'} ROLE ${ident(name)} ${attributes}`);
          await c.query(`COMMENT ON ROLE ${ident(name)} IS ${literal(ROLE_COMMENT)}`);
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK').catch(() => {});
          throw e;
        }
        // CREATE DATABASE cannot run in a transaction; a repeat finds it made.
        const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (!exists.rowCount) {
          try {
            await c.query(`CREATE DATABASE ${ident(name)} OWNER ${ident(name)}`);
          } catch (e) {
            if ((e as { code?: string }).code !== '42P04') throw e; // made at the same moment by a retry
          }
        }
        await c.query(`ALTER DATABASE ${ident(name)} OWNER TO ${ident(name)}`);
        await c.query(`REVOKE ALL ON DATABASE ${ident(name)} FROM PUBLIC`);
        for (const db of opts.closed) {
          const there = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db]);
          if (there.rowCount) await c.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(db)} FROM PUBLIC`);
        }
        // Checked, not assumed: a grant someone added by hand would otherwise let the service into the platform.
        const open = await c.query<{ datname: string }>(
          `SELECT datname FROM pg_database WHERE datname = ANY($1) AND has_database_privilege($2, datname, 'CONNECT')`, [opts.closed, name]);
        if (open.rowCount) {
          throw new PermanentDriverError(`role ${name} could connect to ${open.rows.map((r) => r.datname).join(', ')}; remove the grants that let it (GRANT CONNECT ... TO PUBLIC or to the role)`);
        }
      });
      // In its own database: the role owns the public schema (PostgreSQL ≥ 15 gives it to the database's owner).
      await withClient(withDatabase(opts.adminUrl, name), async (c) => {
        await c.query(`ALTER SCHEMA public OWNER TO ${ident(name)}`);
        await c.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
      });
      return {
        state: { name, password },
        outputs: {
          url: `postgres://${name}:${password}@${opts.host}:${opts.port}/${name}`,
          host: opts.host,
          port: opts.port,
          database: name,
          username: name,
          password,
          jdbcUrl: `jdbc:postgresql://${opts.host}:${opts.port}/${name}`,
        },
      };
    },
    async status({ environmentId, resourceId }) {
      const name = nameOf(environmentId, resourceId);
      const { rows } = await admin((c) => c.query<{ role: boolean; db: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS role, EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS db`, [name]));
      if (!rows[0].role) return { healthy: false, message: 'role is missing' };
      if (!rows[0].db) return { healthy: false, message: 'database is missing' };
      return { healthy: true };
    },
    async deprovision({ environmentId, resourceId }) {
      const name = nameOf(environmentId, resourceId);
      await admin(async (c) => {
        const { rows } = await c.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`, [name]);
        if (rows[0] && rows[0].comment !== ROLE_COMMENT) throw new PermanentDriverError(`role ${name} was not made for a service database; leaving it`);
        // No new sessions, then the open ones end: a service still running cannot hold the database.
        if (rows[0]) await c.query(`ALTER ROLE ${ident(name)} NOLOGIN`);
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE (datname = $1 OR usename = $1) AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${ident(name)}`);
      });
    },
  });
}
