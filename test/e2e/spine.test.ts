import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { S3Client, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { runCell } from '../../src/infrastructure/jupyter/index.ts';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { localTokens } from '../support/local-accounts.ts';
import { outputsOf } from '../support/outputs.ts';
import { notebookOf, notebookRuns, viaDoor } from '../support/front-door.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { query, until } from '../support/wait.ts';

const git = promisify(execFile);
let platform: PlatformProcess;

const s3 = (o: Record<string, string>) =>
  new S3Client({ endpoint: o.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } });

before(async () => {
  platform = await startPlatformProcess();
});
after(async () => {
  await platform?.stop();
});

test('goldpath up answers health and lists the built-in paths', async () => {
  const res = await fetch(`${platform.url}/api/v1/health`);
  assert.equal(res.status, 200);
  const paths = await platform.cliJson<{ paths: { name: string }[] }>(['paths']);
  assert.ok(paths.paths.some((p) => p.name === 'data-science-experimentation'));
  const doc = (await (await fetch(`${platform.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
  assert.ok(doc.paths['/api/v1/environments']);
});

test('a data scientist launches Data Science Experimentation and every URL works with stock clients', async () => {
  const launched = await platform.cli(['launch', 'data-science-experimentation', '--team', 'churn-analytics', '--wait']);
  assert.equal(launched.code, 0, launched.stderr + launched.stdout);
  assert.match(launched.stdout, /✓ notebook ready/);
  assert.match(launched.stdout, /postgres:\/\//);

  const env = await platform.cliJson<EnvironmentView>(['launch', 'data-science-experimentation', '--team', 'churn-analytics', '--wait', '--param', 'project=fraud-signals']);
  assert.equal(env.status, 'ready');
  assert.equal(env.team, 'churn-analytics');
  assert.deepEqual(env.resources.map((r) => r.status), ['ready', 'ready', 'ready', 'ready', 'ready']);
  const other = (await platform.cliJson<EnvironmentView[]>(['envs'])).find((e) => e.id !== env.id)!;
  const otherEnv = await platform.cliJson<EnvironmentView>(['env', other.id]);

  // git: clone with the URL as given, push, clone again; another environment's credentials are refused
  const work = mkdtempSync(join(tmpdir(), 'gp-git-'));
  const repo = outputsOf(env, 'repo');
  await git('git', ['clone', '-q', repo.url, join(work, 'a')]);
  assert.match(readFileSync(join(work, 'a', 'README.md'), 'utf8'), /^# fraud-signals/);
  assert.ok(existsSync(join(work, 'a', 'notebooks', 'starter.ipynb')));
  assert.ok(existsSync(join(work, 'a', 'requirements.txt')));
  writeFileSync(join(work, 'a', 'analysis.py'), 'print("hello")\n');
  const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x', GIT_TERMINAL_PROMPT: '0' };
  await git('git', ['-C', join(work, 'a'), 'add', '.'], { env: gitEnv });
  await git('git', ['-C', join(work, 'a'), 'commit', '-qm', 'analysis'], { env: gitEnv });
  await git('git', ['-C', join(work, 'a'), 'push', '-q', 'origin', 'HEAD'], { env: gitEnv });
  await git('git', ['clone', '-q', repo.url, join(work, 'b')]);
  assert.ok(existsSync(join(work, 'b', 'analysis.py')));
  const otherRepo = outputsOf(otherEnv, 'repo');
  const crossUrl = repo.url.replace(`${repo.username}:${repo.password}`, `${otherRepo.username}:${otherRepo.password}`);
  await assert.rejects(git('git', ['clone', '-q', crossUrl, join(work, 'c')], { env: gitEnv }));

  // warehouse: the synthetic class reads, the sensitive tables are denied by PostgreSQL itself
  const wh = outputsOf(env, 'warehouse');
  assert.match(wh.url, /^postgres:\/\//);
  const customers = await query(wh.url, 'SELECT count(*)::int AS n FROM customers');
  assert.ok(customers.rows[0].n > 100);
  await assert.rejects(query(wh.url, 'SELECT * FROM sensitive.customers LIMIT 1'), /permission denied/);
  const psql = await promisify(execFile)('psql', [wh.url, '-tAc', 'SELECT count(*) FROM transactions']);
  assert.ok(Number(psql.stdout.trim()) > 1000);

  // bucket: own keys put and get; another environment's keys cannot read this bucket
  const bucket = outputsOf(env, 'bucket');
  await s3(bucket).send(new PutObjectCommand({ Bucket: bucket.bucket, Key: 'models/m.txt', Body: 'model-v1' }));
  const got = await s3(bucket).send(new GetObjectCommand({ Bucket: bucket.bucket, Key: 'models/m.txt' }));
  assert.equal(await got.Body!.transformToString(), 'model-v1');
  await assert.rejects(s3(outputsOf(otherEnv, 'bucket')).send(new GetObjectCommand({ Bucket: bucket.bucket, Key: 'models/m.txt' })), /Access ?Denied/i);

  // notebook: through the front door with the owner's API token; the starter notebook's cells run as they are
  const nb = notebookOf(platform, env);
  assert.match(nb.url, new RegExp(`^${platform.url}/w/${env.id}/notebook/$`));
  assert.equal((await viaDoor(platform, env, 'api/status')).status, 200);
  assert.equal((await fetch(`${nb.url}api/status`)).status, 401);
  const starter = JSON.parse(readFileSync(join(work, 'a', 'notebooks', 'starter.ipynb'), 'utf8')) as { cells: { cell_type: string; source: string[] }[] };
  const code = starter.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n\n');
  const cell = await runCell(nb.url, nb.auth, `${code}\nprint('customers', len(customers))`, { timeoutMs: 120_000 });
  assert.equal(cell.status, 'ok', JSON.stringify(cell.error) + cell.stderr);
  assert.match(cell.stdout, /accuracy 0\.\d+/);
  assert.match(cell.stdout, /customers \d+/);
  const listed = await s3(bucket).send(new ListObjectsV2Command({ Bucket: bucket.bucket }));
  assert.ok(listed.Contents?.some((o) => o.Key === 'features.csv'), 'the notebook wrote features.csv to the bucket');

  // delete removes everything the launch made, and keeps the history
  const deleted = await platform.cliJson<EnvironmentView>(['delete', env.id, '--wait']);
  assert.equal(deleted.status, 'deleted');
  const roles = await query(platform.adminUrl('warehouse'), `SELECT 1 FROM pg_roles WHERE rolname = '${wh.username}'`);
  assert.equal(roles.rowCount, 0, 'the warehouse role is dropped');
  assert.equal(existsSync(join(platform.home, 'repos', `${repo.name}.git`)), false, 'the repo is removed');
  assert.equal(notebookRuns(platform.home, env.id), false, 'the notebook process is gone');
  assert.equal((await viaDoor(platform, env, 'api/status')).status, 404, 'its URL says the environment is gone');
  await assert.rejects(s3(bucket).send(new GetObjectCommand({ Bucket: bucket.bucket, Key: 'models/m.txt' })));
  assert.equal(existsSync(join(platform.home, 's3', bucket.bucket)), false, 'the bucket is removed');
  const shown = await platform.cli(['env', env.id, '--events']);
  assert.match(shown.stdout, /status deleted/);
  assert.match(shown.stdout, /asked to delete/);
  assert.match(shown.stdout, /notebook ready in/);
});

test('bad launch requests get clear errors and create nothing', async () => {
  const before = (await platform.cliJson<EnvironmentView[]>(['envs', '--all'])).length;
  const unknown = await platform.cli(['launch', 'no-such-path']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no golden path named "no-such-path"; known paths: .*data-science-experimentation/);
  const badParam = await platform.cli(['launch', 'data-science-experimentation', '--param', 'project=Not Valid!']);
  assert.match(badParam.stderr, /parameter project: must match pattern/);
  const extra = await platform.cli(['launch', 'data-science-experimentation', '--param', 'gpu=true']);
  assert.match(extra.stderr, /"gpu" is not a parameter of this path/);
  const team = await platform.cli(['launch', 'data-science-experimentation', '--team', 'nope']);
  assert.match(team.stderr, /no team "nope"/);
  const notMember = await platform.cli(['--as', 'sam', 'launch', 'data-science-experimentation', '--team', 'churn-analytics']);
  assert.match(notMember.stderr, /sam may not launch Path::"data-science-experimentation": only members of churn-analytics launch for it/);
  const malformed = await fetch(`${platform.url}/api/v1/environments`, {
    method: 'POST', headers: { authorization: `Bearer ${localTokens(platform.home).dana}`, 'content-type': 'application/json' }, body: '{not json',
  });
  assert.equal(malformed.status, 400);
  const noToken = await fetch(`${platform.url}/api/v1/environments`);
  assert.equal(noToken.status, 401);
  assert.equal((await platform.cliJson<EnvironmentView[]>(['envs', '--all'])).length, before);

  // A name is one environment's within the team.
  const first = await platform.cli(['launch', 'sql-data-querying', '--name', 'quarterly-report']);
  assert.equal(first.code, 0, first.stderr);
  const second = await platform.cli(['launch', 'sql-data-querying', '--name', 'quarterly-report']);
  assert.notEqual(second.code, 0);
  assert.match(second.stderr, /team churn-analytics already has an environment named "quarterly-report"; choose another --name or delete it/);
});

test('stop ends the notebook but keeps its work and the data access; start brings it back', async () => {
  const env = await platform.cliJson<EnvironmentView>(['launch', 'data-science-experimentation', '--wait']);
  const put = await viaDoor(platform, env, 'api/contents/notes.txt', {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'file', format: 'text', content: 'keep me' }),
  });
  assert.ok(put.status < 300, `saved a file in the notebook (${put.status})`);

  const stopped = await platform.cliJson<EnvironmentView>(['stop', env.id, '--wait']);
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.resources.find((r) => r.id === 'notebook')!.status, 'stopped');
  assert.equal(notebookRuns(platform.home, env.id), false, 'the notebook process ended');
  assert.equal((await viaDoor(platform, env, 'api/status')).status, 503, 'its URL says it is stopped');
  assert.ok((await query(outputsOf(env, 'warehouse').url, 'SELECT count(*)::int AS n FROM products')).rows[0].n > 0, 'data access is kept');
  assert.match((await platform.cli(['stop', env.id])).stdout, /stopped/, 'stopping twice is fine');

  const started = await platform.cliJson<EnvironmentView>(['start', env.id, '--wait']);
  assert.equal(started.status, 'ready');
  assert.equal(outputsOf(started, 'notebook').url, outputsOf(env, 'notebook').url, 'the same URL after stop and start');
  const file = await viaDoor(platform, started, 'api/contents/notes.txt');
  assert.equal(((await file.json()) as { content: string }).content, 'keep me');
  const notRunning = await platform.cli(['start', env.id]);
  assert.equal(notRunning.code, 0, 'starting a ready environment is a no-op');
  const events = await platform.cli(['env', env.id, '--events']);
  assert.match(events.stdout, /asked to stop this environment[\s\S]*environment is stopped[\s\S]*asked to start this environment again[\s\S]*environment is ready/);
});

test('Ctrl-C stops everything cleanly and the next start keeps all state', async () => {
  // Its own environment, so that this test does not depend on what the others left behind.
  const ready = await platform.cliJson<EnvironmentView>(['launch', 'data-science-experimentation', '--wait']);
  assert.equal(ready.status, 'ready');
  assert.equal(await platform.stop(), 0);
  assert.equal(existsSync(join(platform.home, 'pg', 'postgres', 'postmaster.pid')), false, 'PostgreSQL stopped');
  assert.equal(notebookRuns(platform.home, ready.id), false, 'notebooks stopped');
  platform = await startPlatformProcess({ home: platform.home, port: platform.port });
  const again = await platform.cliJson<EnvironmentView>(['env', ready.id]);
  assert.equal(again.status, 'ready');
  // The notebook was started again by the reconcile that follows a start.
  const back = await until(() => platform.cliJson<EnvironmentView>(['env', ready.id]), (e) => e.resources.every((r) => r.status === 'ready'));
  assert.equal(outputsOf(back, 'notebook').url, outputsOf(ready, 'notebook').url, 'the same URL after the platform restarted');
  assert.equal((await viaDoor(platform, back, 'api/status')).status, 200);
  const wh = outputsOf(again, 'warehouse');
  assert.ok((await query(wh.url, 'SELECT count(*)::int AS n FROM products')).rows[0].n > 0, 'warehouse credentials still work');
});

