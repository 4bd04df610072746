import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { goldpathBin, startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localCredentials, localSession } from '../support/local-accounts.ts';

const execFileAsync = promisify(execFile);
let platform: PlatformProcess;
let creds: { defaultUser: string; tokens: Record<string, string> };
const elsewhere = mkdtempSync(join(tmpdir(), 'goldpath-cli-elsewhere-'));

/** Runs bin/goldpath in a folder of our choosing with only the environment given (no GOLDPATH_HOME). */
async function run(args: string[], env: Record<string, string>, cwd = elsewhere): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GOLDPATH_'))) as Record<string, string>;
  try {
    const { stdout, stderr } = await execFileAsync(goldpathBin, args, { cwd, env: { ...base, NO_COLOR: '1', ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

before(async () => {
  platform = await startPlatformProcess();
  creds = localCredentials(platform.home);
});
after(async () => {
  await platform?.stop();
  rmSync(elsewhere, { recursive: true, force: true });
});

test('--help works with no platform anywhere', async () => {
  const r = await run(['--help'], { GOLDPATH_URL: 'http://127.0.0.1:1' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Usage: goldpath/);
  assert.match(r.stdout, /token \[options\]/);
  const sub = await run(['token', '--help'], {});
  assert.match(sub.stdout, /--revoke <id>/);
});

test('a closed pipe ends the command quietly with status 0', async () => {
  // head -c 0 exits at once, so every write of the CLI meets a closed pipe (EPIPE).
  const r = await execFileAsync('bash', ['-o', 'pipefail', '-c', `"${goldpathBin}" envs --all --json | head -c 0; echo "status $?"`], {
    env: { ...process.env, GOLDPATH_HOME: platform.home, NO_COLOR: '1' },
  });
  assert.equal(r.stdout.trim(), 'status 0');
  assert.equal(r.stderr, '', 'no stack trace, no message');
});

test('users --json lists the local users and the default one', async () => {
  const users = await platform.cliJson<{ local: boolean; users: { id: string; default: boolean }[] }>(['users']);
  assert.equal(users.local, true);
  assert.deepEqual(users.users.map((u) => u.id).sort(), Object.keys(creds.tokens).sort());
  assert.deepEqual(users.users.filter((u) => u.default).map((u) => u.id), [creds.defaultUser]);
});

test('GOLDPATH_URL and GOLDPATH_TOKEN work from a folder without any local data', async () => {
  const remote = { GOLDPATH_URL: platform.url, GOLDPATH_TOKEN: creds.tokens.ravi };
  const envs = await run(['envs', '--json'], remote);
  assert.equal(envs.code, 0, envs.stderr);
  assert.ok(Array.isArray(JSON.parse(envs.stdout)));
  const paths = await run(['paths', '--json'], remote);
  assert.equal(paths.code, 0, paths.stderr);
  assert.ok((JSON.parse(paths.stdout) as { paths: unknown[] }).paths.length > 0);
  const token = await run(['token', '--json'], remote);
  assert.deepEqual(JSON.parse(token.stdout), { user: 'ravi', token: creds.tokens.ravi });
  const users = await run(['users', '--json'], remote);
  assert.equal(users.code, 0, users.stderr);
  assert.deepEqual((JSON.parse(users.stdout) as { local: boolean; users: { id: string }[] }).users.map((u) => u.id), ['ravi']);
  assert.deepEqual(readdirSync(elsewhere), [], 'nothing was read from or written to a local data folder');

  const as = await run(['--as', 'dana', 'envs'], remote);
  assert.equal(as.code, 1);
  assert.match(as.stderr, /--as acts as a user of the embedded default.*not the local platform.*GOLDPATH_TOKEN/);
  const noToken = await run(['envs'], { GOLDPATH_URL: platform.url });
  assert.equal(noToken.code, 1);
  assert.match(noToken.stderr, /no API token for .*set GOLDPATH_TOKEN/);
  assert.doesNotMatch(noToken.stderr, /at .*\.ts:\d+/, 'no stack trace');
});

test('token --list shows your tokens, --revoke ends one: it then gets 401', async () => {
  const session = await localSession(platform, 'dana');

  const { tokens } = await platform.cliJson<{ tokens: { id: string; kind: string; current: boolean }[] }>(['token', '--list']);
  const current = tokens.filter((t) => t.current);
  assert.equal(current.length, 1, 'exactly one token is the one the CLI used');
  assert.equal(current[0].kind, 'cli');
  const sessionToken = tokens.find((t) => t.kind === 'session' && !t.current);
  assert.ok(sessionToken, `the portal session is listed: ${JSON.stringify(tokens)}`);
  const table = await platform.cli(['token', '--list']);
  assert.match(table.stdout, /^ID\s+KIND\s+LABEL\s+CREATED\s+EXPIRES\s+LAST USED$/m);
  assert.match(table.stdout, new RegExp(`^\\* ${current[0].id}\\s+cli`, 'm'), 'the current one is marked');
  assert.doesNotMatch(table.stdout, new RegExp(session), 'no secret is shown');

  assert.equal((await fetch(`${platform.url}/api/v1/me`, { headers: { authorization: `Bearer ${session}` } })).status, 200);
  const revoked = await platform.cli(['token', '--revoke', sessionToken.id]);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match(revoked.stdout, new RegExp(`revoked ${sessionToken.id}`));
  assert.equal((await fetch(`${platform.url}/api/v1/me`, { headers: { authorization: `Bearer ${session}` } })).status, 401, 'a revoked token no longer works');
  const left = await platform.cliJson<{ tokens: { id: string }[] }>(['token', '--list']);
  assert.ok(!left.tokens.some((t) => t.id === sessionToken.id));

  const unknown = await platform.cli(['token', '--revoke', 'tok_nosuch00']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /you have no token tok_nosuch00/);
  const both = await platform.cli(['token', '--list', '--revoke', 'tok_nosuch00']);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /either --list or --revoke/);
});

test('env <id> lists each resource once, and delete --wait shows only the deletion', async () => {
  const env = await platform.cliJson<EnvironmentView>(['launch', 'sql-data-querying', '--team', 'churn-analytics', '--wait']);
  assert.equal(env.status, 'ready', env.reason ?? '');
  const shown = await platform.cli(['env', env.id]);
  for (const r of env.resources) {
    assert.equal(shown.stdout.split('\n').filter((l) => l.trimStart().startsWith(`${r.id} `)).length, 1, `${r.id} once:\n${shown.stdout}`);
  }
  const deleted = await platform.cli(['delete', env.id, '--wait']);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.match(deleted.stdout, /deleted/);
  assert.doesNotMatch(deleted.stdout, /provisioning|ready in/, `the launch's progress is not shown again:\n${deleted.stdout}`);
});
