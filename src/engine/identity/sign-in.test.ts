import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { seedDemoOrganisation } from './demo-organisation.ts';
import { signIn, TooManySignIns } from './sign-in.ts';
import { tokenIsValid } from './tokens.ts';
import { setPassword } from './users.ts';

let pool: pg.Pool;
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('sig'), max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  for (const u of ['dana', 'ravi', 'mei', 'sam']) await setPassword(pool, u, 'right horse battery');
});
after(() => pool.end());

const wrong = (login: string, address = '10.0.0.1') => signIn(pool, login, 'wrong', { address });
const isBadCredentials = { status: 401, code: 'bad_credentials' };

test('a good password signs in with a 12-hour session token', async () => {
  const { user, token } = await signIn(pool, 'dana@example.org', 'right horse battery');
  assert.equal(user.id, 'dana');
  assert.equal(await tokenIsValid(pool, token), true);
});

test('after 5 failures for one account, the next attempt is refused before the password is checked, even a right one', async () => {
  for (let i = 0; i < 5; i++) await assert.rejects(wrong(i % 2 ? 'ravi' : 'ravi@example.org', `10.0.1.${i}`), isBadCredentials);
  await assert.rejects(signIn(pool, 'ravi', 'right horse battery', { address: '10.0.2.1' }), (e: unknown) => {
    assert.ok(e instanceof TooManySignIns);
    assert.match(e.message, /^too many failed sign-ins for this account; try again in 15 minutes$/);
    assert.ok(e.retryAfterSeconds > 14 * 60 && e.retryAfterSeconds <= 15 * 60);
    return true;
  });
  // Refused attempts are not failures: once the oldest failure leaves the window, one attempt is let through.
  await pool.query(`UPDATE sign_in_failures SET at = at - interval '16 minutes' WHERE id = (SELECT min(id) FROM sign_in_failures WHERE account = 'user:ravi')`);
  const { user } = await signIn(pool, 'ravi', 'right horse battery');
  assert.equal(user.id, 'ravi');
});

test('a success clears the account\'s failures', async () => {
  for (let i = 0; i < 4; i++) await assert.rejects(wrong('mei'), isBadCredentials);
  await signIn(pool, 'mei', 'right horse battery');
  for (let i = 0; i < 4; i++) await assert.rejects(wrong('mei'), isBadCredentials);
  await signIn(pool, 'mei', 'right horse battery');
});

test('after 20 failures from one address, any account is refused from it, but not from elsewhere', async () => {
  for (let i = 0; i < 20; i++) await assert.rejects(wrong(`nobody${i}`, '192.0.2.7'), isBadCredentials);
  await assert.rejects(signIn(pool, 'sam', 'right horse battery', { address: '192.0.2.7' }), (e: unknown) => e instanceof TooManySignIns && /from your address/.test(e.message));
  assert.equal((await signIn(pool, 'sam', 'right horse battery', { address: '192.0.2.8' })).user.id, 'sam');
});

test('unknown logins are throttled like accounts, so the answer does not tell who exists', async () => {
  for (let i = 0; i < 5; i++) await assert.rejects(wrong('Nobody-Here', `10.9.0.${i}`), isBadCredentials);
  await assert.rejects(wrong('nobody-here', '10.9.1.1'), (e: unknown) => e instanceof TooManySignIns && /for this account/.test(e.message));
});

test('a burst of parallel guesses is held to the limit', async () => {
  const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => signIn(pool, 'dana', `guess${i}`, { address: `10.8.0.${i}` })));
  const throttled = results.filter((r) => r.status === 'rejected' && r.reason instanceof TooManySignIns).length;
  assert.ok(throttled >= 12 - 6, `${12 - throttled} of 12 parallel guesses reached the password check`);
});
