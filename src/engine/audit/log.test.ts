import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { queryAudit, recordAudit, type AuditEntry } from './log.ts';

let pool: pg.Pool;
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('audit'), max: 4 });
  await migrate(pool);
});
after(() => pool.end());

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: 'mei', action: 'launch', resource: 'Environment::"e1"', team: 'web', decision: 'allow', policies: ['member-launch'], status: 201, ...over,
});

test('the database refuses to update, delete or truncate audit rows, even for its owner', async () => {
  await recordAudit(pool, entry({ detail: 'kept forever' }));
  const count = async () => Number((await pool.query('SELECT count(*) FROM audit_log')).rows[0].count);
  const before = await count();
  await assert.rejects(pool.query(`UPDATE audit_log SET decision = 'deny'`), /append-only: UPDATE is not allowed/);
  await assert.rejects(pool.query('DELETE FROM audit_log'), /append-only: DELETE is not allowed/);
  await assert.rejects(pool.query('TRUNCATE audit_log'), /append-only: TRUNCATE is not allowed/);
  assert.equal(await count(), before);
  const { rows } = await pool.query(`SELECT count(*) FROM audit_log WHERE detail = 'kept forever' AND decision = 'allow'`);
  assert.equal(Number(rows[0].count), 1);
});

test('a recorded entry comes back with its time, decision, policies and status', async () => {
  const t0 = Date.now();
  await recordAudit(pool, entry({ actor: 'sol', action: 'breakGlass', decision: 'deny', policies: ['forbid-break-glass'], status: 403, team: 'payments' }));
  const [row] = (await queryAudit(pool, { user: 'sol', limit: 1 })).entries;
  assert.equal(row.action, 'breakGlass');
  assert.equal(row.decision, 'deny');
  assert.deepEqual(row.policies, ['forbid-break-glass']);
  assert.equal(row.status, 403);
  assert.equal(row.team, 'payments');
  assert.equal(row.detail, null);
  assert.ok(Math.abs(Date.parse(row.at) - t0) < 60_000, row.at);
});

test('an entry that breaks the contract is refused before it reaches the database', async () => {
  await assert.rejects(recordAudit(pool, entry({ actor: '' })));
  await assert.rejects(recordAudit(pool, entry({ decision: 'maybe' as never })));
});

test('queries filter by user, team, action and time, newest first, and page with a cursor', async () => {
  await recordAudit(pool, entry({ actor: 'ana', team: 'data', action: 'read' }));
  await recordAudit(pool, entry({ actor: 'ana', team: 'web', action: 'launch' }));
  await recordAudit(pool, entry({ actor: 'ben', team: 'data', action: 'launch' }));
  await recordAudit(pool, entry({ actor: 'ana', team: 'data', action: 'launch', detail: 'newest' }));

  const ana = await queryAudit(pool, { user: 'ana', limit: 10 });
  assert.deepEqual(ana.entries.map((r) => [r.team, r.action]), [['data', 'launch'], ['web', 'launch'], ['data', 'read']]);
  assert.equal(ana.next, null);

  const data = await queryAudit(pool, { team: 'data', limit: 10 });
  assert.deepEqual(data.entries.map((r) => r.actor), ['ana', 'ben', 'ana']);

  const anaLaunches = await queryAudit(pool, { user: 'ana', action: 'launch', team: 'data', limit: 10 });
  assert.deepEqual(anaLaunches.entries.map((r) => r.detail), ['newest']);

  // Pages: two, then one, then nothing more; no row twice, none skipped.
  const first = await queryAudit(pool, { user: 'ana', limit: 2 });
  assert.equal(first.entries.length, 2);
  assert.ok(first.next);
  const second = await queryAudit(pool, { user: 'ana', limit: 2, cursor: first.next! });
  assert.deepEqual([...first.entries, ...second.entries].map((r) => r.id), ana.entries.map((r) => r.id));
  assert.equal(second.next, null);

  // since: nothing from the future, everything from an hour ago.
  assert.equal((await queryAudit(pool, { user: 'ana', since: new Date(Date.now() + 3_600_000), limit: 10 })).entries.length, 0);
  assert.equal((await queryAudit(pool, { user: 'ana', since: new Date(Date.now() - 3_600_000), limit: 10 })).entries.length, 3);
});

test('a cursor that is not one is refused with a message saying what it must be', async () => {
  await assert.rejects(queryAudit(pool, { cursor: '1; DROP TABLE audit_log', limit: 5 }), /cursor must be the `next` value/);
});

test('newest first holds past ten rows (ids compare as numbers, not as text)', async () => {
  for (let i = 0; i < 12; i++) await recordAudit(pool, entry({ actor: 'order', detail: String(i) }));
  const { entries } = await queryAudit(pool, { user: 'order', limit: 20 });
  assert.deepEqual(entries.map((r) => r.detail), Array.from({ length: 12 }, (_, i) => String(11 - i)));
  const times = entries.map((r) => Date.parse(r.at));
  assert.deepEqual(times, [...times].sort((a, b) => b - a));
});
