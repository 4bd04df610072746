import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { until } from '../support/wait.ts';

const git = promisify(execFile);
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x', GIT_TERMINAL_PROMPT: '0' };
let platform: PlatformProcess;

interface Found { items: { ref?: string; kind: string; metadata: { name: string } }[]; totalCount: number }
interface Entity { kind: string; metadata: { name: string }; spec: Record<string, unknown>; relations: { type: string; targetRef: string }[] }

before(async () => {
  platform = await startPlatformProcess();
});
after(async () => {
  await platform?.stop();
});

test('the platform registers its teams, users, golden paths and warehouse datasets', async () => {
  const dataset = await platform.cliJson<Entity>(['catalog', 'get', 'dataset:default/customers']);
  const email = (dataset.spec.columns as { name: string; classification?: string }[]).find((c) => c.name === 'email');
  assert.equal(email?.classification, 'pii.email');
  assert.ok(dataset.relations.some((r) => r.type === 'ownedBy' && r.targetRef === 'group:default/churn-analytics'));
  const team = await platform.cliJson<Entity>(['catalog', 'get', 'group:default/churn-analytics']);
  assert.ok(team.relations.some((r) => r.type === 'hasMember' && r.targetRef === 'user:default/dana'));
  assert.ok(team.relations.some((r) => r.type === 'ownerOf' && r.targetRef === 'dataset:default/customers'));
  const paths = await platform.cliJson<Found>(['catalog', 'search', 'experimentation', '--kind', 'GoldenPath']);
  assert.equal(paths.items[0].metadata.name, 'data-science-experimentation');
});

test('Backstage descriptor files import unchanged, and bad documents are listed while the rest imports', async () => {
  // dana may import only her team's entities; a platform admin imports an organisation's files.
  const refused = await platform.cli(['catalog', 'import', 'src/engine/catalog/fixtures/backstage/payments']);
  assert.match(refused.stderr, /dana may not registerEntity CatalogEntity::"[^"]+": catalog entities are registered, changed and removed by their owner/);
  const imported = await platform.cli(['--as', 'priya', 'catalog', 'import', 'src/engine/catalog/fixtures/backstage/payments']);
  assert.equal(imported.code, 0, imported.stderr);
  const found = await platform.cliJson<Found>(['catalog', 'search', 'payments']);
  assert.ok(found.totalCount > 0);
  const bad = await platform.cli(['--as', 'priya', 'catalog', 'import', 'src/engine/catalog/fixtures/bad']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /missing-owner\.yaml document 2 .*spec\.owner: is required/);
  assert.match(bad.stdout, /bad document\(s\) or file\(s\) not imported/, 'the valid documents import; the bad ones are listed');
});

test('an environment is in the catalog while it exists, and a pushed catalog-info.yaml registers what it declares', async () => {
  const env = await platform.cliJson<EnvironmentView>(['launch', 'sql-data-querying', '--wait']);
  const entity = await until(() => platform.cliJson<Found>(['catalog', 'search', env.id, '--kind', 'Environment']), (f) => f.items.length > 0);
  assert.equal(entity.items[0].metadata.name, env.id);
  const full = await platform.cliJson<Entity>(['catalog', 'get', `environment:default/${env.id}`]);
  for (const [type, target] of [['ownedBy', 'group:default/churn-analytics'], ['instanceOf', 'goldenpath:default/sql-data-querying'], ['dependsOn', 'dataset:default/customers']]) {
    assert.ok(full.relations.some((r) => r.type === type && r.targetRef === target), `${type} ${target} in ${JSON.stringify(full.relations)}`);
  }

  const repo = env.resources.find((r) => r.type === 'git-repo')!.outputs as { url: string; name: string };
  const work = mkdtempSync(join(tmpdir(), 'gp-cat-'));
  await git('git', ['clone', '-q', repo.url, work]);
  writeFileSync(join(work, 'catalog-info.yaml'), `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: segment-report
  description: Weekly segment report built from the saved queries.
spec:
  type: service
  lifecycle: experimental
  owner: group:default/churn-analytics
---
apiVersion: goldpath.dev/v1
kind: Model
metadata:
  name: segment-churn
  description: Churn propensity per segment.
spec:
  type: classification
  owner: group:default/churn-analytics
  versions:
    - version: "1"
      stage: staging
      metrics: { auc: 0.81 }
      trainingDatasets: [dataset:default/customers]
  licence: proprietary
  intendedUse: Prioritise segments for retention campaigns.
  limitations: Trained on masked data; not for decisions about one person.
  approval: { status: pending }
`);
  await git('git', ['-C', work, 'add', '.'], { env: gitEnv });
  await git('git', ['-C', work, 'commit', '-qm', 'register in the catalog'], { env: gitEnv });
  await git('git', ['-C', work, 'push', '-q', 'origin', 'HEAD'], { env: gitEnv });
  const component = await until(() => platform.cli(['catalog', 'get', 'component:default/segment-report', '--json']), (r) => r.code === 0);
  assert.equal(component.code, 0, component.stderr + (await platform.cli(['env', env.id, '--events'])).stdout);
  const model = await platform.cliJson<Entity>(['catalog', 'get', 'model:default/segment-churn']);
  assert.ok(model.relations.some((r) => r.targetRef === 'dataset:default/customers'), JSON.stringify(model.relations));

  // The file goes away in the next push: so do its entities.
  rmSync(join(work, 'catalog-info.yaml'));
  await git('git', ['-C', work, 'commit', '-qam', 'unregister'], { env: gitEnv });
  await git('git', ['-C', work, 'push', '-q', 'origin', 'HEAD'], { env: gitEnv });
  const gone = await until(() => platform.cli(['catalog', 'get', 'component:default/segment-report', '--json']), (r) => r.code !== 0);
  assert.match(gone.stderr, /no entity component:default\/segment-report/);

  // A repository is no way around the policy: claiming another team's ownership registers nothing.
  writeFileSync(join(work, 'catalog-info.yaml'), `apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: not-ours }
spec: { type: service, lifecycle: production, owner: group:default/payments }
`);
  await git('git', ['-C', work, 'add', '.'], { env: gitEnv });
  await git('git', ['-C', work, 'commit', '-qm', 'claim payments'], { env: gitEnv });
  await git('git', ['-C', work, 'push', '-q', 'origin', 'HEAD'], { env: gitEnv });
  const events = await until(() => platform.cli(['env', env.id, '--events']), (r) => /catalog-info.yaml not registered/.test(r.stdout));
  assert.match(events.stdout, /catalog-info.yaml not registered: dana may not registerEntity CatalogEntity::"component:default\/not-ours"/);
  assert.notEqual((await platform.cli(['catalog', 'get', 'component:default/not-ours'])).code, 0);

  await platform.cliJson(['delete', env.id, '--wait']);
  const removed = await until(() => platform.cliJson<Found>(['catalog', 'search', env.id, '--kind', 'Environment']), (f) => f.items.length === 0);
  assert.equal(removed.items.length, 0);
});
