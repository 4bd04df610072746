import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createBareRepo } from '../../infrastructure/git-http/index.ts';
import { isProcessAlive, runCell } from '../../infrastructure/jupyter/index.ts';
import { detectSandbox, type SandboxSupport } from '../../infrastructure/sandbox/index.ts';
import type { ProvisionInput } from '../driver.ts';
import { notebookDriver, notebookOutputs, type NotebookDriver } from './notebook.ts';

/** Where the front door sends the notebook's traffic, and the headers (its token) it adds. */
async function upstreamOf(state: Record<string, unknown>): Promise<{ url: string; headers: Record<string, string> }> {
  const up = await driver.upstream!({ environmentId: 'env1', resourceId: 'notebook', state: state as never });
  assert.ok(up && up.kind === 'http', 'a running notebook has an http upstream');
  return { url: up.url, headers: up.headers ?? {} };
}

let work: string;
let driver: NotebookDriver;
let sandbox: SandboxSupport;
const root = process.getuid?.() === 0;

const input = (over: Partial<ProvisionInput> = {}): ProvisionInput => ({
  environmentId: 'env1',
  resourceId: 'notebook',
  state: {},
  params: { repo: 'env1-repo', repoUrl: 'http://env1:secret@127.0.0.1:7399/git/env1-repo.git', env: { WAREHOUSE_URL: 'postgres://x@127.0.0.1/w' } },
  environment: { id: 'env1', name: 'churn', team: 'churn-analytics', owner: 'ravi', dataClass: 'synthetic', path: 'tiny', params: {} },
  ...over,
});

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'notebook-driver-'));
  mkdirSync(join(work, 'repos'));
  await createBareRepo(join(work, 'repos'), 'env1-repo', { 'README.md': '# churn\n', 'notebooks/a.ipynb': '{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}' });
  sandbox = await detectSandbox();
  if (!sandbox.available && process.env.CI) throw new Error(`no sandbox on the CI machine: ${sandbox.reason}`);
  driver = notebookDriver({ workDir: join(work, 'envs'), reposDir: join(work, 'repos'), host: '127.0.0.1', publicUrl: 'http://127.0.0.1:7300', sandbox });
});
after(async () => {
  await driver?.stopAll();
  rmSync(work, { recursive: true, force: true });
});

test('provision starts Jupyter on a clone whose origin is the repository URL, and gives exactly the declared outputs', async () => {
  const { state, outputs } = await driver.provision(input());
  assert.deepEqual(Object.keys(notebookOutputs.parse(outputs)), ['url'], 'no port, no token: those stay behind the front door');
  assert.equal(outputs.url, 'http://127.0.0.1:7300/w/env1/notebook/', 'the stable address through the front door');
  const up = await upstreamOf(state);
  assert.equal((await fetch(`${up.url}/api/status`, { headers: up.headers })).status, 200, 'the front door reaches it with the headers the driver gives');
  assert.equal((await fetch(`${up.url}/api/status`)).status, 403, 'and nothing reaches it without them');
  const clone = join(work, 'envs', 'env1', 'notebook', 'home', 'work');
  // Read as a file: git refuses to look into a repository another uid owns.
  assert.equal(execFileSync('git', ['config', '--file', join(clone, '.git', 'config'), 'remote.origin.url'], { encoding: 'utf8' }).trim(), input().params.repoUrl);
  assert.equal(state.sandboxed, sandbox.available);
});

test('the kernel runs in the sandbox: its own uid, its home, none of the platform\'s files', { skip: false }, async (t) => {
  if (!sandbox.available) return t.skip('no sandbox on this host');
  const { state } = await driver.provision(input());
  const up = await upstreamOf(state);
  const cell = await runCell(up.url, { headers: up.headers }, [
    'import os, json',
    `print(json.dumps({"uid": os.getuid(), "cwd": os.getcwd(), "sees_driver_dir": os.path.exists(${JSON.stringify(join(work, 'envs'))}), "env": os.environ.get("WAREHOUSE_URL")}))`,
  ].join('\n'), { timeoutMs: 60_000 });
  assert.equal(cell.status, 'ok', cell.stderr);
  const seen = JSON.parse(cell.stdout.trim()) as { uid: number; cwd: string; sees_driver_dir: boolean; env: string };
  if (root) assert.equal(seen.uid, state.uid);
  assert.notEqual(seen.uid, 0);
  assert.equal(seen.cwd, '/home/workspace/work');
  assert.equal(seen.sees_driver_dir, false);
  assert.equal(seen.env, 'postgres://x@127.0.0.1/w');
  if (root) assert.equal(statSync(join(work, 'envs', 'env1', 'notebook', 'home', 'work', 'README.md')).uid, state.uid, 'the clone belongs to the workspace');
});

test('provision again adopts the running server; stop ends it and keeps the work; provision brings it back', async () => {
  const first = await driver.provision(input());
  const again = await driver.provision(input({ state: first.state }));
  assert.equal(again.state.pid, first.state.pid, 'the same process is adopted, not a second one started');
  await driver.stop!({ environmentId: 'env1', resourceId: 'notebook', state: again.state });
  assert.equal(isProcessAlive(Number(first.state.pid)), false);
  assert.ok(existsSync(join(work, 'envs', 'env1', 'notebook', 'home', 'work', 'README.md')), 'the work is kept');
  assert.equal((await driver.status({ environmentId: 'env1', resourceId: 'notebook', state: again.state })).healthy, false);
  const back = await driver.provision(input({ state: again.state }));
  assert.notEqual(back.state.pid, first.state.pid);
  assert.equal(back.outputs.url, first.outputs.url, 'the URL people saved stays the same');
  assert.notEqual(back.state.token, first.state.token, 'the token is new on every start: nobody holds it but the front door');
  assert.equal((await driver.status({ environmentId: 'env1', resourceId: 'notebook', state: back.state })).healthy, true);
  await driver.stop!({ environmentId: 'env1', resourceId: 'notebook', state: back.state });
  assert.equal(await driver.upstream!({ environmentId: 'env1', resourceId: 'notebook', state: back.state }), null, 'a stopped notebook has no upstream: the door says it is stopped');
});

test('a hand-over cut short by a crash (clone made, home still the platform\'s) is done again before Jupyter starts', { skip: !root && 'only the platform running as root hands homes to uids' }, async () => {
  const first = await driver.provision(input());
  await driver.stop!({ environmentId: 'env1', resourceId: 'notebook', state: first.state });
  const home = join(work, 'envs', 'env1', 'notebook', 'home');
  execFileSync('chown', ['-R', '0:0', home]); // as the crash left it: cloned, not yet handed over
  const back = await driver.provision(input({ state: first.state }));
  assert.equal(statSync(home).uid, Number(back.state.uid));
  assert.equal(statSync(join(home, 'work', 'README.md')).uid, Number(back.state.uid));
  assert.equal((await driver.status({ environmentId: 'env1', resourceId: 'notebook', state: back.state })).healthy, true);
});

test('deprovision ends every process, removes the home and gives the uid back; twice is harmless', async () => {
  const { state } = await driver.provision(input());
  await driver.deprovision({ environmentId: 'env1', resourceId: 'notebook', state });
  await driver.deprovision({ environmentId: 'env1', resourceId: 'notebook', state });
  assert.equal(isProcessAlive(Number(state.pid)), false);
  assert.equal(existsSync(join(work, 'envs', 'env1', 'notebook')), false);
  if (root && sandbox.available) assert.deepEqual(readdirSync(join(work, 'envs', '.uids')), []);
});

test('a missing repo param is a permanent error naming the field', async () => {
  await assert.rejects(driver.provision(input({ params: { env: {} } })), /repo/);
});
