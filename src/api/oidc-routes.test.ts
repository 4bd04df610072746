import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { startTestIdentityProvider, TestBrowser, type TestIdentityProvider } from '../../test/support/oidc-provider.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { EventFeed } from '../engine/live/event-feed.ts';
import { seedDemoOrganisation } from '../engine/identity/demo-organisation.ts';
import { OidcSignIn } from '../engine/identity/oidc.ts';
import { createApi, type ApiDeps } from './app.ts';

let pool: pg.Pool;
let idp: TestIdentityProvider;
let server: Server;
let base: string;

before(async () => {
  const url = await createTestDatabase('oidc');
  pool = new pg.Pool({ connectionString: url, max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  // The platform's address must be known to the provider (its redirect URI) before the API exists.
  let listener: (req: IncomingMessage, res: ServerResponse) => void = (_q, s) => void s.writeHead(503).end();
  server = createServer((q, s) => listener(q, s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idp = await startTestIdentityProvider({
    redirectUris: [`${base}/api/v1/auth/oidc/callback`],
    accounts: [
      { id: 'ada', name: 'Ada Lovelace', email: 'ada@idp.test', groups: ['payments', 'goldpath-admins'] },
      { id: 'ben', name: 'Ben Okafor', email: 'ben@idp.test', groups: ['/org/Data Platform'] },
      { id: 'cy', name: 'Cy Loner', email: 'cy@idp.test', groups: ['goldpath-admins'] },
      { id: 'dee', name: 'Dee Taken', email: 'dana@example.org', groups: ['web'] },
    ],
  });
  const oidc = new OidcSignIn(pool, {
    issuer: idp.issuer, clientId: idp.clientId, groupsClaim: 'groups', adminGroup: 'goldpath-admins',
    displayName: 'Test IdP', redirectUri: `${base}/api/v1/auth/oidc/callback`,
  });
  const app = createApi({ pool, feed: new EventFeed(url), version: 'test', oidc } as ApiDeps);
  listener = getRequestListener(app.fetch);
});
after(async () => {
  server?.closeAllConnections();
  server?.close();
  await idp?.close();
  await pool?.end();
});

const fragmentToken = (location: URL): string => new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
const me = async (token: string) => (await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json();

/** Starts a sign-in and follows it through the provider up to the callback's answer. */
async function signIn(login: string, redirect = '/envs') {
  const browser = new TestBrowser();
  const r = await browser.signIn(`${base}/api/v1/auth/oidc/start?redirect=${encodeURIComponent(redirect)}`, login, idp);
  return { ...r, browser, body: r.response.status === 200 || r.response.status >= 400 ? await r.response.text() : '' };
}

test('GET /api/v1/auth names the sign-in methods and the provider, and nobody', async () => {
  const res = await fetch(`${base}/api/v1/auth`);
  const body = await res.json();
  assert.deepEqual(body, { methods: ['local', 'oidc'], oidc: { name: 'Test IdP', start: '/api/v1/auth/oidc/start' } });
  const text = JSON.stringify(body);
  for (const id of ['dana', 'priya', 'ravi']) assert.ok(!text.includes(id), `${id} is not named`);
  const doc = await (await fetch(`${base}/api/v1/openapi.json`)).json();
  assert.ok(doc.paths['/api/v1/auth/oidc/start'] && doc.paths['/api/v1/auth/oidc/callback'], 'the OIDC routes are documented');
});

test('OIDC sign-in end to end: start → provider → callback → a session token for the portal; the team and admin role come from the groups', async () => {
  const r = await signIn('ada');
  const callback = r.hops.find((h) => h.pathname === '/api/v1/auth/oidc/callback');
  assert.ok(callback, `the provider sent the browser to the callback: ${r.hops.join(' → ')}`);
  assert.ok(callback.searchParams.get('code') && callback.searchParams.get('state'));
  const authorize = r.hops.find((h) => h.origin === idp.issuer && h.searchParams.has('code_challenge'));
  assert.equal(authorize?.searchParams.get('code_challenge_method'), 'S256', 'PKCE with S256');
  assert.ok(authorize?.searchParams.get('nonce'));
  // The last hop is the portal's page, the token in the fragment and nowhere in the query.
  const landing = r.url;
  assert.equal(landing.origin + landing.pathname, `${base}/envs`);
  assert.equal(landing.search, '');
  const token = fragmentToken(landing);
  assert.match(token, /^gpt_/);
  const user = await me(token);
  assert.equal(user.name, 'Ada Lovelace');
  assert.equal(user.email, 'ada@idp.test');
  assert.equal(user.team, 'payments', 'the first group that is a known team');
  assert.equal(user.isAdmin, true, 'goldpath-admins makes an admin');
  const { rows } = await pool.query(`SELECT external_issuer, external_id, t.expires_at - t.created_at AS lifetime FROM users u JOIN api_tokens t ON t.user_id = u.id WHERE u.id = $1`, [user.id]);
  assert.equal(rows[0].external_issuer, idp.issuer);
  assert.equal(rows[0].external_id, 'ada');
  assert.equal(rows[0].lifetime.hours, 12, 'a session lasts 12 hours, like a local sign-in');
});

test('a group that names no known team becomes a team; signing in again keeps the same user and follows the provider', async () => {
  const first = await signIn('ben');
  const ben = await me(fragmentToken(first.url));
  assert.equal(ben.team, 'data-platform');
  assert.equal(ben.isAdmin, false);
  assert.equal((await pool.query(`SELECT title FROM teams WHERE id = 'data-platform'`)).rows[0]?.title, 'Data Platform');
  idp.accounts.get('ben')!.groups = ['web', 'goldpath-admins'];
  const again = await me(fragmentToken((await signIn('ben')).url));
  assert.equal(again.id, ben.id);
  assert.equal(again.team, 'web');
  assert.equal(again.isAdmin, true);
});

test('someone in no group that could be a team is refused with a page saying why', async () => {
  const r = await signIn('cy');
  assert.equal(r.response.status, 400);
  assert.match(r.response.headers.get('content-type') ?? '', /text\/html/);
  assert.match(r.body, /no group that could be your team/);
  assert.equal((await pool.query(`SELECT 1 FROM users WHERE email = 'cy@idp.test'`)).rowCount, 0);
});

test('a provider account with the e-mail of a local account does not take it over', async () => {
  const r = await signIn('dee');
  assert.equal(r.response.status, 400);
  assert.match(r.body, /already belongs to another account/);
});

test('a tampered state is refused, and a callback works once', async () => {
  const browser = new TestBrowser();
  const r = await browser.signIn(`${base}/api/v1/auth/oidc/start`, 'ada', idp, { stopAt: (u) => u.pathname === '/api/v1/auth/oidc/callback' });
  const callback = r.url;
  const tampered = new URL(callback);
  tampered.searchParams.set('state', callback.searchParams.get('state')!.slice(0, -2) + 'xx');
  const refused = await browser.get(tampered.toString());
  assert.equal(refused.status, 400);
  assert.match(await refused.text(), /unknown, expired or already used/);
  const ok = await browser.get(callback.toString());
  assert.equal(ok.status, 302);
  assert.match(ok.headers.get('location')!, /^\/#token=gpt_/);
  const replay = await browser.get(callback.toString());
  assert.equal(replay.status, 400, 'the state was used');
  const none = await fetch(`${base}/api/v1/auth/oidc/callback?code=abc`, { redirect: 'manual' });
  assert.equal(none.status, 400);
  assert.match(await none.text(), /no state/);
});

test('a sign-in link started in one browser does not sign another browser in', async () => {
  const r = await new TestBrowser().signIn(`${base}/api/v1/auth/oidc/start`, 'ada', idp, { stopAt: (u) => u.pathname === '/api/v1/auth/oidc/callback' });
  // The link sent to a victim: their browser has no cookie of this sign-in.
  const res = await new TestBrowser().get(r.url.toString());
  assert.equal(res.status, 400);
  assert.match(await res.text(), /started in another browser/);
});

test('a code with the wrong PKCE verifier is refused by the provider, and no token is issued', async () => {
  const browser = new TestBrowser();
  const r = await browser.signIn(`${base}/api/v1/auth/oidc/start`, 'ada', idp, { stopAt: (u) => u.pathname === '/api/v1/auth/oidc/callback' });
  // As if someone else's verifier went with this code (a stolen code replayed in another sign-in).
  await pool.query(`UPDATE oidc_sign_ins SET code_verifier = $1`, ['x'.repeat(43)]);
  const before = Number((await pool.query('SELECT count(*) FROM api_tokens')).rows[0].count);
  const res = await browser.get(r.url.toString());
  assert.equal(res.status, 400);
  assert.match(await res.text(), /could not be checked \(invalid_grant/);
  assert.equal(Number((await pool.query('SELECT count(*) FROM api_tokens')).rows[0].count), before);
});

test('the provider\'s refusal is shown as such', async () => {
  const browser = new TestBrowser();
  const start = await browser.get(`${base}/api/v1/auth/oidc/start`);
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  const res = await browser.get(`${base}/api/v1/auth/oidc/callback?error=access_denied&error_description=${encodeURIComponent('the person said no')}&state=${state}`);
  assert.equal(res.status, 400);
  assert.match(await res.text(), /did not sign you in: the person said no/);
});

test('the way back is a portal path or a loopback listener, never another site', async () => {
  for (const redirect of ['https://evil.example/steal', '//evil.example/x', '/\\evil.example', 'http://192.0.2.1:8080/cb', 'javascript:alert(1)']) {
    const res = await fetch(`${base}/api/v1/auth/oidc/start?redirect=${encodeURIComponent(redirect)}`, { redirect: 'manual' });
    assert.equal(res.status, 400, redirect);
    assert.match(await res.text(), /redirect: give a path of the portal/);
  }
  for (const redirect of ['/envs/e1?tab=urls', 'http://127.0.0.1:45678/abc']) {
    const res = await fetch(`${base}/api/v1/auth/oidc/start?redirect=${encodeURIComponent(redirect)}`, { redirect: 'manual' });
    assert.equal(res.status, 302, redirect);
    assert.ok(res.headers.get('location')!.startsWith(idp.issuer));
  }
});
