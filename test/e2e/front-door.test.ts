// The front door against a real `goldpath up`: a notebook launched through the CLI answers at its
// stable URL on the platform's port (HTTP and the kernel's WebSocket), for its owner only, and at
// the same URL after a stop and start; in Chromium the portal's link lands in Jupyter on the
// workspace's own origin, where Jupyter's page code starts a kernel and talks to it over the
// WebSocket, and from where the portal's API is out of reach.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { rmSync } from 'node:fs';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { runCell } from '../../src/infrastructure/jupyter/index.ts';
import { openBrowser, signInToPortal, type Browser } from '../support/browser.ts';
import { notebookOf, viaDoor } from '../support/front-door.ts';
import { localAccount } from '../support/local-accounts.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';

let platform: PlatformProcess;
let env: EnvironmentView;
let browser: Browser | undefined;

before(async () => {
  platform = await startPlatformProcess();
  env = await platform.cliJson<EnvironmentView>(['launch', 'data-science-experimentation', '--wait']);
  assert.equal(env.status, 'ready', env.reason ?? '');
});

after(async () => {
  await browser?.close();
  await platform?.stop();
  if (platform) rmSync(platform.home, { recursive: true, force: true });
});

/** A request with any Host header (Node does not resolve *.localhost as browsers do). */
function raw(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(u.port), path: u.pathname + u.search, headers: { host: u.host, ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the notebook answers at its stable URL through the door, with an API token: HTTP and a kernel over the WebSocket', async () => {
  const nb = notebookOf(platform, env);
  assert.equal(nb.url, `${platform.url}/w/${env.id}/notebook/`, 'on the platform\'s own port');
  assert.match((await platform.cli(['env', env.id])).stdout, new RegExp(nb.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')), 'the CLI shows it');
  assert.equal((await viaDoor(platform, env, 'api/status')).status, 200);
  const cell = await runCell(nb.url, nb.auth, 'import os; print(os.getuid() != 0); 6 * 7', { timeoutMs: 60_000 });
  assert.equal(cell.status, 'ok', cell.stderr);
  assert.equal(cell.result, '42');
});

test('without a sign-in it is 401 (a browser gets the page that signs in through the portal); another team\'s member is refused by the policy', async () => {
  const anonymous = await fetch(`${env.resources.find((r) => r.id === 'notebook')!.outputs.url}api/status`);
  assert.equal(anonymous.status, 401);
  assert.match(((await anonymous.json()) as { error: { message: string } }).error.message, /Authorization: Bearer/);
  const browserLike = await fetch(`${platform.url}/w/${env.id}/notebook/`, { headers: { accept: 'text/html' } });
  assert.equal(browserLike.status, 401);
  assert.match(await browserLike.text(), /Opening the workspace/);
  const other = await viaDoor(platform, env, 'api/status', {}, 'mei');
  assert.equal(other.status, 403);
  assert.match(((await other.json()) as { error: { message: string } }).error.message, /mei may not openWorkspace .*workspaces-stay-with-their-team/);
});

test('after goldpath stop the URL says how to start it; after goldpath start the same URL works', async () => {
  const url = notebookOf(platform, env).url;
  await platform.cliJson(['stop', env.id, '--wait']);
  const stopped = await viaDoor(platform, env, 'api/status');
  assert.equal(stopped.status, 503);
  assert.match(((await stopped.json()) as { error: { message: string } }).error.message, new RegExp(`goldpath start ${env.id}`));
  const started = await platform.cliJson<EnvironmentView>(['start', env.id, '--wait']);
  assert.equal(notebookOf(platform, started).url, url, 'the URL did not change');
  assert.equal((await viaDoor(platform, started, 'api/status')).status, 200);
  env = started;
});

test('in Chromium the portal\'s link lands in Jupyter on the workspace\'s own origin, where the portal\'s API is out of reach and another workspace stays closed', async () => {
  browser = await openBrowser('front-door');
  const { page, context } = browser;
  await signInToPortal(page, platform.url, await localAccount(platform, env.owner));
  await page.goto(`${platform.url}/environments/${env.id}`);
  const [tab] = await Promise.all([context.waitForEvent('page'), page.locator('[data-open="notebook"]').click()]);
  await tab.waitForLoadState('load');
  const workspaceOrigin = `http://notebook--${env.id}.localhost:${platform.port}`;
  await tab.waitForURL((u) => u.origin === workspaceOrigin, { timeout: 20_000 });
  await tab.waitForFunction(() => /jupyter/i.test(document.title + document.documentElement.outerHTML), undefined, { timeout: 20_000 });
  assert.doesNotMatch(await tab.title(), /^(401|403|404|500|502|503)/);

  // Jupyter's own page code works through the door: a kernel started over HTTP answers over its WebSocket.
  const kernel = await tab.evaluate(async () => {
    const xsrf = document.cookie.match(/_xsrf=([^;]+)/)?.[1] ?? '';
    const started = await fetch('/api/kernels', { method: 'POST', headers: { 'X-XSRFToken': decodeURIComponent(xsrf) }, body: '{}' });
    if (!started.ok) return `POST /api/kernels: ${started.status}`;
    const { id } = (await started.json()) as { id: string };
    const reply = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://${location.host}/api/kernels/${id}/channels`);
      const timer = setTimeout(() => resolve('no reply in 20 s'), 20_000);
      ws.onerror = () => resolve('websocket error');
      ws.onopen = () => ws.send(JSON.stringify({ header: { msg_id: 'k1', username: 'x', session: 's', msg_type: 'kernel_info_request', version: '5.3' }, parent_header: {}, metadata: {}, content: {}, channel: 'shell', buffers: [] }));
      ws.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as { parent_header?: { msg_id?: string }; header: { msg_type: string } };
        if (msg.parent_header?.msg_id === 'k1' && msg.header.msg_type === 'kernel_info_reply') {
          clearTimeout(timer);
          ws.close();
          resolve('kernel_info_reply');
        }
      };
    });
    await fetch(`/api/kernels/${id}`, { method: 'DELETE', headers: { 'X-XSRFToken': decodeURIComponent(xsrf) } });
    return reply;
  });
  assert.equal(kernel, 'kernel_info_reply');

  // Code on the workspace's page: no portal token in its storage, and the API does not answer it.
  assert.equal(await tab.evaluate(() => localStorage.getItem('goldpath.token')), null);
  const stolen = await tab.evaluate(async (api) => {
    try {
      const r = await fetch(`${api}/api/v1/environments`, { credentials: 'include' });
      return { status: r.status, body: await r.text() };
    } catch (e) {
      return { error: String(e) };
    }
  }, platform.url);
  assert.ok(!stolen.body?.includes(env.id), `the page got no environments: ${JSON.stringify(stolen)}`);

  // The cookie is this workspace's only: another environment's workspace origin does not take it.
  const cookies = await context.cookies(workspaceOrigin);
  const session = cookies.find((c) => c.name === 'goldpath_workspace');
  assert.ok(session && session.httpOnly && session.domain === `notebook--${env.id}.localhost`, JSON.stringify(cookies));
  const other = await platform.cliJson<EnvironmentView>(['launch', 'data-science-experimentation', '--wait']);
  const elsewhere = await raw(`http://notebook--${other.id}.localhost:${platform.port}/api/status`, { cookie: `goldpath_workspace=${session.value}` });
  assert.equal(elsewhere.status, 401, 'another workspace of the same owner refuses the cookie');
  const here = await raw(`${workspaceOrigin}/api/status`, { cookie: `goldpath_workspace=${session.value}` });
  assert.equal(here.status, 200, 'while its own workspace takes it');
});
