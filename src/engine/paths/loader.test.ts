import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGoldenPath, loadGoldenPaths, formatPathError } from './loader.ts';

const types = ['git-repo', 'notebook', 'bucket', 'warehouse'];
const valid = `apiVersion: goldpath.dev/v1
kind: GoldenPath
metadata:
  name: tiny
  title: Tiny
  description: A repo only.
  owner: platform
  audience: data
spec:
  dataClass: synthetic
  extensible: false
  resources:
    repo:
      type: git-repo
`;

test('a valid file loads with defaults filled in', () => {
  const r = parseGoldenPath(valid, 'tiny.yaml', types);
  assert.ok('path' in r);
  assert.equal(r.path.spec.version, '1.0.0');
  assert.equal(r.path.spec.approval, 'none');
  assert.deepEqual(r.path.spec.parameters, { type: 'object', properties: {} });
});

test('a wrong value is reported with its field and its line', () => {
  const r = parseGoldenPath(valid.replace('audience: data', 'audience: scientists'), 'p.yaml', types);
  assert.ok('errors' in r);
  assert.equal(formatPathError(r.errors[0]), 'p.yaml:8: metadata.audience: must be "data" or "software"');
});

test('a missing required field points at its parent', () => {
  const r = parseGoldenPath(valid.replace('  owner: platform\n', ''), 'p.yaml', types);
  assert.ok('errors' in r);
  assert.equal(r.errors[0].field, 'metadata.owner');
  assert.match(r.errors[0].message, /required/);
  assert.equal(r.errors[0].line, 4);
});

test('an unknown field is named, on its own line', () => {
  const r = parseGoldenPath(valid.replace('  extensible: false\n', '  extensible: false\n  colour: blue\n'), 'p.yaml', types);
  assert.ok('errors' in r);
  assert.equal(r.errors[0].message, 'unknown field "colour"');
  assert.equal(r.errors[0].line, 12);
});

test('broken YAML is reported as YAML with its line', () => {
  const r = parseGoldenPath('apiVersion: goldpath.dev/v1\nkind: [GoldenPath\nmetadata: {}\n', 'bad.yaml', types);
  assert.ok('errors' in r);
  assert.match(r.errors[0].message, /^not valid YAML/);
  assert.ok(r.errors[0].line);
});

test('an unknown resource type, a dependency cycle and a bad parameter schema are each explained', () => {
  const unknownType = parseGoldenPath(valid.replace('type: git-repo', 'type: spaceship'), 'p.yaml', types);
  assert.ok('errors' in unknownType);
  assert.match(unknownType.errors[0].message, /unknown resource type "spaceship"; known types: git-repo/);
  assert.equal(unknownType.errors[0].line, 14);

  const cycle = parseGoldenPath(valid + `    a:\n      type: bucket\n      dependsOn: [b]\n    b:\n      type: bucket\n      params:\n        x: \${resources.a.url}\n`, 'p.yaml', types);
  assert.ok('errors' in cycle);
  assert.match(cycle.errors[0].message, /"a", "b" depend on each other in a cycle/);

  const schema = parseGoldenPath(valid.replace('  resources:', '  parameters:\n    type: object\n    properties:\n      n: { type: integr }\n  resources:'), 'p.yaml', types);
  assert.ok('errors' in schema);
  assert.equal(schema.errors[0].field, 'spec.parameters');
  assert.match(schema.errors[0].message, /not a valid JSON Schema/);
});

test('a folder with a bad file still loads the good ones, and later folders override earlier ones', async () => {
  const a = mkdtempSync(join(tmpdir(), 'paths-a-'));
  const b = mkdtempSync(join(tmpdir(), 'paths-b-'));
  writeFileSync(join(a, 'tiny.yaml'), valid);
  writeFileSync(join(a, 'broken.yaml'), 'kind: GoldenPath\n');
  mkdirSync(join(b, 'team'));
  writeFileSync(join(b, 'team', 'tiny.yml'), valid.replace('title: Tiny', 'title: Our tiny'));
  const { paths, errors } = await loadGoldenPaths([a, b], types);
  assert.deepEqual(paths.map((p) => p.path.metadata.title), ['Our tiny']);
  assert.ok(errors.length >= 2);
  assert.ok(errors.every((e) => e.file.endsWith('broken.yaml')));
});

test('the built-in library loads without errors', async () => {
  const { paths, errors } = await loadGoldenPaths(['paths'], ['git-repo', 'notebook', 'bucket', 'warehouse']);
  assert.deepEqual(errors.map(formatPathError), []);
  assert.ok(paths.some((p) => p.path.metadata.name === 'data-science-experimentation'));
});
