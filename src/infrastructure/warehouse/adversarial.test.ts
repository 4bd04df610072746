// An environment role trying to get around its data class. Every attempt must be refused by
// PostgreSQL itself. docs/warehouse.md lists these attempts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase, testAdminUrl } from '../../../test/support/database.ts';
import { enforceWarehouseLimits, ensureWarehouse, grantAccess, revokeAccess, roleExists } from './index.ts';
import { connectAs, newPassword, sqlState, uniqueRole } from './testing.ts';
import { withClient, withDatabase } from './sql.ts';

const DENIED = '42501'; // insufficient_privilege
const NO_FUNCTION = '42883'; // undefined_function

let adminUrl: string;
const roles: Record<'synthetic' | 'masked', { role: string; password: string; c: pg.Client }> = {} as never;

before(async () => {
  adminUrl = await createTestDatabase('wha');
  await ensureWarehouse(adminUrl, { scale: 0.1 });
  for (const dataClass of ['synthetic', 'masked'] as const) {
    const role = uniqueRole();
    const password = newPassword();
    await grantAccess(adminUrl, { role, password, dataClass, team: 'churn-analytics', statementTimeoutMs: 500 });
    roles[dataClass] = { role, password, c: await connectAs(adminUrl, role, password) };
  }
});

after(async () => {
  for (const { role, c } of Object.values(roles)) {
    await c.end().catch(() => {});
    await revokeAccess(adminUrl, role);
  }
});

/** Asserts that each statement fails with the expected SQLSTATE for both the synthetic and masked role. */
async function deniedForAll(statements: string[], code = DENIED): Promise<void> {
  for (const [dataClass, { c }] of Object.entries(roles)) {
    for (const sql of statements) {
      await c.query('BEGIN');
      const state = await sqlState(() => c.query(sql));
      await c.query('ROLLBACK');
      assert.equal(state, code, `${dataClass} role: ${sql} → ${state}`);
    }
  }
}

describe('an environment role cannot reach data outside its class', () => {
  test('schema-qualified names of other classes are refused', async () => {
    await deniedForAll(['SELECT * FROM sensitive.customers', 'SELECT * FROM sensitive.cards', 'SELECT salt FROM gp_warehouse.salt']);
    const s = roles.synthetic.c;
    assert.equal(await sqlState(() => s.query('SELECT * FROM masked.customers')), DENIED);
    const m = roles.masked.c;
    assert.equal(await sqlState(() => m.query('SELECT * FROM synthetic.customers')), DENIED);
  });

  test('SET ROLE / SET SESSION AUTHORIZATION to a class role, the view owner or postgres is refused', async () => {
    await deniedForAll([
      'SET ROLE gp_class_sensitive',
      'SET ROLE gp_class_masked',
      'SET ROLE gp_class_synthetic',
      'SET ROLE gp_warehouse_masker',
      'SET ROLE postgres',
      'SET SESSION AUTHORIZATION postgres',
    ]);
  });

  test('granting itself more, or changing its own limits, is refused', async () => {
    const { role } = roles.synthetic;
    await deniedForAll([
      `GRANT gp_class_sensitive TO CURRENT_USER`,
      `GRANT gp_warehouse_masker TO CURRENT_USER`,
      `ALTER ROLE CURRENT_USER SUPERUSER`,
      `ALTER ROLE CURRENT_USER BYPASSRLS`,
      `ALTER ROLE CURRENT_USER CONNECTION LIMIT -1`,
      `ALTER ROLE CURRENT_USER SET temp_file_limit = -1`,
      `SET temp_file_limit = -1`,
      // Login triggers (the connection caps) are switched off only by a superuser-only setting.
      `ALTER ROLE CURRENT_USER SET event_triggers = off`,
      `SET event_triggers = off`,
      `DROP EVENT TRIGGER gp_warehouse_connection_caps`,
      `ALTER EVENT TRIGGER gp_warehouse_connection_caps DISABLE`,
      `CREATE ROLE ${role}_friend LOGIN PASSWORD 'x'`,
    ]);
    // The granted limits and the team live in the role's comment, which only a superuser may change.
    for (const [dataClass, env] of Object.entries(roles)) {
      const sql = `COMMENT ON ROLE ${env.role} IS 'goldpath warehouse environment role; team=other; statement_timeout_ms=999999999'`;
      assert.equal(await sqlState(() => env.c.query(sql)), DENIED, `${dataClass} role: ${sql}`);
    }
  });

  test('creating objects outside its scratch schema is refused', async () => {
    await deniedForAll([
      'CREATE TABLE public.evil (x int)',
      'CREATE TABLE synthetic.evil (x int)',
      'CREATE TABLE sensitive.evil (x int)',
      'CREATE VIEW masked.evil AS SELECT 1 AS x',
      'CREATE FUNCTION public.evil() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$',
      'CREATE SCHEMA evil',
      'CREATE TEMP TABLE evil (x int)',
      'ALTER TABLE synthetic.customers ADD COLUMN evil int',
      'ALTER VIEW masked.customers OWNER TO CURRENT_USER',
    ]);
    // ...and another environment's scratch schema is as closed as a shared one.
    const other = roles.masked;
    await other.c.query('CREATE TABLE IF NOT EXISTS notes AS SELECT 1 AS x');
    assert.equal(await sqlState(() => roles.synthetic.c.query(`SELECT * FROM scratch_${other.role}.notes`)), DENIED);
    assert.equal(await sqlState(() => roles.synthetic.c.query(`CREATE TABLE scratch_${other.role}.evil (x int)`)), DENIED);
  });

  test('COPY to or from programs and server files is refused', async () => {
    await deniedForAll([`COPY (SELECT 1) TO PROGRAM 'id'`, `COPY (SELECT 1) TO '/tmp/goldpath-evil'`]);
    for (const { c } of Object.values(roles)) {
      await c.query('CREATE TABLE IF NOT EXISTS evil_copy (line text)');
      assert.equal(await sqlState(() => c.query(`COPY evil_copy FROM PROGRAM 'cat /etc/passwd'`)), DENIED);
      assert.equal(await sqlState(() => c.query(`COPY evil_copy FROM '/etc/passwd'`)), DENIED);
    }
  });

  test('server file functions and large-object import/export are refused', async () => {
    await deniedForAll([
      `SELECT pg_read_file('/etc/passwd')`,
      `SELECT pg_read_binary_file('/etc/passwd')`,
      `SELECT pg_ls_dir('.')`,
      `SELECT pg_stat_file('postgresql.conf')`,
      `SELECT lo_import('/etc/passwd')`,
      `SELECT lo_export(lo_create(0), '/tmp/goldpath-evil')`,
    ]);
  });

  test('dblink, foreign data wrappers and untrusted languages cannot be installed or called', async () => {
    await deniedForAll([
      'CREATE EXTENSION dblink',
      'CREATE EXTENSION postgres_fdw',
      'CREATE EXTENSION file_fdw',
      'CREATE EXTENSION plpython3u',
      'CREATE LANGUAGE plpython3u',
    ]);
    await deniedForAll([`SELECT dblink_connect('host=127.0.0.1 user=postgres dbname=postgres')`], NO_FUNCTION);
  });

  test('password hashes and raw statistics are out of reach', async () => {
    await deniedForAll(['SELECT * FROM pg_authid', 'SELECT * FROM pg_shadow', 'SELECT * FROM pg_statistic', 'SELECT * FROM pg_user_mapping']);
    // pg_stats shows only columns the role can read: no most-common e-mails of the raw table.
    for (const { c } of Object.values(roles)) {
      const r = await c.query(`SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = 'sensitive'`);
      assert.equal(r.rows[0].n, 0);
    }
  });

  test('a SECURITY DEFINER function runs as the env role itself, and cannot be given to a privileged owner', async () => {
    for (const { c } of Object.values(roles)) {
      // A SQL body is checked when created, as the creator: refused already.
      const create = `CREATE OR REPLACE FUNCTION steal() RETURNS SETOF text LANGUAGE sql SECURITY DEFINER AS $$ SELECT email FROM sensitive.customers $$`;
      assert.equal(await sqlState(() => c.query(create)), DENIED);
      // A dynamic body is checked when called, still as the env role that owns the function.
      await c.query(`CREATE OR REPLACE FUNCTION steal_later() RETURNS SETOF text LANGUAGE plpgsql SECURITY DEFINER
                     AS $$ BEGIN RETURN QUERY EXECUTE 'SELECT email FROM sensitive.customers'; END $$`);
      assert.equal(await sqlState(() => c.query(`SELECT * FROM steal_later()`)), DENIED);
      for (const owner of ['postgres', 'gp_class_sensitive', 'gp_warehouse_masker']) {
        assert.equal(await sqlState(() => c.query(`ALTER FUNCTION steal_later() OWNER TO ${owner}`)), DENIED, owner);
      }
    }
  });

  test('a leaky function cannot see the rows the row filter leaves out', async () => {
    const { c } = roles.masked;
    const minors = await withClient(adminUrl, async (a) =>
      (await a.query<{ id: number }>(`SELECT customer_id AS id FROM sensitive.customers WHERE date_of_birth > current_date - interval '18 years'`)).rows.map((r) => r.id),
    );
    assert.ok(minors.length > 0);
    // Cheap and leakproof-looking: over a plain view the planner would run it before the view's filter.
    await c.query(`CREATE OR REPLACE FUNCTION peek(id int) RETURNS boolean LANGUAGE plpgsql COST 0.0000001
                   AS $$ BEGIN RAISE NOTICE 'saw %', id; RETURN true; END $$`);
    const seen = new Set<number>();
    const onNotice = (n: { message?: string }) => seen.add(Number(n.message?.replace('saw ', '')));
    c.on('notice', onNotice);
    await c.query('SELECT count(*) FROM masked.customers WHERE peek(customer_id)');
    c.off('notice', onNotice);
    assert.ok(seen.size > 0);
    assert.deepEqual(minors.filter((id) => seen.has(id)), []);
  });

  test('the masked views reveal neither the salt nor a way to act as their owner', async () => {
    const { c } = roles.masked;
    const salt = await withClient(adminUrl, async (a) => (await a.query(`SELECT salt FROM gp_warehouse.salt`)).rows[0].salt as string);
    const def = await c.query(`SELECT string_agg(pg_get_viewdef(oid), ' ') AS d FROM pg_class WHERE relnamespace = 'masked'::regnamespace`);
    assert.ok(!def.rows[0].d.includes(salt));
    const owner = await withClient(adminUrl, async (a) =>
      (await a.query(`SELECT rolcanlogin, (SELECT count(*)::int FROM pg_auth_members WHERE roleid = r.oid) AS members FROM pg_roles r WHERE rolname = 'gp_warehouse_masker'`)).rows[0],
    );
    assert.deepEqual(owner, { rolcanlogin: false, members: 0 });
  });

  test('EXPLAIN ANALYZE on the masked data does not tell which rows the row filter hides', async () => {
    const { c } = roles.masked;
    const { minor, account } = await withClient(adminUrl, async (a) => (await a.query(
      `SELECT min(c.customer_id) AS minor, min(a.account_id) AS account FROM sensitive.customers c
       LEFT JOIN sensitive.accounts a USING (customer_id) WHERE c.date_of_birth > current_date - interval '18 years'`,
    )).rows[0] as { minor: number; account: number });
    assert.ok(minor && account, 'the seed has minors with accounts');
    // Timings, buffer counts and memory differ from run to run; everything else must be equal.
    const plan = async (sql: string) =>
      (await c.query(`EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF, BUFFERS OFF) ${sql}`)).rows
        .map((r) => r['QUERY PLAN'] as string).join('\n').replace(/Memory Usage: \d+kB|Storage: .*/g, '');
    for (const [table, key, hidden] of [['customers', 'customer_id', minor], ['accounts', 'account_id', account]] as const) {
      const ofHidden = await plan(`SELECT * FROM masked.${table} WHERE ${key} = ${hidden}`);
      const ofNobody = await plan(`SELECT * FROM masked.${table} WHERE ${key} = 999999999`);
      // Only the masked data is scanned: whatever the plan counts (here, rows the query's own
      // condition removes) is about rows the class sees anyway.
      assert.doesNotMatch(ofHidden, /sensitive\./, ofHidden);
      assert.equal(ofHidden.replace(String(hidden), '<id>'), ofNobody.replace('999999999', '<id>'));
      const whole = await plan(`SELECT count(*) FROM masked.${table}`);
      assert.doesNotMatch(whole, /sensitive\.|Rows Removed by Filter/, whole);
    }
  });

  test('signalling other sessions (the platform’s, another environment’s) is refused', async () => {
    const admin = new pg.Client(adminUrl);
    await admin.connect();
    try {
      const pid = (await admin.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      await deniedForAll([`SELECT pg_terminate_backend(${pid})`, `SELECT pg_cancel_backend(${pid})`]);
      const otherPid = (await roles.masked.c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      assert.equal(await sqlState(() => roles.synthetic.c.query(`SELECT pg_terminate_backend(${otherPid})`)), DENIED);
    } finally {
      await admin.end();
    }
  });

  test('a statement running past the role’s timeout is cancelled, even if the session raised its own timeout', async () => {
    const { c } = roles.synthetic;
    assert.equal(await sqlState(() => c.query('SELECT pg_sleep(3)')), '57014');
    // statement_timeout is user-settable in PostgreSQL; the platform's watchdog is the backstop.
    await c.query('SET statement_timeout = 0');
    const long = sqlState(() => c.query('SELECT pg_sleep(10)'));
    await new Promise((r) => setTimeout(r, 800));
    const { cancelled } = await enforceWarehouseLimits(adminUrl);
    assert.equal(cancelled, 1);
    assert.equal(await long, '57014');
    await c.query('RESET statement_timeout');
  });

  test('objects the role leaves in another database do not stop revoke', async () => {
    const role = uniqueRole();
    const password = newPassword();
    await grantAccess(adminUrl, { role, password, dataClass: 'synthetic', team: 'churn-analytics' });
    const elsewhere = await connectAs(withDatabase(testAdminUrl(), 'postgres'), role, password);
    await elsewhere.query('SELECT lo_create(0)');
    await elsewhere.end();
    await revokeAccess(adminUrl, role);
    assert.equal(await roleExists(adminUrl, role), false);
  });
});
