import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { shippedPolicies } from '../../test/support/policies.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { seedDemoOrganisation } from '../engine/identity/demo-organisation.ts';
import { getUser, type User } from '../engine/identity/users.ts';
import { notify } from '../engine/notices/notices.ts';
import type { PathLibrary } from '../engine/paths/library.ts';
import { Lifetime, type GoldenPath } from '../domain/golden-path/schema.ts';
import { newApiApp } from './errors.ts';
import type { Env } from './openapi.ts';
import { registerLifetimeRoutes } from './lifetime-routes.ts';
import { registerNoticeRoutes } from './notice-routes.ts';

let pool: pg.Pool;
let app: ReturnType<typeof newApiApp<Env>>;
const env = 'e0000000c3';
const day = 86_400_000;

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('lifeapi'), max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  await pool.query(
    `INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired, expires_at)
     VALUES ($1, 'short-lived', 'short', '1', 'churn-analytics', 'dana', 'ready', 'ready', now() + interval '1 day')`,
    [env],
  );
  const paths = { list: () => [{ path: { metadata: { name: 'short' }, spec: { lifetime: Lifetime.parse({ ttl: '1d', maxTtl: '3d' }) } } as unknown as GoldenPath }] } as unknown as PathLibrary;
  // The routes under test behind what the platform puts before them: a signed-in user (?as=) and the shipped policies.
  app = newApiApp<Env>();
  app.use('*', async (c, next) => {
    c.set('user', (await getUser(pool, c.req.query('as') ?? 'dana')) as User);
    c.set('policy', shippedPolicies());
    await next();
  });
  registerLifetimeRoutes(app, { pool, paths });
  registerNoticeRoutes(app, { pool });
});
after(() => pool.end());

const call = async (method: string, path: string, body?: unknown) => {
  const res = await app.request(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};

test('POST /environments/{id}/extend moves the expiry by the amount asked, within the limit', async () => {
  const before = (await pool.query('SELECT created_at, expires_at FROM environments WHERE id = $1', [env])).rows[0];
  const r = await call('POST', `/api/v1/environments/${env}/extend`, { by: '12h' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(new Date(r.body.expiresAt).getTime(), before.expires_at.getTime() + day / 2);

  const over = await call('POST', `/api/v1/environments/${env}/extend`, { by: '5d' });
  assert.equal(over.status, 409);
  assert.equal(over.body.error.code, 'beyond_lifetime_limit');
  assert.match(over.body.error.message, /latest possible expiry is .*; extend by at most 1d/);

  const bad = await call('POST', `/api/v1/environments/${env}/extend`, { by: 'soon' });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /"soon" is not a duration/);

  const noBody = await call('POST', `/api/v1/environments/${env}/extend`);
  assert.equal(noBody.status, 200, JSON.stringify(noBody.body));
  assert.equal(new Date(noBody.body.expiresAt).getTime(), before.expires_at.getTime() + day / 2 + day, 'without a body: one more ttl');
  const toLimit = await call('POST', `/api/v1/environments/${env}/extend`, {});
  assert.equal(new Date(toLimit.body.expiresAt).getTime(), before.created_at.getTime() + 3 * day, 'cut at the limit');
});

test('only the policy lets someone extend: another team is refused, an unknown environment is not found', async () => {
  const other = await call('POST', `/api/v1/environments/${env}/extend?as=mei`, { by: '1h' });
  assert.equal(other.status, 403);
  assert.equal((await call('POST', '/api/v1/environments/e000000zzz/extend', {})).status, 404);
});

test("GET /notices lists the user's and their team's notices; POST /notices/{id}/read marks one read for that user", async () => {
  const id = await notify(pool, { team: 'churn-analytics', kind: 'break-glass', message: 'an admin approved on your behalf', environmentId: env });
  const list = await call('GET', '/api/v1/notices?unread=true');
  assert.equal(list.status, 200);
  const n = list.body.notices.find((x: { id: number }) => x.id === id);
  assert.equal(n.environmentName, 'short-lived');
  assert.equal(n.kind, 'break-glass');
  const read = await call('POST', `/api/v1/notices/${id}/read`);
  assert.equal(read.status, 200);
  assert.ok(read.body.readAt);
  assert.ok(!(await call('GET', '/api/v1/notices?unread=true')).body.notices.some((x: { id: number }) => x.id === id));
  assert.equal((await call('POST', `/api/v1/notices/${id}/read?as=mei`)).status, 404, 'another team\'s notice is not theirs to read');
  assert.equal((await call('POST', '/api/v1/notices/abc/read')).status, 400);
});
