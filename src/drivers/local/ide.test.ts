import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createBareRepo } from '../../infrastructure/git-http/index.ts';
import { codeServerInstalled, isAlive } from '../../infrastructure/code-server/index.ts';
import { detectSandbox, type SandboxSupport } from '../../infrastructure/sandbox/index.ts';
import type { ProvisionInput, ResourceRef } from '../driver.ts';
import { ideDriver, ideOutputs, type IdeDriver } from './ide.ts';

let work: string;
let driver: IdeDriver;
let sandbox: SandboxSupport;
const root = process.getuid?.() === 0;
const ref: ResourceRef = { environmentId: 'env1', resourceId: 'ide', state: {} };
const input = (): ProvisionInput => ({
  ...ref,
  params: { repo: 'env1-repo', repoUrl: 'http://env1:secret@127.0.0.1:7399/git/env1-repo.git', env: { WAREHOUSE_URL: 'postgres://x@127.0.0.1/w' } },
  environment: { id: 'env1', name: 'churn', team: 'churn-analytics', owner: 'ravi', dataClass: 'synthetic', path: 'tiny', params: {} },
});
const dir = () => join(work, 'envs', 'env1', 'ide');

const uidOf = (pid: number | string) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const cmdline = (pid: number | string) => readFileSync(`/proc/${pid}/cmdline`, 'utf8');

/** The IDE's processes: the sandbox's (it names the home on its command line) and, as root, every one of the workspace's uid. */
const processesOf = (uid?: number) => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try {
    return cmdline(p).includes(dir()) || (uid !== undefined && uidOf(p) === uid);
  } catch {
    return false; // gone meanwhile
  }
});

/** Every process below pid. */
const descendants = (pid: number): number[] => {
  const parent = new Map<number, number>();
  for (const p of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [c, pp] of parent) if (pp === out[i]) out.push(c);
  return out.slice(1);
};

before(async () => {
  // Fails, not skips, where the IDE is missing: CI must install it (setup.sh, maybe still building it in the background).
  await codeServerInstalled(8 * 60_000);
  work = mkdtempSync(join(tmpdir(), 'ide-driver-'));
  mkdirSync(join(work, 'repos'));
  await createBareRepo(join(work, 'repos'), 'env1-repo', { 'README.md': '# churn\n', 'model.py': 'print("hello")\n' });
  sandbox = await detectSandbox();
  if (!sandbox.available && process.env.CI) throw new Error(`no sandbox on the CI machine: ${sandbox.reason}`);
  driver = ideDriver({ workDir: join(work, 'envs'), reposDir: join(work, 'repos'), publicUrl: 'http://127.0.0.1:7399', sandbox });
});
after(async () => {
  await driver?.stopAll();
  rmSync(work, { recursive: true, force: true });
});

test('provision makes the clone and gives the front door\'s URL without starting anything; the first open starts code-server', async () => {
  const { state, outputs } = await driver.provision(input());
  assert.deepEqual(ideOutputs.parse(outputs), { url: 'http://127.0.0.1:7399/w/env1/ide/' });
  const clone = join(dir(), 'home', 'work');
  assert.equal(readFileSync(join(clone, 'README.md'), 'utf8'), '# churn\n');
  assert.equal(execFileSync('git', ['config', '--file', join(clone, '.git', 'config'), 'remote.origin.url'], { encoding: 'utf8' }).trim(), input().params.repoUrl);
  assert.equal(existsSync(join(dir(), 'run.json')), false, 'a launch does not wait for the IDE');
  assert.equal((await driver.status({ ...ref, state })).healthy, true);

  const up = await driver.upstream!({ ...ref, state });
  assert.ok(up && up.kind === 'http');
  assert.equal((await fetch(new URL('healthz', up.url))).status, 200);
  // Without the session cookie the door adds, code-server lets nobody in (other tenants share the loopback).
  assert.equal((await fetch(up.url, { redirect: 'manual' })).headers.get('location'), './login');
  const home = await fetch(up.url, { headers: up.headers, redirect: 'manual' });
  const folder = sandbox.available ? '/home/workspace/work' : clone;
  assert.equal(home.headers.get('location'), `./?folder=${folder}`, 'the workbench opens the clone');
  // The files the workbench shows are the repository's.
  const file = await fetch(new URL(`vscode-remote-resource?path=${encodeURIComponent(`${folder}/model.py`)}`, up.url), { headers: up.headers });
  assert.equal(await file.text(), 'print("hello")\n');
  const again = await driver.upstream!({ ...ref, state });
  assert.deepEqual(again, up, 'the running server is reused');
});

test('code-server runs sandboxed as the environment\'s own uid and cannot see the platform\'s folders', async (t) => {
  if (!sandbox.available) return t.skip('no sandbox on this host');
  const { state } = await driver.provision(input());
  const up = await driver.upstream!({ ...ref, state });
  assert.ok(up && up.kind === 'http');
  const run = JSON.parse(readFileSync(join(dir(), 'run.json'), 'utf8')) as { pid: number; port: number };
  // code-server itself: the node process below bwrap.
  const server = descendants(run.pid).find((p) => cmdline(p).startsWith('/opt/goldpath/node/bin/node'));
  assert.ok(server, 'code-server runs below the sandbox');
  const uid = uidOf(server);
  assert.notEqual(uid, 0, 'never root');
  if (root) assert.equal(uid, state.uid);
  if (root) assert.equal(statSync(join(dir(), 'home', 'work', 'README.md')).uid, state.uid, 'the clone belongs to the workspace');
  // Its view of the filesystem: its home, the system read-only, code-server read-only; none of the platform's folders.
  const mounts = readFileSync(`/proc/${server}/mountinfo`, 'utf8');
  assert.match(mounts, / \/home\/workspace rw/);
  assert.match(mounts, / \/opt\/goldpath\/code-server ro/);
  assert.doesNotMatch(mounts, new RegExp(work.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '(?!/envs/env1/ide/home)'), 'the platform\'s data folder is not mounted');
  // Its file API is the sandbox's: the host's folders do not exist for it.
  const probe = await fetch(new URL(`vscode-remote-resource?path=${encodeURIComponent(join(work, 'envs', 'env1', 'ide', 'secret'))}`, up.url), { headers: up.headers });
  assert.notEqual(probe.status, 200);
  const env = readFileSync(`/proc/${server}/environ`, 'utf8').split('\0');
  assert.ok(env.includes('WAREHOUSE_URL=postgres://x@127.0.0.1/w'), 'the terminal gets the environment\'s variables');
  assert.ok(!env.some((e) => e.startsWith('DATABASE_URL=') || e.startsWith('GOLDPATH_')), 'and none of the platform\'s');
});

test('stop ends every process and keeps the work; the door starts nothing while stopped; deprovision leaves nothing', async () => {
  const { state } = await driver.provision(input());
  await driver.upstream!({ ...ref, state });
  const run = JSON.parse(readFileSync(join(dir(), 'run.json'), 'utf8')) as { pid: number };
  await driver.stop!({ ...ref, state });
  assert.equal(isAlive(run.pid), false);
  assert.deepEqual(processesOf(state.uid as number | undefined), [], 'no process of the IDE is left');
  assert.equal(await driver.upstream!({ ...ref, state }), null, 'a stopped environment\'s IDE is not started by a visit');
  assert.ok(existsSync(join(dir(), 'home', 'work', 'README.md')), 'the work is kept');

  await driver.provision(input()); // start
  const back = await driver.upstream!({ ...ref, state });
  assert.ok(back);
  await driver.deprovision({ ...ref, state });
  assert.deepEqual(processesOf(state.uid as number | undefined), [], 'no process of the IDE is left');
  assert.equal(existsSync(dir()), false);
  await driver.deprovision({ ...ref, state }); // again: nothing to do, no error
});

test('a param of the wrong type is refused before anything is made', async () => {
  await assert.rejects(driver.provision({ ...input(), resourceId: 'bad', params: { repo: 42 } }), /param "repo"/);
  assert.equal(existsSync(join(work, 'envs', 'env1', 'bad')), false);
});
