import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { declarationOf } from '../../domain/resource/driver-contract.ts';
import { gitRepoDeclaration } from '../../drivers/local/git-repo.ts';
import { bucketDeclaration } from '../../drivers/local/bucket.ts';
import { warehouseDeclaration } from '../../drivers/local/warehouse.ts';
import { notebookDeclaration } from '../../drivers/local/notebook.ts';
import { ideDeclaration } from '../../drivers/local/ide.ts';
import { sitePreviewDeclaration } from '../../drivers/local/site-preview.ts';
import { javaServiceDeclaration } from '../../drivers/local/java-service.ts';
import { databaseDeclaration } from '../../drivers/local/database.ts';
import { cacheDeclaration } from '../../drivers/local/cache.ts';
import { PathLibrary } from '../paths/library.ts';
import { formatPathError } from '../paths/loader.ts';
import { PolicyEngine } from '../policy/engine.ts';
import { toolCheckFor } from './tool-check.ts';

// Every local driver's declaration, as the platform's registry gives them: the shipped paths use them all.
const types = new Map([gitRepoDeclaration, notebookDeclaration, bucketDeclaration, warehouseDeclaration, ideDeclaration, sitePreviewDeclaration, javaServiceDeclaration, databaseDeclaration, cacheDeclaration]
  .map((d) => [d.type, declarationOf(d)]));
const shippedPolicies = fileURLToPath(new URL('../../../policies/', import.meta.url));

const registry = `version: 1
tools:
  git: { category: vcs, licence: GPL-2.0-only, support: community, provides: [git-repo] }
  jupyter: { category: notebook, licence: BSD-3-Clause, support: none, provides: [notebook] }
  airbyte: { category: etl, licence: ELv2, support: vendor }
  dbt: { category: etl, licence: Apache-2.0, support: vendor }
  meltano: { category: etl, licence: MIT, support: community }
`;

/** A policies folder with the shipped policies and this registry, and an empty paths folder. */
function setUp(registryText = registry) {
  const policies = mkdtempSync(join(tmpdir(), 'gp-policies-'));
  for (const f of readdirSync(shippedPolicies)) if (/\.cedar(schema)?$/.test(f)) copyFileSync(join(shippedPolicies, f), join(policies, f));
  writeFileSync(join(policies, 'registry.yaml'), registryText);
  const paths = mkdtempSync(join(tmpdir(), 'gp-paths-'));
  const engine = PolicyEngine.load([policies], { log: () => {} });
  const library = new PathLibrary([paths], types, { checkTools: toolCheckFor(engine) });
  return { paths, library };
}

const pathFile = (name: string, extra: { resources?: string; tools?: string[] } = {}) => `apiVersion: goldpath.dev/v1
kind: GoldenPath
metadata:
  name: ${name}
  title: ${name}
  description: A test path.
  owner: platform
  audience: data
spec:
  extensible: false
${extra.tools ? `  tools: [${extra.tools.join(', ')}]\n` : ''}  resources:
    repo:
      type: git-repo
${extra.resources ?? ''}`;

test('a path whose notebook tool has no support model is refused at load, with the policy and the line', async () => {
  const { paths, library } = setUp();
  writeFileSync(join(paths, 'lab.yaml'), pathFile('lab', { resources: '    notebook:\n      type: notebook\n' }));
  writeFileSync(join(paths, 'repo-only.yaml'), pathFile('repo-only'));
  const r = await library.reload();
  assert.deepEqual(library.list().map((p) => p.path.metadata.name), ['repo-only']);
  assert.equal(r.errors.length, 1);
  const text = formatPathError(r.errors[0]);
  assert.match(text, /lab\.yaml:15: spec\.resources\.notebook\.type: tool "jupyter" \(notebook, support none\) is refused: /);
  assert.match(text, /has no support model.*\(policy forbid-tools-without-support\)/);
  assert.match(library.errors.map(formatPathError).join('\n'), /forbid-tools-without-support/, 'the library reports it where path errors go');
});

test('a resource type no registry tool provides, and a declared tool not in it, are refused with what to add', async () => {
  const { paths, library } = setUp();
  writeFileSync(join(paths, 'data.yaml'), pathFile('data', { resources: '    bucket:\n      type: bucket\n', tools: ['fivetran'] }));
  const r = await library.reload();
  assert.equal(library.list().length, 0);
  const texts = r.errors.map(formatPathError);
  assert.ok(texts.some((t) => /data\.yaml:16: spec\.resources\.bucket\.type: no tool in the registry provides resource type "bucket"; add it to registry\.yaml/.test(t)), texts.join('\n'));
  assert.ok(texts.some((t) => /data\.yaml:11: spec\.tools\.0: tool "fivetran" is not in the registry; add it to registry\.yaml/.test(t)), texts.join('\n'));
});

test('the organisation uses at most two ETL tools: the path that would bring a third is refused', async () => {
  const { paths, library } = setUp();
  writeFileSync(join(paths, 'a-ingest.yaml'), pathFile('a-ingest', { tools: ['airbyte'] }));
  writeFileSync(join(paths, 'b-transform.yaml'), pathFile('b-transform', { tools: ['dbt'] }));
  writeFileSync(join(paths, 'c-pipelines.yaml'), pathFile('c-pipelines', { tools: ['meltano'] }));
  writeFileSync(join(paths, 'd-more-transform.yaml'), pathFile('d-more-transform', { tools: ['dbt', 'airbyte'] }));
  const r = await library.reload();
  assert.deepEqual(library.list().map((p) => p.path.metadata.name), ['a-ingest', 'b-transform', 'd-more-transform'], 'a fourth path using the same two tools still loads');
  assert.equal(r.errors.length, 1);
  assert.match(formatPathError(r.errors[0]), /c-pipelines\.yaml:11: spec\.tools\.0: tool "meltano" \(etl, support community\) is refused: .*at most 2 distinct ETL tools.*\(policy at-most-2-etl-tools\); etl tools other paths already use: airbyte, dbt/);
});

test('a reload keeps the paths that were loaded: a new path cannot push an older one over the cap', async () => {
  const { paths, library } = setUp();
  writeFileSync(join(paths, 'm-ingest.yaml'), pathFile('m-ingest', { tools: ['airbyte'] }));
  writeFileSync(join(paths, 'n-transform.yaml'), pathFile('n-transform', { tools: ['dbt'] }));
  await library.reload();
  writeFileSync(join(paths, 'a-newcomer.yaml'), pathFile('a-newcomer', { tools: ['meltano'] })); // sorts first by name
  const r = await library.reload();
  assert.deepEqual(library.list().map((p) => p.path.metadata.name), ['m-ingest', 'n-transform']);
  assert.match(formatPathError(r.errors[0]), /a-newcomer\.yaml.*meltano.*at-most-2-etl-tools/);
});

test('the shipped paths all pass the shipped registry and policies', async () => {
  const engine = PolicyEngine.load([shippedPolicies], { log: () => {} });
  const library = new PathLibrary([fileURLToPath(new URL('../../../paths/', import.meta.url))], types, { checkTools: toolCheckFor(engine) });
  const r = await library.reload();
  assert.deepEqual(r.errors.map(formatPathError), []);
  assert.ok(r.loaded >= 3);
});
