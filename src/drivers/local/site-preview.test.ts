import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBareRepo } from '../../infrastructure/git-http/index.ts';
import { detectSandbox, type SandboxSupport } from '../../infrastructure/sandbox/index.ts';
import type { BuildJournal } from '../../infrastructure/workspace-build/index.ts';
import type { ProvisionInput } from '../driver.ts';
import { sitePreviewDriver, sitePreviewOutputs, type SitePreviewDriver } from './site-preview.ts';

const root = process.getuid?.() === 0;
let data: string;
let sandbox: SandboxSupport;
let driver: SitePreviewDriver;
const journal: { id: string; status?: string; commit: string; log?: string; error?: string | null }[] = [];
const recorder: BuildJournal = {
  async started(b) {
    journal.push({ id: String(journal.length + 1), commit: b.commit, status: 'running' });
    return String(journal.length);
  },
  async finished(id, b) {
    Object.assign(journal[Number(id) - 1], { status: b.status, log: b.log, error: b.error });
  },
};
const reposDir = () => join(data, 'repos');
const workDir = () => join(data, 'envs');

/** A commit on main of the bare repo, made through a clone as a developer would. */
function push(repo: string, files: Record<string, string>, message = 'change'): string {
  const clone = mkdtempSync(join(tmpdir(), 'site-clone-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', clone, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '--quiet', join(reposDir(), `${repo}.git`), clone]);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(clone, path, '..'), { recursive: true });
    writeFileSync(join(clone, path), text);
  }
  git('add', '-A');
  git('commit', '--quiet', '-m', message);
  git('push', '--quiet', 'origin', 'main');
  const sha = git('rev-parse', 'HEAD');
  rmSync(clone, { recursive: true, force: true });
  return sha;
}

const site = (title: string) => ({
  'build.py': [
    'import pathlib, shutil',
    'out = pathlib.Path("public")',
    'shutil.rmtree(out, ignore_errors=True); out.mkdir()',
    `(out / "index.html").write_text(open("page.txt").read())`,
    'print("built")',
  ].join('\n'),
  'page.txt': `<h1>${title}</h1>`,
});

const input = (resourceId: string, params: Record<string, unknown>): ProvisionInput => ({
  environmentId: 'e1', resourceId, state: {}, params,
  environment: { id: 'e1', name: 'site', team: 'web', owner: 'ravi', dataClass: null, path: 'website', params: {} },
});

const served = async (resourceId: string, file = 'index.html') => {
  const up = await driver.upstream!({ environmentId: 'e1', resourceId, state: {} });
  assert.ok(up && up.kind === 'static', 'a static upstream');
  return readFileSync(join(up.root, file), 'utf8');
};

before(async () => {
  data = mkdtempSync(join(tmpdir(), 'site-preview-'));
  mkdirSync(reposDir());
  writeFileSync(join(data, 'state.json'), '{"postgresPassword":"platform-secret"}');
  sandbox = await detectSandbox();
  driver = sitePreviewDriver({ workDir: workDir(), reposDir: reposDir(), publicUrl: 'http://127.0.0.1:7399', sandbox, journal: recorder });
});
after(() => rmSync(data, { recursive: true, force: true }));

test('the first build is published at provision, and the outputs give the stable URL and the commit served', async () => {
  await createBareRepo(reposDir(), 'e1-repo', site('first'));
  const { outputs, state } = await driver.provision(input('preview', { repo: 'e1-repo' }));
  sitePreviewOutputs.parse(outputs);
  assert.equal(outputs.url, 'http://127.0.0.1:7399/w/e1/preview/');
  assert.equal(outputs.buildStatus, 'succeeded');
  assert.match(String(outputs.commit), /^[0-9a-f]{40}$/);
  assert.equal(await served('preview'), '<h1>first</h1>');
  assert.deepEqual(await driver.status({ environmentId: 'e1', resourceId: 'preview', state }), { healthy: true });
  const again = await driver.provision(input('preview', { repo: 'e1-repo' }));
  assert.deepEqual(again.outputs, outputs, 'provisioning again builds nothing new');
  assert.equal(journal.length, 1);
});

test('a push is built and served; a failing build keeps the last good site and records its error and log', async () => {
  const good = push('e1-repo', { 'page.txt': '<h1>second</h1>' });
  const built = await driver.rebuild({ environmentId: 'e1', resourceId: 'preview' });
  assert.equal(built?.status, 'succeeded');
  assert.equal(await served('preview'), '<h1>second</h1>');
  const bad = push('e1-repo', { 'build.py': 'raise SystemExit("error: pages/index.md:3: link to nope.html")' });
  const failed = await driver.rebuild({ environmentId: 'e1', resourceId: 'preview' });
  assert.equal(failed?.status, 'failed');
  assert.equal(failed?.commit, bad);
  assert.equal(await served('preview'), '<h1>second</h1>', 'the last good site is still served');
  const entry = journal.at(-1)!;
  assert.equal(entry.status, 'failed');
  assert.equal(entry.error, 'error: pages/index.md:3: link to nope.html');
  assert.match(entry.log!, /link to nope\.html/);
  const status = await driver.status({ environmentId: 'e1', resourceId: 'preview', state: {} });
  assert.equal(status.healthy, true);
  assert.equal(status.message, `build failed at ${bad.slice(0, 12)}: error: pages/index.md:3: link to nope.html; serving ${good.slice(0, 12)}`);
});

test('new build variables build the same commit again', async () => {
  await createBareRepo(reposDir(), 'e1-vars', { 'build.py': 'import os, pathlib\npathlib.Path("public").mkdir(exist_ok=True)\npathlib.Path("public/index.html").write_text(os.environ.get("GREETING", "none"))\n' });
  await driver.provision(input('vars', { repo: 'e1-vars' }));
  assert.equal(await served('vars'), 'none');
  const builds = journal.length;
  await driver.provision(input('vars', { repo: 'e1-vars' }));
  assert.equal(journal.length, builds, 'the same settings build nothing');
  await driver.provision(input('vars', { repo: 'e1-vars', env: { GREETING: 'hello' } }));
  assert.equal(await served('vars'), 'hello');
  assert.equal(journal.length, builds + 1);
});

test('a build runs sandboxed as the environment\'s own uid and cannot read the platform\'s data folder', async (t) => {
  if (!sandbox.available) {
    if (process.env.CI) assert.fail(`no sandbox on the CI machine: ${sandbox.reason}`);
    t.skip(sandbox.reason);
    return;
  }
  await createBareRepo(reposDir(), 'e1-spy', {
    'spy.sh': [
      'mkdir -p public',
      `cat ${join(data, 'state.json')} > public/state.txt 2>/dev/null || echo hidden > public/state.txt`,
      'id -u > public/uid.txt',
      'ls /proc | grep -c "^[0-9]" > public/procs.txt',
      'env | cut -d= -f1 | sort | tr "\\n" " " > public/env.txt',
      `ln -s ${join(data, 'state.json')} public/link.html`,
    ].join('\n'),
  });
  await driver.provision(input('spy', { repo: 'e1-spy', command: 'sh spy.sh', env: { GREETING: 'hello' } }));
  assert.equal((await served('spy', 'state.txt')).trim(), 'hidden');
  const uid = Number((await served('spy', 'uid.txt')).trim());
  if (root) assert.ok(uid >= 2_000_000, `a workspace uid, got ${uid}`);
  const procs = Number((await served('spy', 'procs.txt')).trim());
  assert.ok(procs <= 6, `only its own processes (the shell, its pipeline, the sandbox's init), saw ${procs}`);
  const env = (await served('spy', 'env.txt')).trim().split(' ');
  assert.ok(env.includes('GREETING'));
  assert.ok(!env.some((k) => /DATABASE|GOLDPATH|TOKEN|PASSWORD/.test(k)), `nothing of the platform's environment: ${env.join(' ')}`);
  await assert.rejects(served('spy', 'link.html'), 'a link the build made is not published, so the platform never serves what it points at');
  const up = await driver.upstream!({ environmentId: 'e1', resourceId: 'spy', state: {} });
  assert.equal(statSync(join(up!.kind === 'static' ? up!.root : '', 'uid.txt')).uid, process.getuid!(), 'the published site belongs to the platform');
});

test('a push while a build runs waits, and a newer push supersedes the waiting one', async () => {
  await createBareRepo(reposDir(), 'e1-busy', { ...site('zero'), 'build.py': `import time; time.sleep(0.8)\n${site('zero')['build.py']}` });
  await driver.provision(input('busy', { repo: 'e1-busy' }));
  const before = journal.length;
  push('e1-busy', { 'page.txt': '<h1>one</h1>' });
  const first = driver.rebuild({ environmentId: 'e1', resourceId: 'busy' });
  while (journal.length === before) await new Promise((r) => setTimeout(r, 10)); // the first build is running
  const second = driver.rebuild({ environmentId: 'e1', resourceId: 'busy' });
  const last = push('e1-busy', { 'page.txt': '<h1>three</h1>' });
  const third = driver.rebuild({ environmentId: 'e1', resourceId: 'busy' });
  const [a, b, c] = await Promise.all([first, second, third]);
  assert.ok(a);
  assert.equal(b, null, 'the waiting request was superseded');
  assert.equal(c?.commit, last);
  assert.equal(journal.length - before, 2, 'two builds ran for three requests');
  assert.equal(await served('busy'), '<h1>three</h1>');
});

test('deprovision leaves no folder and no process, and can run again', async () => {
  const dir = join(workDir(), 'e1', 'preview');
  assert.ok(existsSync(dir));
  await driver.deprovision({ environmentId: 'e1', resourceId: 'preview', state: {} });
  assert.equal(existsSync(dir), false);
  assert.equal(await driver.upstream!({ environmentId: 'e1', resourceId: 'preview', state: {} }), null);
  await driver.deprovision({ environmentId: 'e1', resourceId: 'preview', state: {} });
  if (root) assert.ok(!readdirSync(join(workDir(), '.uids')).some((f) => readFileSync(join(workDir(), '.uids', f), 'utf8') === 'e1/preview'), 'its uid is given back');
});

test('deprovision during a build stops the build at once and leaves nothing behind', async () => {
  await createBareRepo(reposDir(), 'e1-slow', site('slow'));
  const { state } = await driver.provision(input('slow', { repo: 'e1-slow' }));
  push('e1-slow', { 'build.py': 'import time\nprint("building", flush=True)\ntime.sleep(60)\n' });
  const building = driver.rebuild({ environmentId: 'e1', resourceId: 'slow' });
  const folder = join(workDir(), 'e1', 'slow', 'build');
  const deadline = Date.now() + 10_000;
  while (!existsSync(join(folder, 'build.py')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300)); // the build is running
  const started = Date.now();
  await driver.deprovision({ environmentId: 'e1', resourceId: 'slow', state: {} });
  assert.ok(Date.now() - started < 5000, `deprovision took ${Date.now() - started} ms`);
  assert.equal((await building)?.error, 'stopped: the resource was removed');
  assert.equal(existsSync(join(workDir(), 'e1', 'slow')), false);
  // Every process of a build runs as the resource's uid (when the platform is root): none is left.
  const sleeping = root && readdirSync('/proc').filter((p) => /^\d+$/.test(p)).some((p) => {
    try {
      return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))![1]) === state.uid;
    } catch {
      return false;
    }
  });
  assert.equal(sleeping, false, 'no build process is left');
});
