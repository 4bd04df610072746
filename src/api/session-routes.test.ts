import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { EventFeed } from '../engine/live/event-feed.ts';
import { seedDemoOrganisation } from '../engine/identity/demo-organisation.ts';
import { setPassword } from '../engine/identity/users.ts';
import { createApi, type ApiDeps } from './app.ts';
import { shippedPolicies } from '../../test/support/policies.ts';

let pool: pg.Pool;
let app: ReturnType<typeof createApi>;

before(async () => {
  const url = await createTestDatabase('sesapi');
  pool = new pg.Pool({ connectionString: url, max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  for (const u of ['dana', 'ravi', 'mei']) await setPassword(pool, u, 'correct horse');
  app = createApi({ pool, feed: new EventFeed(url), version: 'test', policy: shippedPolicies() } as ApiDeps);
});
after(() => pool.end());

/** Signs in as @hono/node-server would pass the request: the socket's address in c.env.incoming. */
const signIn = async (user: string, password: string, address: string, headers: Record<string, string> = {}) => {
  const res = await app.request('/api/v1/sessions', {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ user, password }),
  }, { incoming: { socket: { remoteAddress: address } } });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
};

test('after 5 failed sign-ins for an account, the API answers 429 with Retry-After, even to the right password', async () => {
  for (let i = 0; i < 5; i++) assert.equal((await signIn('dana', 'nope', `198.51.100.${i}`)).status, 401);
  const r = await signIn('dana', 'correct horse', '198.51.100.99');
  assert.equal(r.status, 429);
  assert.deepEqual(r.body, { error: { code: 'too_many_attempts', message: 'too many failed sign-ins for this account; try again in 15 minutes' } });
  assert.ok(Number(r.retryAfter) > 800 && Number(r.retryAfter) <= 900, `Retry-After: ${r.retryAfter}`);
  assert.equal((await signIn('ravi', 'correct horse', '198.51.100.99')).status, 201, 'other accounts are not affected');
});

test('a successful sign-in clears the account\'s failures', async () => {
  for (let i = 0; i < 4; i++) assert.equal((await signIn('mei', 'nope', '198.51.100.50')).status, 401);
  assert.equal((await signIn('mei', 'correct horse', '198.51.100.50')).status, 201);
  for (let i = 0; i < 4; i++) assert.equal((await signIn('mei', 'nope', '198.51.100.50')).status, 401);
  assert.equal((await signIn('mei', 'correct horse', '198.51.100.50')).status, 201);
});

test('after 20 failures from one address, it is refused for every account; a forwarded-for header does not help', async () => {
  for (let i = 0; i < 20; i++) assert.equal((await signIn(`guess${i}`, 'nope', '::ffff:203.0.113.9')).status, 401);
  const r = await signIn('ravi', 'correct horse', '203.0.113.9', { 'x-forwarded-for': '192.0.2.1' });
  assert.equal(r.status, 429);
  assert.match(r.body.error.message, /^too many failed sign-ins from your address; try again in \d+ minutes?$/);
  assert.ok(Number(r.retryAfter) > 0);
  assert.equal((await signIn('ravi', 'correct horse', '203.0.113.10')).status, 201);
});

test('IPv6 clients are counted per /64, so hopping addresses within one does not help', async () => {
  for (let i = 0; i < 20; i++) assert.equal((await signIn(`v6guess${i}`, 'nope', `2001:db8:1:2::${(i + 1).toString(16)}`)).status, 401);
  assert.equal((await signIn('ravi', 'correct horse', '2001:db8:1:2:ffff::1')).status, 429);
  assert.equal((await signIn('ravi', 'correct horse', '2001:db8:1:3::1')).status, 201);
});

test('bad sign-in input is a 400 naming the field', async () => {
  const res = await app.request('/api/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'x'.repeat(400), password: 'p' }) });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error.message, /user: .*at most 320/);
});

test('GET /api/v1/auth names the sign-in methods, never an account', async () => {
  const res = await app.request('/api/v1/auth');
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { methods: ['local'] });
});
