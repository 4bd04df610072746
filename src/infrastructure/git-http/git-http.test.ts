import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, type AddressInfo } from 'node:net';
import { cloneRepo, createBareRepo, createGitHttpHandler, removeRepo, repoExists } from './index.ts';
import { gitQuotaFromEnv } from './quota.ts';

let work: string;
let reposDir: string;
let server: Server;
let port: number;
const passwords: Record<string, { user: string; password: string }> = {
  alpha: { user: 'alpha-user', password: 's3cret-alpha' },
  beta: { user: 'beta-user', password: 's3cret-beta' },
  ghost: { user: 'ghost-user', password: 's3cret-ghost' }, // authorised, but never created
};

function url(repo: string, user?: string, password?: string): string {
  const auth = user === undefined ? '' : `${encodeURIComponent(user)}:${encodeURIComponent(password ?? '')}@`;
  return `http://${auth}127.0.0.1:${port}/git/${repo}.git`;
}

/** Runs git as a user would, isolated from this machine's git configuration and credential helpers. */
function git(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'credential.helper=', '-c', 'user.name=Tester', '-c', 'user.email=t@example.com', ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', LC_ALL: 'C' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'goldpath-git-'));
  reposDir = join(work, 'repos');
  const handler = createGitHttpHandler({
    reposDir,
    prefix: '/git',
    authorize: async (repo, user, password) => passwords[repo]?.user === user && passwords[repo]?.password === password,
  });
  server = createServer((req, res) => {
    handler(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(418);
        res.end('not git');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(work, { recursive: true, force: true });
});

test('createBareRepo makes a bare repo with an initial commit on main, idempotently', async () => {
  await createBareRepo(reposDir, 'alpha', { 'README.md': '# Alpha\n', 'src/model/train.py': 'print("hi")\n' });
  assert.ok(await repoExists(reposDir, 'alpha'));
  const log = await git(['--git-dir', join(reposDir, 'alpha.git'), 'log', '--format=%an|%s', 'main']);
  assert.equal(log.code, 0, log.stderr);
  assert.equal(log.stdout.trim(), 'Goldpath|Initial commit from Goldpath');
  const file = await git(['--git-dir', join(reposDir, 'alpha.git'), 'show', 'main:src/model/train.py']);
  assert.equal(file.stdout, 'print("hi")\n');

  await createBareRepo(reposDir, 'alpha', { 'OTHER.md': 'x' });
  const again = await git(['--git-dir', join(reposDir, 'alpha.git'), 'ls-tree', '-r', '--name-only', 'main']);
  assert.deepEqual(again.stdout.trim().split('\n'), ['README.md', 'src/model/train.py']);
});

test('clone, commit and push over HTTP with the repo credentials, then a fresh clone sees the commit', async () => {
  await createBareRepo(reposDir, 'alpha', { 'README.md': '# Alpha\n' });
  const a = join(work, 'clone-a');
  const clone = await git(['clone', url('alpha', 'alpha-user', 's3cret-alpha'), a]);
  assert.equal(clone.code, 0, clone.stderr);
  assert.equal(await readFile(join(a, 'README.md'), 'utf8'), '# Alpha\n');

  // A file larger than git's 1 MiB post buffer forces a chunked (length-less) push body.
  await writeFile(join(a, 'notes.txt'), 'pushed through goldpath\n');
  await writeFile(join(a, 'big.bin'), randomBytes(3 * 1024 * 1024));
  assert.equal((await git(['add', '.'], a)).code, 0);
  assert.equal((await git(['commit', '-m', 'Add notes'], a)).code, 0);
  const push = await git(['push', 'origin', 'main'], a);
  assert.equal(push.code, 0, push.stderr);

  const b = join(work, 'clone-b');
  const clone2 = await git(['clone', url('alpha', 'alpha-user', 's3cret-alpha'), b]);
  assert.equal(clone2.code, 0, clone2.stderr);
  assert.equal(await readFile(join(b, 'notes.txt'), 'utf8'), 'pushed through goldpath\n');
  const log = await git(['log', '--format=%s', '-1'], b);
  assert.equal(log.stdout.trim(), 'Add notes');
});

test('a wrong password is refused with 401 and a Basic challenge', async () => {
  await createBareRepo(reposDir, 'alpha', { 'README.md': '# Alpha\n' });
  const res = await fetch(`http://127.0.0.1:${port}/git/alpha.git/info/refs?service=git-upload-pack`, {
    headers: { Authorization: 'Basic ' + Buffer.from('alpha-user:wrong').toString('base64') },
  });
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /);
  const body = await res.text();
  assert.ok(!body.includes('s3cret'), 'no secret in the error');

  const clone = await git(['clone', url('alpha', 'alpha-user', 'wrong'), join(work, 'clone-wrong')]);
  assert.notEqual(clone.code, 0);
  assert.match(clone.stderr, /Authentication failed|401/);
});

test("credentials of repo A are refused for repo B, for both fetch and push", async () => {
  await createBareRepo(reposDir, 'alpha', { 'README.md': '# Alpha\n' });
  await createBareRepo(reposDir, 'beta', { 'README.md': '# Beta\n' });
  const clone = await git(['clone', url('beta', 'alpha-user', 's3cret-alpha'), join(work, 'clone-cross')]);
  assert.notEqual(clone.code, 0);
  const push = await fetch(`http://127.0.0.1:${port}/git/beta.git/info/refs?service=git-receive-pack`, {
    headers: { Authorization: 'Basic ' + Buffer.from('alpha-user:s3cret-alpha').toString('base64') },
  });
  assert.equal(push.status, 401);
  const own = await git(['clone', url('beta', 'beta-user', 's3cret-beta'), join(work, 'clone-beta')]);
  assert.equal(own.code, 0, own.stderr);
});

test('unknown repos are 404 for an authorised caller and an indistinguishable 401 for everyone else', async () => {
  const authorised = await fetch(`http://127.0.0.1:${port}/git/ghost.git/info/refs?service=git-upload-pack`, {
    headers: { Authorization: 'Basic ' + Buffer.from('ghost-user:s3cret-ghost').toString('base64') },
  });
  assert.equal(authorised.status, 404);
  const anonymousMissing = await fetch(`http://127.0.0.1:${port}/git/nope.git/info/refs?service=git-upload-pack`);
  const anonymousExisting = await fetch(`http://127.0.0.1:${port}/git/alpha.git/info/refs?service=git-upload-pack`);
  assert.equal(anonymousMissing.status, 401);
  assert.equal(anonymousExisting.status, 401);
  assert.equal(await anonymousMissing.text(), await anonymousExisting.text());
});

test('bad paths get a clear 4xx and URLs outside the prefix are passed on', async () => {
  for (const path of ['/git/../etc/passwd', '/git/alpha.git/config', '/git/alpha.git/../../x/info/refs', '/git/', '/git/%2e%2e/info/refs']) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    assert.ok(res.status >= 400 && res.status < 500, `${path} -> ${res.status}`);
  }
  const other = await fetch(`http://127.0.0.1:${port}/api/v1/paths`);
  assert.equal(other.status, 418);
  const gitty = await fetch(`http://127.0.0.1:${port}/gitlab`);
  assert.equal(gitty.status, 418);
});

test('removeRepo removes the repository idempotently, after which it is 404', async () => {
  await createBareRepo(reposDir, 'ghost', { 'README.md': 'boo\n' });
  assert.ok(await repoExists(reposDir, 'ghost'));
  await removeRepo(reposDir, 'ghost');
  await removeRepo(reposDir, 'ghost');
  assert.equal(await repoExists(reposDir, 'ghost'), false);
  const res = await fetch(`http://127.0.0.1:${port}/git/ghost.git/info/refs?service=git-upload-pack`, {
    headers: { Authorization: 'Basic ' + Buffer.from('ghost-user:s3cret-ghost').toString('base64') },
  });
  assert.equal(res.status, 404);
});

test('cloneRepo makes a working copy whose origin is the HTTP URL, idempotently', async () => {
  await createBareRepo(reposDir, 'beta', { 'README.md': '# Beta\n' });
  const dir = join(work, 'notebook', 'beta');
  await mkdir(join(work, 'notebook'), { recursive: true });
  const remote = url('beta', 'beta-user', 's3cret-beta');
  await cloneRepo(reposDir, 'beta', dir, remote);
  await cloneRepo(reposDir, 'beta', dir, remote);
  assert.equal(await readFile(join(dir, 'README.md'), 'utf8'), '# Beta\n');
  const origin = await git(['remote', 'get-url', 'origin'], dir);
  assert.equal(origin.stdout.trim(), remote);
  await writeFile(join(dir, 'analysis.ipynb'), '{}\n');
  await git(['add', '.'], dir);
  await git(['commit', '-m', 'From the notebook'], dir);
  const push = await git(['push', 'origin', 'main'], dir);
  assert.equal(push.code, 0, push.stderr);
});

test('invalid repository names and file paths are rejected with a clear error', async () => {
  await assert.rejects(createBareRepo(reposDir, '../evil', {}), /invalid repository name/);
  await assert.rejects(createBareRepo(reposDir, 'ok', { '../x': 'y' }), /invalid file path/);
  assert.equal(await repoExists(reposDir, 'ok'), false);
  assert.equal(await repoExists(reposDir, '../etc'), false);
});

/** A second server on the same repositories whose handler has a tiny quota. */
async function quotaServer(quotaBytes: number): Promise<{ url: (repo: string) => string; close: () => Promise<void> }> {
  const handler = createGitHttpHandler({
    reposDir,
    prefix: '/git',
    quotaBytes,
    authorize: async (repo, user, password) => passwords[repo]?.user === user && passwords[repo]?.password === password,
  });
  const s = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  return {
    url: (repo) => `http://${passwords[repo].user}:${passwords[repo].password}@127.0.0.1:${p}/git/${repo}.git`,
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
}

async function commitFile(dir: string, name: string, bytes: number): Promise<void> {
  await writeFile(join(dir, name), randomBytes(bytes)); // random: git cannot compress it below its size
  assert.equal((await git(['add', name], dir)).code, 0);
  assert.equal((await git(['commit', '-q', '-m', `Add ${name}`], dir)).code, 0);
}

test('a push that would take a repository over its quota is refused with a message git shows; one under it works', async () => {
  await removeRepo(reposDir, 'beta');
  await createBareRepo(reposDir, 'beta', { 'README.md': '# Beta\n' });
  const quota = await quotaServer(2 * 1024 * 1024);
  try {
    const dir = join(work, 'quota-beta');
    await rm(dir, { recursive: true, force: true });
    assert.equal((await git(['clone', quota.url('beta'), dir])).code, 0);

    await commitFile(dir, 'small.bin', 1024 * 1024);
    const under = await git(['push', 'origin', 'main'], dir);
    assert.equal(under.code, 0, under.stderr);

    await commitFile(dir, 'large.bin', 1536 * 1024);
    const over = await git(['push', 'origin', 'main'], dir);
    assert.notEqual(over.code, 0, 'the push over the quota is refused');
    assert.match(over.stderr, /remote: repository beta would be 2\.\d MB, over its 2 MB quota; remove large files from your history or use the bucket for data/);
    assert.match(over.stderr, /pre-receive hook declined/);

    // The repository is as it was: a fresh clone has the first file and not the refused one.
    const fresh = join(work, 'quota-beta-fresh');
    await rm(fresh, { recursive: true, force: true });
    assert.equal((await git(['clone', quota.url('beta'), fresh])).code, 0);
    assert.equal((await readFile(join(fresh, 'small.bin'))).length, 1024 * 1024);
    await assert.rejects(readFile(join(fresh, 'large.bin')), /ENOENT/);

    // Far over the quota, git stops reading the push while it streams; it is refused all the same.
    await git(['reset', '-q', '--hard', 'origin/main'], dir);
    await commitFile(dir, 'huge.bin', 6 * 1024 * 1024);
    const huge = await git(['push', 'origin', 'main'], dir);
    assert.notEqual(huge.code, 0);
    assert.match(huge.stderr, /remote: .*(exceeds maximum allowed size|over its 2 MB quota)/);
    assert.equal((await git(['ls-remote', quota.url('beta'), 'main'])).stdout.split('\t')[0], (await git(['rev-parse', 'origin/main'], dir)).stdout.trim());
  } finally {
    await quota.close();
  }
});

test('a client that disconnects mid-push, or a git that cannot start, fails only that request', async () => {
  await createBareRepo(reposDir, 'alpha', { 'README.md': '# Alpha\n' });
  const auth = 'Basic ' + Buffer.from('alpha-user:s3cret-alpha').toString('base64');
  // Half a push body, then the connection drops.
  await new Promise<void>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /git/alpha.git/git-receive-pack HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/x-git-receive-pack-request\r\nTransfer-Encoding: chunked\r\n\r\n`);
      socket.write('1000\r\n' + 'x'.repeat(2000));
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 200);
    });
    socket.on('error', () => resolve());
  });
  // git missing from PATH: that request gets a 500, the next one works.
  const path = process.env.PATH;
  process.env.PATH = join(work, 'no-such-dir');
  let broken: Response;
  try {
    broken = await fetch(`http://127.0.0.1:${port}/git/alpha.git/info/refs?service=git-upload-pack`, { headers: { Authorization: auth } });
  } finally {
    process.env.PATH = path;
  }
  assert.equal(broken.status, 500);
  assert.match(await broken.text(), /could not be started/);
  const clone = await git(['clone', url('alpha', 'alpha-user', 's3cret-alpha'), join(work, 'clone-after-failures')]);
  assert.equal(clone.code, 0, clone.stderr);
});

test('GOLDPATH_GIT_QUOTA_MB sets the quota; a value that is not a positive number is refused, not ignored', () => {
  assert.equal(gitQuotaFromEnv({}), 500 * 1024 * 1024);
  assert.equal(gitQuotaFromEnv({ GOLDPATH_GIT_QUOTA_MB: '1.5' }), 1.5 * 1024 * 1024);
  for (const bad of ['0', '-3', 'lots']) assert.throws(() => gitQuotaFromEnv({ GOLDPATH_GIT_QUOTA_MB: bad }), /GOLDPATH_GIT_QUOTA_MB must be a positive number of megabytes/);
});
