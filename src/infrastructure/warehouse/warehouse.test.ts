import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../test/support/database.ts';
import { ensureWarehouse, grantAccess, revokeAccess, roleExists } from './index.ts';
import { asRole, connectAs, newPassword, sqlState, uniqueRole } from './testing.ts';
import { withClient } from './sql.ts';

const INSUFFICIENT_PRIVILEGE = '42501';

let adminUrl: string;

before(async () => {
  adminUrl = await createTestDatabase('wh');
  assert.equal((await ensureWarehouse(adminUrl)).seeded, true);
});

describe('ensureWarehouse', () => {
  test('seeds sensitive and synthetic at the default scale', async () => {
    await withClient(adminUrl, async (c) => {
      for (const schema of ['sensitive', 'synthetic']) {
        const r = await c.query(`SELECT (SELECT count(*) FROM ${schema}.customers)::int AS customers,
                                        (SELECT count(*) FROM ${schema}.transactions)::int AS transactions`);
        assert.equal(r.rows[0].customers, 2000);
        assert.ok(r.rows[0].transactions > 40_000 && r.rows[0].transactions < 60_000, `${schema}: ${r.rows[0].transactions} transactions`);
      }
    });
  });

  test('is idempotent: a second ensure seeds nothing', async () => {
    assert.deepEqual(await ensureWarehouse(adminUrl), { seeded: false });
  });

  test('synthetic rows are generated separately: no sensitive e-mail, name or IBAN appears in synthetic', async () => {
    await withClient(adminUrl, async (c) => {
      const r = await c.query(`SELECT
        (SELECT count(*) FROM synthetic.customers s JOIN sensitive.customers r ON r.email = s.email)::int AS emails,
        (SELECT count(*) FROM synthetic.accounts s JOIN sensitive.accounts r ON r.iban = s.iban)::int AS ibans,
        (SELECT count(*) FROM synthetic.cards s JOIN sensitive.cards r ON r.card_number = s.card_number)::int AS cards`);
      assert.deepEqual(r.rows[0], { emails: 0, ibans: 0, cards: 0 });
    });
  });

  test('keys hold in both schemas: customer → accounts → transactions', async () => {
    await withClient(adminUrl, async (c) => {
      const r = await c.query(`SELECT n.nspname AS schema, count(*)::int AS fks FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
        WHERE k.contype = 'f' AND n.nspname IN ('sensitive', 'synthetic') GROUP BY 1 ORDER BY 1`);
      assert.deepEqual(r.rows, [{ schema: 'sensitive', fks: 4 }, { schema: 'synthetic', fks: 4 }]);
    });
  });

  test('the churn label correlates with behaviour (churned customers transact less and stop earlier)', async () => {
    await withClient(adminUrl, async (c) => {
      for (const schema of ['sensitive', 'synthetic']) {
        const r = await c.query(`
          SELECT cu.churned, avg(coalesce(t.n, 0))::float AS tx, avg(date '2025-12-31' - coalesce(t.last, cu.signup_date))::float AS recency
          FROM ${schema}.customers cu
          LEFT JOIN (SELECT a.customer_id, count(*) AS n, max(t.ts)::date AS last FROM ${schema}.transactions t
                     JOIN ${schema}.accounts a USING (account_id) GROUP BY 1) t USING (customer_id)
          GROUP BY 1 ORDER BY 1`);
        const [stayed, churned] = r.rows;
        assert.ok(churned.tx < stayed.tx * 0.6, `${schema}: churned ${churned.tx} vs ${stayed.tx} transactions`);
        assert.ok(churned.recency > stayed.recency + 60, `${schema}: recency ${churned.recency} vs ${stayed.recency}`);
      }
    });
  });

  test('is deterministic: the same seed gives the same rows', async () => {
    const other = await createTestDatabase('wh');
    await ensureWarehouse(other, { scale: 0.05, seed: 7 });
    const third = await createTestDatabase('wh');
    await ensureWarehouse(third, { scale: 0.05, seed: 7 });
    const digest = (url: string) =>
      withClient(url, async (c) => (await c.query(`SELECT md5(string_agg(t::text, ',' ORDER BY transaction_id)) AS d FROM sensitive.transactions t`)).rows[0].d);
    assert.equal(await digest(other), await digest(third));
  });
});

describe('grantAccess by data class', () => {
  test('a synthetic role reads synthetic tables unqualified and is denied sensitive and masked', async () => {
    const role = uniqueRole();
    const password = newPassword();
    const grant = await grantAccess(adminUrl, { role, password, dataClass: 'synthetic', team: 'churn-analytics' });
    assert.deepEqual(grant.searchPath, [`scratch_${role}`, 'synthetic']);
    await asRole(adminUrl, role, password, async (c) => {
      const r = await c.query('SELECT count(*)::int AS n, min(email) AS email FROM customers');
      assert.equal(r.rows[0].n, 2000);
      assert.match(r.rows[0].email, /@example\.(com|org|net)$/);
      await assert.rejects(c.query('SELECT * FROM sensitive.customers LIMIT 1'), /permission denied for schema sensitive/);
      await assert.rejects(c.query('SELECT * FROM masked.customers LIMIT 1'), /permission denied for schema masked/);
      // A scratch schema of its own, first on the path, for pandas to_sql and CREATE TABLE.
      await c.query('CREATE TABLE features AS SELECT customer_id, churned FROM customers');
      const where = await c.query(`SELECT schemaname FROM pg_tables WHERE tablename = 'features'`);
      assert.deepEqual(where.rows, [{ schemaname: `scratch_${role}` }]);
    });
    await revokeAccess(adminUrl, role);
  });

  test('a masked role sees hashed e-mails, last-4 card numbers and no minors; never the raw values', async () => {
    const role = uniqueRole();
    const password = newPassword();
    await grantAccess(adminUrl, { role, password, dataClass: 'masked', team: 'churn-analytics' });
    const raw = await withClient(adminUrl, async (c) => {
      const r = await c.query(`SELECT
        (SELECT count(*) FROM sensitive.customers WHERE date_of_birth <= current_date - interval '18 years')::int AS adults,
        (SELECT count(*) FROM sensitive.customers)::int AS everyone,
        (SELECT array_agg(email) FROM sensitive.customers) AS emails,
        (SELECT array_agg(card_number) FROM sensitive.cards) AS cards`);
      return r.rows[0];
    });
    assert.ok(raw.everyone > raw.adults, 'the seed has minors to hide');
    await asRole(adminUrl, role, password, async (c) => {
      const customers = await c.query('SELECT * FROM customers');
      assert.equal(customers.rowCount, raw.adults);
      const row = customers.rows[0];
      assert.equal(row.full_name, '[redacted]');
      assert.equal(row.address, '[redacted]');
      assert.match(row.email, /^[0-9a-f]{16}$/);
      assert.match(row.phone, /^\*+\d{4}$/);
      assert.equal(new Date(row.date_of_birth).getUTCMonth(), 0);
      const emails = new Set<string>(raw.emails);
      assert.ok(customers.rows.every((r) => !emails.has(r.email)));
      const cards = await c.query('SELECT card_number, expiry FROM cards');
      const rawCards = new Set<string>(raw.cards);
      for (const card of cards.rows) {
        assert.match(card.card_number, /^\*+\d{4}$/);
        assert.ok(!rawCards.has(card.card_number));
        assert.equal(card.expiry, null);
      }
      // The hash is stable: equal raw values give equal masked values, so grouping/joining works.
      const distinct = await c.query('SELECT count(DISTINCT email)::int AS n FROM customers');
      assert.equal(distinct.rows[0].n, raw.adults);
      const minorsTx = await c.query(`SELECT count(*)::int AS n FROM transactions t LEFT JOIN accounts a USING (account_id) WHERE a.account_id IS NULL`);
      assert.equal(minorsTx.rows[0].n, 0, 'transactions of hidden accounts are hidden too');
      await assert.rejects(c.query('SELECT * FROM sensitive.customers LIMIT 1'), /permission denied for schema sensitive/);
      await assert.rejects(c.query('SELECT * FROM synthetic.customers LIMIT 1'), /permission denied for schema synthetic/);
    });
    await revokeAccess(adminUrl, role);
  });

  test('a sensitive role reads raw rows and nothing else', async () => {
    const role = uniqueRole();
    const password = newPassword();
    await grantAccess(adminUrl, { role, password, dataClass: 'sensitive', team: 'churn-analytics' });
    await asRole(adminUrl, role, password, async (c) => {
      const r = await c.query(`SELECT email, card_number FROM customers JOIN accounts USING (customer_id) JOIN cards USING (account_id) LIMIT 1`);
      assert.match(r.rows[0].email, /@/);
      assert.match(r.rows[0].card_number, /^\d{12,19}$/);
      assert.equal(await sqlState(() => c.query('SELECT 1 FROM masked.customers LIMIT 1')), '42501');
      assert.equal(await sqlState(() => c.query('SELECT 1 FROM synthetic.customers LIMIT 1')), '42501');
    });
    await revokeAccess(adminUrl, role);
  });
});

describe('grantAccess lifecycle', () => {
  test('granting twice is idempotent and the second password replaces the first', async () => {
    const role = uniqueRole();
    const first = newPassword();
    const second = newPassword();
    const a = await grantAccess(adminUrl, { role, password: first, dataClass: 'synthetic', team: 'churn-analytics' });
    const b = await grantAccess(adminUrl, { role, password: first, dataClass: 'synthetic', team: 'churn-analytics' });
    assert.deepEqual(a, b);
    await asRole(adminUrl, role, first, async (c) => c.query('SELECT 1 FROM customers LIMIT 1'));
    await grantAccess(adminUrl, { role, password: second, dataClass: 'synthetic', team: 'churn-analytics' });
    await assert.rejects(connectAs(adminUrl, role, first), /password authentication failed/);
    await asRole(adminUrl, role, second, async (c) => c.query('SELECT 1 FROM customers LIMIT 1'));
    await revokeAccess(adminUrl, role);
  });

  test('re-granting with another class moves the role to exactly that class', async () => {
    const role = uniqueRole();
    const password = newPassword();
    await grantAccess(adminUrl, { role, password, dataClass: 'sensitive', team: 'churn-analytics' });
    await grantAccess(adminUrl, { role, password, dataClass: 'synthetic', team: 'churn-analytics' });
    await asRole(adminUrl, role, password, async (c) => {
      assert.match((await c.query('SELECT email FROM customers LIMIT 1')).rows[0].email, /@example\./);
      assert.equal(await sqlState(() => c.query('SELECT 1 FROM sensitive.customers LIMIT 1')), INSUFFICIENT_PRIVILEGE);
      const classes = await c.query(`SELECT rolname FROM pg_roles WHERE pg_has_role(current_user, oid, 'USAGE') AND rolname LIKE 'gp_class_%'`);
      assert.deepEqual(classes.rows, [{ rolname: 'gp_class_synthetic' }]);
    });
    await revokeAccess(adminUrl, role);
  });

  test('20 grants and revokes at once all succeed (launches happen together)', async () => {
    const grants = Array.from({ length: 20 }, (_, i) => ({
      role: uniqueRole(), password: newPassword(), dataClass: (['synthetic', 'masked', 'sensitive'] as const)[i % 3], team: 'churn-analytics',
    }));
    await Promise.all(grants.map((g) => grantAccess(adminUrl, g)));
    await Promise.all(grants.map((g) => asRole(adminUrl, g.role, g.password, (c) => c.query('SELECT 1 FROM customers LIMIT 1'))));
    await Promise.all(grants.map((g) => revokeAccess(adminUrl, g.role)));
    for (const g of grants) assert.equal(await roleExists(adminUrl, g.role), false);
  });

  test('the connection limit and statement timeout are the role’s own', async () => {
    const role = uniqueRole();
    const password = newPassword();
    await grantAccess(adminUrl, { role, password, dataClass: 'synthetic', team: 'churn-analytics', connectionLimit: 2, statementTimeoutMs: 300 });
    const a = await connectAs(adminUrl, role, password);
    const b = await connectAs(adminUrl, role, password);
    try {
      await assert.rejects(connectAs(adminUrl, role, password), /too many connections for role/);
      await assert.rejects(a.query('SELECT pg_sleep(2)'), /canceling statement due to statement timeout/);
    } finally {
      await a.end();
      await b.end();
    }
    await revokeAccess(adminUrl, role);
  });

  test('revoke ends the role’s sessions, drops its scratch schema and the role; repeating it is harmless', async () => {
    const role = uniqueRole();
    const password = newPassword();
    await grantAccess(adminUrl, { role, password, dataClass: 'masked', team: 'churn-analytics' });
    const session = await connectAs(adminUrl, role, password);
    await session.query('CREATE TABLE mine AS SELECT 1 AS x');
    const ended = new Promise<Error>((resolve) => session.on('error', resolve));
    const busy = session.query('SELECT pg_sleep(30)').catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 100));
    const t = performance.now();
    await revokeAccess(adminUrl, role);
    assert.ok(performance.now() - t < 5000);
    assert.match(String((await busy) ?? (await ended)), /terminat/);
    assert.equal(await roleExists(adminUrl, role), false);
    await withClient(adminUrl, async (c) => {
      const r = await c.query('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [`scratch_${role}`]);
      assert.equal(r.rows[0].n, 0);
    });
    await revokeAccess(adminUrl, role);
    await assert.rejects(connectAs(adminUrl, role, password), /password authentication failed|does not exist/);
  });

  test('roleExists reports a granted role', async () => {
    const role = uniqueRole();
    assert.equal(await roleExists(adminUrl, role), false);
    await grantAccess(adminUrl, { role, password: newPassword(), dataClass: 'synthetic', team: 'churn-analytics' });
    assert.equal(await roleExists(adminUrl, role), true);
    await revokeAccess(adminUrl, role);
  });

  test('grant and revoke refuse roles they did not create, and bad input names the field', async () => {
    await assert.rejects(grantAccess(adminUrl, { role: 'postgres', password: newPassword(), dataClass: 'sensitive', team: 'churn-analytics' }), /role: postgres is reserved/);
    const stranger = uniqueRole('platform');
    await withClient(adminUrl, (c) => c.query(`CREATE ROLE ${stranger} LOGIN`));
    await assert.rejects(grantAccess(adminUrl, { role: stranger, password: newPassword(), dataClass: 'sensitive', team: 'churn-analytics' }), /not a warehouse environment role/);
    await assert.rejects(revokeAccess(adminUrl, stranger), /not a warehouse environment role/);
    assert.equal(await roleExists(adminUrl, stranger), true);
    await assert.rejects(grantAccess(adminUrl, { role: 'Bad-Name', password: newPassword(), dataClass: 'masked', team: 'churn-analytics' }), /^WarehouseAccessError: role:/);
    await assert.rejects(grantAccess(adminUrl, { role: uniqueRole(), password: newPassword(), dataClass: 'raw' as never, team: 'churn-analytics' }), /dataClass: must be one of/);
    await assert.rejects(grantAccess(adminUrl, { role: uniqueRole(), password: 'short', dataClass: 'masked', team: 'churn-analytics' }), /password: must be/);
    await assert.rejects(grantAccess(adminUrl, { role: uniqueRole(), password: newPassword(), dataClass: 'masked', team: 'pay;ments' }), /team: must be a team name/);
    await assert.rejects(grantAccess(adminUrl, { role: uniqueRole(), password: newPassword(), dataClass: 'masked' } as never), /team: must be a team name/);
    await assert.rejects(grantAccess(adminUrl, { role: uniqueRole(), password: newPassword(), dataClass: 'masked', team: 'web', idleInTransactionTimeoutMs: 0 }), /idleInTransactionTimeoutMs: must be/);
  });

  test('the password never appears in the role catalogue or in errors', async () => {
    const role = uniqueRole();
    const password = newPassword();
    await grantAccess(adminUrl, { role, password, dataClass: 'synthetic', team: 'churn-analytics' });
    await withClient(adminUrl, async (c) => {
      const r = await c.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role]);
      assert.match(r.rows[0].rolpassword, /^SCRAM-SHA-256\$4096:/);
      assert.ok(!r.rows[0].rolpassword.includes(password));
    });
    const err = await connectAs(adminUrl, role, 'wrong-password').catch((e: Error) => e);
    assert.ok(err instanceof Error && !String(err.message).includes(password));
    await revokeAccess(adminUrl, role);
  });
});
