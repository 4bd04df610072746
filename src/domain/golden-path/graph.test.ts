import { test } from 'node:test';
import assert from 'node:assert/strict';
import { provisioningWaves, resourceNodes } from './graph.ts';
import { substitute, referencedResources, PlaceholderError } from './placeholders.ts';
import { renderTemplate } from './template.ts';

test('resources referenced by placeholders are provisioned in an earlier wave', () => {
  const nodes = resourceNodes({
    notebook: { type: 'notebook', dependsOn: [], params: { repo: '${resources.repo.name}', env: { DB: '${resources.db.url}' } } },
    repo: { type: 'git-repo', dependsOn: [], params: {} },
    db: { type: 'warehouse', dependsOn: [], params: {} },
  });
  assert.deepEqual(provisioningWaves(nodes), [['repo', 'db'], ['notebook']]);
});

test('an unknown dependency names both resources', () => {
  assert.throws(() => provisioningWaves([{ id: 'a', dependsOn: ['ghost'] }]), /resource "a" depends on "ghost", which is not a resource of this path/);
});

test('placeholders are substituted deeply, and a whole-string placeholder keeps its type', () => {
  const out = substitute({ url: 'http://${resources.s3.host}:${resources.s3.port}/x', port: '${resources.s3.port}', list: ['${params.n}'] }, {
    resources: { s3: { host: 'h', port: 9000 } },
    params: { n: 'v' },
  });
  assert.deepEqual(out, { url: 'http://h:9000/x', port: 9000, list: ['v'] });
});

test('an unknown placeholder is an error that quotes it; $${ escapes', () => {
  assert.throws(() => substitute('${resources.nope.url}', { resources: {} }), PlaceholderError);
  assert.throws(() => substitute('${resources.nope.url}', { resources: {} }), /\$\{resources\.nope\.url\}/);
  assert.equal(substitute('cost $${HOME}', {}), 'cost ${HOME}');
  assert.deepEqual(referencedResources({ a: '$${resources.x.y}', b: '${resources.y.z}' }), ['y']);
});

test('substituting only some scopes leaves the others for later', () => {
  assert.equal(substitute('${path.dir}/s and ${resources.r.url}', { path: { dir: '/p' } }, { only: ['path'] }), '/p/s and ${resources.r.url}');
});

test('skeleton templates render values, JSON-escaped inside JSON files', () => {
  assert.equal(renderTemplate('# {{ params.project }}', { params: { project: 'churn' } }), '# churn');
  assert.equal(renderTemplate('"{{ params.q }}"', { params: { q: 'say "hi"' } }, { json: true }), '"say \\"hi\\""');
  assert.equal(renderTemplate('{{ params.missing }}', { params: {} }), '{{ params.missing }}');
});
