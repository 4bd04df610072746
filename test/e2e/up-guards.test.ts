import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCell } from '../../src/infrastructure/jupyter/index.ts';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { notebookOf } from '../support/front-door.ts';
import { freePortTriple, goldpathBin, startPlatformProcess } from '../support/platform-process.ts';

const run = promisify(execFile);

async function upFails(args: string[], env: Record<string, string>): Promise<string> {
  try {
    await run(goldpathBin, ['up', ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 });
  } catch (e) {
    return (e as { stderr: string }).stderr;
  }
  throw new Error('goldpath up was expected to fail');
}

test('a second goldpath up on the same data folder is refused and leaves the first one running', async () => {
  const platform = await startPlatformProcess();
  try {
    const other = await freePortTriple();
    const stderr = await upFails(['--port', String(other)], { GOLDPATH_HOME: platform.home });
    assert.match(stderr, /Goldpath is already running from .* at http:\/\/127\.0\.0\.1:\d+: use it, stop it with Ctrl-C, or start another with --data-dir/);
    assert.equal((await fetch(`${platform.url}/api/v1/health`)).status, 200, 'the first platform is untouched');
    // The data folder holds the secrets: nobody but its owner reads it (the cluster's group may only pass through).
    assert.equal(statSync(platform.home).mode & 0o067, 0, 'the data folder is 0700 (0710 for PostgreSQL\'s group)');
    for (const entry of readdirSync(platform.home)) {
      const st = statSync(join(platform.home, entry));
      assert.equal(st.mode & 0o077, st.isDirectory() && entry === 'pg' ? st.mode & 0o077 : 0, `${entry} is private (mode ${(st.mode & 0o777).toString(8)})`);
    }
  } finally {
    assert.equal(await platform.stop(), 0);
  }
});

test('a port in use is named before anything starts', async () => {
  const port = await freePortTriple();
  const blocker = createServer().listen(port, '127.0.0.1');
  try {
    const stderr = await upFails(['--port', String(port)], { GOLDPATH_HOME: mkdtempSync(join(tmpdir(), 'gp-port-')) });
    assert.match(stderr, new RegExp(`port ${port} \\(the API and portal\\) is in use: stop the program using it, or start with --port <another>`));
  } finally {
    blocker.close();
  }
  const bad = await upFails(['--port', 'eighty'], { GOLDPATH_HOME: mkdtempSync(join(tmpdir(), 'gp-port-')) });
  assert.match(bad, /--port eighty: give a port number/);
});

test('a host that cannot sandbox workspaces says so, refuses paths with sensitive data, and still runs no notebook as root', async () => {
  const platform = await startPlatformProcess({ env: { GOLDPATH_WORKSPACE_SANDBOX: 'off' } });
  try {
    assert.match(platform.output(), /WORKSPACES ARE NOT SANDBOXED on this host: turned off by GOLDPATH_WORKSPACE_SANDBOX/);
    const refused = await platform.cli(['launch', 'data-science-customer-data', '--reason', 'churn model']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /works on sensitive data, and workspaces cannot be sandboxed on this host .*install bubblewrap, or use a masked or synthetic path/);
    assert.deepEqual(await platform.cliJson<unknown[]>(['envs']), [], 'nothing was made');
    // Synthetic paths still run, and even unsandboxed a notebook never runs as root.
    const env = await platform.cliJson<EnvironmentView>(['launch', 'data-science-experimentation', '--wait']);
    assert.equal(env.status, 'ready');
    const nb = notebookOf(platform, env);
    const cell = await runCell(nb.url, nb.auth, [
      'import os, json',
      'def reads(p):',
      '    try:',
      '        open(p).read(); return True',
      '    except Exception:',
      '        return False',
      `print(json.dumps({"uid": os.getuid(), "state": reads(${JSON.stringify(join(platform.home, 'state.json'))}), "credentials": reads(${JSON.stringify(join(platform.home, 'credentials.json'))})}))`,
    ].join('\n'), { timeoutMs: 60_000 });
    assert.equal(cell.status, 'ok', cell.stderr);
    const seen = JSON.parse(cell.stdout.trim()) as { uid: number; state: boolean; credentials: boolean };
    assert.notEqual(seen.uid, 0);
    // As root the notebook runs as a uid of its own; as an ordinary user it is that user (docs/security.md).
    if (process.getuid?.() === 0) assert.deepEqual([seen.state, seen.credentials], [false, false], 'the platform\'s secrets stay unreadable');
  } finally {
    assert.equal(await platform.stop(), 0);
  }
});
