// The limits a grant gives hold whatever the role sets for itself, and one team cannot take every
// warehouse connection. A real PostgreSQL (≥ 17 for the login trigger: the embedded server is 18).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { createTestDatabase, testAdminUrl } from '../../../test/support/database.ts';
import { enforceWarehouseLimits, ensureWarehouse, grantAccess, revokeAccess, warehouseWatchdog, type Watchdog } from './index.ts';
import { connectAs, newPassword, sqlState, uniqueRole } from './testing.ts';
import { withClient, withDatabase } from './sql.ts';

const QUERY_CANCELED = '57014';
const PER_TEAM = 3;
const TOTAL = 5;

let adminUrl: string;
let watchdog: Watchdog;
let timer: NodeJS.Timeout;
const rounds = { cancelled: 0, idleTerminated: 0, overCapTerminated: 0 };
const granted: string[] = [];
const open: pg.Client[] = [];

async function grant(team: string, extra: { statementTimeoutMs?: number; idleInTransactionTimeoutMs?: number } = {}) {
  const role = uniqueRole();
  const password = newPassword();
  await grantAccess(adminUrl, { role, password, dataClass: 'synthetic', team, ...extra });
  granted.push(role);
  return { role, password, connect: async (url = adminUrl) => keep(await connectAs(url, role, password)) };
}

function keep(c: pg.Client): pg.Client {
  open.push(c);
  return c;
}

/** Closes every session the tests opened and waits until the server has let them go (backends exit asynchronously). */
async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((c) => c.end().catch(() => {})));
  await withClient(adminUrl, async (c) => {
    for (let i = 0; i < 100; i++) {
      const r = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = ANY($1)`, [granted]);
      if (r.rows[0].n === 0) return;
      await sleep(50);
    }
  });
}

before(async () => {
  adminUrl = await createTestDatabase('whl');
  await ensureWarehouse(adminUrl, { scale: 0.05, connectionCaps: { perTeam: PER_TEAM, total: TOTAL } });
  // As the platform does: a round every second on one kept connection.
  watchdog = warehouseWatchdog(adminUrl);
  timer = setInterval(() => {
    watchdog.round().then((r) => {
      for (const k of Object.keys(rounds) as (keyof typeof rounds)[]) rounds[k] += r[k];
    }, () => {});
  }, 1000);
});

after(async () => {
  clearInterval(timer);
  await watchdog.close();
  await closeAll();
  for (const role of granted) await revokeAccess(adminUrl, role);
});

describe('granted time limits hold whatever the role sets for itself', () => {
  test('a role that lifts its own statement_timeout (ALTER ROLE itself) is still cancelled at its granted limit', async () => {
    const env = await grant('churn-analytics', { statementTimeoutMs: 2000 });
    const first = await env.connect();
    // PostgreSQL allows this: statement_timeout is user-settable, and a role may set its own defaults.
    await first.query(`ALTER ROLE CURRENT_USER SET statement_timeout = 0`);
    await first.end();
    const fresh = await env.connect();
    assert.equal((await fresh.query('SHOW statement_timeout')).rows[0].statement_timeout, '0');
    const before = rounds.cancelled;
    const t = performance.now();
    assert.equal(await sqlState(() => fresh.query('SELECT pg_sleep(30)')), QUERY_CANCELED);
    const ms = performance.now() - t;
    assert.ok(ms >= 2000 && ms < 3500, `cancelled after ${Math.round(ms)} ms (granted 2000 ms)`);
    // The cancelled client may hear of it before the watchdog's own query returns.
    for (let i = 0; i < 20 && rounds.cancelled === before; i++) await sleep(50);
    assert.ok(rounds.cancelled > before, 'the watchdog reported the cancellation');
    // The session survives a cancel: only the statement ends.
    assert.equal((await fresh.query('SELECT 1 AS one')).rows[0].one, 1);
  });

  test('a session idle in a transaction past its granted limit is terminated, whatever it set', async () => {
    const env = await grant('churn-analytics', { idleInTransactionTimeoutMs: 1500 });
    const c = await env.connect();
    await c.query('SET idle_in_transaction_session_timeout = 0');
    const ended = new Promise<Error>((resolve) => c.on('error', resolve));
    await c.query('BEGIN');
    await c.query('SELECT count(*) FROM customers'); // holds a lock while idle
    const t = performance.now();
    const err = await Promise.race([ended, sleep(6000).then(() => undefined)]);
    const ms = performance.now() - t;
    assert.ok(err, 'the idle transaction was not ended within 6 s');
    assert.match(String(err.message), /terminat/);
    assert.ok(ms >= 1400 && ms < 3000, `terminated after ${Math.round(ms)} ms (granted 1500 ms)`);
  });

  test('a busy session inside a transaction is not taken for an idle one', async () => {
    const env = await grant('churn-analytics', { idleInTransactionTimeoutMs: 1000, statementTimeoutMs: 60_000 });
    const c = await env.connect();
    await c.query('BEGIN');
    await c.query('SELECT pg_sleep(2.5)');
    await c.query('COMMIT');
  });

  test('a round costs one short query on a kept connection', async () => {
    const w = warehouseWatchdog(adminUrl);
    try {
      const times: number[] = [];
      for (let i = 0; i < 50; i++) {
        const t = performance.now();
        await w.round();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      assert.ok(times[25] < 20, `median round ${times[25].toFixed(2)} ms`);
    } finally {
      await w.close();
    }
  });
});

describe('connections are capped per team and in total', () => {
  test('a team at its cap is refused with a clear message; another team and a superuser still log in', async () => {
    await closeAll();
    const a1 = await grant('payments');
    const a2 = await grant('payments');
    const b = await grant('web');
    const first = await a1.connect();
    await a1.connect();
    await a2.connect();
    // A different role of the same team counts against the team.
    await assert.rejects(a2.connect(), /team payments already has 3 warehouse connections \(its cap\); close some/);
    await assert.rejects(a1.connect(), /team payments already has 3 warehouse connections/);
    await b.connect();
    const admin = keep(await connectAs(adminUrl, 'postgres', new URL(adminUrl).password));
    assert.equal((await admin.query('SELECT 1 AS one')).rows[0].one, 1);
    // Total: payments 3 + web 1 = 4 of 5; web's second gets the last slot, its third goes over the total.
    await b.connect();
    await assert.rejects(b.connect(), /environments already have 5 warehouse connections \(the cap for all teams together\)/);
    // Closing a session frees the slot.
    await first.end();
    await sleep(300); // the server removes the ended backend from pg_stat_activity
    await a2.connect();
    await closeAll();
  });

  test('the refusal is SQLSTATE 53300 (too_many_connections), so poolers back off as for a full server', async () => {
    const a = await grant('ledger');
    for (let i = 0; i < PER_TEAM; i++) await a.connect();
    assert.equal(await sqlState(() => a.connect()), '53300');
    await closeAll();
  });

  test('where the login trigger does not fire (another database), the watchdog ends the newest sessions over the cap', async () => {
    const a = await grant('risk');
    const inWarehouse = [await a.connect(), await a.connect(), await a.connect()];
    // The trigger lives in the warehouse database; the test cluster lets roles into `postgres` too.
    const elsewhere = await a.connect(withDatabase(testAdminUrl(), 'postgres'));
    const ended = new Promise<Error>((resolve) => elsewhere.on('error', resolve));
    const before = rounds.overCapTerminated;
    // A new session is given 2 s (a login trigger would refuse it meanwhile), then a round ends it.
    assert.equal((await enforceWarehouseLimits(adminUrl)).overCapTerminated, 0);
    assert.match(String((await Promise.race([ended, sleep(5000).then(() => new Error('not ended'))])).message), /terminat/);
    for (let i = 0; i < 20 && rounds.overCapTerminated === before; i++) await sleep(50);
    assert.equal(rounds.overCapTerminated - before, 1);
    for (const c of inWarehouse) assert.equal((await c.query('SELECT 1 AS one')).rows[0].one, 1);
    await closeAll();
  });

  test('roles without the marker (the platform, other services) are never counted or refused', async () => {
    const a = await grant('search');
    for (let i = 0; i < PER_TEAM; i++) await a.connect();
    const other = uniqueRole('service');
    await withClient(adminUrl, async (c) => {
      await c.query(`CREATE ROLE ${other} LOGIN PASSWORD 'service-password' CONNECTION LIMIT 20`);
      await c.query(`GRANT CONNECT ON DATABASE ${new URL(adminUrl).pathname.slice(1)} TO ${other}`);
    });
    try {
      for (let i = 0; i < TOTAL + 1; i++) await connectAs(adminUrl, other, 'service-password').then(keep);
      const r = await enforceWarehouseLimits(adminUrl);
      assert.equal(r.overCapTerminated, 0);
    } finally {
      await closeAll();
      await withClient(adminUrl, async (c) => {
        await c.query(`REVOKE ALL ON DATABASE ${new URL(adminUrl).pathname.slice(1)} FROM ${other}`);
        await c.query(`DROP ROLE ${other}`);
      });
    }
  });
});
