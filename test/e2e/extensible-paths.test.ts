import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { join } from 'node:path';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { localCredentials } from '../support/local-accounts.ts';
import { outputsOf } from '../support/outputs.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { until } from '../support/wait.ts';

const run = promisify(execFile);

let platform: PlatformProcess;
let work: string;
let token: string;
/** The environment the first test launches; the push test extends it. */
let launched: EnvironmentView | undefined;

before(async () => {
  platform = await startPlatformProcess();
  work = mkdtempSync(join(tmpdir(), 'gp-extend-'));
  token = localCredentials(platform.home).tokens.sam; // a developer of the web team
});
after(async () => {
  await platform?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The service, through the platform's front door, as a program calls it: with a Bearer token. */
const call = async (url: string, path: string) => {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
};
const file = (name: string, text: string) => {
  writeFileSync(join(work, name), text);
  return join(work, name);
};
/** Every environment of the web team, deleted ones too: a refusal must leave no trace. */
const envCount = async () => {
  const res = await fetch(`${platform.url}/api/v1/environments?team=web&includeDeleted=true`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { environments: unknown[] }).environments.length;
};

test('java-microservice launched with --extend adding a cache: the service answers /health, uses the cache and reads its own database', async (t) => {
  const extension = file('goldpath.yaml', `apiVersion: goldpath.dev/v1
kind: Extension
resources:
  cache:
    type: cache
env:
  service:
    REDIS_URL: \${resources.cache.url}
`);
  const started = Date.now();
  const env = await platform.cliJson<EnvironmentView>(['--as', 'sam', 'launch', 'java-microservice', '--team', 'web', '--name', 'orders', '--extend', extension, '--wait'])
    .catch((e: Error) => assert.fail(`${e.message}\nplatform output:\n${platform.output().slice(-3000)}`));
  assert.equal(env.status, 'ready', JSON.stringify(env.resources.map((r) => [r.id, r.status, r.error])));
  t.diagnostic(`goldpath launch --wait took ${Date.now() - started} ms`);
  const events = await fetch(`${platform.url}/api/v1/environments/${env.id}/events`, { headers: { authorization: `Bearer ${token}` } });
  const history = ((await events.json()) as { events: { type: string; message: string; at: string }[] }).events;
  const start = Date.parse(history[0].at);
  for (const e of history) if (e.type === 'resource.ready' || e.type.startsWith('environment.')) t.diagnostic(`+${Date.parse(e.at) - start} ms ${e.message}`);
  assert.deepEqual(env.resources.map((r) => r.id).sort(), ['cache', 'db', 'ide', 'repo', 'service']);
  assert.deepEqual(env.extension?.resources, { cache: { type: 'cache', params: {}, dependsOn: [] } });
  assert.equal(env.extension?.from, 'launch');
  assert.match(outputsOf(env, 'cache').url, /^redis:\/\/:[^@]+@127\.0\.0\.1:\d+$/);
  assert.match(outputsOf(env, 'db').jdbcUrl, /^jdbc:postgresql:\/\//);

  const service = outputsOf(env, 'service').url;
  const health = await call(service, 'health');
  assert.equal(health.status, 200, health.text);
  assert.equal(health.text.trim(), 'ok');
  const first = JSON.parse((await call(service, 'visits')).text) as { visits: number; database: string; cache: string; hits: number };
  const second = JSON.parse((await call(service, 'visits')).text) as typeof first;
  assert.equal(first.cache, 'redis', 'the service uses the cache the extension added');
  assert.equal(second.hits, first.hits + 1, 'and counts in it');
  assert.equal(second.visits, first.visits + 1, 'it writes to and reads its own database');
  assert.match(first.database, new RegExp(outputsOf(env, 'db').database));

  // The service's role reaches its own database only: not the platform's, not the warehouse.
  for (const other of ['goldpath', 'warehouse', 'postgres']) {
    const u = new URL(outputsOf(env, 'db').url);
    u.pathname = `/${other}`;
    const client = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 5000 });
    client.on('error', () => {});
    await assert.rejects(client.connect(), /permission denied for database/, `the service's role must not reach ${other}`);
    await client.end().catch(() => {});
  }
  launched = env;
  // The environment shows what was added.
  const shown = await platform.cli(['--as', 'sam', 'env', env.id]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /extended \(at launch\): cache \(cache\), service \+REDIS_URL/);
});

test('a forbidden extension is refused with the rule and the line, and nothing is created; a data path refuses --extend', async () => {
  const before = await envCount();
  const forbidden = file('forbidden.yaml', 'apiVersion: goldpath.dev/v1\nkind: Extension\nresources:\n  mq:\n    type: kafka\n');
  const refused = await platform.cli(['--as', 'sam', 'launch', 'java-microservice', '--team', 'web', '--extend', forbidden]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /extension:5: resources\.mq\.type: resource "mq" of type kafka is not allowed by java-microservice: it allows database \(max 2\), cache \(max 1\)/);
  const tooMany = file('caches.yaml', 'resources:\n  a: { type: cache }\n  b: { type: cache }\n');
  const again = await platform.cli(['--as', 'sam', 'launch', 'java-microservice', '--team', 'web', '--extend', tooMany]);
  assert.match(again.stderr, /2 resources of type cache \(a, b\), but java-microservice allows at most 1 \(extensible\.resources\.cache\.max\)/);

  const data = await platform.cli(['--as', 'dana', 'launch', 'data-science-experimentation', '--extend', file('data.yaml', 'resources:\n  cache: { type: cache }\n')]);
  assert.notEqual(data.code, 0);
  assert.match(data.stderr, /data-science-experimentation is locked \(extensible: false\): data golden paths are not extended/);

  const missing = await platform.cli(['--as', 'sam', 'launch', 'java-microservice', '--extend', join(work, 'nope.yaml')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /--extend .*nope\.yaml: cannot read it \(ENOENT\)/);
  // The API, as a program calls it: the object form, and something that is no extension at all.
  const post = async (body: unknown) => {
    const res = await fetch(`${platform.url}/api/v1/environments`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { error: { code: string; message: string; details?: { field: string; message: string }[] } } };
  };
  const asObject = await post({ path: 'java-microservice', team: 'web', extension: { env: { db: { X: '1' } }, parameters: { branch: 'release' } } });
  assert.equal(asObject.status, 400);
  assert.equal(asObject.body.error.code, 'extension_refused');
  assert.deepEqual(asObject.body.error.details?.map((d) => d.field), ['extension.env.db']);
  assert.match(asObject.body.error.message, /java-microservice lets you add environment variables only to service \(extensible\.env\), not to "db"/);
  const notAnExtension = await post({ path: 'java-microservice', team: 'web', extension: 42 });
  assert.equal(notAnExtension.status, 400);
  assert.match(notAnExtension.body.error.message, /extension: must be an Extension/);
  assert.equal(await envCount(), before, 'no environment was created');
});

test('a goldpath.yaml pushed to main extends the running environment; a refused one leaves it as it was and says why', async (t) => {
  if (!launched) return t.skip('the launch above failed');
  const env = launched;
  const clone = join(work, 'service');
  await run('git', ['clone', '-q', outputsOf(env, 'repo').url, clone]);
  const git = (...args: string[]) => run('git', ['-C', clone, '-c', 'user.name=Sam', '-c', 'user.email=sam@example.com', ...args]);
  const events = async () => {
    const res = await fetch(`${platform.url}/api/v1/environments/${env.id}/events`, { headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as { events: { type: string; message: string }[] }).events;
  };
  const view = () => platform.cliJson<EnvironmentView>(['--as', 'sam', 'env', env.id]);

  writeFileSync(join(clone, 'goldpath.yaml'), 'resources:\n  cache: { type: cache }\n  mq: { type: kafka }\nenv:\n  service:\n    REDIS_URL: ${resources.cache.url}\n');
  await git('add', 'goldpath.yaml');
  await git('commit', '-qm', 'Ask for a queue');
  await git('push', '-q', 'origin', 'main');
  const refused = await until(events, (es) => es.some((e) => e.type === 'extension.refused'), 'the refusal to be recorded', 20_000, 100);
  assert.match(refused.find((e) => e.type === 'extension.refused')!.message, /goldpath\.yaml was not applied: goldpath\.yaml:3: resources\.mq\.type: resource "mq" of type kafka is not allowed by java-microservice/);
  const unchanged = await view();
  assert.deepEqual(unchanged.resources.map((r) => r.id).sort(), ['cache', 'db', 'ide', 'repo', 'service']);
  assert.match(unchanged.resources.find((r) => r.id === 'repo')!.error ?? '', /goldpath\.yaml was not applied/);

  writeFileSync(join(clone, 'goldpath.yaml'), 'resources:\n  cache: { type: cache }\n  reports: { type: database }\nenv:\n  service:\n    REDIS_URL: ${resources.cache.url}\n    REPORTS_JDBC_URL: ${resources.reports.jdbcUrl}\n');
  await git('commit', '-qam', 'A database for reports');
  await git('push', '-q', 'origin', 'main');
  const extended = await until(view, (e) => e.resources.some((r) => r.id === 'reports' && r.status === 'ready') && e.resources.every((r) => r.status === 'ready'),
    'the reports database to be provisioned', 30_000, 200).catch((e: Error) => assert.fail(`${e.message}\nplatform output:\n${platform.output().slice(-3000)}`));
  assert.equal(extended.status, 'ready');
  assert.equal(extended.extension?.from, 'repository');
  assert.equal(extended.resources.find((r) => r.id === 'repo')!.error, null, 'the refusal is cleared');
  assert.ok((await events()).some((e) => e.type === 'environment.extended' && /adds reports \(database\)/.test(e.message)));
  const service = outputsOf(extended, 'service').url;
  const health = await until(() => call(service, 'health'), (r) => r.status === 200, 'the service to answer again', 30_000, 200);
  assert.equal(health.text.trim(), 'ok');
  assert.equal((JSON.parse((await call(service, 'visits')).text) as { cache: string }).cache, 'redis');
});
