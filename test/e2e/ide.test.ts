// The browser IDE against a real `goldpath up`: SQL Data Querying launched through the CLI gives
// an IDE URL on the platform's own port; through the front door (an API token) it serves VS Code's
// workbench opened on the clone of the environment's repository, whose files are the repository's,
// and its WebSocket; nobody else gets in; deleting the environment leaves no IDE process.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { codeServerInstalled } from '../../src/infrastructure/code-server/index.ts';
import { doorAuth } from '../support/front-door.ts';
import { outputsOf } from '../support/outputs.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';

let platform: PlatformProcess;
let env: EnvironmentView;
let ide: string;
let auth: Record<string, string>;
/** The clone, as the IDE (in its sandbox) names it. */
const folder = '/home/workspace/work';

before(async () => {
  // Fails, never skips, when code-server is missing (./setup.sh --without-ide): CI installs it.
  await codeServerInstalled(8 * 60_000);
  platform = await startPlatformProcess();
  env = await platform.cliJson<EnvironmentView>(['launch', 'sql-data-querying', '--wait', '--json']);
  assert.equal(env.status, 'ready', env.reason ?? '');
  ide = outputsOf(env, 'ide').url;
  auth = doorAuth(platform, env.owner).headers;
});

after(async () => {
  await platform?.stop();
  if (platform) rmSync(platform.home, { recursive: true, force: true });
});

test('the IDE answers at its stable URL through the front door with the workbench opened on the repository\'s clone', async () => {
  assert.equal(ide, `${platform.url}/w/${env.id}/ide/`, 'on the platform\'s own port');
  const first = await fetch(ide, { headers: auth, redirect: 'manual' });
  assert.equal(first.status, 302, await first.text());
  assert.equal(first.headers.get('location'), `./?folder=${folder}`, 'code-server opens the clone');
  const workbench = await fetch(new URL(`?folder=${folder}`, ide), { headers: auth });
  assert.equal(workbench.status, 200);
  const html = await workbench.text();
  assert.match(html, /workbench/);
  // The files the explorer lists are the repository's (the saved queries of the sql-queries skeleton).
  const file = await fetch(new URL(`vscode-remote-resource?path=${encodeURIComponent(`${folder}/queries/segments.sql`)}`, ide), { headers: auth });
  assert.equal(file.status, 200);
  assert.equal(await file.text(), readFileSync('paths/skeletons/sql-queries/queries/segments.sql', 'utf8'));
});

test('the workbench\'s WebSocket opens through the door', async () => {
  const commit = /"commit":"([0-9a-f]{40})"|stable-([0-9a-f]{40})/.exec(await (await fetch(new URL(`?folder=${folder}`, ide), { headers: auth })).text());
  assert.ok(commit, 'the workbench names its build');
  const url = new URL(`stable-${commit[1] ?? commit[2]}?reconnectionToken=e2e-${Date.now()}&reconnection=false&skipWebSocketFrames=false`, ide.replace(/^http/, 'ws'));
  const status = await new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(url, { headers: auth });
    ws.once('upgrade', (res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
  assert.equal(status, 101);
});

test('without the owner\'s token nobody gets in, and the IDE\'s own port is not what the URL gives', async () => {
  assert.equal((await fetch(ide, { redirect: 'manual' })).status, 401);
  assert.equal((await fetch(ide, { headers: doorAuth(platform, 'mei').headers, redirect: 'manual' })).status, 403);
  const run = JSON.parse(readFileSync(join(platform.home, 'envs', env.id, 'ide', 'run.json'), 'utf8')) as { port: number };
  const direct = await fetch(`http://127.0.0.1:${run.port}/?folder=${folder}`, { redirect: 'manual' });
  assert.match(direct.headers.get('location') ?? '', /^\.\/login/, 'the port itself asks for the session the door holds');
});

test('deleting the environment stops the IDE and removes its folder', async () => {
  const dir = join(platform.home, 'envs', env.id, 'ide');
  const { pid } = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { pid: number };
  await platform.cliJson(['delete', env.id, '--wait', '--json']);
  const alive = readdirSync('/proc').includes(String(pid));
  assert.equal(alive, false, 'code-server is gone');
  assert.throws(() => readdirSync(dir), /ENOENT/);
});
