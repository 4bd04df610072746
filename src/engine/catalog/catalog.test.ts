import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { PlatformError } from '../errors.ts';
import { importCatalogPath } from './import.ts';
import { facetsFor, getEntity, listEntities } from './query.ts';
import { deleteEntity, upsertEntities } from './store.ts';

const fixtures = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
let pool: pg.Pool;

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('cat'), max: 4 });
  await migrate(pool);
  await importCatalogPath(pool, fixtures('backstage'), { source: 'file:backstage' });
  await importCatalogPath(pool, fixtures('goldpath'), { source: 'file:goldpath' });
});
after(() => pool.end());

const relationsOf = async (ref: string) => (await getEntity(pool, ref))!.relations.map((r) => `${r.type} ${r.targetRef}`).sort();
const count = async () => Number((await pool.query('SELECT count(*) AS n FROM catalog_entities')).rows[0].n);

test('Backstage catalog-info.yaml files import unchanged, every built-in kind with the same refs', async () => {
  const { items } = await listEntities(pool, { source: ['file:backstage'], limit: 100, fields: ['ref', 'kind'] });
  assert.deepEqual(items.map((i) => i.ref), [
    'api:default/ledger-api', 'api:default/payments-api',
    'component:default/payments-service', 'component:default/payments-settlement-worker', 'component:default/storefront',
    'domain:default/commerce',
    'group:default/data-science', 'group:default/engineering', 'group:default/payments', 'group:default/web',
    'location:default/acme-root',
    'resource:default/payments-db', 'resource:ops/storefront-cdn',
    'system:default/payments', 'system:default/storefront',
    'user:default/dana', 'user:default/mei', 'user:default/sam',
  ]);
  const service = (await getEntity(pool, 'Component:default/Payments-Service'))!;
  assert.equal((service.metadata as { annotations: Record<string, string> }).annotations['github.com/project-slug'], 'acme/payments-service');
  assert.equal(service.source, 'file:backstage');
});

test('every Backstage relation is stored in both directions', async () => {
  assert.deepEqual(await relationsOf('component:default/payments-service'), [
    'consumesApi api:default/ledger-api',
    'dependencyOf component:default/storefront',
    'dependsOn resource:default/payments-db',
    'hasPart component:default/payments-settlement-worker',
    'ownedBy group:default/payments',
    'partOf system:default/payments',
    'providesApi api:default/payments-api',
  ].sort());
  assert.deepEqual(await relationsOf('api:default/payments-api'), [
    'apiConsumedBy component:default/storefront', 'apiProvidedBy component:default/payments-service',
    'ownedBy group:default/payments', 'partOf system:default/payments',
  ]);
  assert.ok((await relationsOf('resource:default/payments-db')).includes('dependencyOf component:default/payments-settlement-worker'));
  assert.ok((await relationsOf('group:default/payments')).includes('ownerOf component:default/payments-service'));
  assert.deepEqual((await relationsOf('group:default/payments')).filter((r) => /Member|childOf/.test(r)), ['childOf group:default/engineering', 'hasMember user:default/mei']);
  assert.ok((await relationsOf('group:default/engineering')).includes('parentOf group:default/web'));
  assert.deepEqual(await relationsOf('user:default/dana'), ['launcherOf environment:default/e0churn001', 'memberOf group:default/data-science']);
  assert.deepEqual((await relationsOf('system:default/payments')).filter((r) => r.startsWith('partOf')), ['partOf domain:default/commerce']);
  assert.ok((await relationsOf('domain:default/commerce')).includes('hasPart system:default/storefront'));
  // dependencyOf declared by a resource in another namespace shows up on the component as dependsOn
  assert.ok((await relationsOf('component:default/storefront')).includes('dependsOn resource:ops/storefront-cdn'));
});

test('relations resolve to the other end with its kind and title, and say when it is not in the catalog', async () => {
  const e = (await getEntity(pool, 'component:default/payments-service'))!;
  const api = e.relations.find((r) => r.type === 'providesApi')!;
  assert.deepEqual(api.target, { kind: 'API', namespace: 'default', name: 'payments-api', title: 'Payments API', exists: true });
  const gp = (await getEntity(pool, 'goldenpath:default/data-science-experimentation'))!;
  const owner = gp.relations.find((r) => r.type === 'ownedBy')!;
  assert.deepEqual(owner.target, { kind: null, namespace: 'default', name: 'platform', title: null, exists: false });
});

test('every Goldpath kind imports with its relations: data product, dataset, feature view, model, path, environment', async () => {
  const kinds = (await listEntities(pool, { source: ['file:goldpath'], limit: 50, fields: ['kind'] })).items.map((i) => i.kind).sort();
  assert.deepEqual(kinds, ['DataProduct', 'Dataset', 'Dataset', 'Environment', 'FeatureView', 'GoldenPath', 'Model']);
  assert.deepEqual(await relationsOf('dataproduct:default/customer-360'), [
    'hasPart dataset:default/customers', 'hasPart dataset:default/transactions', 'ownedBy group:default/data-science', 'partOf domain:default/commerce',
  ]);
  assert.ok((await relationsOf('dataset:default/customers')).includes('partOf dataproduct:default/customer-360'));
  assert.deepEqual(await relationsOf('model:default/churn-model'), [
    'dependsOn featureview:default/customer-activity', 'ownedBy group:default/data-science',
    'trainedOn dataset:default/customers', 'trainedOn dataset:default/transactions',
  ]);
  assert.ok((await relationsOf('dataset:default/transactions')).includes('trainingDataOf model:default/churn-model'));
  assert.ok((await relationsOf('dataset:default/transactions')).includes('dependencyOf featureview:default/customer-activity'));
  assert.deepEqual(await relationsOf('environment:default/e0churn001'), [
    'dependsOn dataset:default/customers', 'instanceOf goldenpath:default/data-science-experimentation',
    'launchedBy user:default/dana', 'ownedBy group:default/data-science',
  ]);
});

test('a dataset keeps its data dictionary: columns with type, description, classification and visibility', async () => {
  const d = (await getEntity(pool, 'dataset:default/customers'))! as unknown as { spec: { columns: { name: string; classification?: string; visibleTo?: string[] }[] } };
  const email = d.spec.columns.find((c) => c.name === 'email')!;
  assert.deepEqual([email.classification, email.visibleTo], ['pii.email', ['sensitive']]);
  // column names are searchable: "email" finds the dataset
  assert.ok((await listEntities(pool, { q: 'email', fields: ['ref'] })).items.some((i) => i.ref === 'dataset:default/customers'));
});

for (const [file, expected] of [
  ['bad/missing-owner.yaml', /missing-owner\.yaml document 2 \(line \d+\) Component Bad Service!: metadata\.name: .*spec\.owner: is required/],
  ['bad/broken-yaml.yaml', /broken-yaml\.yaml document 1 \(line 6\): \(yaml\): /],
  ['bad/unknown-kind.yaml', /unknown-kind\.yaml document 1 .*"Widget" is not a kind the catalog knows/],
  ['bad/bad-data.yaml', /document 1 .*spec\.columns: a dataset needs at least one column[\s\S]*document 2 .*spec\.versions\[0\]\.metrics\.auc: must be a number[\s\S]*document 3 .*spec\.dependsOn\[0\]: "orders-db" has no kind/],
] as const) {
  test(`a bad file (${file}) imports nothing and says which document and field is wrong`, async () => {
    const before = await count();
    await assert.rejects(importCatalogPath(pool, fixtures(file), { source: 'file:bad' }), (e: unknown) => {
      assert.ok(e instanceof PlatformError);
      assert.equal(e.status, 400);
      assert.match(e.message, expected);
      return true;
    });
    assert.equal(await count(), before);
  });
}

test('a directory with one bad file imports nothing, not even the good documents', async () => {
  const before = await count();
  await assert.rejects(importCatalogPath(pool, fixtures('bad'), { source: 'file:bad' }), /4|bad document/);
  assert.equal(await count(), before);
  assert.equal(await getEntity(pool, 'component:default/good-service'), null);
});

test('a full sync removes what disappeared from that source, with its relations, and leaves other sources alone', async () => {
  const svc = (name: string, deps: string[] = []) => ({
    apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name, tags: ['sync-test'] },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'payments', dependsOn: deps },
  });
  await upsertEntities(pool, 'api:sync', [svc('sync-a', ['component:sync-b']), svc('sync-b')], { replace: true });
  assert.ok((await relationsOf('component:default/sync-b')).includes('dependencyOf component:default/sync-a'));
  const tagCount = async () => (await facetsFor(pool, {})).tag.find((t) => t.value === 'sync-test')?.count ?? 0;
  assert.equal(await tagCount(), 2);

  const r = await upsertEntities(pool, 'api:sync', [svc('sync-b')], { replace: true });
  assert.deepEqual(r.removed, ['component:default/sync-a']);
  assert.equal(r.unchanged, 1);
  assert.equal(await getEntity(pool, 'component:default/sync-a'), null);
  assert.ok(!(await relationsOf('component:default/sync-b')).some((x) => x.includes('sync-a')), 'the inverse relation went with it');
  assert.equal(await tagCount(), 1);
  assert.ok(await getEntity(pool, 'component:default/payments-service'), 'other sources untouched');

  await assert.rejects(upsertEntities(pool, 'api:sync', [svc('payments-service')]), /belong to another source.*component:default\/payments-service \(registered by file:backstage\)/);
  await assert.rejects(deleteEntity(pool, 'component:default/payments-service', (s) => s.startsWith('api')), /registered by file:backstage/);
  await deleteEntity(pool, 'component:default/sync-b', (s) => s.startsWith('api'));
  assert.equal(await tagCount(), 0);
});

test('an update moves the facet counts and rewrites the relations', async () => {
  const res = (owner: string) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata: { name: 'facet-db' }, spec: { type: 'database', owner } });
  const owners = async () => Object.fromEntries((await facetsFor(pool, { kind: ['Resource'] })).owner.map((o) => [o.value, o.count]));
  await upsertEntities(pool, 'api', [res('web')]);
  const before = await owners();
  await upsertEntities(pool, 'api', [res('data-science')]);
  const now = await owners();
  assert.equal(now['group:default/web'], (before['group:default/web'] ?? 0) - 1);
  assert.equal(now['group:default/data-science'], (before['group:default/data-science'] ?? 0) + 1);
  assert.deepEqual(await relationsOf('resource:default/facet-db'), ['ownedBy group:default/data-science']);
  assert.ok(!(await relationsOf('group:default/web')).includes('ownerOf resource:default/facet-db'));
  await deleteEntity(pool, 'resource:default/facet-db', (s) => s === 'api');
});

test('filters: kind, spec.type, tag, owner, lifecycle and relation', async () => {
  const refs = async (o: Parameters<typeof listEntities>[1]) => (await listEntities(pool, { ...o, fields: ['ref'], limit: 100 })).items.map((i) => i.ref);
  assert.deepEqual(await refs({ kind: ['api'] }), ['api:default/ledger-api', 'api:default/payments-api']);
  assert.deepEqual(await refs({ kind: ['Component'], type: ['website'] }), ['component:default/storefront']);
  assert.deepEqual(await refs({ tag: ['java'] }), ['component:default/payments-service', 'component:default/payments-settlement-worker']);
  assert.deepEqual(await refs({ owner: ['web'] }), ['component:default/storefront', 'resource:ops/storefront-cdn', 'system:default/storefront']);
  assert.deepEqual(await refs({ relation: ['dependsOn:resource:default/payments-db'] }), ['component:default/payments-service', 'component:default/payments-settlement-worker']);
  assert.deepEqual(await refs({ relation: ['consumesApi:api:default/payments-api'] }), ['component:default/storefront']);
  assert.deepEqual(await refs({ relation: ['hasMember:user:default/mei'] }), ['group:default/payments']);
  await assert.rejects(refs({ relation: ['likes:user:default/mei'] }), /"likes" is not a relation/);
  await assert.rejects(refs({ kind: ['Widget'] }), /"Widget" is not a kind/);
});

test('search ranks as a person would: exact name, exact title, name words, title words, keywords, then descriptions', async () => {
  const e = (name: string, title: string, description: string, tags: string[] = []) => ({
    apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name, title, description, tags },
    spec: { type: 'service', lifecycle: 'production', owner: 'web' },
  });
  await upsertEntities(pool, 'api:ranking', [
    e('retention-report', 'Weekly report', 'Shows how many customers churn each week, and the churn rate by segment.'),
    e('churn-predictor-batch', 'Nightly scoring', 'Scores every customer.'),
    e('churn', 'Churn', 'The churn service.'),
    e('retention-offers', 'Churn offers', 'Sends offers to customers at risk.'),
    e('crm-sync', 'CRM sync', 'Copies contacts.', ['churn']),
    e('churn-ui', 'Churn dashboard', 'Dashboard.'),
  ], { replace: true });
  const ranked = (await listEntities(pool, { q: 'churn', source: ['api:ranking'], fields: ['metadata.name'] })).items.map((i) => (i.metadata as { name: string }).name);
  assert.deepEqual(ranked, ['churn', 'churn-ui', 'churn-predictor-batch', 'retention-offers', 'crm-sync', 'retention-report']);

  const byTitle = (await listEntities(pool, { q: 'Nightly scoring', source: ['api:ranking'], fields: ['metadata.name'] })).items;
  assert.equal((byTitle[0].metadata as { name: string }).name, 'churn-predictor-batch');
  const prefix = (await listEntities(pool, { q: 'retent', source: ['api:ranking'], fields: ['metadata.name'] })).items.map((i) => (i.metadata as { name: string }).name);
  assert.deepEqual(prefix.sort(), ['retention-offers', 'retention-report']);
  const typo = await listEntities(pool, { q: 'paymnets-service', fields: ['ref'] });
  assert.equal(typo.items[0].ref, 'component:default/payments-service', 'a typo still finds it by name similarity');
  // The next page of a similarity search is still a similarity search (it used to fail counting by words).
  const typo1 = await listEntities(pool, { q: 'retention-ofers', source: ['api:ranking'], fields: ['ref'], limit: 1 });
  assert.equal(typo1.items[0].ref, 'component:default/retention-offers');
  assert.ok(typo1.totalCount > 1 && typo1.nextCursor);
  const typo2 = await listEntities(pool, { q: 'retention-ofers', source: ['api:ranking'], fields: ['ref'], limit: 1, cursor: typo1.nextCursor! });
  assert.equal(typo2.totalCount, typo1.totalCount);
  assert.equal(typo2.items.length, 1);
  assert.notEqual(typo2.items[0].ref, typo1.items[0].ref);
  const all = await listEntities(pool, { q: 'churn', fields: ['ref'], limit: 100 });
  assert.ok(all.items.some((i) => i.ref === 'model:default/churn-model') && all.items.some((i) => i.ref === 'dataproduct:default/customer-360'));
});

test('pagination walks every entity once, with and without search, and totalCount agrees', async () => {
  const many = Array.from({ length: 45 }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata: { name: `bucket-${String(i).padStart(2, '0')}`, description: 'A page test bucket' },
    spec: { type: 's3-bucket', owner: 'web' },
  }));
  await upsertEntities(pool, 'api:pages', many, { replace: true });
  for (const q of [undefined, 'page test']) {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listEntities(pool, { type: ['s3-bucket'], q, limit: 20, cursor, fields: ['ref'] });
      assert.equal(page.totalCount, 45);
      seen.push(...page.items.map((i) => i.ref as string));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 45);
  }
  // A search with more matches than the facet sample: exact count, facets over the best-tiered matches, labelled.
  const sampled = await listEntities(pool, { type: ['s3-bucket'], q: 'page test', limit: 5, facetSample: 10 });
  assert.equal(sampled.totalCount, 45);
  assert.equal(sampled.facetsOverTop, 10);
  assert.deepEqual(sampled.facets!.kind, [{ value: 'Resource', count: 10 }]);
  const whole = await listEntities(pool, { type: ['s3-bucket'], q: 'page test', limit: 5 });
  assert.equal(whole.facetsOverTop, undefined);
  assert.deepEqual(whole.facets!.kind, [{ value: 'Resource', count: 45 }]);
  await assert.rejects(listEntities(pool, { cursor: 'nonsense' }), /not a cursor this API gave out/);
});

test('a broad search ranks its first page from the best tiers, counts exactly up to the threshold and estimates beyond, labelled', async () => {
  const r = (name: string, description: string, title?: string) => ({
    apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata: { name, title, description }, spec: { type: 'queue', owner: 'web' },
  });
  await upsertEntities(pool, 'api:tiers', [
    // Written description-only matches first, so that storage order does not happen to be rank order.
    ...Array.from({ length: 30 }, (_, i) => r(`plain-${String(i).padStart(2, '0')}`, `Keeps the tidal backlog ${i % 3 ? 'warm' : 'cold'}.`)),
    ...Array.from({ length: 4 }, (_, i) => r(`harbour-${i}`, 'Queue.', `Tidal harbour ${i}`)),
    ...Array.from({ length: 26 }, (_, i) => r(`tidal-${'x'.repeat(i % 5)}q-${String(i).padStart(2, '0')}`, 'Queue.')),
    r('tidal', 'The exact name.'),
  ], { replace: true });
  const names = (items: Record<string, unknown>[]) => items.map((i) => (i.metadata as { name: string }).name);
  const walk = async (opts: { countExact?: number; facetSample?: number }) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const firsts = [];
    do {
      // (No filter: a filtered search counts its matches in one pass, exactly.)
      const page = await listEntities(pool, { q: 'tidal', limit: 7, cursor, fields: ['metadata.name'], ...opts });
      firsts.push(page);
      seen.push(...names(page.items));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { seen, first: firsts[0] };
  };
  // Exact below the threshold: every match counted, no label.
  const exact = await walk({});
  assert.equal(exact.first.totalCount, 61);
  assert.equal(exact.first.totalCountIsEstimate, undefined);
  assert.equal(exact.seen.length, 61);
  assert.equal(new Set(exact.seen).size, 61);
  // The tiers, in order: exact name, name words (closest names first), title words, descriptions.
  assert.equal(exact.seen[0], 'tidal');
  assert.deepEqual(exact.seen.slice(1, 27).slice(0, 6), ['tidal-q-00', 'tidal-q-05', 'tidal-q-10', 'tidal-q-15', 'tidal-q-20', 'tidal-q-25']);
  assert.ok(exact.seen.slice(1, 27).every((n) => n.startsWith('tidal-')));
  assert.deepEqual(exact.seen.slice(27, 31).sort(), ['harbour-0', 'harbour-1', 'harbour-2', 'harbour-3']);
  assert.ok(exact.seen.slice(31).every((n) => n.startsWith('plain-')));

  // Beyond the threshold: the same pages in the same order, the total labelled as an estimate,
  // never below the matches counted (here the name tiers: 27), and the facets over the best-tiered.
  const estimated = await walk({ countExact: 10, facetSample: 10 });
  assert.deepEqual(estimated.seen, exact.seen);
  assert.equal(estimated.first.totalCountIsEstimate, true);
  assert.ok(estimated.first.totalCount >= 27, `estimate ${estimated.first.totalCount}`);
  assert.equal(estimated.first.facetsOverTop, 10);
  assert.deepEqual(estimated.first.facets!.kind, [{ value: 'Resource', count: 10 }]);
  assert.ok(estimated.first.nextCursor);
  // With a filter, the one-pass plan counts exactly.
  const filtered = await listEntities(pool, { q: 'tidal', source: ['api:tiers'], limit: 7, countExact: 10, facetSample: 10 });
  assert.equal(filtered.totalCount, 61);
  assert.equal(filtered.totalCountIsEstimate, undefined);
  assert.deepEqual(names(filtered.items), exact.seen.slice(0, 7));
  // A page deep in the description tier is still exact in its order.
  const deep = await listEntities(pool, { q: 'tidal', limit: 5, cursor: Buffer.from(JSON.stringify({ offset: 40 })).toString('base64url'), fields: ['metadata.name'], countExact: 10 });
  assert.deepEqual(names(deep.items), exact.seen.slice(40, 45));
});

test('facets count by kind, type, owner, lifecycle, namespace and tag, for everything and for a filter', async () => {
  const all = await listEntities(pool, { limit: 1 });
  const kinds = Object.fromEntries(all.facets!.kind.map((k) => [k.value, k.count]));
  assert.equal(kinds.Group, 4);
  assert.equal(kinds.Dataset, 2);
  assert.equal(all.totalCount, Object.values(kinds).reduce((a, b) => a + b, 0));
  const components = await listEntities(pool, { kind: ['Component'], limit: 1 });
  assert.equal(components.facets!.kind.length, 1);
  assert.ok(components.facets!.type.some((t) => t.value === 'website' && t.count === 1));
  const java = await facetsFor(pool, { tag: ['java'] });
  assert.deepEqual(java.kind, [{ value: 'Component', count: 2 }]);
  assert.deepEqual(java.lifecycle, [{ value: 'production', count: 2 }]);
  const searched = await listEntities(pool, { q: 'payments', limit: 1 });
  assert.equal(searched.facets!.kind.reduce((n, k) => n + k.count, 0), searched.totalCount);
});
