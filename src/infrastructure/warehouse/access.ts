// Environment grants: a LOGIN role per environment, member of exactly one class role, with its own
// scratch schema, a search_path, a statement timeout and a connection limit. Enforcement is
// PostgreSQL's; this module only issues the DDL. The granted limits and the team are also written
// to the role's comment, which the role cannot change: the watchdog and the login trigger read them.
import type pg from 'pg';
import {
  classRole, classSchema, DATA_CLASSES, envRoleComment, isDataClass, isEnvRoleComment, scratchSchemaOf, type DataClass,
} from './model.ts';
import { scramVerifier } from './scram.ts';
import { databaseOf, ident, inTransaction, literal, withClient, withDatabase } from './sql.ts';

export interface GrantRequest {
  role: string;
  password: string;
  dataClass: DataClass;
  /** The team the environment belongs to: its sessions count against the team's connection cap. */
  team: string;
  connectionLimit?: number;
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
}

export interface Grant {
  role: string;
  database: string;
  searchPath: string[];
  scratchSchema: string;
}

export const DEFAULT_CONNECTION_LIMIT = 10;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 15 * 60_000;
const TEMP_FILE_LIMIT = '5GB'; // superuser-only setting: the role cannot raise it

// Backstage-style entity names; `;` and `=` never appear, so the comment parses unambiguously.
const TEAM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

// ≤ 55 characters so that scratch_<role> stays within PostgreSQL's 63-byte identifiers.
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,54}$/;

export class WarehouseAccessError extends Error {
  override name = 'WarehouseAccessError';
}

function validateRoleName(role: unknown): asserts role is string {
  if (typeof role !== 'string' || !ROLE_NAME.test(role)) {
    throw new WarehouseAccessError(`role: must be a lower-case identifier of 1-55 characters [a-z0-9_], got ${JSON.stringify(role)}`);
  }
  if (role.startsWith('pg_') || role.startsWith('gp_class_') || role.startsWith('gp_warehouse') || role === 'public' || role === 'postgres') {
    throw new WarehouseAccessError(`role: ${role} is reserved; choose another name (e.g. gp_env_<id>)`);
  }
}

function validateGrant(g: GrantRequest): Required<GrantRequest> {
  validateRoleName(g.role);
  if (!isDataClass(g.dataClass)) {
    throw new WarehouseAccessError(`dataClass: must be one of ${DATA_CLASSES.join(', ')}, got ${JSON.stringify(g.dataClass)}`);
  }
  if (typeof g.password !== 'string' || g.password.length < 8 || g.password.length > 512) {
    throw new WarehouseAccessError('password: must be a string of 8 to 512 characters');
  }
  const connectionLimit = g.connectionLimit ?? DEFAULT_CONNECTION_LIMIT;
  if (!Number.isInteger(connectionLimit) || connectionLimit < 1 || connectionLimit > 1000) {
    throw new WarehouseAccessError(`connectionLimit: must be an integer from 1 to 1000, got ${connectionLimit}`);
  }
  if (typeof g.team !== 'string' || !TEAM_NAME.test(g.team)) {
    throw new WarehouseAccessError(`team: must be a team name of 1-63 letters, digits, "_", "." or "-", got ${JSON.stringify(g.team)}`);
  }
  const statementTimeoutMs = g.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  if (!Number.isInteger(statementTimeoutMs) || statementTimeoutMs < 1 || statementTimeoutMs > 2_147_483_647) {
    throw new WarehouseAccessError(`statementTimeoutMs: must be a positive integer (milliseconds), got ${statementTimeoutMs}`);
  }
  const idleInTransactionTimeoutMs = g.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS;
  if (!Number.isInteger(idleInTransactionTimeoutMs) || idleInTransactionTimeoutMs < 1 || idleInTransactionTimeoutMs > 2_147_483_647) {
    throw new WarehouseAccessError(`idleInTransactionTimeoutMs: must be a positive integer (milliseconds), got ${idleInTransactionTimeoutMs}`);
  }
  return { ...g, connectionLimit, statementTimeoutMs, idleInTransactionTimeoutMs };
}

interface RoleInfo {
  oid: number;
  super: boolean;
  comment: string | null;
}

async function roleInfo(c: pg.Client, role: string): Promise<RoleInfo | undefined> {
  const r = await c.query<RoleInfo>(
    `SELECT oid::int AS oid, rolsuper AS super, shobj_description(oid, 'pg_authid') AS comment FROM pg_roles WHERE rolname = $1`,
    [role],
  );
  return r.rows[0];
}

function isEnvRole(info: RoleInfo): boolean {
  return !info.super && isEnvRoleComment(info.comment);
}

/** Serialises grant and revoke of the same role across platform replicas (advisory locks are per database). */
async function lockRole(c: pg.Client, role: string): Promise<void> {
  await c.query(`SELECT pg_advisory_xact_lock(hashtext('goldpath.warehouse.role.' || $1))`, [role]);
}

export async function grantAccess(adminUrl: string, request: GrantRequest): Promise<Grant> {
  const g = validateGrant(request);
  const database = databaseOf(adminUrl);
  const scratchSchema = scratchSchemaOf(g.role);
  const searchPath = [scratchSchema, classSchema(g.dataClass)];
  const role = ident(g.role);
  const verifier = scramVerifier(g.password);

  await withClient(adminUrl, async (c) => {
    const version = Number((await c.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0].v);
    await inTransaction(c, async () => {
      await lockRole(c, g.role);
      const info = await roleInfo(c, g.role);
      if (info && !isEnvRole(info)) {
        throw new WarehouseAccessError(`role: ${g.role} already exists and is not a warehouse environment role; refusing to change it`);
      }
      const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT CONNECTION LIMIT ${g.connectionLimit} PASSWORD ${literal(verifier)}`;
      await c.query(info ? `ALTER ROLE ${role} ${attributes}` : `CREATE ROLE ${role} ${attributes}`);
      const limits = { team: g.team, statementTimeoutMs: g.statementTimeoutMs, idleInTransactionTimeoutMs: g.idleInTransactionTimeoutMs };
      await c.query(`COMMENT ON ROLE ${role} IS ${literal(envRoleComment(limits))}`);
      // Exactly one class: drop memberships of the others (a re-grant may change the class).
      for (const other of DATA_CLASSES) {
        if (other === g.dataClass) continue;
        const member = await c.query(`SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE r.rolname = $1 AND u.rolname = $2`, [classRole(other), g.role]);
        if (member.rowCount) await c.query(`REVOKE ${ident(classRole(other))} FROM ${role}`);
      }
      // PostgreSQL ≥ 16 can grant the privileges without the right to SET ROLE to the class role.
      const options = version >= 160000 ? ' WITH INHERIT TRUE, SET FALSE' : '';
      await c.query(`GRANT ${ident(classRole(g.dataClass))} TO ${role}${options}`);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${ident(scratchSchema)} AUTHORIZATION ${role}`);
      await c.query(`ALTER SCHEMA ${ident(scratchSchema)} OWNER TO ${role}`);
      await c.query(`REVOKE ALL ON SCHEMA ${ident(scratchSchema)} FROM PUBLIC`);
      await c.query(`ALTER ROLE ${role} IN DATABASE ${ident(database)} SET search_path TO ${searchPath.map(ident).join(', ')}`);
      // The role may change these two itself; they give the usual error message, the watchdog the guarantee.
      await c.query(`ALTER ROLE ${role} SET statement_timeout TO ${g.statementTimeoutMs}`);
      await c.query(`ALTER ROLE ${role} SET idle_in_transaction_session_timeout TO ${g.idleInTransactionTimeoutMs}`);
      await c.query(`ALTER ROLE ${role} SET temp_file_limit TO ${literal(TEMP_FILE_LIMIT)}`);
    });
  });
  return { role: g.role, database, searchPath, scratchSchema };
}

export async function roleExists(adminUrl: string, role: string): Promise<boolean> {
  return withClient(adminUrl, async (c) => {
    const r = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    return r.rowCount === 1;
  });
}

export async function revokeAccess(adminUrl: string, role: string): Promise<void> {
  validateRoleName(role);
  const current = databaseOf(adminUrl);
  await withClient(adminUrl, async (c) => {
    const info = await roleInfo(c, role);
    if (!info) return;
    if (!isEnvRole(info)) {
      throw new WarehouseAccessError(`role: ${role} is not a warehouse environment role; refusing to drop it`);
    }
    // No new sessions, then end the ones that exist (waiting up to 5 s for each to go).
    await c.query(`ALTER ROLE ${ident(role)} NOLOGIN`);
    await c.query(`SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()`, [role]);
    // Objects the role may own in other databases (e.g. large objects) would block DROP ROLE.
    const elsewhere = await c.query<{ datname: string }>(
      `SELECT DISTINCT d.datname FROM pg_shdepend s JOIN pg_database d ON d.oid = s.dbid
       WHERE s.refclassid = 'pg_authid'::regclass AND s.refobjid = $1 AND d.datname <> $2 AND d.datallowconn`,
      [info.oid, current],
    );
    for (const { datname } of elsewhere.rows) {
      await withClient(withDatabase(adminUrl, datname), (o) => o.query(`DROP OWNED BY ${ident(role)} CASCADE`));
    }
    await inTransaction(c, async () => {
      await lockRole(c, role);
      if (!(await roleInfo(c, role))) return;
      await c.query(`DROP SCHEMA IF EXISTS ${ident(scratchSchemaOf(role))} CASCADE`);
      await c.query(`DROP OWNED BY ${ident(role)} CASCADE`);
      await c.query(`DROP ROLE ${ident(role)}`);
    });
  });
}
