import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createBareRepo } from '../../infrastructure/git-http/index.ts';
import { detectSandbox, type SandboxSupport } from '../../infrastructure/sandbox/index.ts';
import { isAlive, type BuildJournal } from '../../infrastructure/workspace-build/index.ts';
import { createTestDatabase } from '../../../test/support/database.ts';
import type { ProvisionInput } from '../driver.ts';
import { javaServiceDriver, javaServiceOutputs, type JavaServiceDriver } from './java-service.ts';

const root = process.getuid?.() === 0;
const skeleton = fileURLToPath(new URL('../../../paths/skeletons/java-microservice/', import.meta.url));
let data: string;
let sandbox: SandboxSupport;
let driver: JavaServiceDriver;
let databaseUrl: string;
const journal: { status?: string; commit: string; log?: string; error?: string | null }[] = [];
const recorder: BuildJournal = {
  async started(b) {
    journal.push({ commit: b.commit, status: 'running' });
    return String(journal.length);
  },
  async finished(id, b) {
    Object.assign(journal[Number(id) - 1], { status: b.status, log: b.log, error: b.error });
  },
};
const reposDir = () => join(data, 'repos');
const ref = { environmentId: 'e1', resourceId: 'service', state: {} };

function push(files: Record<string, string>): string {
  const clone = mkdtempSync(join(tmpdir(), 'svc-clone-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', clone, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '--quiet', join(reposDir(), 'e1-repo.git'), clone]);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(clone, path), text);
  git('commit', '--quiet', '-am', 'change');
  git('push', '--quiet', 'origin', 'main');
  const sha = git('rev-parse', 'HEAD');
  rmSync(clone, { recursive: true, force: true });
  return sha;
}

const skeletonFiles = (): Record<string, string> => {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(skeleton, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name).slice(skeleton.length);
    files[path] = readFileSync(join(skeleton, path), 'utf8').replaceAll('{{ environment.name }}', 'orders').replaceAll('{{ environment.team }}', 'payments');
  }
  return files;
};

const input = (): ProvisionInput => ({
  ...ref, params: { repo: 'e1-repo', env: { DATABASE_URL: databaseUrl } },
  environment: { id: 'e1', name: 'orders', team: 'payments', owner: 'sam', dataClass: null, path: 'java-microservice', params: {} },
});

const get = async (path: string) => {
  const up = await driver.upstream!(ref);
  assert.ok(up && up.kind === 'http', 'an http upstream while it runs');
  const res = await fetch(`${up.url}${path}`);
  return { status: res.status, text: await res.text() };
};
const runFile = () => JSON.parse(readFileSync(join(data, 'envs', 'e1', 'service', 'run.json'), 'utf8')) as { pid: number; commit: string };
const mainJava = () => skeletonFiles()['src/service/Main.java'];

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'java-service-'));
  mkdirSync(reposDir());
  sandbox = await detectSandbox();
  // The service's own database and role, as the database driver gives them.
  const admin = await createTestDatabase('svc');
  const c = new pg.Client(admin);
  await c.connect();
  const db = new URL(admin).pathname.slice(1);
  await c.query(`CREATE ROLE svc_owner LOGIN PASSWORD 'svc-secret-pw'`).catch(() => {});
  await c.query(`ALTER DATABASE "${db}" OWNER TO svc_owner`);
  await c.query(`GRANT ALL ON SCHEMA public TO svc_owner`);
  await c.end();
  const u = new URL(admin);
  databaseUrl = `postgres://svc_owner:svc-secret-pw@${u.hostname}:${u.port}/${db}`;
  driver = javaServiceDriver({ workDir: join(data, 'envs'), reposDir: reposDir(), publicUrl: 'http://127.0.0.1:7399', sandbox, journal: recorder, healthTimeoutMs: 8000 });
  await createBareRepo(reposDir(), 'e1-repo', skeletonFiles());
});
after(async () => {
  await driver?.stopAll();
  rmSync(data, { recursive: true, force: true });
});

test('provision compiles the skeleton with javac, runs it sandboxed as its own uid, and it answers /health and reads its own database', async () => {
  const { outputs } = await driver.provision(input());
  javaServiceOutputs.parse(outputs);
  assert.equal(outputs.url, 'http://127.0.0.1:7399/w/e1/service/');
  assert.equal(outputs.buildStatus, 'succeeded', journal.at(-1)?.log);
  assert.equal((await get('/health')).text, 'ok\n');
  assert.deepEqual(JSON.parse((await get('/')).text), { service: 'orders', team: 'payments', database: 'configured', cache: 'none' });
  const visits = JSON.parse((await get('/visits')).text) as { visits: number; database: string; cache: string };
  assert.equal(visits.visits, 1);
  assert.match(visits.database, /^svc_[0-9a-f]+ on PostgreSQL \d+/);
  assert.equal(JSON.parse((await get('/visits')).text).visits, 2);
  const { pid } = runFile();
  if (root) {
    const jvm = [pid, ...readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number)]
      .find((p) => { try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('/usr/bin/java'); } catch { return false; } })!;
    const status = readFileSync(`/proc/${jvm}/status`, 'utf8');
    assert.ok(Number(/^Uid:\s+(\d+)/m.exec(status)![1]) >= 2_000_000, 'the JVM runs as the workspace uid');
    if (sandbox.available) assert.match(status, /^NSpid:\s+\d+\s+\d+/m, 'in a PID namespace of its own');
  }
  assert.doesNotMatch(journal.at(-1)!.log!, /svc-secret-pw/);
});

test('a build that does not compile, or a version that does not answer its health check, keeps the running one', async () => {
  const running = runFile();
  const broken = push({ 'src/service/Main.java': mainJava().replace('int port =', 'int port = oops;') });
  const failed = await driver.rebuild(ref);
  assert.equal(failed?.status, 'failed');
  assert.equal(failed?.commit, broken);
  assert.match(journal.at(-1)!.error!, /Main\.java:\d+: error: /);
  assert.equal((await get('/health')).status, 200);
  assert.equal(runFile().pid, running.pid, 'the same process serves');
  const status = await driver.status(ref);
  assert.equal(status.healthy, true);
  assert.match(status.message!, new RegExp(`^build failed at ${broken.slice(0, 12)}: .*Main\\.java:\\d+: error: .*; running ${running.commit.slice(0, 12)}$`));

  push({ 'src/service/Main.java': mainJava().replace('exchange -> send(exchange, 200, "text/plain", "ok\\n")', 'exchange -> send(exchange, 500, "text/plain", "sick\\n")') });
  const sick = await driver.rebuild(ref);
  assert.equal(sick?.status, 'failed');
  assert.match(journal.at(-1)!.error!, /did not answer \/health within/);
  assert.equal(runFile().pid, running.pid);
  assert.equal((await get('/health')).text, 'ok\n');
});

test('a good push replaces the running version, and the old one is stopped', async () => {
  const old = runFile();
  const good = push({ 'src/service/Main.java': mainJava().replace('"ok\\n"', '"ok, v2\\n"') });
  const built = await driver.rebuild(ref);
  assert.equal(built?.status, 'succeeded', journal.at(-1)?.log);
  assert.equal((await get('/health')).text, 'ok, v2\n');
  assert.equal(runFile().commit, good);
  assert.equal(isAlive(old.pid), false, 'the previous version was stopped');
  assert.equal(JSON.parse((await get('/visits')).text).visits, 3, 'the same database, kept across versions');
});

test('a platform started again finds the running service and neither builds nor restarts it', async () => {
  const { pid, commit } = runFile();
  const builds = journal.length;
  const again = javaServiceDriver({ workDir: join(data, 'envs'), reposDir: reposDir(), publicUrl: 'http://127.0.0.1:7399', sandbox, journal: recorder });
  const { outputs } = await again.provision(input());
  assert.equal(outputs.commit, commit);
  assert.equal(runFile().pid, pid, 'the same JVM serves');
  assert.equal(journal.length, builds, 'nothing was built again');
  assert.deepEqual(await again.status(ref), { healthy: true });
});

test('new variables (an extension adds a cache) restart the running version with them, without a build', async () => {
  const { pid, commit } = runFile();
  const builds = journal.length;
  const extended = input();
  extended.params = { ...extended.params, env: { DATABASE_URL: databaseUrl, REDIS_URL: 'redis://:pw@127.0.0.1:1' } };
  await driver.provision(extended);
  assert.notEqual(runFile().pid, pid, 'a new process');
  assert.equal(runFile().commit, commit, 'of the same version');
  assert.equal(isAlive(pid), false);
  assert.equal(JSON.parse((await get('/')).text).cache, 'redis', 'it sees REDIS_URL');
  assert.equal(journal.length, builds);
  const same = runFile().pid;
  await driver.provision(extended);
  assert.equal(runFile().pid, same, 'the same settings again restart nothing');
  await driver.provision(input());
});

test('stop ends the JVM; provision starts the same version again without a build; deprovision leaves no process and no folder', async () => {
  const { pid, commit } = runFile();
  await driver.stop!(ref);
  assert.equal(isAlive(pid), false);
  assert.equal(await driver.upstream!(ref), null);
  assert.equal((await driver.status(ref)).healthy, false);
  const builds = journal.length;
  await driver.provision(input());
  assert.equal(journal.length, builds, 'nothing was built again');
  assert.equal(runFile().commit, commit);
  assert.equal((await get('/health')).text, 'ok, v2\n');
  const again = runFile().pid;
  await driver.deprovision(ref);
  assert.equal(isAlive(again), false);
  assert.equal(existsSync(join(data, 'envs', 'e1', 'service')), false);
  await driver.deprovision(ref);
});



