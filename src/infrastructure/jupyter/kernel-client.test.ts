import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCell } from './kernel-client.ts';
import { testWorkspace } from './testing.ts';
import { findFreePort, startNotebook, stopNotebook, type NotebookProcess } from './notebook.ts';

let dir: string;
let nb: NotebookProcess;
const token = 'kernel-test-token';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'goldpath-kernel-'));
  const ws = testWorkspace(dir);
  // A platform secret: the notebook must not inherit it.
  process.env.GOLDPATH_TEST_PLATFORM_SECRET = 'do-not-leak';
  nb = await startNotebook({ dir: ws.dir, workspace: ws.workspace, port: await findFreePort(), token, env: { X: 'warehouse-42' }, logFile: join(dir, 'notebook.log') });
  delete process.env.GOLDPATH_TEST_PLATFORM_SECRET;
});
after(async () => {
  if (nb) await stopNotebook(nb.pid);
  rmSync(dir, { recursive: true, force: true });
});

test("a cell sees the environment's variables and the data libraries", async () => {
  const r = await runCell(nb.url, token, "import os, pandas, psycopg2, boto3, sklearn; print(os.environ['X'])");
  assert.equal(r.status, 'ok', JSON.stringify(r.error));
  assert.equal(r.stdout, 'warehouse-42\n');
});

test("the kernel is Debian's python3 and sees none of the platform's own environment", async () => {
  const r = await runCell(nb.url, token, "import os, sys; print(sys.executable); print('GOLDPATH_TEST_PLATFORM_SECRET' in os.environ, 'GOLDPATH_NOTEBOOK_TOKEN' in os.environ)");
  assert.equal(r.stdout, '/usr/bin/python3\nFalse False\n');
});

test("an expression's value comes back as the result", async () => {
  const r = await runCell(nb.url, token, 'print("a"); 6 * 7');
  assert.deepEqual(r, { status: 'ok', stdout: 'a\n', stderr: '', result: '42' });
});

test('a failing cell reports the error name and value', async () => {
  const r = await runCell(nb.url, token, 'print("before"); 1/0');
  assert.equal(r.status, 'error');
  assert.equal(r.stdout, 'before\n');
  assert.deepEqual(r.error, { ename: 'ZeroDivisionError', evalue: 'division by zero' });
});

test('the kernel is shut down after the cell', async () => {
  await runCell(nb.url, token, '1');
  const res = await fetch(new URL('api/kernels', nb.url.split('?')[0]), { headers: { Authorization: `token ${token}` } });
  assert.deepEqual(await res.json(), []);
});

test('a wrong token is refused with a clear error', async () => {
  await assert.rejects(runCell(nb.url, 'wrong', '1'), /starting a kernel failed: HTTP 403/);
});
