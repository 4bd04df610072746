import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { seedDemoOrganisation } from './demo-organisation.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkToken, hashToken, issueToken, listTokens, revokeToken, revokeTokenById, TOKEN_CHECK_TTL_MS, tokenIsValid } from './tokens.ts';

let pool: pg.Pool;
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('tok'), max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
});
after(() => pool.end());

const expire = (token: string) => pool.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hashToken(token)]);

test('every token expires: a CLI token after 90 days, a portal session after 12 hours', async () => {
  const cli = await issueToken(pool, 'mei', 'cli');
  const session = await issueToken(pool, 'mei', 'session');
  const { rows } = await pool.query(
    `SELECT kind, label, id, round(extract(epoch FROM expires_at - created_at) / 3600) AS hours FROM api_tokens WHERE token_hash = ANY($1) ORDER BY kind`,
    [[hashToken(cli), hashToken(session)]],
  );
  assert.deepEqual(rows.map((r) => [r.kind, r.label, Number(r.hours)]), [['cli', 'cli', 90 * 24], ['session', 'portal session', 12]]);
  for (const r of rows) assert.match(r.id, /^tok_[a-z0-9]{8}$/);
});

test('an expired token says so, and is no longer valid (so `goldpath up` issues a new one)', async () => {
  const token = await issueToken(pool, 'olu', 'cli');
  assert.equal((await checkToken(pool, token)).status, 'valid');
  assert.equal(await tokenIsValid(pool, token), true);
  await expire(token);
  await sleep(TOKEN_CHECK_TTL_MS); // the valid answer above is reused for that long
  const check = await checkToken(pool, token);
  assert.equal(check.status, 'expired');
  assert.equal(await tokenIsValid(pool, token), false);
  assert.equal((await checkToken(pool, 'gpt_nonsense')).status, 'unknown');
});

test('tokens list their owner\'s live tokens only, newest first, marking the current one', async () => {
  const older = await issueToken(pool, 'sam', 'cli');
  await pool.query(`UPDATE api_tokens SET created_at = now() - interval '1 hour' WHERE token_hash = $1`, [hashToken(older)]);
  const newer = await issueToken(pool, 'sam', 'session');
  const gone = await issueToken(pool, 'sam', 'session');
  await expire(gone);
  await issueToken(pool, 'priya', 'cli');
  const list = await listTokens(pool, 'sam', newer);
  assert.deepEqual(list.map((t) => [t.kind, t.label, t.current]), [['session', 'portal session', true], ['cli', 'cli', false]]);
  assert.ok(list.every((t) => !JSON.stringify(t).includes('gpt_')), 'never the secret');
  assert.ok(Date.parse(list[0].expiresAt) > Date.now());
  assert.equal(list[0].lastUsedAt, null);
});

test('last use is recorded, at most once a minute per token', async () => {
  const token = await issueToken(pool, 'ravi', 'cli');
  await checkToken(pool, token);
  const first = (await listTokens(pool, 'ravi'))[0].lastUsedAt;
  assert.ok(first);
  await checkToken(pool, token);
  assert.equal((await listTokens(pool, 'ravi'))[0].lastUsedAt, first, 'a second use within the minute writes nothing');
  await pool.query(`UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE token_hash = $1`, [hashToken(token)]);
  await sleep(TOKEN_CHECK_TTL_MS); // checks within a second of the last are answered without the database
  await checkToken(pool, token);
  assert.notEqual((await listTokens(pool, 'ravi'))[0].lastUsedAt, first);
});

test('a user revokes their own token by id; another user\'s id answers like an unknown one', async () => {
  const token = await issueToken(pool, 'dana', 'cli');
  const [{ id }] = await listTokens(pool, 'dana', token);
  await assert.rejects(revokeTokenById(pool, 'ravi', id), (e: Error & { status: number }) => e.status === 404 && /no token/.test(e.message));
  assert.equal(await tokenIsValid(pool, token), true);
  await assert.rejects(revokeTokenById(pool, 'dana', 'tok_zzzzzzzz'), { status: 404 });
  await assert.rejects(revokeTokenById(pool, 'dana', "'; DROP TABLE api_tokens; --"), { status: 404 });
  await revokeTokenById(pool, 'dana', id);
  assert.equal(await tokenIsValid(pool, token), false);
});

test('a token revoked elsewhere stops working within a second; one revoked here at once', async () => {
  const token = await issueToken(pool, 'mei', 'cli');
  assert.equal((await checkToken(pool, token)).status, 'valid');
  // Revoked behind this process's back (another server, SQL): the cached answer lasts under a second.
  await pool.query('DELETE FROM api_tokens WHERE token_hash = $1', [hashToken(token)]);
  const revokedAt = Date.now();
  let status = 'valid';
  while (status === 'valid') {
    status = (await checkToken(pool, token)).status;
    if (status === 'valid') await sleep(50);
  }
  assert.equal(status, 'unknown');
  assert.ok(Date.now() - revokedAt <= TOKEN_CHECK_TTL_MS + 100, `refused after ${Date.now() - revokedAt} ms`);

  // Revoked through this process (sign-out, `goldpath token --revoke`): the very next check refuses it.
  const session = await issueToken(pool, 'mei', 'session');
  assert.equal((await checkToken(pool, session)).status, 'valid');
  await revokeToken(pool, session);
  assert.equal((await checkToken(pool, session)).status, 'unknown');
  const cli = await issueToken(pool, 'mei', 'cli');
  assert.equal((await checkToken(pool, cli)).status, 'valid');
  const { id } = (await listTokens(pool, 'mei', cli)).find((t) => t.current)!;
  await revokeTokenById(pool, 'mei', id);
  assert.equal((await checkToken(pool, cli)).status, 'unknown');
});

test('a valid check is answered without the database for a moment, and never past the token\'s expiry', async () => {
  const token = await issueToken(pool, 'olu', 'cli');
  await checkToken(pool, token);
  let queries = 0;
  const counting = { query: (...args: Parameters<pg.Pool['query']>) => { queries++; return (pool.query as (...a: unknown[]) => unknown)(...args); } } as unknown as pg.Pool;
  // A different handle is a different cache: the first check asks, the next ones within the second do not.
  await checkToken(counting, token);
  for (let i = 0; i < 20; i++) assert.equal((await checkToken(counting, token)).status, 'valid');
  assert.equal(queries, 1);
  // A token that expires within the second is asked about again once it has.
  const short = await issueToken(pool, 'olu', 'cli');
  await pool.query(`UPDATE api_tokens SET expires_at = now() + interval '200 milliseconds' WHERE token_hash = $1`, [hashToken(short)]);
  assert.equal((await checkToken(counting, short)).status, 'valid');
  await sleep(250);
  assert.equal((await checkToken(counting, short)).status, 'expired');
});
