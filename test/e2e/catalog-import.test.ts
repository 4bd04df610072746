import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';

// `goldpath catalog import` through the real CLI and server: a folder of more than 10,000 entities
// (the old per-request cap), Location targets (a glob, a file, a cycle back), placeholders, a bad
// entity and a file that does not parse; re-imports that remove what disappeared.
let platform: PlatformProcess;
let dir: string;

interface Imported { imported: boolean; source: string; files: number; entities: number; written: number; unchanged: number; removed: string[]; kept: number; skipped: string[];
  errors: { file: string; document: number; line: number | null; entity: string | null; errors: { field: string; message: string }[] }[] }
interface Entity { spec: Record<string, unknown> }

const user = (name: string) => `apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: ${name}\nspec:\n  memberOf: [bulk]\n`;
const bulkFile = (n: number, per: number) => Array.from({ length: per }, (_, i) => user(`u${n}-${i}`)).join('---\n');

before(async () => {
  platform = await startPlatformProcess();
  dir = join(mkdtempSync(join(tmpdir(), 'goldpath-import-')), 'acme');
  mkdirSync(join(dir, 'bulk'), { recursive: true });
  mkdirSync(join(dir, 'teams', 'orders'), { recursive: true });
  mkdirSync(join(dir, 'elsewhere'), { recursive: true });
  // 12,000 users in 6 files: more than the 10,000 one request used to take.
  for (let n = 0; n < 6; n++) writeFileSync(join(dir, 'bulk', `users-${n}.yaml`), bulkFile(n, 2000));
  writeFileSync(join(dir, 'catalog-info.yaml'), [
    'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: bulk\nspec:\n  type: team\n',
    'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: acme-root\nspec:\n  targets:\n    - ./teams/*/catalog-info.yaml\n    - ../outside/org.yaml\n',
  ].join('---\n'));
  // The orders team's file points back at the root (a cycle) and has an API whose definition is a placeholder.
  writeFileSync(join(dir, 'teams', 'orders', 'catalog-info.yaml'), [
    'apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders-api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: bulk\n  definition:\n    $text: ./openapi.yaml\n',
    'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: orders-back\nspec:\n  target: ../../catalog-info.yaml\n',
  ].join('---\n'));
  writeFileSync(join(dir, 'teams', 'orders', 'openapi.yaml'), 'openapi: 3.0.0\ninfo: {title: Orders, version: 1.0.0}\npaths: {}\n');
  // Reached only through the Location (outside the folder imported).
  mkdirSync(join(dir, '..', 'outside'), { recursive: true });
  writeFileSync(join(dir, '..', 'outside', 'org.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: commerce\nspec:\n  owner: bulk\n');
});
after(async () => {
  await platform?.stop();
  if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
});

test('a folder of 12,000 entities imports through the CLI, following Location targets (glob, file, cycle) and placeholders', async () => {
  const t = performance.now();
  const r = await platform.cli(['--as', 'priya', 'catalog', 'import', dir, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Imported;
  assert.deepEqual(out.errors, []);
  assert.equal(out.source, 'api:import:acme');
  assert.equal(out.entities, 12_000 + 5);
  assert.equal(out.files, 9, 'six bulk files, the root, the orders team (once, despite the cycle) and the file outside');
  assert.ok(performance.now() - t < 25_000, `took ${performance.now() - t} ms`);
  const api = await platform.cliJson<Entity>(['catalog', 'get', 'api:default/orders-api']);
  assert.match(String(api.spec.definition), /^openapi: 3\.0\.0/);
  await platform.cliJson(['catalog', 'get', 'domain:default/commerce']);
  await platform.cliJson(['catalog', 'get', 'user:default/u5-1999']);
});

test('bad entities and a file that does not parse are listed; the rest imports, the CLI exits non-zero and removes nothing', async () => {
  writeFileSync(join(dir, 'bulk', 'users-5.yaml'), `${bulkFile(5, 3)}---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: Not Valid\nspec:\n  memberOf: [bulk]\n`);
  writeFileSync(join(dir, 'bulk', 'users-4.yaml'), `${user('u4-0')}---\nkind: User\nmetadata: {name: [unclosed\n`);
  writeFileSync(join(dir, 'teams', 'orders', 'catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders-api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: bulk\n  definition:\n    $text: https://example.org/openapi.yaml\n');
  const r = await platform.cli(['--as', 'priya', 'catalog', 'import', dir]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /acme\/bulk\/users-5\.yaml document 4 \(line \d+\) User Not Valid: metadata\.name: /);
  assert.match(r.stderr, /acme\/bulk\/users-4\.yaml document 2 \(line \d+\): \(yaml\): .*nothing in this file was imported/);
  assert.match(r.stderr, /acme\/teams\/orders\/catalog-info\.yaml document 1 \(line 1\) API orders-api: spec\.definition: \$text: https:\/\/example\.org\/openapi\.yaml is remote and is not fetched/);
  assert.match(r.stdout, /imported 8,006 entities from 9 file\(s\) as source api:import:acme: .*3 bad document\(s\) or file\(s\) not imported/);
  assert.match(r.stdout, /kept \d+ entities no longer in these files, because some documents were bad/);
  await platform.cliJson(['catalog', 'get', 'user:default/u5-1999']); // kept: its file had a bad document
});

test('a clean re-import removes what the files no longer list', async () => {
  unlinkSync(join(dir, 'bulk', 'users-5.yaml'));
  writeFileSync(join(dir, 'bulk', 'users-4.yaml'), user('u4-0'));
  writeFileSync(join(dir, 'teams', 'orders', 'catalog-info.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders-api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: bulk\n  definition: "openapi: 3.0.0"\n');
  const r = await platform.cli(['--as', 'priya', 'catalog', 'import', dir, '--json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout) as Imported;
  assert.equal(out.entities, 8_000 + 1 + 4, 'users 0-3, u4-0, the group, the root Location, the API and the domain');
  assert.equal(out.removed.length, 2000 + 1999 + 1, 'users-5 (2,000), users-4 but one (1,999), and the orders Location');
  assert.ok(out.removed.includes('location:default/orders-back'));
  const gone = await platform.cli(['catalog', 'get', 'user:default/u5-1999']);
  assert.notEqual(gone.code, 0);
});
