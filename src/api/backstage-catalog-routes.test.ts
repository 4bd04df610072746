import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { shippedPolicies } from '../../test/support/policies.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { seedDemoOrganisation } from '../engine/identity/demo-organisation.ts';
import { issueToken } from '../engine/identity/tokens.ts';
import { upsertEntities } from '../engine/catalog/store.ts';
import { listAll } from '../engine/catalog/backstage-query.ts';
import { createApi } from './app.ts';

// The whole API (its middleware and authentication included), asked as Backstage tooling asks.
let pool: pg.Pool;
let app: ReturnType<typeof createApi>;
let token: string;

const B = 'backstage.io/v1alpha1';
const component = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  ({ apiVersion: B, kind: 'Component', metadata: { name, ...metadata }, spec: { lifecycle: 'production', owner: 'payments', ...spec } });

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('bscat'), max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  token = await issueToken(pool, 'dana', 'cli');
  app = createApi({ pool, policy: shippedPolicies(), version: 'test' } as never);
  await upsertEntities(pool, 'api:test', [
    component('payments-service', { type: 'service', system: 'payments', dependsOn: ['resource:payments-db'] },
      { title: 'Payments Service', tags: ['java', 'kafka'], annotations: { 'github.com/project-slug': 'acme/payments-service' } }),
    component('Settlement-Worker', { type: 'Service' }, { title: 'Settlement worker' }),
    component('ledger-lib', { type: 'library', lifecycle: 'experimental' }, { tags: ['java'] }),
    component('storefront', { type: 'website', owner: 'web' }, { title: 'Storefront', tags: ['react'] }),
    { apiVersion: B, kind: 'API', metadata: { name: 'payments-api', tags: ['openapi'] }, spec: { type: 'openapi', lifecycle: 'production', owner: 'payments', definition: 'openapi: 3.0.0' } },
    { apiVersion: B, kind: 'Resource', metadata: { name: 'payments-db' }, spec: { type: 'database', owner: 'payments' } },
    { apiVersion: B, kind: 'System', metadata: { name: 'payments' }, spec: { owner: 'payments' } },
    { apiVersion: B, kind: 'Group', metadata: { name: 'payments' }, spec: { type: 'team', children: [] } },
    { apiVersion: B, kind: 'Group', metadata: { name: 'web' }, spec: { type: 'team', children: [] } },
    { apiVersion: B, kind: 'User', metadata: { name: 'mei' }, spec: { memberOf: ['payments'] } },
  ]);
});
after(() => pool.end());

const get = async (path: string, auth = true) => {
  const res = await app.request(`/api/catalog${path}`, { headers: auth ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
};
const names = (items: { metadata: { name: string } }[]) => items.map((i) => i.metadata.name);
const query = async (qs: string) => {
  const r = await get(`/entities/by-query?${qs}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as { items: { kind: string; metadata: { name: string; uid: string; etag: string }; relations: { type: string; targetRef: string }[] }[]; totalItems: number; pageInfo: { nextCursor?: string; prevCursor?: string } };
};

test('filter: conditions in one filter all hold, separate filters are alternatives, a bare key means it exists', async () => {
  // AND within a filter, keys and values case-insensitive (spec.type "Service" is a service).
  assert.deepEqual(names((await query('filter=kind=component,spec.type=service')).items).sort(), ['Settlement-Worker', 'payments-service']);
  assert.deepEqual(names((await query('filter=KIND=Component,Spec.Type=SERVICE')).items).sort(), ['Settlement-Worker', 'payments-service']);
  // OR across filters.
  assert.deepEqual(names((await query('filter=kind=api&filter=kind=resource')).items), ['payments-api', 'payments-db']);
  // The same key twice in one filter: either value.
  assert.deepEqual(names((await query('filter=kind=component,spec.type=website,spec.type=library')).items), ['ledger-lib', 'storefront']);
  // A key alone: it exists (spec.type: not the system, which has none, nor the user).
  assert.deepEqual(names((await query('filter=spec.type&filter=kind=user')).items).length, 9);
  assert.deepEqual(names((await query('filter=kind=system,spec.type')).items), []);
  // Tags as a list value, and as keys of their own.
  assert.deepEqual(names((await query('filter=metadata.tags=java')).items), ['ledger-lib', 'payments-service']);
  assert.deepEqual(names((await query('filter=metadata.tags.java,metadata.tags.kafka')).items), ['payments-service']);
  // Relations by type and target ref, and any other path of the descriptor (an annotation).
  assert.deepEqual(names((await query('filter=kind=component,relations.ownedBy=group:default/web')).items), ['storefront']);
  assert.deepEqual(names((await query('filter=relations.memberof=group:default/payments')).items), ['mei']);
  assert.deepEqual(names((await query('filter=metadata.annotations.github.com/project-slug=ACME/payments-service')).items), ['payments-service']);
  assert.deepEqual(names((await query('filter=spec.lifecycle=experimental')).items), ['ledger-lib']);
  assert.deepEqual(names((await query('filter=spec.system=payments')).items), ['payments-service']);
  // Nothing matches an unknown kind or relation; no filter is everything.
  assert.equal((await query('filter=kind=nonsense')).totalItems, 0);
  assert.equal((await query('filter=relations.nonsense=x')).totalItems, 0);
  assert.equal((await query('limit=100')).totalItems, 10);
});

test('by-query entities are Backstage-shaped: uid, etag, relations; fields keep only the paths asked', async () => {
  const [e] = (await query('filter=kind=component,metadata.name=payments-service')).items;
  assert.match(e.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.ok(e.metadata.etag);
  assert.ok(e.relations.some((r) => r.type === 'ownedBy' && r.targetRef === 'group:default/payments'));
  assert.ok(e.relations.some((r) => r.type === 'dependsOn' && r.targetRef === 'resource:default/payments-db'));
  // The uid finds the entity again.
  assert.deepEqual(names((await query(`filter=metadata.uid=${e.metadata.uid}`)).items), ['payments-service']);
  const only = await query('filter=kind=component,metadata.name=payments-service&fields=kind,metadata.name,spec.type');
  assert.deepEqual(only.items, [{ kind: 'Component', metadata: { name: 'payments-service' }, spec: { type: 'service' } }]);
});

test('by-query pages with cursors both ways; the total is counted once and carried', async () => {
  const seen: string[] = [];
  let page = await query('filter=kind=component&filter=kind=api&limit=2&orderField=metadata.name,desc');
  assert.equal(page.totalItems, 5);
  assert.equal(page.pageInfo.prevCursor, undefined);
  const pages = [page];
  seen.push(...names(page.items));
  while (page.pageInfo.nextCursor) {
    page = await query(`cursor=${page.pageInfo.nextCursor}&limit=2`);
    assert.equal(page.totalItems, 5);
    assert.ok(page.pageInfo.prevCursor, 'a later page has a way back');
    pages.push(page);
    seen.push(...names(page.items));
  }
  assert.deepEqual(seen, ['storefront', 'Settlement-Worker', 'payments-service', 'payments-api', 'ledger-lib']);
  // Back from the last page: the same pages, in the same order.
  const back = await query(`cursor=${page.pageInfo.prevCursor}&limit=2`);
  assert.deepEqual(names(back.items), names(pages[1].items));
  const first = await query(`cursor=${back.pageInfo.prevCursor}&limit=2`);
  assert.deepEqual(names(first.items), names(pages[0].items));
  assert.equal(first.pageInfo.prevCursor, undefined);
  assert.ok(first.pageInfo.nextCursor);
  // Ascending by name, and an offset.
  assert.deepEqual(names((await query('filter=kind=component&orderField=metadata.name,asc&offset=1&limit=2')).items), ['payments-service', 'Settlement-Worker']);
});

test('fullTextFilter: the term as a substring of the fields given, else of the name and title', async () => {
  // Ordered by ref: api, component, group, resource, system.
  assert.deepEqual(names((await query('fullTextFilterTerm=PAYMENT')).items), ['payments-api', 'payments-service', 'payments', 'payments-db', 'payments']);
  const byTitle = await query('filter=kind=component&fullTextFilterTerm=worker');
  assert.deepEqual(names(byTitle.items), ['Settlement-Worker']);
  assert.equal(byTitle.totalItems, 1);
  const byType = await query('filter=kind=component&fullTextFilterTerm=libr&fullTextFilterFields=spec.type');
  assert.deepEqual(names(byType.items), ['ledger-lib']);
  assert.deepEqual(names((await query('fullTextFilterTerm=front&fullTextFilterFields=metadata.title,spec.type')).items), ['storefront']);
  // Paged, ordered: the same cursors (the term, three letters or more, is found through the trigram indexes).
  const p1 = await query('fullTextFilterTerm=payment&limit=2&orderField=metadata.name,asc');
  assert.equal(p1.totalItems, 5);
  const p2 = await query(`cursor=${p1.pageInfo.nextCursor}&limit=2`);
  const p3 = await query(`cursor=${p2.pageInfo.nextCursor}&limit=2`);
  assert.deepEqual([...names(p1.items), ...names(p2.items), ...names(p3.items)], ['payments', 'payments', 'payments-api', 'payments-db', 'payments-service']);
  assert.equal(p3.pageInfo.nextCursor, undefined);
  assert.equal(p3.totalItems, 5);
  assert.deepEqual(names((await query(`cursor=${p3.pageInfo.prevCursor}&limit=2`)).items), names(p2.items));
  // LIKE's wildcards in the term are plain characters.
  assert.equal((await query('fullTextFilterTerm=%25')).totalItems, 0);
});

test('by-name, by-refs in the order asked (null for a missing one), and facets of any field', async () => {
  const one = await get('/entities/by-name/Component/default/payments-service');
  assert.equal(one.status, 200);
  assert.equal(one.body.metadata.title, 'Payments Service');
  const missing = await get('/entities/by-name/component/default/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.name, 'NotFoundError');

  const res = await app.request('/api/catalog/entities/by-refs', {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ entityRefs: ['resource:default/payments-db', 'component:default/nope', 'Component:default/Storefront', 'not a ref'], fields: ['metadata.name'] }),
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { items: [{ metadata: { name: 'payments-db' } }, null, { metadata: { name: 'storefront' } }, null] });

  const facets = await get('/entity-facets?facet=kind&facet=spec.type&facet=metadata.tags&facet=relations.ownedBy&facet=spec.system&filter=kind=component');
  assert.equal(facets.status, 200);
  assert.deepEqual(facets.body.facets.kind, [{ value: 'Component', count: 4 }]);
  assert.deepEqual(facets.body.facets['spec.type'], [{ value: 'library', count: 1 }, { value: 'service', count: 1 }, { value: 'Service', count: 1 }, { value: 'website', count: 1 }]);
  assert.deepEqual(facets.body.facets['metadata.tags'], [{ value: 'java', count: 2 }, { value: 'kafka', count: 1 }, { value: 'react', count: 1 }]);
  assert.deepEqual(facets.body.facets['relations.ownedBy'], [{ value: 'group:default/payments', count: 3 }, { value: 'group:default/web', count: 1 }]);
  assert.deepEqual(facets.body.facets['spec.system'], [{ value: 'payments', count: 1 }]);
  // Any other path: its values as written, a list's items each.
  const raw = await get('/entity-facets?facet=spec.owner&facet=spec.dependsOn&filter=kind=component');
  assert.deepEqual(raw.body.facets, { 'spec.owner': [{ value: 'payments', count: 3 }, { value: 'web', count: 1 }], 'spec.dependsOn': [{ value: 'resource:payments-db', count: 1 }] });
  // Facets with a filter beyond kind and type are counted over the matches.
  const java = await get('/entity-facets?facet=spec.type&filter=metadata.tags.java');
  assert.deepEqual(java.body.facets['spec.type'], [{ value: 'library', count: 1 }, { value: 'service', count: 1 }]);
});

test('Backstage\'s API needs a token, and bad input is a 400 in Backstage\'s error shape', async () => {
  assert.equal((await get('/entities/by-query', false)).status, 401);
  assert.equal((await get('/entity-facets?facet=kind', false)).status, 401);
  const badLimit = await get('/entities/by-query?limit=lots');
  assert.equal(badLimit.status, 400);
  assert.equal(badLimit.body.error.name, 'InputError');
  assert.match(badLimit.body.error.message, /limit: must be a whole number/);
  assert.equal((await get('/entities/by-query?cursor=bm90LWEtY3Vyc29y')).status, 400);
  assert.equal((await get(`/entities/by-query?cursor=${Buffer.from(JSON.stringify({ q: { filter: [[{ key: 1 }]] }, at: ['a', 'b'], prev: false, total: 1 })).toString('base64url')}`)).status, 400);
  assert.equal((await get('/entities/by-query?orderField=metadata.name,sideways')).status, 400);
  assert.equal((await get('/entities/by-query?filter==x')).status, 400);
  assert.equal((await get('/entity-facets')).status, 400);
  assert.equal((await get('/entities/by-query?orderField=spec.%27;drop,asc')).status, 400);
});

test('GET /entities lists every match as a plain list, ordered and cut by limit and offset', async () => {
  const all = await get('/entities?filter=kind=component&fields=metadata.name&order=asc:metadata.name');
  assert.equal(all.status, 200);
  assert.deepEqual(names(all.body), ['ledger-lib', 'payments-service', 'Settlement-Worker', 'storefront']);
  assert.deepEqual(names((await get('/entities?filter=kind=component&fields=metadata.name&order=desc:metadata.name&limit=2&offset=1')).body), ['Settlement-Worker', 'payments-service']);
});

test('GET /entities reads in chunks (by ref, or by offset within an order): every match once, in order', async () => {
  const all = async (q: Parameters<typeof listAll>[1]) => {
    const out: string[] = [];
    for await (const chunk of listAll(pool, q, 2)) out.push(...names(chunk as never));
    return out;
  };
  const byRef = await all({ filter: [], fields: ['metadata.name'] });
  assert.equal(byRef.length, 10);
  assert.deepEqual(await all({ filter: [], fields: ['metadata.name'], offset: 3, limit: 5 }), byRef.slice(3, 8));
  const byName = await all({ filter: [], fields: ['metadata.name'], orderFields: [{ field: 'metadata.name', order: 'desc' }], offset: 1, limit: 7 });
  assert.deepEqual(byName, [...byRef].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? 1 : a.toLowerCase() > b.toLowerCase() ? -1 : 0)).slice(1, 8));
  const empty = await get('/entities?filter=kind=nonsense');
  assert.deepEqual(empty.body, []);
});
