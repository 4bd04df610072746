import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { facetsFor, listEntities, type Facets } from './query.ts';
import { cachedRead, catalogGeneration } from './read-cache.ts';
import { deleteEntity, upsertEntities } from './store.ts';

let pool: pg.Pool;
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('rcache'), max: 4 });
  await migrate(pool);
});
after(() => pool.end());

const component = (name: string, type: string, owner = 'payments', tags: string[] = []) =>
  ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name, tags }, spec: { type, lifecycle: 'production', owner } });
const names = async (f: Parameters<typeof listEntities>[1]) => (await listEntities(pool, { ...f, limit: 100 })).items.map((i) => (i.metadata as { name: string }).name);

test('a read after a write sees the write: cached answers last only while the catalog is unchanged', async () => {
  await upsertEntities(pool, 'api:cache', [component('alpha', 'service'), component('beta', 'website')]);
  assert.deepEqual(await names({ kind: ['Component'] }), ['alpha', 'beta']);
  const before = await catalogGeneration(pool);
  // Unchanged descriptors write nothing, and the generation (so every cached answer) stays.
  await upsertEntities(pool, 'api:cache', [component('alpha', 'service'), component('beta', 'website')]);
  assert.equal(await catalogGeneration(pool), before);

  await upsertEntities(pool, 'api:cache', [component('gamma', 'service')]);
  assert.notEqual(await catalogGeneration(pool), before);
  assert.deepEqual(await names({ kind: ['Component'] }), ['alpha', 'beta', 'gamma']);
  assert.deepEqual(await names({ q: 'gamma' }), ['gamma']);
  await deleteEntity(pool, 'component:default/gamma', () => true);
  assert.deepEqual(await names({ kind: ['Component'] }), ['alpha', 'beta']);
  assert.deepEqual(await names({ q: 'gamma' }), []);
  // A change that moves no facet (a description) is a change too.
  const page = await listEntities(pool, { kind: ['Component'], limit: 1, fields: ['metadata.description'] });
  assert.deepEqual(page.items, [{}]);
  await upsertEntities(pool, 'api:cache', [{ ...component('alpha', 'service'), metadata: { name: 'alpha', tags: [], description: 'Now described.' } }, component('beta', 'website')]);
  const again = await listEntities(pool, { kind: ['Component'], limit: 1, fields: ['metadata.description'] });
  assert.deepEqual(again.items, [{ metadata: { description: 'Now described.' } }]);
});

test('a cached answer is computed once per generation, and a generation is bumped only by a commit', async () => {
  let computed = 0;
  const read = () => cachedRead(pool, 'test-key', async () => ++computed);
  assert.equal(await read(), 1);
  assert.equal(await read(), 1);
  assert.deepEqual(await Promise.all([cachedRead(pool, 'other', async () => 'x'), read()]), ['x', 1]);
  // A transaction that writes and rolls back changes nothing.
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`INSERT INTO catalog_facts (ref, kind, namespace, source) VALUES ('component:default/ghost', 'Component', 'default', 'api')`);
    assert.equal(await read(), 1, 'uncommitted: the generation has not moved');
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
  assert.equal(await read(), 1);
  await pool.query(`INSERT INTO catalog_facts (ref, kind, namespace, source) VALUES ('component:default/ghost', 'Component', 'default', 'api')`);
  assert.equal(await read(), 2);
  await pool.query(`DELETE FROM catalog_facts WHERE ref = 'component:default/ghost'`);
  assert.equal(await read(), 3);
});

/** Facets counted the slow way, over the matches themselves. */
async function countedFacets(kind: string, type: string | null): Promise<Partial<Facets>> {
  const { rows } = await pool.query<{ facet: keyof Facets; value: string; n: string }>(
    `SELECT f.facet, f.value, count(*) AS n FROM catalog_facts e, catalog_facet_values(e.kind, e.namespace, e.spec_type, e.lifecycle, e.owner, e.tags) f
     WHERE e.kind = $1 AND ($2::text IS NULL OR e.spec_type = $2) GROUP BY 1, 2`, [kind, type]);
  const out: Partial<Facets> = {};
  for (const r of rows) (out[r.facet] ??= []).push({ value: r.value, count: Number(r.n) });
  return out;
}
const sorted = (f: Partial<Facets>) => Object.fromEntries(Object.entries(f).filter(([, v]) => v.length).map(([k, v]) => [k, [...v].sort((a, b) => a.value.localeCompare(b.value))]));

test('facets of a kind and a type are read from the kept counts, and agree with counting the matches through writes and removals', async () => {
  await upsertEntities(pool, 'api:facets', [
    component('svc-1', 'service', 'payments', ['java']), component('svc-2', 'service', 'web', ['java', 'kafka']),
    component('web-1', 'website', 'web', ['react']), component('lib-1', 'library', 'payments'),
  ]);
  const check = async () => {
    for (const type of ['service', 'website', 'library', null]) {
      const facets = await facetsFor(pool, { kind: ['Component'], type: type ? [type] : undefined });
      assert.deepEqual(sorted(facets), sorted(await countedFacets('Component', type)), `kind Component, type ${type}`);
      const list = await listEntities(pool, { kind: ['Component'], type: type ? [type] : undefined, limit: 1, facets: false });
      assert.equal(list.totalCount, (await countedFacets('Component', type)).kind?.[0]?.count ?? 0);
    }
  };
  await check();
  // An entity changes type and owner; another goes.
  await upsertEntities(pool, 'api:facets', [
    component('svc-1', 'library', 'web', ['go']), component('svc-2', 'service', 'web', ['java', 'kafka']), component('web-1', 'website', 'web', ['react']),
  ], { replace: true });
  await check();
  // alpha (the first test's) and svc-2 are the services now.
  const services = await facetsFor(pool, { kind: ['Component'], type: ['service'] });
  assert.deepEqual(services.tag, [{ value: 'java', count: 1 }, { value: 'kafka', count: 1 }]);
  assert.deepEqual(services.type, [{ value: 'service', count: 2 }]);
});

test('kept answers are bounded by weight: a huge answer is not kept, and the least recently used go first', async () => {
  let computed = 0;
  const page = (n: number) => async () => { computed++; return { items: Array.from({ length: n }, (_, i) => i) }; };
  await cachedRead(pool, 'huge', page(5000));
  await cachedRead(pool, 'huge', page(5000));
  assert.equal(computed, 2, 'an answer of 5,000 items is answered, not kept');
  computed = 0;
  for (let i = 0; i <= 20; i++) await cachedRead(pool, `page-${i}`, page(999)); // 21 × 1,000 > 20,000
  assert.equal(computed, 21);
  await cachedRead(pool, 'page-20', page(999));
  assert.equal(computed, 21, 'the most recent is kept');
  await cachedRead(pool, 'page-0', page(999));
  assert.equal(computed, 22, 'the least recently used was dropped');
});
