import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { EventFeed } from '../engine/live/event-feed.ts';
import { seedDemoOrganisation } from '../engine/identity/demo-organisation.ts';
import { hashToken, issueToken } from '../engine/identity/tokens.ts';
import { createApi, type ApiDeps } from './app.ts';
import { shippedPolicies } from '../../test/support/policies.ts';

let pool: pg.Pool;
let app: ReturnType<typeof createApi>;
let dana: string;
const env = 'e0000000a1';
const paymentsEnv = 'e0000000b2';

before(async () => {
  const url = await createTestDatabase('tokapi');
  pool = new pg.Pool({ connectionString: url, max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  for (const [id, team, owner] of [[env, 'churn-analytics', 'dana'], [paymentsEnv, 'payments', 'mei']]) {
    await pool.query(
      `INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired) VALUES ($1, $1, 'data-science-experimentation', '1', $2, $3, 'ready', 'ready')`,
      [id, team, owner],
    );
  }
  // The whole API as the platform serves it; the routes under test need only the database (the
  // event feed is not started: the stream then wakes on its own heartbeat).
  app = createApi({ pool, feed: new EventFeed(url), version: 'test', policy: shippedPolicies() } as ApiDeps);
  dana = await issueToken(pool, 'dana', 'cli');
});
after(() => pool.end());

const call = async (method: string, path: string, opts: { token?: string; body?: unknown } = {}) => {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.request(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};

/** Opens the stream and reads its first message, then hangs up. */
async function openStream(path: string, token?: string): Promise<{ status: number; first: string; body?: { error: { code: string; message: string } } }> {
  const res = await app.request(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (res.status !== 200) return { status: res.status, first: '', body: await res.json() };
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  await reader.cancel();
  return { status: res.status, first: new TextDecoder().decode(value) };
}

const ticketFor = async (environmentId: string, token = dana) => {
  const r = await call('POST', '/api/v1/stream-tickets', { token, body: { environmentId } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.ticket as string;
};

test('a stream ticket opens the live-progress stream once', async () => {
  const r = await call('POST', '/api/v1/stream-tickets', { token: dana, body: { environmentId: env } });
  assert.equal(r.status, 201);
  assert.match(r.body.ticket, /^gpst_/);
  const ttl = Date.parse(r.body.expiresAt) - Date.now();
  assert.ok(ttl > 30_000 && ttl <= 60_000, `a ticket lasts about a minute (${ttl} ms)`);
  const opened = await openStream(`/api/v1/environments/${env}/stream?ticket=${r.body.ticket}`);
  assert.equal(opened.status, 200);
  assert.match(opened.first, /^event: (event|environment)/);
  const again = await openStream(`/api/v1/environments/${env}/stream?ticket=${r.body.ticket}`);
  assert.equal(again.status, 401);
  assert.match(again.body!.error.message, /already used/);
});

test('a ticket for one environment does not open another', async () => {
  const other = 'e0000000c3';
  await pool.query(`INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired) VALUES ($1, $1, 'p', '1', 'churn-analytics', 'ravi', 'ready', 'ready')`, [other]);
  const ticket = await ticketFor(env);
  const r = await openStream(`/api/v1/environments/${other}/stream?ticket=${ticket}`);
  assert.equal(r.status, 401);
  assert.match(r.body!.error.message, /for environment e0000000a1, not e0000000c3/);
});

test('an expired ticket is refused', async () => {
  const ticket = await ticketFor(env);
  await pool.query(`UPDATE stream_tickets SET expires_at = now() - interval '1 second' WHERE ticket_hash = $1`, [hashToken(ticket)]);
  const r = await openStream(`/api/v1/environments/${env}/stream?ticket=${ticket}`);
  assert.equal(r.status, 401);
  assert.equal(r.body!.error.code, 'ticket_expired');
});

test('no ticket for an environment the user may not see, nor for nonsense', async () => {
  assert.equal((await call('POST', '/api/v1/stream-tickets', { token: dana, body: { environmentId: paymentsEnv } })).status, 403);
  assert.equal((await call('POST', '/api/v1/stream-tickets', { token: dana, body: { environmentId: 'enothere00' } })).status, 404);
  const bad = await call('POST', '/api/v1/stream-tickets', { token: dana, body: { environment: env } });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /environmentId/);
  assert.equal((await call('POST', '/api/v1/stream-tickets', { body: { environmentId: env } })).status, 401);
});

test('the API token in the stream URL is refused; the Authorization header still works (the CLI uses it)', async () => {
  const r = await openStream(`/api/v1/environments/${env}/stream?token=${dana}`);
  assert.equal(r.status, 401);
  assert.equal(r.body!.error.code, 'token_in_url');
  assert.ok(!r.body!.error.message.includes(dana), 'the token is not echoed');
  assert.equal((await openStream(`/api/v1/environments/${env}/stream`, dana)).status, 200);
  assert.equal((await openStream(`/api/v1/environments/${env}/stream`)).status, 401);
});

test('GET /tokens lists the caller\'s own tokens, newest first, marking the current one', async () => {
  const mine = await issueToken(pool, 'sam', 'cli');
  const session = await issueToken(pool, 'sam', 'session');
  await issueToken(pool, 'priya', 'cli');
  const r = await call('GET', '/api/v1/tokens', { token: session });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.tokens.map((t: { kind: string; current: boolean }) => [t.kind, t.current]), [['session', true], ['cli', false]]);
  const [t] = r.body.tokens;
  assert.deepEqual(Object.keys(t).sort(), ['createdAt', 'current', 'expiresAt', 'id', 'kind', 'label', 'lastUsedAt']);
  assert.equal(t.label, 'portal session');
  assert.ok(t.lastUsedAt, 'this request used it');
  assert.ok(!JSON.stringify(r.body).includes(mine.slice(4)) && !JSON.stringify(r.body).includes(session.slice(4)), 'no secret is listed');
});

test('DELETE /tokens/{id} revokes the caller\'s own token, 404 for anyone else\'s', async () => {
  const first = await issueToken(pool, 'olu', 'cli');
  const second = await issueToken(pool, 'olu', 'session');
  const [, cli] = (await call('GET', '/api/v1/tokens', { token: second })).body.tokens;
  const byMei = await call('DELETE', `/api/v1/tokens/${cli.id}`, { token: await issueToken(pool, 'mei', 'cli') });
  assert.equal(byMei.status, 404);
  assert.equal((await call('GET', '/api/v1/me', { token: first })).status, 200);
  assert.equal((await call('DELETE', `/api/v1/tokens/${cli.id}`, { token: second })).status, 204);
  const revoked = await call('GET', '/api/v1/me', { token: first });
  assert.equal(revoked.status, 401);
  assert.match(revoked.body.error.message, /unknown or was revoked/);
  // Revoking the token in use signs out.
  const [current] = (await call('GET', '/api/v1/tokens', { token: second })).body.tokens;
  assert.equal((await call('DELETE', `/api/v1/tokens/${current.id}`, { token: second })).status, 204);
  assert.equal((await call('GET', '/api/v1/tokens', { token: second })).status, 401);
  assert.equal((await call('DELETE', '/api/v1/tokens/tok_nothere', { token: dana })).status, 404);
});

test('an expired token gets 401 saying it expired and how to get a new one', async () => {
  const token = await issueToken(pool, 'ravi', 'cli');
  await pool.query(`UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`, [hashToken(token)]);
  const r = await call('GET', '/api/v1/me', { token });
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'token_expired');
  assert.match(r.body.error.message, /expired at .*sign in again.*goldpath up/);
});

test('a token created through the API works, is listed without its secret, and stops working when revoked', async () => {
  const made = await call('POST', '/api/v1/tokens', { token: dana, body: { label: 'laptop', days: 30 } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.match(made.body.token, /^gpt_/);
  assert.equal(made.body.label, 'laptop');
  assert.equal(made.body.kind, 'cli');
  const days = (Date.parse(made.body.expiresAt) - Date.now()) / 86_400_000;
  assert.ok(days > 29.9 && days <= 30, `it works for 30 days (${days})`);
  assert.equal((await call('GET', '/api/v1/me', { token: made.body.token })).body.id, 'dana');
  const listed = await call('GET', '/api/v1/tokens', { token: dana });
  const row = listed.body.tokens.find((t: { id: string }) => t.id === made.body.id);
  assert.equal(row.label, 'laptop');
  assert.ok(!JSON.stringify(listed.body).includes(made.body.token), 'the secret is never listed');
  assert.equal((await call('DELETE', `/api/v1/tokens/${made.body.id}`, { token: dana })).status, 204);
  assert.equal((await call('GET', '/api/v1/me', { token: made.body.token })).status, 401);
});

test('a token with no label or a lifetime beyond a year is refused with what to fix', async () => {
  const noLabel = await call('POST', '/api/v1/tokens', { token: dana, body: { label: ' ' } });
  assert.equal(noLabel.status, 400);
  assert.match(JSON.stringify(noLabel.body), /name the token/);
  const tooLong = await call('POST', '/api/v1/tokens', { token: dana, body: { label: 'ci', days: 1000 } });
  assert.equal(tooLong.status, 400);
  assert.match(JSON.stringify(tooLong.body), /at most 365 days/);
  assert.equal((await call('POST', '/api/v1/tokens', { body: { label: 'x' } })).status, 401);
});
