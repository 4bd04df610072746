import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';

let platform: PlatformProcess;
const orgPaths = mkdtempSync(join(tmpdir(), 'org-paths-'));

before(async () => {
  const base = readFileSync('paths/sql-data-querying.yaml', 'utf8').replace('${path.dir}/skeletons/sql-queries', `${process.cwd()}/paths/skeletons/sql-queries`);
  // A path that loads but cannot be provisioned: its notebook names no repository.
  writeFileSync(join(orgPaths, 'half-made.yaml'), base.replace('name: sql-data-querying', 'name: half-made').replace('  docs: |', '    notebook:\n      type: notebook\n      dependsOn: [queries, warehouse]\n  docs: |'));
  writeFileSync(join(orgPaths, 'typo.yaml'), base.replace('name: sql-data-querying', 'name: typo').replace('audience: data', 'audience: analysts'));
  writeFileSync(join(orgPaths, 'broken.yaml'), 'apiVersion: goldpath.dev/v1\nkind: [GoldenPath\n');
  platform = await startPlatformProcess({ args: ['--paths-dir', orgPaths] });
});
after(async () => {
  await platform?.stop();
});

test('invalid golden path files are reported with file, line and field while the valid ones load', async () => {
  assert.match(platform.output(), /typo\.yaml:\d+: metadata\.audience: must be "data" or "software"/);
  const listed = await platform.cli(['paths']);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /half-made/);
  assert.match(listed.stdout, /data-science-experimentation/);
  assert.match(listed.stderr, /not loaded: .*typo\.yaml:11: metadata\.audience: must be "data" or "software"/);
  assert.match(listed.stderr, /not loaded: .*broken\.yaml:\d+: not valid YAML/);
  const launch = await platform.cli(['launch', 'typo']);
  assert.match(launch.stderr, /no golden path named "typo".*Its file has errors: .*audience/);
});

test('a launch that fails part-way rolls back everything it made', async () => {
  const result = await platform.cli(['launch', 'half-made', '--wait']);
  assert.equal(result.code, 1);
  const envs = await platform.cliJson<EnvironmentView[]>(['envs']);
  const env = envs.find((e) => e.path === 'half-made')!;
  assert.equal(env.status, 'failed');
  assert.match(env.reason!, /notebook: resource "notebook" \(notebook\): param "repo" is required/);
  assert.deepEqual(env.resources.map((r) => `${r.id}:${r.status}`).sort(), ['ide:deleted', 'notebook:deleted', 'queries:deleted', 'warehouse:deleted']);
  const c = new pg.Client(platform.adminUrl('warehouse'));
  await c.connect();
  const roles = await c.query(`SELECT 1 FROM pg_roles WHERE rolname LIKE $1`, [`gp_${env.id}%`]);
  await c.end();
  assert.equal(roles.rowCount, 0, 'the warehouse role was dropped');
  assert.deepEqual(readdirSync(join(platform.home, 'repos')).filter((r) => r.startsWith(env.id)), [], 'the repo was removed');
  const events = await platform.cli(['env', env.id, '--events']);
  assert.match(events.stdout, /rolling back what this launch made/);
});
