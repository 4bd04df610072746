import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, ApiError, CliError, connect, resolveTarget } from './client.ts';

let home: string;
const saved = { url: process.env.GOLDPATH_URL, token: process.env.GOLDPATH_TOKEN };
const local = { server: 'http://127.0.0.1:7300', defaultUser: 'dana', tokens: { dana: 'gpt_dana', sam: 'gpt_sam' } };

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'goldpath-cli-client-'));
  delete process.env.GOLDPATH_URL;
  delete process.env.GOLDPATH_TOKEN;
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  for (const [k, v] of [['GOLDPATH_URL', saved.url], ['GOLDPATH_TOKEN', saved.token]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
const writeLocal = () => writeFileSync(join(home, 'credentials.json'), JSON.stringify(local));

test('the local platform is used with its default user, or --as another local user', async () => {
  writeLocal();
  assert.deepEqual({ ...(await connect({ dataDir: home })) }, { server: local.server, token: 'gpt_dana' });
  assert.equal((await connect({ dataDir: home, as: 'sam' })).token, 'gpt_sam');
  await assert.rejects(connect({ dataDir: home, as: 'nobody' }), /no local user "nobody"; local users: dana, sam/);
});

test('local tokens are never sent to a server named by URL', async () => {
  writeLocal();
  process.env.GOLDPATH_URL = 'https://goldpath.example.org';
  await assert.rejects(connect({ dataDir: home }), /no API token for https:\/\/goldpath.example.org: set GOLDPATH_TOKEN/);
  await assert.rejects(connect({ dataDir: home, as: 'sam' }), /--as acts as a user of the embedded default.*not the local platform/);
  // The same server as the local one, named by URL, is still the local one.
  process.env.GOLDPATH_URL = local.server + '/';
  assert.equal((await connect({ dataDir: home })).token, 'gpt_dana');
});

test('with GOLDPATH_URL and GOLDPATH_TOKEN the data folder is not read', async () => {
  process.env.GOLDPATH_URL = 'https://goldpath.example.org';
  process.env.GOLDPATH_TOKEN = 'gpt_mine';
  const target = await resolveTarget({ dataDir: join(home, 'does-not-exist') });
  assert.deepEqual(target, { server: 'https://goldpath.example.org', named: true, home: null, local: null });
  assert.equal((await connect({})).token, 'gpt_mine');
});

test('no local platform and no URL: says how to start one or name one', async () => {
  await assert.rejects(connect({ dataDir: home }), (e: Error) => e instanceof CliError && /no local platform in .*goldpath up.*GOLDPATH_URL and GOLDPATH_TOKEN/.test(e.message));
});

let server: Server;
test('requests send the bearer token and turn error answers into ApiError with status and message', async (t) => {
  server = createServer((req, res) => {
    if (req.headers.authorization !== 'Bearer gpt_ok') {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthenticated', message: 'send your token' } }));
      return;
    }
    let body = '';
    req.on('data', (d) => (body += d)).on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, body })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  assert.deepEqual(await new ApiClient(url, 'gpt_ok').request('POST', '/x', { a: 'é' }), { method: 'POST', body: '{"a":"é"}' });
  const err = await new ApiClient(url, 'gpt_bad').request('GET', '/x').catch((e: unknown) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.status, 401);
  assert.equal(err.code, 'unauthenticated');
  assert.equal(err.message, 'send your token');
  await assert.rejects(new ApiClient('http://127.0.0.1:1', 'x').request('GET', '/x'), /cannot reach the platform at http:\/\/127.0.0.1:1/);
  await assert.rejects(new ApiClient('ftp://h', 'x').request('GET', '/x'), /not an http\(s\) URL/);
});
