import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { shippedPolicies } from '../../test/support/policies.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { seedDemoOrganisation } from '../engine/identity/demo-organisation.ts';
import { getUser, type User } from '../engine/identity/users.ts';
import { createBareRepo } from '../infrastructure/git-http/repos.ts';
import { ensureWarehouse, grantAccess, type DataClass } from '../infrastructure/warehouse/index.ts';
import { roleUrl, newPassword } from '../infrastructure/warehouse/testing.ts';
import { withClient } from '../infrastructure/warehouse/sql.ts';
import type { Decision } from '../domain/policy/decision.ts';
import { newApiApp } from './errors.ts';
import type { Env } from './openapi.ts';
import { registerSqlRoutes } from './sql-routes.ts';

let pool: pg.Pool;
let warehouseUrl: string;
let reposDir: string;
let app: ReturnType<typeof newApiApp<Env>>;
const decisions: Decision[] = [];
const announced: string[] = [];

/** An environment of dana's (churn-analytics) with a real grant of `dataClass` and a real repository. */
async function environment(id: string, dataClass: DataClass, owner = 'dana', team = 'churn-analytics'): Promise<void> {
  const role = `gp_${id}_warehouse`;
  const password = newPassword();
  await grantAccess(warehouseUrl, { role, password, dataClass, team });
  const repo = `${id}-queries`;
  await createBareRepo(reposDir, repo, { 'README.md': '# queries\n', 'queries/first.sql': 'SELECT 1;\n' });
  await pool.query(`INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired, data_class)
    VALUES ($1, $2, 'sql-data-querying', '1', $3, $4, 'ready', 'ready', $5)`, [id, `${dataClass}-sql`, team, owner, dataClass]);
  await pool.query(`INSERT INTO resources (environment_id, id, type, wave, status, outputs) VALUES
    ($1, 'warehouse', 'warehouse', 0, 'ready', $2), ($1, 'queries', 'git-repo', 0, 'ready', $3)`,
  [id, { url: roleUrl(warehouseUrl, role, password), username: role, password, dataClass }, { name: repo, url: 'http://x/git/repo.git' }]);
}

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('sqlapi'), max: 4 });
  warehouseUrl = await createTestDatabase('sqlwh');
  reposDir = mkdtempSync(join(tmpdir(), 'goldpath-sql-'));
  await Promise.all([migrate(pool).then(() => seedDemoOrganisation(pool)), ensureWarehouse(warehouseUrl)]);
  await environment('e000000sq1', 'masked');
  await environment('e000000sq2', 'synthetic');
  app = newApiApp<Env>();
  app.use('*', async (c, next) => {
    c.set('user', (await getUser(pool, c.req.header('x-as') ?? 'dana')) as User);
    c.set('policy', shippedPolicies());
    await next();
    const d = c.get('decision');
    if (d) decisions.push(d);
  });
  registerSqlRoutes(app, { pool, sqlConsole: { reposDir, timeoutMs: 1500, announcePush: async (repo) => { announced.push(repo); } } });
});
after(async () => {
  await pool.end();
  rmSync(reposDir, { recursive: true, force: true });
});

const sql = async (env: string, body: Record<string, unknown>, opts: { as?: string; query?: string; accept?: string } = {}) => {
  const res = await app.request(`/api/v1/environments/${env}/sql${opts.query ?? ''}`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-as': opts.as ?? 'dana', ...(opts.accept ? { accept: opts.accept } : {}) }, body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
};

test('a query runs as the environment\'s own role: a masked grant sees masked values, never raw ones', async () => {
  const r = await sql('e000000sq1', { sql: 'SELECT current_user, full_name, email FROM customers ORDER BY customer_id', limit: 5 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.columns.map((c: { name: string }) => c.name), ['current_user', 'full_name', 'email']);
  assert.equal(r.body.rowCount, 5);
  assert.equal(r.body.truncated, true, 'more rows than the page');
  for (const [who, name, email] of r.body.rows) {
    assert.equal(who, 'gp_e000000sq1_warehouse');
    assert.equal(name, '[redacted]');
    assert.match(email, /^[0-9a-f]{16}$/, 'e-mails are hashed');
  }
  const raw = await withClient(warehouseUrl, async (c) => (await c.query('SELECT email FROM sensitive.customers LIMIT 50')).rows.map((x) => x.email as string));
  assert.ok(!raw.some((e) => r.text.includes(e)), 'no raw e-mail in the answer');
  const refused = await sql('e000000sq1', { sql: 'SELECT * FROM sensitive.customers' });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.message, /PostgreSQL: permission denied for schema sensitive/);
  assert.equal(decisions.at(-1)?.action, 'queryWarehouse', 'the decision is left for the audit trail');
});

test('pages follow each other with offset, and values are PostgreSQL\'s exact text', async () => {
  const all = await sql('e000000sq2', { sql: 'SELECT n, n::numeric / 3 AS third, NULL::text AS nothing FROM generate_series(1, 25) n', limit: 10 });
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.body.columns, [{ name: 'n', type: 'integer' }, { name: 'third', type: 'numeric' }, { name: 'nothing', type: 'text' }]);
  assert.deepEqual(all.body.rows[0], ['1', '0.33333333333333333333', null]);
  const last = await sql('e000000sq2', { sql: 'SELECT n FROM generate_series(1, 25) n', limit: 10, offset: 20 });
  assert.deepEqual(last.body.rows.map((r: string[]) => r[0]), ['21', '22', '23', '24', '25']);
  assert.equal(last.body.truncated, false);
  const show = await sql('e000000sq2', { sql: '-- what do I read?\nSHOW search_path;' });
  assert.equal(show.status, 200, show.text);
  assert.match(show.body.rows[0][0], /synthetic/);
});

test('the console is read-only: writes, a second statement, role changes and COPY TO PROGRAM are refused', async () => {
  const attempts: [string, RegExp][] = [
    ['CREATE TABLE mine AS SELECT 1 AS x', /read-only/],
    ['COMMIT; DROP TABLE customers', /one SQL statement at a time/],
    ['SELECT 1; CREATE TABLE sneaky (x int)', /one SQL statement at a time/],
    ['SET ROLE gp_class_sensitive', /permission denied to set role/],
    ['SET SESSION AUTHORIZATION postgres', /permission denied/],
    ['COPY (SELECT 1) TO PROGRAM \'id\'', /COPY is not available in the SQL console/],
    ['/* hidden */ copy customers TO STDOUT', /COPY is not available in the SQL console/],
    ['DO $$ BEGIN CREATE TABLE sneaky (x int); END $$', /read-only/],
    ['SET TRANSACTION READ WRITE', /read-write|READ WRITE|before any query/i],
    ['WITH gone AS (DELETE FROM customers RETURNING 1) SELECT * FROM gone', /read-only|data-modifying|permission denied/],
  ];
  for (const [text, message] of attempts) {
    const r = await sql('e000000sq2', { sql: text });
    assert.equal(r.status, 400, `${text}: ${r.text}`);
    assert.match(r.body.error.message, message, text);
  }
  // Statements that do nothing harmful still leave nothing behind: the next query is as before.
  assert.equal((await sql('e000000sq2', { sql: 'RESET SESSION AUTHORIZATION' })).status, 200);
  assert.equal((await sql('e000000sq2', { sql: 'COMMIT' })).status, 200);
  const who = await sql('e000000sq2', { sql: 'SELECT current_user, current_setting(\'transaction_read_only\')' });
  assert.deepEqual(who.body.rows, [['gp_e000000sq2_warehouse', 'on']]);
  const tables = await withClient(warehouseUrl, async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('mine', 'sneaky')`)).rows[0].n);
  assert.equal(tables, 0, 'no table was created');
});

test('a query past the time limit is cancelled with a clear message, even if it lifts its own timeout', async () => {
  for (const text of ['SELECT pg_sleep(10)', "SELECT set_config('statement_timeout', '0', true), pg_sleep(10)"]) {
    const started = Date.now();
    const r = await sql('e000000sq2', { sql: text });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.code, 'query_timeout');
    assert.match(r.body.error.message, /longer than the console's limit of 1\.5 s/);
    assert.ok(Date.now() - started < 5000, `${text} ended in ${Date.now() - started} ms`);
  }
});

test('errors are PostgreSQL\'s message, for people, with no password in them', async () => {
  const r = await sql('e000000sq2', { sql: 'SELECT nope FROM customers' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /PostgreSQL: column "nope" does not exist \(at character 8\) \[42703\]/);
  const empty = await sql('e000000sq2', { sql: '  ;  ' });
  assert.equal(empty.status, 400);
  assert.match(empty.body.error.message, /write one SQL statement/);
  const bad = await sql('e000000sq2', { sql: 'SELECT 1', limit: 5000 });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /limit/);
  const password = (await pool.query(`SELECT outputs->>'password' AS p FROM resources WHERE environment_id = 'e000000sq2' AND id = 'warehouse'`)).rows[0].p as string;
  assert.ok(![r.text, empty.text, bad.text].some((t) => t.includes(password)));
});

test('another team\'s member and an admin outside the team are refused with the policy\'s reason', async () => {
  for (const who of ['mei', 'priya']) {
    const r = await sql('e000000sq1', { sql: 'SELECT 1' }, { as: who });
    assert.equal(r.status, 403, r.text);
    assert.match(r.body.error.message, new RegExp(`${who} may not queryWarehouse .*only its owner and team use`));
  }
  const teammate = await sql('e000000sq1', { sql: 'SELECT 1' }, { as: 'ravi' });
  assert.equal(teammate.status, 200, 'a teammate may query a masked grant');
});

test('CSV export streams every row with a header, quoted as CSV wants', async () => {
  const r = await sql('e000000sq2', { sql: `SELECT n, 'a,"b"' AS text FROM generate_series(1, 3000) n` }, { query: '?format=csv' });
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') ?? '', /text\/csv/);
  assert.match(r.headers.get('content-disposition') ?? '', /attachment; filename="synthetic-sql-query\.csv"/);
  const lines = r.text.trimEnd().split('\r\n');
  assert.equal(lines.length, 3001);
  assert.equal(lines[0], 'n,text');
  assert.equal(lines[3000], '3000,"a,""b"""');
  const byAccept = await sql('e000000sq2', { sql: 'SELECT 1 AS one' }, { accept: 'text/csv' });
  assert.equal(byAccept.text, 'one\r\n1\r\n');
  const refused = await sql('e000000sq2', { sql: 'DROP TABLE customers' }, { query: '?format=csv' });
  assert.equal(refused.status, 400, 'a bad statement is refused before the download starts');
});

test('a saved query is a commit on main, authored by the user, and appears in a clone and in the list', async () => {
  const save = await app.request('/api/v1/environments/e000000sq1/queries', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-as': 'dana' }, body: JSON.stringify({ name: 'churn-by-region', sql: 'SELECT region, avg(churned::int) FROM customers GROUP BY 1' }),
  });
  const saved = await save.json();
  assert.equal(save.status, 201, JSON.stringify(saved));
  assert.equal(saved.path, 'queries/churn-by-region.sql');
  assert.deepEqual(announced, ['e000000sq1-queries'], 'the push listeners heard of it');
  const clone = join(reposDir, 'clone');
  execFileSync('git', ['clone', '--quiet', join(reposDir, 'e000000sq1-queries.git'), clone]);
  assert.equal(readFileSync(join(clone, 'queries/churn-by-region.sql'), 'utf8'), 'SELECT region, avg(churned::int) FROM customers GROUP BY 1\n');
  assert.equal(readFileSync(join(clone, 'queries/first.sql'), 'utf8'), 'SELECT 1;\n', 'the files already there are kept');
  assert.equal(execFileSync('git', ['-C', clone, 'log', '-1', '--format=%an <%ae>|%s']).toString().trim(), 'Dana Whitfield <dana@example.org>|Save query churn-by-region from the SQL console');
  const list = await (await app.request('/api/v1/environments/e000000sq1/queries', { headers: { 'x-as': 'dana' } })).json();
  assert.deepEqual(list.queries.map((q: { name: string }) => q.name), ['churn-by-region', 'first']);
  const bad = await app.request('/api/v1/environments/e000000sq1/queries', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-as': 'dana' }, body: JSON.stringify({ name: '../escape', sql: 'SELECT 1' }),
  });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /name: use 1-64 lower-case letters/);
  const stranger = await app.request('/api/v1/environments/e000000sq1/queries', {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-as': 'mei' }, body: JSON.stringify({ name: 'mine', sql: 'SELECT 1' }),
  });
  assert.equal(stranger.status, 403);
});

test('the schema list shows what the grant reads, as PostgreSQL reports it to the role', async () => {
  const res = await app.request('/api/v1/environments/e000000sq1/sql/schema', { headers: { 'x-as': 'dana' } });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.dataClass, 'masked');
  const names = body.relations.map((r: { schema: string; name: string }) => `${r.schema}.${r.name}`);
  assert.ok(names.includes('masked.customers'), names.join(', '));
  assert.ok(!names.some((n: string) => n.startsWith('sensitive.') || n.startsWith('synthetic.')));
  const customers = body.relations.find((r: { name: string }) => r.name === 'customers');
  assert.ok(customers.columns.some((c: { name: string }) => c.name === 'email'));
});
