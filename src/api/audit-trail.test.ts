import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createRoute, z } from '@hono/zod-openapi';
import { createTestDatabase } from '../../test/support/database.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { queryAudit, type AuditRow } from '../engine/audit/log.ts';
import { PlatformError } from '../engine/errors.ts';
import type { Decision } from '../domain/policy/decision.ts';
import { newApiApp } from './errors.ts';
import type { Env } from './openapi.ts';
import { actionOf, auditTrail } from './audit-trail.ts';

let pool: pg.Pool;
const app = newApiApp<Env>();
const decision = (allowed: boolean, action = 'stop'): Decision => ({ allowed, action, resource: 'Environment::"e1"', team: 'web', policies: [allowed ? 'owners-stop' : 'forbid-others'], message: '' });

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('audtrail'), max: 4 });
  await migrate(pool);
  // The same order as the real API: the trail first, then a stand-in for sign-in and authentication.
  app.use('/api/v1/*', auditTrail(pool));
  app.openapi(createRoute({ method: 'post', path: '/api/v1/sessions', request: { body: { content: { 'application/json': { schema: z.object({ user: z.string(), password: z.string() }) } } } }, responses: { 201: { description: '' }, 401: { description: '' } } }),
    async (c) => {
      const { user, password } = c.req.valid('json');
      if (password !== 'right') throw new PlatformError(401, 'unauthenticated', 'wrong user name or password');
      return c.json({ token: 'gpt_secret', user: { id: user } }, 201);
    });
  app.get('/api/v1/auth/oidc/callback', (c) => {
    if (c.req.query('code') !== 'good') return c.html('<p>the sign-in failed</p>', 400);
    c.set('user', { id: 'ada', name: 'Ada', email: '', team: 'web', isAdmin: false } as never);
    return c.redirect('/#token=gpt_oidc_secret', 302);
  });
  app.use('/api/v1/*', async (c, next) => {
    const who = c.req.header('x-user');
    if (!who) throw new PlatformError(401, 'unauthenticated', 'no token');
    c.set('user', { id: who, name: who, email: '', team: 'web', isAdmin: false } as never);
    await next();
  });
  app.post('/api/v1/environments/:id/stop', (c) => {
    const d = decision(c.req.header('x-allow') === 'yes');
    c.set('decision', d);
    if (!d.allowed) throw new PlatformError(403, 'denied', 'no');
    return c.json({ ok: true }, 202);
  });
  app.post('/api/v1/environments/:id/explode', () => { throw new Error('boom'); });
  app.get('/api/v1/environments/:id', (c) => {
    c.set('decision', decision(true, 'read'));
    return c.json({ ok: true });
  });
  app.get('/api/v1/plain', (c) => c.json({ ok: true }));
  app.delete('/api/v1/widgets/:id', (c) => c.body(null, 204));
});
after(() => pool.end());

async function rowsFor(fn: () => Response | Promise<Response>): Promise<{ status: number; rows: AuditRow[] }> {
  const before = (await queryAudit(pool, { limit: 1 })).entries[0]?.id ?? '0';
  const res = await fn();
  const all = (await queryAudit(pool, { limit: 50 })).entries.filter((r) => BigInt(r.id) > BigInt(before));
  return { status: res.status, rows: all };
}
const req = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
  app.request(path, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

test('an allowed decision leaves one row with the actor, action, resource, team and policies', async () => {
  const { status, rows } = await rowsFor(() => req('POST', '/api/v1/environments/e1/stop?token=gpt_leak', { 'x-user': 'mei', 'x-allow': 'yes' }));
  assert.equal(status, 202);
  assert.equal(rows.length, 1);
  const [r] = rows;
  assert.deepEqual([r.actor, r.action, r.resource, r.team, r.decision, r.policies, r.status], ['mei', 'stop', 'Environment::"e1"', 'web', 'allow', ['owners-stop'], 202]);
  assert.doesNotMatch(JSON.stringify(r), /gpt_leak/);
});

test('a denial is recorded as deny with the policy that denied it, although the handler threw', async () => {
  const { status, rows } = await rowsFor(() => req('POST', '/api/v1/environments/e1/stop', { 'x-user': 'ana' }));
  assert.equal(status, 403);
  assert.deepEqual(rows.map((r) => [r.actor, r.decision, r.policies, r.status]), [['ana', 'deny', ['forbid-others'], 403]]);
});

test('a change that fails inside the platform is still recorded, with its 500', async () => {
  const { status, rows } = await rowsFor(() => req('POST', '/api/v1/environments/e9/explode', { 'x-user': 'mei' }));
  assert.equal(status, 500);
  assert.deepEqual(rows.map((r) => [r.action, r.resource, r.status, r.decision]), [['explode', 'Environment::"e9"', 500, 'allow']]);
});

test('a change without a token is recorded as a denial by anonymous', async () => {
  const { status, rows } = await rowsFor(() => req('DELETE', '/api/v1/widgets/w1'));
  assert.equal(status, 401);
  assert.deepEqual(rows.map((r) => [r.actor, r.action, r.resource, r.decision, r.status]), [['anonymous', 'deleteWidget', 'Widget::"w1"', 'deny', 401]]);
});

test('a read that made a decision is recorded; a read that made none is not', async () => {
  assert.deepEqual((await rowsFor(() => req('GET', '/api/v1/environments/e1', { 'x-user': 'mei' }))).rows.map((r) => r.action), ['read']);
  assert.deepEqual((await rowsFor(() => req('GET', '/api/v1/plain', { 'x-user': 'mei' }))).rows, []);
});

test('sign-ins are recorded with the login tried, never the password or the token', async () => {
  const failed = await rowsFor(() => req('POST', '/api/v1/sessions', {}, { user: 'admin', password: 'hunter2-guess' }));
  assert.equal(failed.status, 401);
  assert.deepEqual(failed.rows.map((r) => [r.actor, r.action, r.decision, r.detail]), [['anonymous', 'signIn', 'deny', 'login: admin']]);
  const ok = await rowsFor(() => req('POST', '/api/v1/sessions', {}, { user: 'mei', password: 'right' }));
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.rows.map((r) => [r.actor, r.action, r.decision, r.detail]), [['mei', 'signIn', 'allow', 'login: mei']]);
  const { rows } = await pool.query(`SELECT count(*) FROM audit_log WHERE audit_log::text ~ '(hunter2|right|gpt_secret)'`);
  assert.equal(Number(rows[0].count), 0);
});

test('a sign-in through the identity provider is recorded (a GET that changes something), without its code or token', async () => {
  const ok = await rowsFor(() => req('GET', '/api/v1/auth/oidc/callback?code=good&state=s3cret'));
  assert.equal(ok.status, 302);
  assert.deepEqual(ok.rows.map((r) => [r.actor, r.action, r.decision, r.status]), [['ada', 'signIn', 'allow', 302]]);
  const failed = await rowsFor(() => req('GET', '/api/v1/auth/oidc/callback?code=bad'));
  assert.deepEqual(failed.rows.map((r) => [r.actor, r.action, r.decision, r.status]), [['anonymous', 'signIn', 'deny', 400]]);
  assert.doesNotMatch(JSON.stringify([...ok.rows, ...failed.rows]), /s3cret|gpt_oidc|code=/);
});

test('unnamed routes get an action from the route, never from the URL', () => {
  assert.equal(actionOf('POST', '/api/v1/environments/:id/extend'), 'extend');
  assert.equal(actionOf('POST', '/api/v1/approvals/:id/break-glass'), 'breakGlass');
  assert.equal(actionOf('POST', '/api/v1/environments'), 'launch');
  assert.equal(actionOf('POST', '/api/v1/sessions'), 'signIn');
  assert.equal(actionOf('PUT', '/api/v1/team-quotas/:team'), 'replaceTeamQuota');
  assert.equal(actionOf('POST', '/api/v1/catalog/policies'), 'createCatalogPolicy');
});
