import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import WebSocket, { WebSocketServer } from 'ws';
import { createTestDatabase } from '../../../test/support/database.ts';
import { shippedPolicies } from '../../../test/support/policies.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { seedDemoOrganisation } from '../../engine/identity/demo-organisation.ts';
import { issueToken, revokeToken } from '../../engine/identity/users.ts';
import type { Driver, WorkspaceUpstream } from '../../domain/resource/driver-contract.ts';
import { createFrontDoor, ENTER_PATH, SESSION_COOKIE } from './door.ts';

let pool: pg.Pool;
let door: Server;
let upstream: Server;
let doorPort: number;
let upstreamUrl: string;
let site: string;
let outside: string;
const tokens: Record<string, string> = {};
const seen: { headers: IncomingHttpHeaders; url: string }[] = [];
const A = 'e0000000da';
const SENSITIVE = 'e0000000db';
const STOPPED = 'e0000000dc';
const DOWN = 'e0000000dd';
const JUST_STOPPED = 'e0000000de';
let justStoppedAsked = 0;
const RESTARTED = 'e0000000df';
let restartedRuns = false;

// Drivers as the door sees them: where each resource type runs now.
const driver = (type: string, upstream?: (envId: string) => WorkspaceUpstream | null) =>
  ({ type, target: 'local', upstream: upstream && (async (ref: { environmentId: string }) => upstream(ref.environmentId)) }) as unknown as Driver;
const drivers: Record<string, Driver> = {
  app: driver('app', (env) => (env === STOPPED || (env === RESTARTED && !restartedRuns) || (env === JUST_STOPPED && justStoppedAsked++ > 0) ? null : env === DOWN || env === JUST_STOPPED ? { kind: 'http', url: 'http://127.0.0.1:1' } : { kind: 'http', url: upstreamUrl, headers: { Authorization: 'token workspace-secret' } })),
  preview: driver('preview', () => ({ kind: 'static', root: site })),
  ide: driver('ide', () => ({ kind: 'http', url: `${upstreamUrl}/`, headers: { Authorization: 'token workspace-secret', Cookie: 'ide-session=ide-secret' } })),
  warehouse: driver('warehouse'),
};

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('frontdoor'), max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  for (const u of ['dana', 'ravi', 'mei', 'priya']) tokens[u] = await issueToken(pool, u, 'session');
  const envs: [string, string | null, string, string][] = [[A, null, 'ready', 'ready'], [SENSITIVE, 'sensitive', 'ready', 'ready'], [STOPPED, null, 'stopped', 'stopped'], [DOWN, null, 'ready', 'ready'], [JUST_STOPPED, null, 'stopped', 'stopped'], [RESTARTED, null, 'ready', 'ready']];
  for (const [id, dataClass, status, desired] of envs) {
    await pool.query(
      `INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, data_class, status, desired) VALUES ($1, $1, 'p', '1', 'churn-analytics', 'dana', $2, $3, $4)`,
      [id, dataClass, status, desired],
    );
    for (const [rid, type, wave] of [['app', 'app', 1], ['site', 'preview', 1], ['ide', 'ide', 1], ['warehouse', 'warehouse', 0]] as const) {
      await pool.query(`INSERT INTO resources (environment_id, id, type, wave, status) VALUES ($1, $2, $3, $4, 'ready')`, [id, rid, type, wave]);
    }
  }

  // The workspace's server: it answers only with its own token, echoes what it got, and echoes WebSocket messages.
  upstream = createServer((req, res) => {
    seen.push({ headers: req.headers, url: req.url ?? '' });
    if (req.headers.authorization !== 'token workspace-secret') return void res.writeHead(403).end('no token');
    if (req.url === '/redirect') return void res.writeHead(302, { location: '/tree' }).end();
    let size = 0;
    req.on('data', (c: Buffer) => (size += c.length));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['_xsrf=abc; Path=/', `${SESSION_COOKIE}=forged; Path=/`] });
      res.end(JSON.stringify({ url: req.url, size, headers: req.headers }));
    });
  });
  const wss = new WebSocketServer({ server: upstream });
  wss.on('connection', (ws, req) => {
    if (req.headers.authorization !== 'token workspace-secret') return ws.close(4003);
    ws.on('message', (m) => ws.send(`echo ${m}`));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  const dir = mkdtempSync(join(tmpdir(), 'front-door-'));
  site = join(dir, 'site');
  outside = join(dir, 'secret.txt');
  mkdirSync(join(site, 'docs'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<h1>preview</h1>');
  writeFileSync(join(site, 'style.css'), 'h1{}');
  writeFileSync(join(site, 'docs', 'index.html'), '<h1>docs</h1>');
  writeFileSync(outside, 'platform secret');
  symlinkSync(outside, join(site, 'leak.txt'));
  symlinkSync(dir, join(site, 'up'));

  door = createServer();
  await new Promise<void>((r) => door.listen(0, '127.0.0.1', r));
  doorPort = (door.address() as AddressInfo).port;
  const frontDoor = createFrontDoor({ pool, policy: shippedPolicies(), drivers: { get: (t) => drivers[t] }, origins: { platformOrigin: `http://127.0.0.1:${doorPort}`, domain: 'localhost' } });
  door.on('request', (req, res) => (frontDoor.owns(req) ? void frontDoor.handle(req, res) : res.writeHead(404).end()));
  door.on('upgrade', (req, socket, head) => frontDoor.upgrade(req, socket, head) || socket.destroy());
});

after(async () => {
  door?.closeAllConnections();
  upstream?.closeAllConnections();
  await new Promise((r) => door?.close(r));
  await new Promise((r) => upstream?.close(r));
  await pool?.end();
  rmSync(join(site, '..'), { recursive: true, force: true });
});

interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

/** A request to the door with any Host (fetch cannot set it): the platform's origin by default, or a workspace's. */
function call(path: string, opts: { host?: string; method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: doorPort, path, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${doorPort}`, ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
const bearer = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });
const wsHost = (env: string, res = 'app') => `${res}--${env}.localhost:${doorPort}`;
const error = (a: Answer) => (JSON.parse(a.body) as { error: { code: string; message: string } }).error;

/** Through the browser flow: a ticket from the platform's origin, then the cookie the workspace's origin sets. */
async function sessionCookie(env: string, user = 'dana', resource = 'app'): Promise<string> {
  const t = await call('/w/_/tickets', { method: 'POST', headers: { ...bearer(user), 'content-type': 'application/json' }, body: JSON.stringify({ environment: env, resource, path: '/lab?x=1' }) });
  assert.equal(t.status, 200, t.body);
  const location = new URL(JSON.parse(t.body).location as string);
  assert.equal(location.host, wsHost(env, resource), 'the ticket leads to the workspace\'s own origin');
  const entered = await call(location.pathname + location.search, { host: location.host });
  assert.equal(entered.status, 302);
  assert.equal(entered.headers.location, '/lab?x=1');
  const cookie = entered.headers['set-cookie']![0];
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Domain=/i, 'host-only: no other workspace gets it');
  const again = await call(location.pathname + location.search, { host: location.host });
  assert.equal(again.status, 302);
  assert.equal(again.headers['set-cookie'], undefined, 'a ticket works once');
  return cookie.split(';')[0];
}

test('a program with an API token reaches the workspace at the stable URL: the workspace gets its own token, never the platform\'s credentials', async () => {
  const r = await call(`/w/${A}/app/api/status?q=1`, { headers: { ...bearer('dana'), cookie: `${SESSION_COOKIE}=x; theirs=1` } });
  assert.equal(r.status, 200, r.body);
  const got = JSON.parse(r.body) as { url: string; headers: IncomingHttpHeaders };
  assert.equal(got.url, '/api/status?q=1', 'the prefix is the door\'s');
  assert.equal(got.headers.authorization, 'token workspace-secret');
  assert.equal(got.headers.cookie, 'theirs=1', 'the door\'s cookie is taken off, the workspace\'s own kept');
  assert.equal(got.headers.host, new URL(upstreamUrl).host, 'addressed as the upstream itself');
  assert.equal(got.headers['x-forwarded-host'], undefined);
  assert.ok(!JSON.stringify(got.headers).includes(tokens.dana), 'the API token never reaches the workspace');
  assert.deepEqual(r.headers['set-cookie'], ['_xsrf=abc; Path=/'], 'the workspace cannot set the door\'s cookie');
  assert.equal(r.headers['content-security-policy'], 'sandbox', 'on the platform\'s origin a workspace\'s page never runs as the portal');

  const redirect = await call(`/w/${A}/app/redirect`, { headers: bearer('dana') });
  assert.equal(redirect.headers.location, `/w/${A}/app/tree`, 'redirects stay under the stable URL');
  const bare = await call(`/w/${A}/app`, { headers: bearer('dana') });
  assert.equal(bare.status, 308);
  assert.equal(bare.headers.location, `/w/${A}/app/`);
});

test('a workspace whose credential is a cookie gets it beside the browser\'s own cookies, and a browser cannot send its own instead', async () => {
  const r = await call(`/w/${A}/ide/x`, { headers: { ...bearer('dana'), cookie: 'ide-session=forged; theirs=1' } });
  assert.equal(r.status, 200, r.body);
  assert.equal(JSON.parse(r.body).headers.cookie, 'theirs=1; ide-session=ide-secret');
});

test('bodies stream through both ways', async () => {
  const big = Buffer.alloc(8 * 1024 * 1024, 7);
  const r = await call(`/w/${A}/app/upload`, { method: 'PUT', headers: bearer('dana'), body: big });
  assert.equal(JSON.parse(r.body).size, big.length);
});

test('WebSockets go through the door, on the stable URL with a token and on the workspace origin with its cookie', async () => {
  const talk = (url: string, headers: Record<string, string>) => new Promise<string>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => ws.send('ping'));
    ws.on('message', (m) => {
      resolve(String(m));
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
  assert.equal(await talk(`ws://127.0.0.1:${doorPort}/w/${A}/app/api/kernels/1/channels`, bearer('dana')), 'echo ping');
  const cookie = await sessionCookie(A);
  assert.equal(await talk(`ws://127.0.0.1:${doorPort}/api/kernels/1/channels`, { host: wsHost(A), cookie, origin: `http://${wsHost(A)}` }), 'echo ping');
  await assert.rejects(talk(`ws://127.0.0.1:${doorPort}/api/kernels/1/channels`, { host: wsHost(A), cookie, origin: `http://${wsHost(DOWN)}` }), /HTTP 403/, 'another workspace\'s page cannot open this one\'s kernel');
  await assert.rejects(talk(`ws://127.0.0.1:${doorPort}/w/${A}/app/api/kernels/1/channels`, {}), /HTTP 401/);
});

test('the browser flow: a single-use ticket becomes a cookie for that one workspace', async () => {
  const cookie = await sessionCookie(A);
  const opened = await pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'openWorkspace' AND decision = 'allow' AND detail = 'front door, app: opening in a browser'`);
  assert.ok(opened.rows[0].n >= 1, 'an opening in a browser is in the audit log');
  const page = await call('/tree', { host: wsHost(A), headers: { cookie } });
  assert.equal(page.status, 200, page.body);
  assert.equal(JSON.parse(page.body).url, '/tree', 'served at the workspace origin\'s root');
  assert.equal(JSON.parse(page.body).headers.cookie, undefined);

  const elsewhere = await call('/tree', { host: wsHost(DOWN), headers: { cookie, accept: 'text/html' } });
  assert.equal(elsewhere.status, 302, 'env A\'s cookie does not open another workspace');
  assert.equal(elsewhere.headers.location, `http://127.0.0.1:${doorPort}/w/${DOWN}/app/tree`, 'a navigation goes round through the stable URL');
  assert.equal((await call('/api/x', { host: wsHost(DOWN), headers: { cookie } })).status, 401);

  const ravi = await issueToken(pool, 'ravi', 'session');
  tokens.ravi2 = ravi;
  const raviCookie = await sessionCookie(A, 'ravi2');
  assert.equal((await call('/tree', { host: wsHost(A), headers: { cookie: raviCookie } })).status, 200);
  await revokeToken(pool, ravi);
  await new Promise((r) => setTimeout(r, 1100)); // token checks are cached for a second
  const signedOut = await call('/tree', { host: wsHost(A), headers: { cookie: raviCookie, accept: 'text/html' } });
  assert.equal(signedOut.status, 302, 'signing out of the platform ends the workspace session: back through the stable URL');

  const forged = await call(`${ENTER_PATH}?ticket=guess&next=/`, { host: wsHost(A) });
  assert.equal(forged.status, 302);
  assert.equal(forged.headers['set-cookie'], undefined, 'a made-up ticket opens nothing');
  const offsite = await call('/api/contents', { method: 'POST', host: wsHost(A), headers: { cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' } });
  assert.equal(offsite.status, 403, 'a sibling workspace\'s page cannot send requests with this cookie');
  const foreignOrigin = await call('/api/contents', { method: 'POST', host: wsHost(A), headers: { cookie, origin: 'http://evil.example' } });
  assert.equal(foreignOrigin.status, 403);
});

test('without a sign-in: 401, and browsers get the page that signs them in through the portal', async () => {
  const api = await call(`/w/${A}/app/api/status`);
  assert.equal(api.status, 401);
  assert.match(error(api).message, /Authorization: Bearer/);
  const browser = await call(`/w/${A}/app/`, { headers: { accept: 'text/html' } });
  assert.equal(browser.status, 401);
  assert.match(browser.body, /<script src="\/w\/_\/open.js">/);
  assert.match(String(browser.headers['content-security-policy']), /script-src 'self'/);
  assert.equal((await call(`/w/${A}/app/`, { headers: { authorization: 'Bearer gpt_nope' } })).status, 401);
  assert.equal((await call('/w/_/tickets', { method: 'POST', body: '{}' })).status, 401);
});

test('the policy decides who opens a workspace: another team, an admin, and the team on sensitive data are refused by name', async () => {
  const other = await call(`/w/${A}/app/`, { headers: bearer('mei') });
  assert.equal(other.status, 403);
  assert.match(error(other).message, /workspaces-stay-with-their-team/);
  const admin = await call(`/w/${SENSITIVE}/app/`, { headers: bearer('priya') });
  assert.equal(admin.status, 403);
  const teammate = await call(`/w/${SENSITIVE}/app/`, { headers: bearer('ravi') });
  assert.equal(teammate.status, 403);
  assert.match(error(teammate).message, /sensitive-workspaces-stay-with-the-owner/);
  assert.equal((await call(`/w/${SENSITIVE}/app/`, { headers: bearer('dana') })).status, 200, 'the owner opens it');
  assert.equal((await call(`/w/${A}/app/`, { headers: bearer('ravi') })).status, 200, 'the team opens a workspace without sensitive data');
  const ticket = await call('/w/_/tickets', { method: 'POST', headers: bearer('mei'), body: JSON.stringify({ environment: A, resource: 'app' }) });
  assert.equal(ticket.status, 403, 'no ticket either');
  const audited = await pool.query(`SELECT actor, decision, policies, detail FROM audit_log WHERE action = 'openWorkspace' AND actor = 'mei' ORDER BY id`);
  assert.deepEqual(audited.rows.map((r) => [r.decision, r.policies, r.detail]), [
    ['deny', ['workspaces-stay-with-their-team'], 'front door, app'],
    ['deny', ['workspaces-stay-with-their-team'], 'front door, app: opening in a browser'],
  ], 'refusals are in the audit log');
});

test('what does not exist is a 404 that says so; a stopped workspace a 503 that says how to start it; a dead one a 502', async () => {
  const env = await call('/w/e000000zzz/app/', { headers: bearer('dana') });
  assert.equal(env.status, 404);
  assert.match(error(env).message, /no environment "e000000zzz"/);
  const res = await call(`/w/${A}/nope/`, { headers: bearer('dana') });
  assert.equal(res.status, 404);
  assert.match(error(res).message, /no resource "nope"; its web resources: app, ide, site/);
  const wh = await call(`/w/${A}/warehouse/`, { headers: bearer('dana') });
  assert.equal(wh.status, 404);
  assert.match(error(wh).message, /serves no web pages/);
  const stopped = await call(`/w/${STOPPED}/app/`, { headers: { ...bearer('dana'), accept: 'text/html' } });
  assert.equal(stopped.status, 503);
  assert.match(stopped.body, new RegExp(`goldpath start ${STOPPED}`));
  assert.equal((await call(`/w/${RESTARTED}/app/`, { headers: bearer('dana') })).status, 503);
  restartedRuns = true;
  assert.equal((await call(`/w/${RESTARTED}/app/`, { headers: bearer('dana') })).status, 200, 'a start is seen by the very next request');
  const justStopped = await call(`/w/${JUST_STOPPED}/app/`, { headers: bearer('dana') });
  assert.equal(justStopped.status, 503, 'an address a second old that no longer answers is looked up again: stopped, not unreachable');
  const down = await call(`/w/${DOWN}/app/`, { headers: bearer('dana') });
  assert.equal(down.status, 502);
  assert.match(error(down).message, /does not answer \(ECONNREFUSED\)/);
});

test('a static preview is served by the platform: content types, index.html, and nothing outside its folder', async () => {
  const get = (p: string) => call(`/w/${A}/site${p}`, { headers: bearer('dana') });
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.equal(index.body, '<h1>preview</h1>');
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(index.headers['content-security-policy'], 'sandbox', 'never a page of the platform\'s origin');
  assert.equal((await get('/style.css')).headers['content-type'], 'text/css; charset=utf-8');
  const dir = await get('/docs');
  assert.equal(dir.status, 301);
  assert.equal(new URL(dir.headers.location!, `http://x/w/${A}/site/docs`).pathname, `/w/${A}/site/docs/`);
  assert.equal((await get('/docs/')).body, '<h1>docs</h1>');
  for (const escape of ['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/docs/%2e%2e/%2e%2e/secret.txt']) {
    const r = await get(escape);
    assert.equal(r.status, 400, escape);
    assert.doesNotMatch(r.body, /platform secret/);
  }
  for (const link of ['/leak.txt', '/up/secret.txt']) {
    const r = await get(link);
    assert.equal(r.status, 403, link);
    assert.doesNotMatch(r.body, /platform secret/);
  }
  assert.equal((await get('/missing.html')).status, 404);
  assert.equal((await call(`/w/${A}/site/`, { method: 'POST', headers: bearer('dana') })).status, 405);
});
