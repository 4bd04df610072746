import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { detectSandbox, sandboxedCommand, WORKSPACE_HOME, WORKSPACE_MAX_PROCESSES } from './bubblewrap.ts';
import { claimUid, releaseUid, WORKSPACE_UID_BASE } from './uid-pool.ts';
import { handOver } from './ownership.ts';

const run = promisify(execFile);
const root = process.getuid?.() === 0;

test('twenty workspaces claiming at once get twenty different uids, each the same again on a retry', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp-uids-'));
  const owners = Array.from({ length: 20 }, (_, i) => `env${i}/notebook`);
  const uids = await Promise.all(owners.map((o) => claimUid(dir, o)));
  assert.equal(new Set(uids).size, 20);
  for (const u of uids) assert.ok(u >= WORKSPACE_UID_BASE);
  assert.deepEqual(await Promise.all(owners.map((o) => claimUid(dir, o))), uids);
});

test('a released uid is free again, and releasing twice is harmless', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp-uids-'));
  const uid = await claimUid(dir, 'a/notebook');
  await releaseUid(dir, 'a/notebook');
  await releaseUid(dir, 'a/notebook');
  assert.throws(() => statSync(join(dir, String(uid))));
  assert.equal(await claimUid(dir, 'a/notebook'), uid);
});

test('a workspace keeps its uid when a claim before it in the probe order is given back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp-uids-'));
  const first = await claimUid(dir, 'b/notebook'); // where b's probe starts
  await releaseUid(dir, 'b/notebook');
  writeFileSync(join(dir, String(first)), 'x/notebook'); // someone else holds b's first choice
  const b = await claimUid(dir, 'b/notebook');
  assert.notEqual(b, first);
  rmSync(join(dir, String(first))); // and gives it back
  assert.equal(await claimUid(dir, 'b/notebook'), b, 'b finds its own uid again, not a new one');
  await releaseUid(dir, 'b/notebook');
  assert.deepEqual(readdirSync(dir), []);
});

test('handing a clone over never follows a symbolic link out of it', { skip: !root && 'needs root to change owners' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp-hand-'));
  const outside = join(dir, 'platform-secret');
  writeFileSync(outside, 'secret');
  mkdirSync(join(dir, 'home', 'work'), { recursive: true });
  writeFileSync(join(dir, 'home', 'work', 'notebook.ipynb'), '{}');
  symlinkSync(outside, join(dir, 'home', 'work', 'innocent'));
  await handOver(join(dir, 'home'), 2_500_000, 2_500_000);
  assert.equal(statSync(join(dir, 'home', 'work', 'notebook.ipynb')).uid, 2_500_000);
  assert.equal(statSync(outside).uid, 0, 'the file behind the link keeps its owner');
});

test('a sandboxed process sees only its home, its own processes and a private /tmp, as its own uid', async (t) => {
  const support = await detectSandbox();
  if (!support.available) {
    // CI installs bubblewrap (setup.sh): there a missing sandbox is a failure, not a skip.
    if (process.env.CI) assert.fail(`no sandbox on the CI machine: ${support.reason}`);
    t.skip(support.reason);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'gp-sbx-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  writeFileSync(join(dir, 'state.json'), '{"postgresPassword":"x"}');
  const uid = root ? 2_600_000 : process.getuid!();
  if (root) chownSync(home, uid, uid);
  writeFileSync(join(tmpdir(), `gp-host-tmp-${process.pid}`), 'host');
  const script = [
    'id -u',
    `test -e ${join(dir, 'state.json')} && echo SEES-STATE || echo no-state`,
    `test -e ${join(tmpdir(), `gp-host-tmp-${process.pid}`)} && echo SEES-HOST-TMP || echo private-tmp`,
    'ls /proc | grep -c "^[0-9]"',
    `echo hi > ${WORKSPACE_HOME}/made-inside && echo wrote-home`,
    'echo x > /usr/x 2>/dev/null && echo WROTE-USR || echo usr-read-only',
    "grep 'Max processes' /proc/self/limits | awk '{print $3}'",
  ].join('; ');
  const cmd = sandboxedCommand(support, { home, uid: root ? uid : undefined }, ['/bin/sh', '-c', script]);
  const { stdout } = await run(cmd.file, cmd.args);
  const lines = stdout.trim().split('\n');
  assert.equal(lines[0], String(uid));
  assert.equal(lines[1], 'no-state');
  assert.equal(lines[2], 'private-tmp');
  assert.ok(Number(lines[3]) <= 4, `only the sandbox's own processes are visible, saw ${lines[3]}`);
  assert.equal(lines[4], 'wrote-home');
  assert.equal(lines[5], 'usr-read-only');
  if (root) assert.equal(lines[6], String(WORKSPACE_MAX_PROCESSES), 'a process ceiling of its own');
  assert.equal(statSync(join(home, 'made-inside')).uid, uid, 'files made inside belong to the workspace uid on the host');
});
