import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { testWorkspace } from './testing.ts';
import { findFreePort, isProcessAlive, notebookAnswers, startNotebook, stopNotebook, type NotebookSpec } from './notebook.ts';

let root: string;
const started: number[] = [];

before(() => {
  root = mkdtempSync(join(tmpdir(), 'goldpath-jupyter-'));
});
after(async () => {
  for (const pid of started) await stopNotebook(pid);
  rmSync(root, { recursive: true, force: true });
});

async function spec(over: Partial<NotebookSpec> = {}): Promise<NotebookSpec> {
  const { dir, workspace } = testWorkspace(root);
  return { dir, workspace, port: await findFreePort(), token: 'tok-' + Math.random().toString(36).slice(2), env: { X: 'from-spec' }, logFile: join(dir, '.logs', 'notebook.log'), ...over };
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function pgidOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** Live processes whose command line contains `needle`. */
function processesWith(needle: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(needle) && isProcessAlive(Number(e))) out.push(Number(e));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

test('a started notebook answers API requests with its token and refuses them without it', async (t) => {
  const s = await spec();
  const t0 = performance.now();
  const nb = await startNotebook(s);
  t.diagnostic(`startup (spawn to authenticated API answering): ${Math.round(performance.now() - t0)} ms`);
  started.push(nb.pid);

  assert.equal(nb.url, `http://127.0.0.1:${s.port}/?token=${s.token}`);
  assert.equal(await notebookAnswers(s.port, s.token), true);
  assert.equal(await notebookAnswers(s.port, 'wrong-token'), false);

  const api = `http://127.0.0.1:${s.port}/api`;
  assert.equal((await fetch(`${api}/status`, { headers: { Authorization: `token ${s.token}` } })).status, 200);
  assert.equal((await fetch(`${api}/status?token=${s.token}`)).status, 200);
  assert.ok([401, 403].includes((await fetch(`${api}/status`)).status), 'anonymous request must be refused');
  assert.ok([401, 403].includes((await fetch(`${api}/contents`)).status), 'anonymous request must be refused');
  assert.equal((await fetch(nb.url)).status, 200, 'the tree URL with its token opens');

  // API clients using the token header must not trip over XSRF checks on writes.
  const created = await fetch(`${api}/contents`, { method: 'POST', headers: { Authorization: `token ${s.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'notebook' }) });
  assert.equal(created.status, 201);
  assert.ok(readdirSync(s.dir).some((f) => f.endsWith('.ipynb')), 'the notebook dir is the environment dir');
});

test('the notebook runs detached in its own process group', async () => {
  const s = await spec();
  const nb = await startNotebook(s);
  started.push(nb.pid);
  assert.equal(pgidOf(nb.pid), nb.pid, 'leader of its own group, so a Ctrl-C on the platform does not reach it');
  assert.notEqual(pgidOf(nb.pid), pgidOf(process.pid));
  assert.equal(isProcessAlive(nb.pid), true);
});

test('the token appears neither in the command line nor in the log', async () => {
  const s = await spec();
  const nb = await startNotebook(s);
  started.push(nb.pid);
  assert.ok(!readFileSync(`/proc/${nb.pid}/cmdline`, 'utf8').includes(s.token));
  // requests with the token in their query string get logged, failed ones at warning level
  await fetch(nb.url);
  await fetch(`http://127.0.0.1:${s.port}/api/contents/missing?token=${s.token}`);
  assert.match(readFileSync(s.logFile, 'utf8'), /404 GET \/api\/contents\/missing\?token=\[secret\]/);
  assert.ok(!readFileSync(s.logFile, 'utf8').includes(s.token));
});

test('a base URL prefixes every route', async () => {
  const s = await spec({ baseUrl: '/notebooks/env-1' });
  const nb = await startNotebook(s);
  started.push(nb.pid);
  assert.equal(nb.url, `http://127.0.0.1:${s.port}/notebooks/env-1/?token=${s.token}`);
  assert.equal(await notebookAnswers(s.port, s.token, '127.0.0.1', '/notebooks/env-1/'), true);
  assert.equal((await fetch(nb.url)).status, 200);
});

test('stopping ends the process group and its kernels, and stopping twice is fine', async () => {
  const s = await spec();
  const nb = await startNotebook(s);
  const res = await fetch(`http://127.0.0.1:${s.port}/api/kernels`, { method: 'POST', headers: { Authorization: `token ${s.token}` }, body: '{}' });
  assert.equal(res.status, 201);
  const kernelId = ((await res.json()) as { id: string }).id;
  const kernels = processesWith(kernelId); // the connection file name carries the kernel id
  assert.equal(kernels.length, 1, 'one kernel process');

  await stopNotebook(nb.pid);
  assert.equal(groupExists(nb.pid), false, 'process group is gone');
  assert.equal(isProcessAlive(nb.pid), false);
  assert.equal(isProcessAlive(kernels[0]), false, 'kernel is gone');
  assert.equal(await notebookAnswers(s.port, s.token), false);

  await stopNotebook(nb.pid); // idempotent
});

test('a notebook outlives a platform killed with -9 and is found again by pid and port', async () => {
  const s = await spec();
  const platform = spawn(process.execPath, ['--input-type=module', '-e', `
    import { startNotebook } from ${JSON.stringify(new URL('./notebook.ts', import.meta.url).href)};
    const nb = await startNotebook(${JSON.stringify(s)});
    console.log(JSON.stringify(nb));
    setInterval(() => {}, 1000);
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    platform.stdout.once('data', (d: Buffer) => resolve(d.toString()));
    platform.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
  });
  const { pid } = JSON.parse(line) as { pid: number };
  started.push(pid);
  platform.kill('SIGKILL');
  await new Promise((r) => platform.once('exit', r));

  assert.equal(isProcessAlive(pid), true);
  assert.equal(await notebookAnswers(s.port, s.token), true);
  await stopNotebook(pid);
  assert.equal(isProcessAlive(pid), false);
  assert.equal(await notebookAnswers(s.port, s.token), false);
});

test('stopping a pid that is not a notebook leaves that process alone', async () => {
  await stopNotebook(process.pid);
  assert.equal(isProcessAlive(process.pid), true);
  await stopNotebook(2 ** 22 + 12345); // beyond pid_max: never existed
});

test('onSpawn gets the pid before the server answers, and a failing onSpawn stops the server', async () => {
  const s = await spec();
  let seen: { pid: number; answering: boolean } | undefined;
  const nb = await startNotebook(s, { onSpawn: async (pid) => void (seen = { pid, answering: await notebookAnswers(s.port, s.token) }) });
  started.push(nb.pid);
  assert.deepEqual(seen, { pid: nb.pid, answering: false });

  const s2 = await spec();
  let pid2 = 0;
  await assert.rejects(
    startNotebook(s2, { onSpawn: (pid) => { pid2 = pid; throw new Error('could not record the pid'); } }),
    /could not record the pid/,
  );
  assert.equal(groupExists(pid2), false);
});

test('a start on a port already taken rejects clearly and leaves no process behind', async () => {
  const s = await spec();
  const holder: Server = createServer();
  await new Promise<void>((r) => holder.listen(s.port, '127.0.0.1', r));
  try {
    await assert.rejects(startNotebook(s), (err: Error) => {
      assert.match(err.message, new RegExp(`notebook on 127\\.0\\.0\\.1:${s.port} exited with code \\d+ before answering`));
      assert.match(err.message, /already in use/);
      assert.ok(!err.message.includes(s.token), 'no secret in the message');
      return true;
    });
  } finally {
    holder.close();
  }
  assert.deepEqual(processesWith(`--NotebookApp.port=${s.port}\0`), []);
});

test('a start that does not answer in time is stopped and rejected', async () => {
  const s = await spec();
  await assert.rejects(startNotebook(s, { timeoutMs: 30 }), /did not answer within 30 ms and was stopped/);
  assert.deepEqual(processesWith(`--NotebookApp.port=${s.port}\0`), []);
});

test('a start in a missing directory is refused before anything runs', async () => {
  const s = await spec();
  await assert.rejects(startNotebook({ ...s, dir: join(root, 'missing') }), /working directory .*missing does not exist/);
});

test('a workspace never runs as root: as root, a start without an unprivileged uid is refused', { skip: process.getuid?.() !== 0 && 'not root' }, async () => {
  const s = await spec();
  await assert.rejects(startNotebook({ ...s, workspace: { home: s.workspace!.home } }), /a workspace never runs as root/);
  await assert.rejects(startNotebook({ ...s, workspace: undefined }), /a workspace never runs as root/);
});

test('the server runs as the workspace\'s uid', { skip: process.getuid?.() !== 0 && 'not root' }, async () => {
  const s = await spec();
  const nb = await startNotebook(s);
  started.push(nb.pid);
  assert.equal(statSync(`/proc/${nb.pid}`).uid, s.workspace!.uid);
});

test('findFreePort returns a port that can be listened on', async () => {
  const port = await findFreePort();
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
  await new Promise<void>((r) => srv.close(() => r()));
});
