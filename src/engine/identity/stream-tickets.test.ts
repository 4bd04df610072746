import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { seedDemoOrganisation } from './demo-organisation.ts';
import { issueStreamTicket, redeemStreamTicket } from './stream-tickets.ts';
import { hashToken, issueToken, revokeToken } from './tokens.ts';
import { getUser, type User } from './users.ts';

let pool: pg.Pool;
let dana: User;
let token: string;
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('tix'), max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  for (const id of ['e000000001', 'e000000002']) {
    await pool.query(
      `INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired) VALUES ($1, $1, 'p', '1', 'churn-analytics', 'dana', 'ready', 'ready')`,
      [id],
    );
  }
  dana = (await getUser(pool, 'dana'))!;
  token = await issueToken(pool, 'dana', 'session');
});
after(() => pool.end());

test('a stream ticket opens its environment\'s stream once, as its user', async () => {
  const { ticket, expiresAt } = await issueStreamTicket(pool, token, dana, 'e000000001');
  assert.ok(Date.parse(expiresAt) - Date.now() <= 60_000 && Date.parse(expiresAt) > Date.now());
  const { rows } = await pool.query('SELECT ticket_hash FROM stream_tickets');
  assert.ok(rows.every((r) => r.ticket_hash !== ticket && r.ticket_hash === hashToken(ticket)), 'only the hash is stored');
  assert.equal((await redeemStreamTicket(pool, ticket, 'e000000001')).id, 'dana');
  await assert.rejects(redeemStreamTicket(pool, ticket, 'e000000001'), { status: 401, code: 'invalid_ticket' });
});

test('a ticket for another environment is refused, and burnt', async () => {
  const { ticket } = await issueStreamTicket(pool, token, dana, 'e000000001');
  await assert.rejects(redeemStreamTicket(pool, ticket, 'e000000002'), (e: Error & { status: number }) => e.status === 401 && /for environment e000000001, not e000000002/.test(e.message));
  await assert.rejects(redeemStreamTicket(pool, ticket, 'e000000001'), { code: 'invalid_ticket' });
});

test('an expired ticket is refused with how to get a new one', async () => {
  const { ticket } = await issueStreamTicket(pool, token, dana, 'e000000001');
  await pool.query(`UPDATE stream_tickets SET expires_at = now() - interval '1 second' WHERE ticket_hash = $1`, [hashToken(ticket)]);
  await assert.rejects(redeemStreamTicket(pool, ticket, 'e000000001'), (e: Error & { code: string }) => e.code === 'ticket_expired' && /POST \/api\/v1\/stream-tickets/.test(e.message));
});

test('revoking the token that asked for a ticket voids the ticket', async () => {
  const other = await issueToken(pool, 'dana', 'session');
  const { ticket } = await issueStreamTicket(pool, other, dana, 'e000000001');
  await revokeToken(pool, other);
  await assert.rejects(redeemStreamTicket(pool, ticket, 'e000000001'), { code: 'invalid_ticket' });
});
