import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectSandbox } from '../sandbox/index.ts';
import { firstErrorLine, redactValues } from './build.ts';
import { runToEnd } from './sandboxed-process.ts';

const root = process.getuid?.() === 0;
const UID = 2_700_123;

const processesOf = (uid: number) => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try {
    return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))![1]) === uid;
  } catch {
    return false;
  }
});

test('a build past its time is stopped with everything it started, and a chatty one\'s log is cut at the cap', async () => {
  const home = mkdtempSync(join(tmpdir(), 'gp-build-run-'));
  if (root) chownSync(home, UID, UID);
  try {
    const sandbox = await detectSandbox();
    const started = Date.now();
    const result = await runToEnd({
      home, uid: root ? UID : undefined, sandbox, env: {},
      // Lots of output, then a child that would outlive its parent.
      command: ['/bin/sh', '-c', 'head -c 200000 /dev/zero | tr "\\0" x; (sleep 60 &) ; sleep 60'],
    }, { timeoutMs: 1500, logLimitBytes: 1000 });
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, null);
    assert.ok(Date.now() - started < 10_000, `stopped at once, took ${Date.now() - started} ms`);
    assert.equal(result.log.indexOf('x'.repeat(1000)), 0);
    assert.ok(!result.log.includes('x'.repeat(1001)), 'nothing past the cap');
    assert.match(result.log, /the log was cut at 1000 bytes/);
    assert.match(result.log, /stopped after 2 s: the build took too long/);
    if (root) {
      for (let i = 0; i < 50 && processesOf(UID).length; i++) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(processesOf(UID), [], 'no process of the build is left');
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('the line that says what went wrong is found in a compiler\'s and in Python\'s output', () => {
  assert.equal(firstErrorLine('compiling\nsrc/service/Main.java:22: error: cannot find symbol\n        int port = oops;\n1 error\n'), 'src/service/Main.java:22: error: cannot find symbol');
  assert.equal(firstErrorLine('Traceback (most recent call last):\n  File "build.py", line 3, in <module>\nKeyError: \'title\'\n'), 'KeyError: \'title\'');
  assert.equal(firstErrorLine('something odd happened\nand then it stopped\n'), 'and then it stopped');
  assert.equal(firstErrorLine(''), null);
});

test('the environment\'s own values are masked in a stored log, longest first', () => {
  const log = 'connecting to postgres://svc:s3cret-pw@db/x with s3cret-pw\nshort: abc\n';
  assert.equal(redactValues(log, ['postgres://svc:s3cret-pw@db/x', 's3cret-pw', 'abc']), 'connecting to [secret] with [secret]\nshort: abc\n');
});
