import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePortTriple, goldpathBin, startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { startTestIdentityProvider, TestBrowser, type TestIdentityProvider } from '../support/oidc-provider.ts';
import { localPassword } from '../support/local-accounts.ts';
import { openBrowser } from '../support/browser.ts';

let platform: PlatformProcess;
let idp: TestIdentityProvider;
let port: number;
const scratch = mkdtempSync(join(tmpdir(), 'goldpath-identity-'));
/** The CLI of someone on another machine: no data folder of a platform, a config folder of their own. */
const elsewhere = { home: join(scratch, 'no-platform'), config: join(scratch, 'config') };
let env: Record<string, string>;

before(async () => {
  port = await freePortTriple();
  idp = await startTestIdentityProvider({
    redirectUris: [`http://127.0.0.1:${port}/api/v1/auth/oidc/callback`],
    accounts: [{ id: 'ada', name: 'Ada Lovelace', email: 'ada@idp.test', groups: ['churn-analytics', 'goldpath-admins'] }],
  });
  env = { GOLDPATH_OIDC_ISSUER: idp.issuer, GOLDPATH_OIDC_CLIENT_ID: idp.clientId, GOLDPATH_OIDC_NAME: 'Test IdP' };
  platform = await startPlatformProcess({ port, env });
});
after(async () => {
  await platform?.stop();
  await idp?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs the CLI as that person elsewhere; `input` goes to its standard input; `onOutput` sees stdout as it comes. */
function cliElsewhere(args: string[], opts: { input?: string; onOutput?: (soFar: string) => void } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GOLDPATH_'))) as Record<string, string>;
  const child = spawn(goldpathBin, ['--server', platform.url, ...args], {
    env: { ...base, NO_COLOR: '1', GOLDPATH_HOME: elsewhere.home, XDG_CONFIG_HOME: elsewhere.config },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    opts.onOutput?.(stdout);
  });
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const signInLocally = async (user: string, password: string) =>
  (await fetch(`${platform.url}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password }) })).status;

test('goldpath up prints where the local accounts are kept, a file only the operator can read, and never a password', async () => {
  const file = join(platform.home, 'local-accounts.txt');
  // Printed right after "ready", which is what the start waited for.
  for (let i = 0; i < 50 && !platform.output().includes('local accounts and their passwords'); i++) await new Promise((r) => setTimeout(r, 100));
  assert.match(platform.output(), new RegExp(`local accounts and their passwords .*${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const passwords = ['dana', 'ravi', 'mei', 'olu', 'sam', 'priya'].map((u) => localPassword(platform.home, u));
  assert.equal(new Set(passwords).size, 6, 'a password of its own for each');
  for (const p of passwords) assert.ok(!platform.output().includes(p), 'no password in the output');
  assert.ok(!readFileSync(join(platform.home, 'credentials.json'), 'utf8').includes('demoPassword'));
  const users = await platform.cli(['users']);
  for (const p of passwords) assert.ok(!users.stdout.includes(p), '`goldpath users` shows no password');
  assert.match(users.stdout, /local-accounts\.txt/);
});

test('nothing unauthenticated lists the accounts: /api/v1/auth names the sign-in methods only', async () => {
  const body = await (await fetch(`${platform.url}/api/v1/auth`)).json();
  assert.deepEqual(body, { methods: ['local', 'oidc'], oidc: { name: 'Test IdP', start: '/api/v1/auth/oidc/start' } });
});

test('the portal signs in with the identity provider: the token comes back in the fragment and leaves the address bar', async () => {
  const browser = await openBrowser('identity');
  try {
    const { page } = browser;
    await page.goto(platform.url + '/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.doesNotMatch(await page.locator('body').innerText(), /Dana|Priya/, 'no account is listed');
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.getByRole('textbox', { name: 'Login' }).fill('ada');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByTestId('user-menu').filter({ hasText: 'Ada Lovelace' }).waitFor();
    assert.ok(!page.url().includes('token'), `the token is gone from the address bar: ${page.url()}`);
    const token = await page.evaluate(() => localStorage.getItem('goldpath.token'));
    const me = await (await fetch(`${platform.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json();
    assert.equal(me.team, 'churn-analytics');
    assert.equal(me.isAdmin, true);
    assert.deepEqual(browser.pageErrors, []);
  } finally {
    await browser.close();
  }
});

test('local sign-in: each password opens its own account only', async () => {
  assert.equal(await signInLocally('dana', localPassword(platform.home, 'dana')), 201);
  assert.equal(await signInLocally('priya', localPassword(platform.home, 'dana')), 401, 'dana\'s password does not open the admin\'s account');
  assert.equal(await signInLocally('dana', localPassword(platform.home, 'priya')), 401);
  assert.equal(await signInLocally('priya', localPassword(platform.home, 'priya')), 201);
});

test('goldpath login signs in through the identity provider with the browser, and later commands use the token', async () => {
  let browsing: Promise<void> | undefined;
  const run = cliElsewhere(['login'], {
    onOutput: (out) => {
      const url = out.match(/(http:\/\/\S+\/api\/v1\/auth\/oidc\/start\S*)/)?.[1];
      if (!url || browsing) return;
      browsing = (async () => {
        const browser = new TestBrowser();
        const loopback = new URL(new URL(url).searchParams.get('redirect')!);
        assert.equal(loopback.hostname, '127.0.0.1');
        const r = await browser.signIn(url, 'ada', idp, { stopAt: (u) => u.origin === loopback.origin });
        assert.equal(r.url.pathname, loopback.pathname);
        assert.equal(r.url.search, '', 'the token is not in the query');
        // What the page served there does in a browser: hand the fragment's token to the listener.
        const page = await fetch(r.url);
        assert.match(await page.text(), /location\.hash/);
        const token = new URLSearchParams(r.url.hash.slice(1)).get('token')!;
        assert.equal((await fetch(`${loopback.origin}/not-the-path`, { method: 'POST', body: token })).status, 404, 'only the secret path takes it');
        assert.equal((await fetch(r.url, { method: 'POST', body: token, headers: { origin: 'https://evil.example' } })).status, 403, 'not from another site');
        assert.equal((await fetch(r.url, { method: 'POST', body: token })).status, 204);
      })();
    },
  });
  const r = await run;
  await browsing;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /open this address in your browser and sign in with Test IdP/);
  assert.match(r.stdout, /signed in to .* as ada \(Ada Lovelace, team churn-analytics, admin\)/);
  const logins = join(elsewhere.config, 'goldpath', 'logins.json');
  assert.equal(statSync(logins).mode & 0o777, 0o600);
  const who = await cliElsewhere(['users', '--json']);
  assert.equal(who.code, 0, who.stderr);
  assert.deepEqual(JSON.parse(who.stdout).users.map((u: { id: string }) => u.id), ['ada']);
});

test('goldpath login --user with --password-stdin signs a local account in; a wrong password is refused', async () => {
  const wrong = await cliElsewhere(['login', '--user', 'sam', '--password-stdin'], { input: localPassword(platform.home, 'dana') + '\n' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /unknown user or wrong password/);
  const ok = await cliElsewhere(['login', '--user', 'sam', '--password-stdin'], { input: localPassword(platform.home, 'sam') + '\n' });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /as sam \(Sam Novak, team web\)/);
  const who = await cliElsewhere(['users', '--json']);
  assert.deepEqual(JSON.parse(who.stdout).users.map((u: { id: string }) => u.id), ['sam']);
  const noTerminal = await cliElsewhere(['login', '--user', 'sam']);
  assert.equal(noTerminal.code, 1);
  assert.match(noTerminal.stderr, /--password-stdin/);
});

test('at the next start the organisation file rules: someone taken out cannot sign in; a shared demo password gives way to individual ones', async () => {
  const samPassword = localPassword(platform.home, 'sam');
  const danaPassword = localPassword(platform.home, 'dana');
  await platform.stop();
  const orgFile = join(platform.home, 'organisation.yaml');
  const org = readFileSync(orgFile, 'utf8');
  writeFileSync(orgFile, org.replace(/ {2}- id: sam\n(?: {4}.*\n)+/, ''));
  assert.ok(!readFileSync(orgFile, 'utf8').includes('id: sam'));
  // An install from before individual passwords.
  const credsFile = join(platform.home, 'credentials.json');
  writeFileSync(credsFile, JSON.stringify({ ...JSON.parse(readFileSync(credsFile, 'utf8')), demoPassword: 'shared-by-all' }));
  platform = await startPlatformProcess({ home: platform.home, port, env });
  assert.equal(await signInLocally('sam', samPassword), 401);
  assert.equal(await signInLocally('dana', danaPassword), 401, 'the old password no longer works');
  assert.equal(await signInLocally('dana', localPassword(platform.home, 'dana')), 201);
  const creds = JSON.parse(readFileSync(credsFile, 'utf8'));
  assert.equal(creds.demoPassword, undefined);
  assert.equal(creds.tokens.sam, undefined, 'no CLI token for sam');
  assert.throws(() => localPassword(platform.home, 'sam'));
  // A broken organisation file stops the start with its line.
  await platform.stop();
  writeFileSync(orgFile, org.replace('team: web', 'team: nowhere'));
  await assert.rejects(startPlatformProcess({ home: platform.home, port, env }), /organisation\.yaml:\d+: users\.\d+\.team: no team "nowhere"/);
  writeFileSync(orgFile, org);
  platform = await startPlatformProcess({ home: platform.home, port, env });
});
