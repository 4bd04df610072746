import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogClient } from '@backstage/catalog-client';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localTokens } from '../support/local-accounts.ts';

// Backstage's own catalog client, unchanged, reads a running Goldpath: its discovery points at
// <goldpath>/api/catalog and each call carries a Goldpath token.
let platform: PlatformProcess;
let catalog: CatalogClient;
let token: string;
const owner = 'group:default/churn-analytics';

before(async () => {
  platform = await startPlatformProcess();
  token = localTokens(platform.home).dana;
  catalog = new CatalogClient({ discoveryApi: { getBaseUrl: async () => `${platform.url}/api/catalog` }, fetchApi: { fetch } });
  const component = (name: string, type: string, tags: string[]) =>
    ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name, title: name.replace(/-/g, ' '), tags }, spec: { type, lifecycle: 'production', owner: 'churn-analytics' } });
  const res = await fetch(`${platform.url}/api/v1/catalog/entities`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'client-test', entities: [
      component('churn-scorer', 'service', ['python', 'ml']), component('churn-api-gateway', 'service', ['go']),
      component('churn-dashboard', 'website', ['react']), component('churn-features', 'library', ['python']),
      component('churn-batch', 'service', ['python']),
    ] }),
  });
  assert.equal(res.status, 200, await res.text());
});
after(async () => {
  await platform?.stop();
});

test('getEntities filters (sets ORed, conditions ANDed) and keeps only the fields asked', async () => {
  const { items } = await catalog.getEntities({
    filter: [{ kind: 'component', 'spec.type': 'service', 'relations.ownedBy': owner }, { kind: 'component', 'metadata.name': 'churn-dashboard' }],
    fields: ['kind', 'metadata.name', 'spec.type'],
  }, { token });
  assert.deepEqual(items.map((e) => `${e.metadata.name} ${(e.spec as { type: string }).type}`).sort(),
    ['churn-api-gateway service', 'churn-batch service', 'churn-dashboard website', 'churn-scorer service']);
  assert.ok(items.every((e) => Object.keys(e).sort().join() === 'kind,metadata,spec' && Object.keys(e.metadata).join() === 'name'));
  // Tags, Backstage's way: a tag is a key of its own.
  const python = await catalog.getEntities({ filter: { kind: 'component', 'metadata.tags.python': 'true', 'relations.ownedBy': owner }, fields: ['metadata.name'] }, { token });
  assert.deepEqual(python.items.map((e) => e.metadata.name).sort(), ['churn-batch', 'churn-features', 'churn-scorer']);
});

test('queryEntities pages with its cursors, forward and back, and says how many match', async () => {
  const filter = { kind: 'component', 'relations.ownedBy': owner };
  let page = await catalog.queryEntities({ filter, limit: 2, orderFields: { field: 'metadata.name', order: 'asc' }, fields: ['metadata.name'] }, { token });
  assert.equal(page.totalItems, 5);
  const pages = [page.items.map((e) => e.metadata.name)];
  while (page.pageInfo.nextCursor) {
    page = await catalog.queryEntities({ cursor: page.pageInfo.nextCursor, limit: 2, fields: ['metadata.name'] }, { token });
    pages.push(page.items.map((e) => e.metadata.name));
  }
  assert.deepEqual(pages, [['churn-api-gateway', 'churn-batch'], ['churn-dashboard', 'churn-features'], ['churn-scorer']]);
  const back = await catalog.queryEntities({ cursor: page.pageInfo.prevCursor!, limit: 2, fields: ['metadata.name'] }, { token });
  assert.deepEqual(back.items.map((e) => e.metadata.name), ['churn-dashboard', 'churn-features']);
  // The full-text filter, as Backstage's catalog table sends it.
  const found = await catalog.queryEntities({ filter, fullTextFilter: { term: 'DASH', fields: ['metadata.name', 'metadata.title'] } }, { token });
  assert.deepEqual(found.items.map((e) => e.metadata.name), ['churn-dashboard']);
  // streamEntities is the cursor walk too.
  const streamed: string[] = [];
  for await (const batch of catalog.streamEntities({ filter, pageSize: 2, fields: ['metadata.name'] }, { token })) streamed.push(...batch.map((e) => e.metadata.name));
  assert.equal(streamed.length, 5);
});

test('getEntityByRef, getEntitiesByRefs (in order, undefined for a missing one) and getEntityFacets', async () => {
  const scorer = await catalog.getEntityByRef('component:default/churn-scorer', { token });
  assert.equal(scorer?.metadata.title, 'churn scorer');
  assert.ok(scorer?.metadata.uid);
  assert.ok(scorer?.relations?.some((r) => r.type === 'ownedBy' && r.targetRef === owner));
  assert.equal(await catalog.getEntityByRef('component:default/no-such-thing', { token }), undefined);
  // The platform's own entities are there too: its teams.
  assert.equal((await catalog.getEntityByRef(owner, { token }))?.kind, 'Group');

  const { items } = await catalog.getEntitiesByRefs({ entityRefs: ['component:default/churn-batch', 'component:default/gone', owner], fields: ['kind', 'metadata.name'] }, { token });
  assert.deepEqual(items, [{ kind: 'Component', metadata: { name: 'churn-batch' } }, undefined, { kind: 'Group', metadata: { name: 'churn-analytics' } }]);

  const { facets } = await catalog.getEntityFacets({ facets: ['spec.type', 'metadata.tags'], filter: { kind: 'component', 'relations.ownedBy': owner } }, { token });
  assert.deepEqual(facets['spec.type'], [{ value: 'service', count: 3 }, { value: 'library', count: 1 }, { value: 'website', count: 1 }]);
  assert.deepEqual(facets['metadata.tags'].find((t) => t.value === 'python'), { value: 'python', count: 3 });
});

test('without a token the client gets a 401 error', async () => {
  await assert.rejects(catalog.getEntities({ filter: { kind: 'component' } }), /401/);
});
