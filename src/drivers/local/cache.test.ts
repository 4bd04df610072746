import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectSandbox, type SandboxSupport } from '../../infrastructure/sandbox/index.ts';
import { isProcessAlive } from '../../infrastructure/jupyter/index.ts';
import type { ProvisionInput } from '../driver.ts';
import { cacheDriver, cacheOutputs, redisCommands, type CacheDriver } from './cache.ts';

let work: string;
let sandbox: SandboxSupport;
let driver: CacheDriver;

const input = (resourceId: string, state: ProvisionInput['state'] = {}): ProvisionInput => ({
  environmentId: 'e0cachet01', resourceId, state, params: {},
  environment: { id: 'e0cachet01', name: 'orders', team: 'payments', owner: 'priya', dataClass: null, path: 'java-microservice', params: {} },
});
const ref = (resourceId: string, state: ProvisionInput['state'] = {}) => ({ environmentId: 'e0cachet01', resourceId, state });

/** The pid of the redis-server below the sandbox started for `pid`, and its uid. */
function serverOf(bwrapPid: number): { pid: number; uid: number } | null {
  for (const entry of readdirNumbers()) {
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmd.startsWith('/usr/bin/redis-server')) continue;
      let p = entry;
      for (let i = 0; i < 6 && p > 1; i++) {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (p === bwrapPid) return { pid: entry, uid: statSync(`/proc/${entry}`).uid };
      }
    } catch { /* gone */ }
  }
  return null;
}
const readdirNumbers = () => readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'gp-cache-'));
  sandbox = await detectSandbox();
  if (!sandbox.available && process.env.CI) throw new Error(`no sandbox on the CI machine: ${sandbox.reason}`);
  driver = cacheDriver({ workDir: join(work, 'envs'), sandbox });
});
after(async () => {
  await driver.stopAll();
  rmSync(work, { recursive: true, force: true });
});

test('a cache answers with its password, refuses without it, and runs sandboxed as a uid of its own', async (t) => {
  if (!sandbox.available) return t.skip('no sandbox on this host');
  const { state, outputs } = await driver.provision(input('cache'));
  const o = cacheOutputs.parse(outputs);
  assert.equal(o.url, `redis://:${o.password}@127.0.0.1:${o.port}`);
  assert.deepEqual(await redisCommands(o.port, [['AUTH', o.password], ['SET', 'k', 'v'], ['GET', 'k']]), ['+OK', '+OK', 'v']);
  const [refused] = await redisCommands(o.port, [['GET', 'k']]);
  assert.match(refused, /^-NOAUTH/);
  assert.match((await redisCommands(o.port, [['AUTH', 'wrong']]))[0], /^-WRONGPASS/);
  // A client cannot rewrite its settings (CONFIG SET dir + SAVE is the classic way to write files).
  assert.match((await redisCommands(o.port, [['AUTH', o.password], ['CONFIG', 'SET', 'dir', '/tmp']]))[1], /^-ERR unknown command/);
  const server = serverOf(Number(state.pid));
  assert.ok(server, 'redis-server runs below the sandbox process');
  if (process.getuid?.() === 0) {
    assert.notEqual(server.uid, 0, 'never as root');
    assert.equal(server.uid, state.uid);
  }
  // Inside, the platform's files do not exist: neither its checkout nor its data folder can be named.
  assert.equal(existsSync(`/proc/${server.pid}/root${process.cwd()}/package.json`), false);
  assert.equal(existsSync(`/proc/${server.pid}/root${work}`), false);
  assert.equal(existsSync(`/proc/${server.pid}/root/home/workspace/redis.conf`), true);
  assert.deepEqual(await driver.status(ref('cache')), { healthy: true });
});

test('provision again finds the running cache: same port and password', async (t) => {
  if (!sandbox.available) return t.skip('no sandbox on this host');
  const first = await driver.provision(input('again'));
  const second = await driver.provision(input('again', first.state));
  assert.deepEqual(second.outputs, first.outputs);
});

test('stop ends it (status says so), provision starts it again at the same URL', async (t) => {
  if (!sandbox.available) return t.skip('no sandbox on this host');
  const first = await driver.provision(input('paused'));
  await driver.stop!(ref('paused', first.state));
  assert.equal(isProcessAlive(Number(first.state.pid)), false);
  assert.deepEqual(await driver.status(ref('paused')), { healthy: false, message: 'the cache is not running' });
  const again = await driver.provision(input('paused', first.state));
  assert.equal(again.outputs.password, first.outputs.password);
  assert.equal(again.outputs.url, first.outputs.url, 'the same URL: what was started with it still reaches it');
  assert.deepEqual(await redisCommands(Number(again.outputs.port), [['AUTH', String(again.outputs.password)], ['PING']]), ['+OK', '+PONG']);
});

test('deprovision stops the server, removes its folder and no process is left', async (t) => {
  if (!sandbox.available) return t.skip('no sandbox on this host');
  const { state, outputs } = await driver.provision(input('gone'));
  const server = serverOf(Number(state.pid));
  await driver.deprovision(ref('gone', state));
  assert.equal(isProcessAlive(Number(state.pid)), false);
  assert.equal(server && isProcessAlive(server.pid), false);
  assert.equal(existsSync(join(work, 'envs', 'e0cachet01', 'gone')), false);
  await assert.rejects(redisCommands(Number(outputs.port), [['PING']], 500));
  await driver.deprovision(ref('gone', state));
});
