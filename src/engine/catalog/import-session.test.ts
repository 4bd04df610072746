import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { abandonImport, commitImport, importChunk, parseChunk, startImport } from './import-session.ts';
import { getEntity } from './query.ts';
import { upsertEntities } from './store.ts';

let pool: pg.Pool;
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('imp'), max: 4 });
  await migrate(pool);
});
after(() => pool.end());

const component = (name: string, extra = '') =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: production\n  owner: web\n${extra}`;
const file = (path: string, ...docs: string[]) => ({ path, text: docs.join('---\n') });
const refsOf = async (source: string) => (await pool.query<{ ref: string }>('SELECT ref FROM catalog_facts WHERE source = $1 ORDER BY ref', [source])).rows.map((r) => r.ref);

test('an import sent in many chunks replaces the source as a whole: stale entities go at commit, not before', async () => {
  const first = await startImport(pool, 'api:import:many', 'dana');
  for (let chunk = 0; chunk < 12; chunk++) {
    const r = await importChunk(pool, first.id, 'dana', [file(`c/${chunk}.yaml`, ...Array.from({ length: 5 }, (_, i) => component(`svc-${chunk}-${i}`)))]);
    assert.equal(r.written, 5);
    assert.deepEqual(r.errors, []);
  }
  assert.equal((await commitImport(pool, first.id, 'dana')).entities, 60);
  assert.equal((await refsOf('api:import:many')).length, 60);

  // Again, without chunk 0: nothing is removed until the commit, then exactly chunk 0's entities.
  const again = await startImport(pool, 'api:import:many', 'dana');
  for (let chunk = 1; chunk < 12; chunk++) {
    const r = await importChunk(pool, again.id, 'dana', [file(`c/${chunk}.yaml`, ...Array.from({ length: 5 }, (_, i) => component(`svc-${chunk}-${i}`)))]);
    assert.equal(r.unchanged, 5, 'unchanged entities are not rewritten');
  }
  assert.equal((await refsOf('api:import:many')).length, 60, 'nothing removed before the commit');
  const done = await commitImport(pool, again.id, 'dana');
  assert.deepEqual(done.removed, Array.from({ length: 5 }, (_, i) => `component:default/svc-0-${i}`));
  assert.equal((await refsOf('api:import:many')).length, 55);
  assert.equal(await getEntity(pool, 'component:default/svc-0-0'), null);
});

test('an import left unfinished removes nothing, and expires; another user cannot use it', async () => {
  await upsertEntities(pool, 'api:import:left', [{ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'left-behind' }, spec: { type: 'team' } }]);
  const s = await startImport(pool, 'api:import:left', 'dana');
  await importChunk(pool, s.id, 'dana', [file('a.yaml', component('left-a'))]);
  await assert.rejects(importChunk(pool, s.id, 'mei', [file('b.yaml', component('left-b'))]), /no import imp_\S+ in progress for you/);
  await abandonImport(pool, s.id, 'dana');
  await assert.rejects(commitImport(pool, s.id, 'dana'), /no import/);
  assert.deepEqual(await refsOf('api:import:left'), ['component:default/left-a', 'group:default/left-behind']);

  const expired = await startImport(pool, 'api:import:left', 'dana');
  await pool.query(`UPDATE catalog_imports SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
  await assert.rejects(importChunk(pool, expired.id, 'dana', [file('a.yaml', component('left-a'))]), /no import/);
  await startImport(pool, 'api:import:left', 'dana'); // sweeps the expired one, with its refs
  assert.equal((await pool.query('SELECT count(*)::int AS n FROM catalog_imports WHERE id = $1', [expired.id])).rows[0].n, 0);
});

test('per-entity errors: valid entities of a file import, each bad one is named by file, document, line and field', async () => {
  const s = await startImport(pool, 'api:import:errors', 'dana');
  const r = await importChunk(pool, s.id, 'dana', [
    file('team/catalog-info.yaml', component('good-one'), component('bad-one').replace('  lifecycle: production\n', '').replace('  owner: web\n', '  owner: 42\n'), component('good-two')),
  ]);
  assert.equal(r.written, 2);
  assert.equal(r.errors.length, 1);
  const [e] = r.errors;
  assert.equal(e.file, 'team/catalog-info.yaml');
  assert.equal(e.document, 2);
  assert.equal(e.line, 10, 'the line the document starts on');
  assert.equal(e.entity, 'Component bad-one');
  assert.deepEqual(e.errors.map((x) => x.field).sort(), ['spec.lifecycle', 'spec.owner']);
  // A ref defined twice in one import (here in a later chunk) is reported where it repeats.
  const dup = await importChunk(pool, s.id, 'dana', [file('other.yaml', component('good-one'))]);
  assert.match(dup.errors[0].errors[0].message, /component:default\/good-one is already defined in team\/catalog-info\.yaml document 1/);
  const done = await commitImport(pool, s.id, 'dana');
  assert.deepEqual(done.removed, []);
  assert.ok(await getEntity(pool, 'component:default/good-two'));
});

test('a YAML syntax error refuses only that file, with its line; other files of the chunk import', async () => {
  const broken = `${component('broken-a')}---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: broken-b\n  tags: [unclosed\nspec: {}\n`;
  const r = parseChunk([file('broken.yaml', broken), file('fine.yaml', component('fine-a'))]);
  assert.deepEqual(r.entities.map((e) => e.ref), ['component:default/fine-a']);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].file, 'broken.yaml');
  assert.equal(r.errors[0].errors[0].field, '(yaml)');
  assert.match(r.errors[0].errors[0].message, /nothing in this file was imported/);
  assert.ok(r.errors[0].line! >= 14 && r.errors[0].line! <= 16, `line ${r.errors[0].line}`);
});

test('placeholders $text, $json and $yaml resolve relative to the descriptor, among the files sent with it only', () => {
  const api = `apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders-api\nspec:\n  schema: {$json: ../shared/schema.json}\n  type: openapi\n  lifecycle: production\n  owner: web\n  definition:\n    $text: ./openapi.yaml\n  extra:\n    $yaml: ./extra.yaml\n`;
  const r = parseChunk([file('apis/orders/catalog-info.yaml', api)], [
    { path: 'apis/orders/openapi.yaml', text: 'openapi: 3.0.0\n' },
    { path: 'apis/shared/schema.json', text: '{"a": 1}' },
    { path: 'apis/orders/extra.yaml', text: 'level: 2\n' },
  ]);
  assert.deepEqual(r.errors, []);
  const e = r.entities[0].entity as unknown as { spec: { definition: string; extra: unknown; schema: unknown } };
  assert.equal(e.spec.definition, 'openapi: 3.0.0\n');
  assert.deepEqual(e.spec.extra, { level: 2 });
  assert.deepEqual(e.spec.schema, { a: 1 });

  // A file that was not sent is not read from anywhere: the entity is refused, naming field and file.
  const missing = parseChunk([file('apis/orders/catalog-info.yaml', api)]);
  assert.equal(missing.entities.length, 0);
  assert.deepEqual(missing.errors[0].errors.map((x) => x.field), ['spec.schema', 'spec.definition', 'spec.extra']);
  assert.match(missing.errors[0].errors[1].message, /\$text: \.\/openapi\.yaml: no such file next to apis\/orders\/catalog-info\.yaml/);
});

test('a remote placeholder is refused with a clear error, and the rest of the file imports', () => {
  const remote = component('remote-def', '  definition:\n    $text: https://example.org/openapi.yaml\n').replace('kind: Component', 'kind: API').replace('type: service', 'type: openapi');
  const r = parseChunk([file('r.yaml', remote, component('local-one'))]);
  assert.deepEqual(r.entities.map((e) => e.ref), ['component:default/local-one']);
  assert.equal(r.errors[0].errors[0].field, 'spec.definition');
  assert.match(r.errors[0].errors[0].message, /https:\/\/example\.org\/openapi\.yaml is remote and is not fetched: copy the file next to the descriptor/);
});

test('Location entities report their targets (files and globs) relative to their own file, and skip remote ones', () => {
  const loc = `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root\nspec:\n  targets:\n    - ./teams/*/catalog-info.yaml\n    - ../shared/org.yaml\n    - https://github.com/acme/x/blob/main/catalog-info.yaml\n`;
  const r = parseChunk([file('catalog/all.yaml', loc)]);
  assert.equal(r.locations.length, 1);
  assert.deepEqual(r.locations[0].targets, ['catalog/teams/*/catalog-info.yaml', 'shared/org.yaml']);
  assert.equal(r.locations[0].skipped.length, 1);
  assert.equal(r.locations[0].line, 1);
});

test('a chunk writes a large file in batches, and a syntax error late in a file takes back what its earlier documents wrote', async () => {
  const s = await startImport(pool, 'api:import:batches', 'dana');
  const many = Array.from({ length: 2500 }, (_, i) => component(`batch-${i}`));
  const late = [...Array.from({ length: 1500 }, (_, i) => component(`late-${i}`)), 'kind: [unclosed\n'];
  const r = await importChunk(pool, s.id, 'dana', [file('many.yaml', ...many), file('late.yaml', ...late), file('dup.yaml', component('batch-7'))]);
  assert.equal(r.written, 2500);
  assert.deepEqual(r.errors.map((e) => `${e.file} ${e.document} ${e.errors[0].field}`), ['dup.yaml 1 metadata.name', 'late.yaml 1501 (yaml)']);
  assert.match(r.errors[0].errors[0].message, /already defined in many\.yaml document 8/);
  assert.equal((await refsOf('api:import:batches')).length, 2500, 'nothing of late.yaml, though its first batches were written before the error');
  await commitImport(pool, s.id, 'dana');
});
