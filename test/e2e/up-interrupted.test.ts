import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePortTriple, goldpathBin } from '../support/platform-process.ts';

/** Processes whose command line names the folder: the platform's PostgreSQL among them. */
const processesIn = (dir: string) => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try {
    return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
  } catch {
    return false;
  }
});

test('Ctrl-C while goldpath up is still starting stops what it started: no PostgreSQL is left behind', async () => {
  const home = mkdtempSync(join(tmpdir(), 'goldpath-interrupted-'));
  try {
    const child = spawn(goldpathBin, ['up', '--port', String(await freePortTriple())], { env: { ...process.env, GOLDPATH_HOME: home, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // The first start seeds the warehouse after PostgreSQL is up: the signal lands in the middle of it.
    for (let i = 0; i < 600 && !out.includes('PostgreSQL ready'); i++) await sleep(50);
    assert.match(out, /PostgreSQL ready/, out);
    child.kill('SIGINT');
    assert.equal(await exited, 130, out);
    assert.match(out, /stopped while starting/);
    assert.doesNotMatch(out, /Goldpath is ready/);
    for (let i = 0; i < 100 && processesIn(home).length > 0; i++) await sleep(50);
    assert.deepEqual(processesIn(home), [], 'nothing started for this data folder still runs');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
