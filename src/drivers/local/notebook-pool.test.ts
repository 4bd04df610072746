import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { notebookPool } from './notebook-pool.ts';
import { createBareRepo } from '../../infrastructure/git-http/index.ts';
import { isProcessAlive, runCell } from '../../infrastructure/jupyter/index.ts';
import { detectSandbox, type SandboxSupport } from '../../infrastructure/sandbox/index.ts';
import type { ProvisionInput } from '../driver.ts';
import { notebookDriver, type NotebookDriver } from './notebook.ts';

let work: string;
let driver: NotebookDriver;
let sandbox: SandboxSupport;
const root = process.getuid?.() === 0;

const input = (env: string, vars: Record<string, string>): ProvisionInput => ({
  environmentId: env,
  resourceId: 'notebook',
  state: {},
  params: { repo: `${env}-repo`, repoUrl: `http://${env}:secret@127.0.0.1:7399/git/${env}-repo.git`, env: vars },
  environment: { id: env, name: env, team: 'churn-analytics', owner: 'ravi', dataClass: 'synthetic', path: 'tiny', params: {} },
});

/** Processes whose command line names this folder: the sandboxes of the standbys kept in it. */
const standbysIn = (dir: string) => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try {
    return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
}).map(Number);

async function poolWarm(n: number) {
  for (let i = 0; i < 600; i++) {
    const p = await driver.pool();
    if (p && p.warm >= n) return;
    await sleep(50);
  }
  assert.fail(`the pool did not get ${n} warm server(s) in 30 s: ${JSON.stringify(await driver.pool())}`);
}

/** Where the front door sends an environment's notebook traffic, with the headers (its token) it adds. */
async function upstreamOf(env: string): Promise<{ url: string; headers: Record<string, string> }> {
  const up = await driver.upstream!({ environmentId: env, resourceId: 'notebook', state: {} });
  assert.ok(up && up.kind === 'http');
  return { url: up.url, headers: up.headers ?? {} };
}

before(async (t) => {
  work = mkdtempSync(join(tmpdir(), 'notebook-pool-'));
  mkdirSync(join(work, 'repos'));
  for (const env of ['envA', 'envB']) await createBareRepo(join(work, 'repos'), `${env}-repo`, { 'README.md': `# ${env}\n` });
  sandbox = await detectSandbox();
  if (!sandbox.available && process.env.CI) throw new Error(`no sandbox on the CI machine: ${sandbox.reason}`);
  driver = notebookDriver({ workDir: join(work, 'envs'), reposDir: join(work, 'repos'), host: '127.0.0.1', publicUrl: 'http://127.0.0.1:7300', sandbox, warm: { '*': 1 } });
});
after(async () => {
  await driver?.stopAll();
  rmSync(work, { recursive: true, force: true });
});

test('a launch takes a warm server: it serves with its own token, folder, variables and uid, and a fresh one takes its place', async (t) => {
  if (!sandbox.available) return t.skip('warm servers need the workspace sandbox');
  await poolWarm(1);
  const [standby] = readdirSync(join(work, 'envs', '.pool'));
  const standbyUid = statSync(join(work, 'envs', '.pool', standby, 'home')).uid;

  const a = await driver.provision(input('envA', { WAREHOUSE_URL: 'postgres://a@127.0.0.1/w' }));
  assert.equal(a.state.warm, true, 'the launch took the warm server');
  const upA = await upstreamOf('envA');
  assert.equal((await fetch(`${upA.url}/api/status`, { headers: upA.headers })).status, 200);
  assert.equal((await fetch(`${upA.url}/api/status`, { headers: { authorization: 'token wrong' } })).status, 403);
  // Its folder moved to the environment's, with the clone inside its home; nothing left in the pool's.
  assert.ok(existsSync(join(work, 'envs', 'envA', 'notebook', 'home', 'work', 'README.md')));
  assert.ok(!existsSync(join(work, 'envs', '.pool', standby)));
  // Set up before the claim, it serves the clone, not the home it stood by in.
  const contents = (await (await fetch(`${upA.url}/api/contents/`, { headers: upA.headers })).json()) as { content: { name: string }[] };
  assert.deepEqual(contents.content.map((c) => c.name), ['README.md'], 'the tree shows the clone');
  const cell = await runCell(upA.url, { headers: upA.headers }, [
    'import os, json',
    'print(json.dumps({"uid": os.getuid(), "cwd": os.getcwd(), "env": os.environ.get("WAREHOUSE_URL"), "home": sorted(os.listdir(os.path.expanduser("~"))), "token": "GOLDPATH_NOTEBOOK_TOKEN" in os.environ}))',
  ].join('\n'), { timeoutMs: 60_000 });
  assert.equal(cell.status, 'ok', cell.stderr);
  const seen = JSON.parse(cell.stdout.trim()) as { uid: number; cwd: string; env: string; home: string[]; token: boolean };
  assert.equal(seen.env, 'postgres://a@127.0.0.1/w', 'the environment\'s variables reach its kernels');
  assert.equal(seen.cwd, '/home/workspace/work');
  assert.deepEqual(seen.home.filter((f) => !f.startsWith('.')), ['work'], 'the home holds its own clone and nothing else');
  assert.equal(seen.token, false, 'the token is not in the kernel\'s environment');
  if (root) {
    assert.equal(seen.uid, standbyUid, 'the uid came with the server');
    assert.equal(a.state.uid, standbyUid);
    assert.equal(statSync(join(work, 'envs', 'envA', 'notebook', 'home', 'work', 'README.md')).uid, standbyUid, 'its clone is its own');
  }
  assert.doesNotMatch(readFileSync(join(work, 'envs', 'envA', 'notebook', 'notebook.log'), 'utf8'), new RegExp(String(a.state.token)), 'the token is not in the log');

  // The next launch gets the replacement: another server, another uid, none of the first one's files.
  await poolWarm(1);
  const b = await driver.provision(input('envB', { WAREHOUSE_URL: 'postgres://b@127.0.0.1/w' }));
  assert.equal(b.state.warm, true);
  assert.notEqual(b.state.pid, a.state.pid);
  if (root) assert.notEqual(b.state.uid, a.state.uid, 'each environment has a uid of its own');
  const upB = await upstreamOf('envB');
  const other = await runCell(upB.url, { headers: upB.headers }, 'import os; print(os.environ.get("WAREHOUSE_URL"), sorted(os.listdir(os.path.expanduser("~/work"))))', { timeoutMs: 60_000 });
  assert.equal(other.stdout.trim(), "postgres://b@127.0.0.1/w ['.git', 'README.md']");
  assert.match(readFileSync(join(work, 'envs', 'envB', 'notebook', 'home', 'work', 'README.md'), 'utf8'), /envB/);

  // Stopped and started again, it starts a server of its own, at the same URL (with a new token).
  await driver.stop!(input('envA', {}));
  assert.equal(isProcessAlive(Number(a.state.pid)), false);
  const again = await driver.provision(input('envA', { WAREHOUSE_URL: 'postgres://a@127.0.0.1/w' }));
  assert.equal(again.state.warm, undefined);
  assert.equal(again.outputs.url, a.outputs.url);
  assert.notEqual(again.state.token, a.state.token);
  if (root) assert.equal(again.state.uid, a.state.uid, 'the environment keeps the uid it took over');
});

test('unclaimed servers are stopped with the platform, their folders and uids given back', async (t) => {
  if (!sandbox.available) return t.skip('warm servers need the workspace sandbox');
  await poolWarm(1);
  const [standby] = readdirSync(join(work, 'envs', '.pool'));
  const pids = standbysIn(join(work, 'envs', '.pool'));
  assert.ok(pids.length > 0, 'a standby process runs');
  await driver.stopAll();
  assert.ok(!existsSync(join(work, 'envs', '.pool', standby)));
  for (const pid of pids) assert.equal(isProcessAlive(pid), false, `standby ${pid} stopped`);
  if (root) {
    const claims = readdirSync(join(work, 'envs', '.uids')).filter((f) => /^\d+$/.test(f)).map((f) => readFileSync(join(work, 'envs', '.uids', f), 'utf8'));
    assert.deepEqual(claims.filter((o) => o.startsWith('pool/')), [], 'no uid is held by the pool');
  }
});

test('a platform killed with -9 leaves no warm server running, and the next start clears their folders and uids', async (t) => {
  if (!sandbox.available) return t.skip('warm servers need the workspace sandbox');
  const dir = join(work, 'crash-pool');
  const claims = join(work, 'crash-uids');
  // A platform of its own: a process that keeps one server warm, then is killed without warning.
  const pool = fileURLToPath(new URL('./notebook-pool.ts', import.meta.url));
  const sb = fileURLToPath(new URL('../../infrastructure/sandbox/index.ts', import.meta.url));
  const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', `
    import { notebookPool } from ${JSON.stringify(pool)};
    import { detectSandbox } from ${JSON.stringify(sb)};
    const p = await notebookPool({ dir: ${JSON.stringify(dir)}, claimsDir: ${JSON.stringify(claims)}, host: "127.0.0.1", targets: { "*": 1 }, sandbox: await detectSandbox() });
    while (p.size().warm < 1) await new Promise((r) => setTimeout(r, 50));
    console.log('warm');
    setInterval(() => {}, 1000);
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('warm') && resolve());
    child.once('exit', (code) => reject(new Error(`the platform stand-in exited (${code}) before its server was warm`)));
  });
  const running = standbysIn(dir);
  assert.ok(running.length > 0, 'a warm server runs');
  child.kill('SIGKILL');
  // Its end of the pipe closed: the standby sees it and exits.
  for (let i = 0; i < 100 && running.some((pid) => isProcessAlive(pid)); i++) await sleep(50);
  assert.deepEqual(running.filter((pid) => isProcessAlive(pid)), [], 'every warm server exited with its platform');
  assert.equal(readdirSync(dir).length, 1, 'its folder is still there until the next start');

  const next = await notebookPool({ dir, claimsDir: claims, host: "127.0.0.1", targets: {}, sandbox });
  assert.deepEqual(readdirSync(dir), [], 'the next start cleared the folder');
  if (root) assert.deepEqual(readdirSync(claims).filter((f) => /^\d+$/.test(f)), [], 'and gave the uid back');
  await next.close();
});
