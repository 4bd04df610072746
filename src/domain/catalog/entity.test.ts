import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateEntity } from './entity.ts';
import { formatEntityRef, parseEntityRef } from './ref.ts';
import { inverseOf, relationPairs } from './relations.ts';
import { parseCatalogFile } from './parse.ts';

test('entity refs parse with the defaults of their field and format to one lower-case key', () => {
  assert.deepEqual(parseEntityRef('payments', { defaultKind: 'group', defaultNamespace: 'ops' }), { kind: 'group', namespace: 'ops', name: 'payments' });
  assert.deepEqual(parseEntityRef('Component:Default/Payments-Service'), { kind: 'Component', namespace: 'Default', name: 'Payments-Service' });
  assert.equal(formatEntityRef(parseEntityRef('Component:Default/Payments-Service')), 'component:default/payments-service');
  assert.equal(formatEntityRef(parseEntityRef('user:dana')), 'user:default/dana');
  assert.throws(() => parseEntityRef('orders-db'), /has no kind: write it as kind:namespace\/name/);
  assert.throws(() => parseEntityRef('component:a/b/c'), /is not an entity reference/);
});

test('every relation has an inverse, and the inverse of the inverse is itself', () => {
  for (const [a, b] of relationPairs) {
    assert.equal(inverseOf(a), b);
    assert.equal(inverseOf(b), a);
  }
});

test('a valid Backstage component yields its relations with default kinds and its own namespace', () => {
  const r = validateEntity({
    apiVersion: 'backstage.io/v1alpha1', kind: 'component',
    metadata: { name: 'checkout', namespace: 'shop' },
    spec: { type: 'service', lifecycle: 'production', owner: 'web', system: 'storefront', providesApis: ['checkout-api'], consumesApis: ['api:default/payments-api'], dependsOn: ['resource:db'] },
  });
  assert.ok(r.ok);
  assert.equal(r.ref, 'component:shop/checkout');
  assert.equal(r.entity.kind, 'Component');
  assert.deepEqual(r.relations.map((x) => `${x.type} ${x.target}`), [
    'ownedBy group:shop/web', 'partOf system:shop/storefront', 'providesApi api:shop/checkout-api', 'consumesApi api:default/payments-api', 'dependsOn resource:shop/db',
  ]);
});

test('a bad descriptor reports every problem at once, each naming its field', () => {
  const r = validateEntity({ apiVersion: 'goldpath.dev/v1', kind: 'FeatureView', metadata: { name: 'x y', tags: ['Not OK'] }, spec: { owner: 'a', features: [], source: {} } });
  assert.ok(!r.ok);
  const fields = r.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['metadata.name', 'metadata.tags[0]', 'spec.entities', 'spec.features', 'spec.freshness', 'spec.source']);
  assert.match(r.errors.find((e) => e.field === 'spec.entities')!.message, /is required/);
});

test('a Backstage kind under the Goldpath apiVersion is refused with the version to use', () => {
  const r = validateEntity({ apiVersion: 'goldpath.dev/v1', kind: 'Group', metadata: { name: 'x' }, spec: { type: 'team' } });
  assert.ok(!r.ok);
  assert.match(r.errors[0].message, /use backstage\.io\/v1alpha1 or backstage\.io\/v1beta1/);
});

test('a multi-document file is checked per document, skipping empty ones, with line numbers', () => {
  const text = `apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: ann}\nspec: {memberOf: [web]}\n---\n---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: bob}\nspec: {memberOf: web}\n`;
  const r = parseCatalogFile('org.yaml', text);
  assert.equal(r.entities.length, 1);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].document, 3);
  assert.equal(r.errors[0].entity, 'User bob');
  assert.equal(r.errors[0].errors[0].field, 'spec.memberOf');
});
