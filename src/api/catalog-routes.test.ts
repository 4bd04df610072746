import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenAPIHono } from '@hono/zod-openapi';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { importCatalogPath } from '../engine/catalog/import.ts';
import { registerCatalogRoutes } from './catalog-routes.ts';
import { newApiApp } from './errors.ts';
import type { Env } from './openapi.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shippedPolicies, shippedPoliciesDir } from '../../test/support/policies.ts';
import { PolicyEngine } from '../engine/policy/engine.ts';

let pool: pg.Pool;
let app: OpenAPIHono<Env>;

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('capi'), max: 4 });
  await migrate(pool);
  await importCatalogPath(pool, new URL('../engine/catalog/fixtures/backstage', import.meta.url).pathname, { source: 'file:backstage' });
  // The validation hook and error handling of createApi itself, with a signed-in user.
  app = newApiApp<Env>();
  app.use('/api/v1/*', async (c, next) => {
    c.set('user', { id: 'dana', name: 'Dana', email: 'dana@example.org', team: 'churn-analytics', isAdmin: false });
    c.set('policy', shippedPolicies());
    await next();
  });
  // A search with more than 2 matches counts facets over its best 2, and estimates its total.
  registerCatalogRoutes(app, { pool, facetSample: 2, countExact: 2 });
});
after(() => pool.end());

const call = async (method: string, path: string, body?: unknown) => {
  const res = await app.request(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};

test('GET entities filters, selects fields, pages and counts facets', async () => {
  const r = await call('GET', '/api/v1/catalog/entities?kind=component&spec.type=service&fields=ref,metadata.title&limit=1');
  assert.equal(r.status, 200);
  assert.equal(r.body.totalCount, 2);
  assert.deepEqual(r.body.items, [{ ref: 'component:default/payments-service', metadata: { title: 'Payments Service' } }]);
  assert.ok(r.body.nextCursor);
  const next = await call('GET', `/api/v1/catalog/entities?kind=component&spec.type=service&fields=ref&limit=1&cursor=${r.body.nextCursor}`);
  assert.deepEqual(next.body.items, [{ ref: 'component:default/payments-settlement-worker' }]);
  assert.equal(next.body.nextCursor, null);
  assert.deepEqual(r.body.facets.kind, [{ value: 'Component', count: 2 }]);
  const search = await call('GET', '/api/v1/catalog/entities?q=payments%20api&fields=ref&limit=1');
  assert.equal(search.body.items[0].ref, 'api:default/payments-api');
  assert.equal(search.body.totalCount, 1);
  assert.equal(search.body.totalCountIsEstimate, undefined, 'an exact count is not labelled');
  // Beyond the threshold, the total is an estimate and says so; the facets say they cover only the best-ranked matches.
  const broad = await call('GET', '/api/v1/catalog/entities?q=payments&fields=ref&limit=1');
  assert.ok(broad.body.totalCount > 2);
  assert.equal(broad.body.totalCountIsEstimate, true);
  assert.ok(broad.body.nextCursor);
  assert.equal(broad.body.facetsOverTop, 2);
  assert.equal(broad.body.facets.kind.reduce((n: number, k: { count: number }) => n + k.count, 0), 2);
  const owned = await call('GET', '/api/v1/catalog/entities?relation=ownedBy:group:default/web&fields=ref');
  assert.deepEqual(owned.body.items.map((i: { ref: string }) => i.ref), ['component:default/storefront', 'resource:ops/storefront-cdn', 'system:default/storefront']);
});

test('GET by-ref returns relations with the other end resolved; unknown refs are a 404 that says what to do', async () => {
  const r = await call('GET', '/api/v1/catalog/entities/by-ref/Component/default/storefront');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.relations.find((x: { type: string }) => x.type === 'consumesApi'), {
    type: 'consumesApi', targetRef: 'api:default/payments-api', target: { kind: 'API', namespace: 'default', name: 'payments-api', title: 'Payments API', exists: true },
  });
  const missing = await call('GET', '/api/v1/catalog/entities/by-ref/component/default/nope');
  assert.equal(missing.status, 404);
  assert.match(missing.body.error.message, /no entity component:default\/nope/);
});

test('POST upserts descriptors as source api, rejects a bad batch whole with item and field, and DELETE removes only api entities', async () => {
  const good = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'posted' }, spec: { type: 'service', lifecycle: 'beta', owner: 'churn-analytics' } };
  const bad = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'half' }, spec: { type: 'service', owner: 'churn-analytics' } };
  const rejected = await call('POST', '/api/v1/catalog/entities', { entities: [good, bad] });
  assert.equal(rejected.status, 400);
  assert.match(rejected.body.error.message, /entities\[1\]\.spec\.lifecycle: is required/);
  assert.equal((await call('GET', '/api/v1/catalog/entities/by-ref/component/default/posted')).status, 404);

  const ok = await call('POST', '/api/v1/catalog/entities', { entities: [good] });
  assert.deepEqual(ok.body, { source: 'api', written: 1, unchanged: 0, removed: [] });
  const fetched = await call('GET', '/api/v1/catalog/entities/by-ref/component/default/posted');
  assert.equal(fetched.body.source, 'api');
  // What GET returns can be posted back unchanged.
  assert.deepEqual((await call('POST', '/api/v1/catalog/entities', { entities: [fetched.body] })).body.unchanged, 1);

  assert.equal((await call('DELETE', '/api/v1/catalog/entities/by-ref/component/default/posted')).status, 204);
  const notMine = await call('DELETE', '/api/v1/catalog/entities/by-ref/component/default/storefront');
  assert.equal(notMine.status, 403);
  assert.match(notMine.body.error.message, /registered by another source.*policy an-entity-belongs-to-its-source/);
  assert.equal((await call('POST', '/api/v1/catalog/entities', { entities: [] })).status, 400);
});

test('an entity belongs to its owner: nobody registers for, overwrites or hands an entity to a team they are not in', async () => {
  const entity = (owner: string) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'owned' }, spec: { type: 'service', lifecycle: 'beta', owner } });
  const forWeb = await call('POST', '/api/v1/catalog/entities', { entities: [entity('web')] });
  assert.equal(forWeb.status, 403);
  assert.match(forWeb.body.error.message, /dana may not registerEntity CatalogEntity::"component:default\/owned"/);
  assert.equal((await call('GET', '/api/v1/catalog/entities/by-ref/component/default/owned')).status, 404, 'nothing written');

  assert.equal((await call('POST', '/api/v1/catalog/entities', { entities: [entity('churn-analytics')] })).status, 200);
  const givenAway = await call('POST', '/api/v1/catalog/entities', { entities: [entity('payments')] });
  assert.equal(givenAway.status, 403, 'handing it to another team is registering for that team');
  assert.equal((await call('GET', '/api/v1/catalog/entities/by-ref/component/default/owned')).body.spec.owner, 'churn-analytics');

  // Another team's API entity cannot be replaced away by a full sync of the same source either.
  for (const table of ['catalog_entities', 'catalog_facts']) await pool.query(`UPDATE ${table} SET owner = 'group:default/payments' WHERE ref = 'component:default/owned'`);
  const sync = await call('POST', '/api/v1/catalog/entities', { entities: [entity('churn-analytics')], replace: true });
  assert.equal(sync.status, 403);
  assert.match(sync.body.error.message, /replaceEntity/);
  for (const table of ['catalog_entities', 'catalog_facts', 'catalog_heads']) await pool.query(`DELETE FROM ${table} WHERE ref = 'component:default/owned'`);
});

test('bad query input is a clear 400, never a 5xx', async () => {
  for (const q of ['limit=0', 'limit=abc', 'cursor=zzz', 'kind=Widget', 'relation=ownedBy', 'relation=nope:x:y/z', 'owner=a/b/c']) {
    const r = await call('GET', `/api/v1/catalog/entities?${q}`);
    assert.equal(r.status, 400, q);
    assert.ok(r.body.error.message.length > 10, q);
  }
  const facets = await call('GET', '/api/v1/catalog/facets?metadata.tags=java');
  assert.deepEqual(facets.body.facets.kind, [{ value: 'Component', count: 2 }]);
});

test('an import session through the routes: chunks parsed here with per-document errors, commit replaces, the policy asked per owner', async () => {
  const doc = (name: string, owner: string) => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: beta\n  owner: ${owner}\n`;
  const start = await call('POST', '/api/v1/catalog/imports', { source: 'import:routes' });
  assert.equal(start.status, 200);
  assert.equal(start.body.source, 'api:import:routes');
  const chunk = await call('POST', '/api/v1/catalog/imports/chunks', { import: start.body.id, files: [{ path: 'r/a.yaml', text: [doc('imp-a', 'churn-analytics'), doc('imp-b', 'churn-analytics'), 'kind: Component\n'].join('---\n') }] });
  assert.equal(chunk.status, 200);
  assert.equal(chunk.body.written, 2);
  assert.equal(chunk.body.errors[0].document, 3);
  // dana may not register for another team: the whole chunk is refused, naming the entity.
  const refused = await call('POST', '/api/v1/catalog/imports/chunks', { import: start.body.id, files: [{ path: 'r/b.yaml', text: [doc('imp-c', 'churn-analytics'), doc('imp-d', 'web')].join('---\n') }] });
  assert.equal(refused.status, 403);
  assert.match(refused.body.error.message, /registerEntity CatalogEntity::"component:default\/imp-d"/);
  const done = await call('POST', `/api/v1/catalog/imports/${start.body.id}/commit`);
  assert.deepEqual(done.body, { source: 'api:import:routes', entities: 2, removed: [], kept: 0 });
  const unknown = await call('POST', '/api/v1/catalog/imports/chunks', { import: start.body.id, files: [] });
  assert.equal(unknown.status, 404);
});

test('a policy that names one entity by its ref is asked about that entity, even beside others of the same owner', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'policies-'));
  writeFileSync(join(dir, 'blocked.cedar'), '@id("not-this-one")\nforbid (principal, action, resource == CatalogEntity::"component:default/imp-blocked");\n');
  const strict = newApiApp<Env>();
  strict.use('/api/v1/*', async (c, next) => {
    c.set('user', { id: 'dana', name: 'Dana', email: 'dana@example.org', team: 'churn-analytics', isAdmin: false });
    c.set('policy', PolicyEngine.load([shippedPoliciesDir, dir], { log: () => {} }));
    await next();
  });
  registerCatalogRoutes(strict, { pool });
  const post = (body: unknown) => strict.request('/api/v1/catalog/entities', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const entity = (name: string) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name }, spec: { type: 'service', lifecycle: 'beta', owner: 'churn-analytics' } });
  const res = await post({ entities: [entity('imp-fine'), entity('imp-blocked')], source: 'strict' });
  assert.equal(res.status, 403);
  assert.match(((await res.json()) as { error: { message: string } }).error.message, /imp-blocked/);
  rmSync(dir, { recursive: true, force: true });
});
