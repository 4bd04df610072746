import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRepoFile, repoExists } from '../../infrastructure/git-http/index.ts';
import { PermanentDriverError, type Driver, type ProvisionInput } from '../driver.ts';
import { gitRepoDriver, gitRepoOutputs } from './git-repo.ts';

let work: string;
let driver: Driver;
const reposDir = () => join(work, 'repos');

const input = (over: Partial<ProvisionInput> = {}): ProvisionInput => ({
  environmentId: 'env1',
  resourceId: 'repo',
  state: {},
  params: {},
  environment: { id: 'env1', name: 'churn', team: 'churn-analytics', owner: 'ravi', dataClass: 'synthetic', path: 'tiny', params: { project: 'churn "q3"' } },
  ...over,
});

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'git-repo-driver-'));
  await mkdir(reposDir());
  driver = gitRepoDriver({ reposDir: reposDir(), publicUrl: 'http://127.0.0.1:7399' });
});
after(() => rm(work, { recursive: true, force: true }));

test('provision makes a repo seeded from the skeleton, and gives exactly the declared outputs', async () => {
  const skeleton = join(work, 'skeleton');
  await mkdir(skeleton);
  await writeFile(join(skeleton, 'README.md'), '# {{ params.project }} for {{ environment.team }}\n');
  const { state, outputs } = await driver.provision(input({ params: { skeleton } }));
  assert.deepEqual(Object.keys(gitRepoOutputs.parse(outputs)).sort(), ['cloneUrl', 'name', 'password', 'url', 'username']);
  assert.equal(outputs.name, 'env1-repo');
  assert.equal(outputs.cloneUrl, 'http://127.0.0.1:7399/git/env1-repo.git');
  assert.equal(outputs.url, `http://env1:${outputs.password}@127.0.0.1:7399/git/env1-repo.git`);
  assert.equal(state.repo, 'env1-repo');
  assert.equal(await readRepoFile(reposDir(), 'env1-repo', 'README.md'), '# churn "q3" for churn-analytics\n');
  assert.deepEqual(await driver.status({ environmentId: 'env1', resourceId: 'repo', state }), { healthy: true });
});

test('provision again with its state is idempotent: same repo, same credentials', async () => {
  const first = await driver.provision(input({ resourceId: 'twice' }));
  const second = await driver.provision(input({ resourceId: 'twice', state: first.state }));
  assert.deepEqual(second, first);
  assert.ok(await repoExists(reposDir(), 'env1-twice'));
});

test('deprovision removes the repo, and removing it again is no error', async () => {
  const { state } = await driver.provision(input({ resourceId: 'gone' }));
  const ref = { environmentId: 'env1', resourceId: 'gone', state };
  await driver.deprovision(ref);
  assert.equal(await repoExists(reposDir(), 'env1-gone'), false);
  assert.equal((await driver.status(ref)).healthy, false);
  await driver.deprovision(ref);
});

test('params that do not fit the declaration are a permanent error naming the resource and the field', async () => {
  await assert.rejects(driver.provision(input({ resourceId: 'bad', params: { skeleton: 42 } })), (e: Error) => {
    assert.ok(e instanceof PermanentDriverError);
    assert.match(e.message, /^resource "bad" \(git-repo\): param "skeleton": .*expected string/);
    return true;
  });
  await assert.rejects(driver.provision(input({ resourceId: 'bad', params: { skelton: '/x' } })), /resource "bad" \(git-repo\): unknown param "skelton"/);
  assert.equal(await repoExists(reposDir(), 'env1-bad'), false, 'nothing is made for bad params');
});
