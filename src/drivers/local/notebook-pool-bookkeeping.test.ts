import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { notebookPool } from './notebook-pool.ts';
import type { Standby } from '../../infrastructure/jupyter/index.ts';

/** A standby that fails to warm while `failing` says so: what a broken Python or a full disk looks like to the pool. */
function fakeStarts(failing: () => boolean) {
  let started = 0;
  const start = (): Standby => {
    started++;
    const fails = failing();
    return {
      pid: 0,
      warm: fails ? Promise.reject(new Error('python3 exited with code 1')) : Promise.resolve(),
      claim: async () => {},
      discard: async () => {},
    };
  };
  return { start, started: () => started };
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await sleep(10);
  }
  assert.fail(`${what} did not happen within 2 s`);
}

test('a pool that gave up after failed starts fills again when a launch finds nothing warm', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pool-refill-'));
  let failing = true;
  const errors: Error[] = [];
  const starts = fakeStarts(() => failing);
  const sandbox = { available: true as const, mode: 'shared-uid' as const, bwrap: '/usr/bin/bwrap' };
  const pool = await notebookPool({ dir: join(dir, 'pool'), claimsDir: join(dir, 'claims'), host: '127.0.0.1', targets: { '*': 1 }, sandbox, start: starts.start, onError: (e) => errors.push(e) });
  try {
    await until(() => errors.length === 3, 'three failed starts');
    await sleep(50);
    assert.equal(starts.started(), 3, 'it stops trying after three failures in a row');
    assert.deepEqual(pool.size(), { warm: 0, starting: 0 });

    failing = false; // the cause is fixed
    assert.equal(pool.take(), null, 'nothing warm yet: the launch starts its own');
    await until(() => pool.size().warm === 1, 'a warm server after the launch asked');
    const taken = pool.take();
    assert.ok(taken, 'the next launch gets the warm one');
    await until(() => pool.size().warm === 1, 'the taken one replaced');
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('each path keeps its own number warm; a launch takes its path\'s first, then any other, and shrinking a number stops the extra ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pool-paths-'));
  const starts = fakeStarts(() => false);
  const discarded: number[] = [];
  let pid = 0;
  const start = () => {
    const s = starts.start();
    const id = ++pid;
    return { ...s, pid: id, discard: async () => void discarded.push(id) };
  };
  const sandbox = { available: true as const, mode: 'shared-uid' as const, bwrap: '/usr/bin/bwrap' };
  const pool = await notebookPool({ dir: join(dir, 'pool'), claimsDir: join(dir, 'claims'), host: '127.0.0.1', targets: { experiments: 2, 'customer-data': 1 }, sandbox, start });
  try {
    await until(() => pool.size().warm === 3, 'two warm for experiments and one for customer-data');
    const first = pool.take('customer-data')!;
    assert.equal(first.standby.pid, 3, 'a launch takes the one kept for its own path (started last here)');
    await until(() => pool.size().warm === 3, 'customer-data\'s replaced');
    // A path that keeps none still gets a warm one when there is one, and its owner gets it back.
    assert.ok(pool.take('sql-data-querying'));
    await until(() => pool.size().warm === 3, 'the borrowed one replaced');
    assert.equal(starts.started(), 5);

    pool.resize({ experiments: 1 });
    await until(() => pool.size().warm === 1, 'the extra ones stopped');
    assert.equal(discarded.length, 2, 'two warm servers beyond the new numbers were stopped');
    pool.resize({});
    await until(() => pool.size().warm === 0, 'none kept');
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
