import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBareRepo } from '../../infrastructure/git-http/index.ts';
import { runCell } from '../../infrastructure/jupyter/index.ts';
import { detectSandbox } from '../../infrastructure/sandbox/index.ts';
import type { ProvisionInput } from '../driver.ts';
import { notebookDriver, type NotebookDriver } from './notebook.ts';

let work: string;
let driver: NotebookDriver;

const input: ProvisionInput = {
  environmentId: 'envact',
  resourceId: 'notebook',
  state: {},
  params: { repo: 'envact-repo' },
  environment: { id: 'envact', name: 'idle', team: 'churn-analytics', owner: 'ravi', dataClass: 'synthetic', path: 'tiny', params: {} },
};
const ref = { environmentId: 'envact', resourceId: 'notebook', state: {} };

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'notebook-activity-'));
  mkdirSync(join(work, 'repos'));
  await createBareRepo(join(work, 'repos'), 'envact-repo', { 'README.md': '# idle\n' });
  driver = notebookDriver({ workDir: join(work, 'envs'), reposDir: join(work, 'repos'), host: '127.0.0.1', publicUrl: 'http://127.0.0.1:7300', sandbox: await detectSandbox() });
});
after(async () => {
  await driver?.stopAll();
  rmSync(work, { recursive: true, force: true });
});

test("a notebook's activity is Jupyter's last_activity: health checks leave it, running a cell moves it, a stopped notebook has none", async () => {
  const startedBefore = Date.now();
  await driver.provision(input);
  const first = await driver.activity!(ref);
  assert.ok(first, 'a running notebook reports its last activity');
  assert.ok(first.getTime() >= startedBefore - 5000 && first.getTime() <= Date.now(), `last activity ${first.toISOString()} is the server's start`);

  // The platform's own checks are not someone using the notebook.
  await new Promise((r) => setTimeout(r, 50));
  assert.equal((await driver.status(ref)).healthy, true);
  assert.equal((await driver.activity!(ref))!.getTime(), first.getTime(), 'status checks and activity reads do not count as activity');

  const before = Date.now();
  await driver.provision(input);
  const up = await driver.upstream!(ref);
  assert.ok(up?.kind === 'http');
  assert.equal((await runCell(up.url, { headers: up.headers ?? {} }, '1 + 1')).result, '2');
  const after = await driver.activity!(ref);
  assert.ok(after!.getTime() >= before - 1000 && after!.getTime() > first.getTime(), 'running a cell is activity');

  await driver.stop!(ref);
  assert.equal(await driver.activity!(ref), null, 'a stopped notebook reports nothing');
});
