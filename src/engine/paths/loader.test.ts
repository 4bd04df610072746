import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { declarationOf } from '../../domain/resource/driver-contract.ts';
import { gitRepoDeclaration } from '../../drivers/local/git-repo.ts';
import { bucketDeclaration } from '../../drivers/local/bucket.ts';
import { warehouseDeclaration } from '../../drivers/local/warehouse.ts';
import { notebookDeclaration } from '../../drivers/local/notebook.ts';
import { databaseDeclaration } from '../../drivers/local/database.ts';
import { cacheDeclaration } from '../../drivers/local/cache.ts';
import { sitePreviewDeclaration } from '../../drivers/local/site-preview.ts';
import { javaServiceDeclaration } from '../../drivers/local/java-service.ts';
import { ideDeclaration } from '../../drivers/local/ide.ts';
import { parseGoldenPath, loadGoldenPaths, formatPathError } from './loader.ts';

// What the local drivers declare, as the platform hands it to the loader (the registry's declarations).
const types = new Map([gitRepoDeclaration, notebookDeclaration, bucketDeclaration, warehouseDeclaration, sitePreviewDeclaration, javaServiceDeclaration, ideDeclaration, databaseDeclaration, cacheDeclaration].map((d) => [d.type, declarationOf(d)]));
const builtInPaths = fileURLToPath(new URL('../../../paths/', import.meta.url));
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

  const cycle = parseGoldenPath(valid + `    a:\n      type: bucket\n      dependsOn: [b]\n    b:\n      type: bucket\n      dependsOn: [a]\n`, 'p.yaml', types);
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

test('the built-in library loads without errors against the local drivers, from any working directory', async () => {
  const cwd = process.cwd();
  process.chdir(tmpdir());
  try {
    const { paths, errors } = await loadGoldenPaths([builtInPaths], types);
    assert.deepEqual(errors.map(formatPathError), []);
    assert.deepEqual(paths.map((p) => p.path.metadata.name), ['data-science-customer-data', 'data-science-experimentation', 'java-microservice', 'sql-data-querying', 'website']);
  } finally {
    process.chdir(cwd);
  }
});

// A path with a repo, a bucket and a notebook wired to both, as the built-in data paths are.
const wired = `apiVersion: goldpath.dev/v1
kind: GoldenPath
metadata:
  name: wired
  title: Wired
  description: A repo, a bucket and a notebook that uses both.
  owner: platform
  audience: data
spec:
  extensible: false
  parameters:
    type: object
    properties:
      project: { type: string }
  resources:
    repo:
      type: git-repo
    bucket:
      type: bucket
    notebook:
      type: notebook
      params:
        repo: \${resources.repo.name}
        env:
          BUCKET: \${resources.bucket.bucket}
          PROJECT: \${params.project}
`;

test('the wired example loads, so each check below fails for its own typo only', () => {
  const r = parseGoldenPath(wired, 'paths/wired.yaml', types);
  assert.ok('path' in r, 'errors' in r ? r.errors.map(formatPathError).join('\n') : '');
});

test('a typo in an output is reported with file, line and the outputs that exist, and the path does not load', () => {
  const r = parseGoldenPath(wired.replace('${resources.repo.name}', '${resources.repo.nmae}'), 'paths/wired.yaml', types);
  assert.ok('errors' in r);
  assert.deepEqual(r.errors.map(formatPathError), [
    'paths/wired.yaml:23: ${resources.repo.nmae}: resource repo (git-repo) has no output nmae; it has url, cloneUrl, name, username, password',
  ]);
});

test('a placeholder is reported on its own line, also inside a multi-line value', () => {
  const text = wired.replace('          PROJECT: ${params.project}\n', '          NOTE: |\n            first line\n            bucket at ${resources.bucket.urll}\n');
  const r = parseGoldenPath(text, 'p.yaml', types);
  assert.ok('errors' in r);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].line, 28);
  assert.match(r.errors[0].message, /^\$\{resources\.bucket\.urll\}: resource bucket \(bucket\) has no output urll; it has url, endpoint, bucket, region, accessKeyId, secretAccessKey$/);
});

test('a reference to an unknown resource names the resources that exist', () => {
  const r = parseGoldenPath(wired.replace('${resources.bucket.bucket}', '${resources.buckett.bucket}'), 'p.yaml', types);
  assert.ok('errors' in r);
  assert.deepEqual(r.errors.map(formatPathError), ['p.yaml:25: ${resources.buckett.bucket}: there is no resource buckett in this path; its resources are repo, bucket, notebook']);
});

test('a reference to a resource provisioned later, or to itself, is reported where it is written', () => {
  const later = parseGoldenPath(wired.replace('    repo:\n      type: git-repo\n', '    repo:\n      type: git-repo\n      params:\n        skeleton: ${resources.notebook.url}\n'), 'p.yaml', types);
  assert.ok('errors' in later);
  assert.deepEqual(later.errors.map(formatPathError), [
    'p.yaml:19: ${resources.notebook.url}: resource notebook is provisioned after repo (it depends on repo), so its outputs do not exist yet when repo is provisioned',
    'p.yaml:25: ${resources.repo.name}: resource repo is provisioned after notebook (it depends on notebook), so its outputs do not exist yet when notebook is provisioned',
  ]);

  const itself = parseGoldenPath(wired.replace('PROJECT: ${params.project}', 'SELF: ${resources.notebook.url}'), 'p.yaml', types);
  assert.ok('errors' in itself);
  assert.deepEqual(itself.errors.map(formatPathError), ['p.yaml:26: ${resources.notebook.url}: resource notebook refers to its own output; it can use only outputs of resources provisioned before it']);
});

test('a placeholder naming no output, an unknown parameter or an unknown scope is reported', () => {
  const noOutput = parseGoldenPath(wired.replace('${resources.repo.name}', '${resources.repo}'), 'p.yaml', types);
  assert.ok('errors' in noOutput);
  assert.match(noOutput.errors[0].message, /names resource repo but no output; it has url, cloneUrl/);

  const param = parseGoldenPath(wired.replace('${params.project}', '${params.projct}'), 'p.yaml', types);
  assert.ok('errors' in param);
  assert.deepEqual(param.errors.map(formatPathError), ['p.yaml:26: ${params.projct}: the path has no parameter projct; its parameters are project']);

  const scope = parseGoldenPath(wired.replace('${params.project}', '${resource.repo.url}'), 'p.yaml', types);
  assert.ok('errors' in scope);
  assert.match(scope.errors[0].message, /unknown placeholder scope "resource"/);
});

test('a param the driver does not take is reported on its line', () => {
  const r = parseGoldenPath(wired.replace('    repo:\n      type: git-repo\n', '    repo:\n      type: git-repo\n      params:\n        skelton: ./skeleton\n'), 'p.yaml', types);
  assert.ok('errors' in r);
  assert.deepEqual(r.errors.map(formatPathError), ['p.yaml:19: spec.resources.repo.params.skelton: the git-repo driver takes no param "skelton"; it takes "skeleton"']);
});

test('a folder with a placeholder typo loads its other paths and reports the typo with the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'paths-typo-'));
  writeFileSync(join(dir, 'wired.yaml'), wired);
  writeFileSync(join(dir, 'typo.yaml'), wired.replace('name: wired', 'name: typo').replace('${resources.bucket.bucket}', '${resources.bucket.buckit}'));
  const { paths, errors } = await loadGoldenPaths([dir], types);
  assert.deepEqual(paths.map((p) => p.path.metadata.name), ['wired']);
  assert.equal(errors.length, 1);
  assert.ok(errors[0].file.endsWith('typo.yaml'));
  assert.equal(errors[0].line, 25);
  assert.match(errors[0].message, /has no output buckit; it has url, endpoint, bucket/);
});
