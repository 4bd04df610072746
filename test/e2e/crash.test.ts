import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import pg from 'pg';
import { ApiClient } from '../../src/cli/client.ts';
import { localTokens } from '../support/local-accounts.ts';
import { viaDoor } from '../support/front-door.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { query, until } from '../support/wait.ts';

let platform: PlatformProcess | undefined;
after(async () => {
  await platform?.stop();
});

const token = (home: string) => localTokens(home).dana;

/** The API as the CLI calls it: an error answer throws with the platform's message. */
const api = <T>(p: PlatformProcess, method: string, path: string, body?: unknown) => new ApiClient(p.url, token(p.home)).request<T>(method, path, body);

const adminQuery = (p: PlatformProcess, database: string, sql: string, params: unknown[] = []) => query(p.adminUrl(database), sql, params);

/**
 * Notebook servers of this platform's environments that are alive on the machine, one per port: a
 * sandboxed server shows as more than one process (the sandbox's and the server's).
 */
function notebookProcesses(home: string): number {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  const lines = out.split('\n').filter((l) => l.includes('goldpath-notebook') && l.includes(home));
  return new Set(lines.map((l) => /--NotebookApp\.port=(\d+)/.exec(l)?.[1] ?? l)).size;
}

/** kill -9 the moment the query counts a row: one open connection, asked every few milliseconds. */
async function killWhen(p: PlatformProcess, sql: string, ids: string[]): Promise<void> {
  const watcher = new pg.Client(p.adminUrl('goldpath'));
  await watcher.connect();
  try {
    const end = Date.now() + 30_000;
    while ((await watcher.query(sql, [ids])).rows[0].n === 0) {
      if (Date.now() > end) throw new Error(`timed out waiting for: ${sql}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    await p.crash();
  } finally {
    await watcher.end();
  }
}

async function leftovers(p: PlatformProcess, ids: string[]) {
  const roles = await adminQuery(p, 'warehouse', `SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE ANY($1)`, [ids.map((id) => `gp_${id}_%`)]);
  const repos = readdirSync(join(p.home, 'repos')).filter((r) => ids.some((id) => r.startsWith(id)));
  const buckets = readdirSync(join(p.home, 's3')).filter((b) => ids.some((id) => b.startsWith(id)));
  return { roles: roles.rows[0].n as number, repos: repos.length, buckets: buckets.length, notebooks: notebookProcesses(p.home) };
}

// No warm notebook servers here: this test counts notebook processes by their command line, and a
// warm server's does not change when a launch claims it (src/drivers/local/notebook-pool.test.ts
// covers what a stopped platform leaves of its warm servers).
const cold = { GOLDPATH_WARM_NOTEBOOKS: '0' };

test('a platform killed with -9 in the middle of launches finishes them after a restart, leaking nothing', async () => {
  platform = await startPlatformProcess({ env: cold });
  const launched = await Promise.all(
    Array.from({ length: 6 }, () => api<EnvironmentView>(platform!, 'POST', '/api/v1/environments', { path: 'data-science-experimentation', team: 'churn-analytics' })),
  );
  const ids = launched.map((e) => e.id);
  // Kill as soon as provisioning has visibly started, while the launches are still under way.
  await killWhen(platform, `SELECT count(*)::int AS n FROM resources WHERE status = 'ready' AND environment_id = ANY($1)`, ids);
  const home = platform.home;
  const port = platform.port;
  // The database outlives the killed platform (its own session), so we can see what was left half-done.
  const before = await adminQuery(platform, 'goldpath', `SELECT status FROM environments WHERE id = ANY($1)`, [ids]);
  assert.ok(before.rows.some((r) => r.status !== 'ready'), `some launch was cut short: ${JSON.stringify(before.rows)}`);

  const restartedAt = Date.now();
  platform = await startPlatformProcess({ home, port, env: cold });
  const envs = await until(
    () => Promise.all(ids.map((id) => api<EnvironmentView>(platform!, 'GET', `/api/v1/environments/${id}`))),
    (all) => all.every((e) => e.status === 'ready' && e.resources.every((r) => r.status === 'ready')),
    'every environment ready after the restart',
    60_000,
  );
  // The launches cut short were finished by the restarted platform, and none was made ready twice.
  const cutShort = before.rows.filter((r) => r.status !== 'ready').length;
  let finishedAfterRestart = 0;
  for (const e of envs) {
    const { events }: { events: { type: string; at: string }[] } = await api(platform!, 'GET', `/api/v1/environments/${e.id}/events`);
    const readied = events.filter((x) => x.type === 'environment.ready');
    assert.equal(readied.length, 1, `${e.id} became ready once: ${JSON.stringify(events.map((x) => x.type))}`);
    if (Date.parse(readied[0].at) >= restartedAt) finishedAfterRestart++;
  }
  assert.equal(finishedAfterRestart, cutShort, 'every launch cut short, and only those, finished after the restart');
  // Exactly one of everything per environment: orphaned notebooks were found again, not started twice.
  assert.deepEqual(await leftovers(platform, ids), { roles: 6, repos: 6, buckets: 6, notebooks: 6 });
  for (const e of envs) {
    assert.equal((await viaDoor(platform, e, 'api/status')).status, 200);
  }

  // A crash in the middle of deletes: the deletes finish after the restart.
  await Promise.all(ids.map((id) => api(platform!, 'DELETE', `/api/v1/environments/${id}`)));
  // Kill as soon as the first resource is being removed: the deletes are quick, so look often.
  await killWhen(platform, `SELECT count(*)::int AS n FROM resources WHERE status IN ('deprovisioning', 'deleted') AND environment_id = ANY($1)`, ids);
  const during = await adminQuery(platform, 'goldpath', `SELECT status FROM environments WHERE id = ANY($1)`, [ids]);
  assert.ok(during.rows.some((r) => r.status !== 'deleted'), `some delete was cut short: ${JSON.stringify(during.rows)}`);
  platform = await startPlatformProcess({ home, port, env: cold });
  await until(
    () => Promise.all(ids.map((id) => api<EnvironmentView>(platform!, 'GET', `/api/v1/environments/${id}`))),
    (all) => all.every((e) => e.status === 'deleted'),
    'every environment deleted after the restart',
    60_000,
  );
  assert.deepEqual(await leftovers(platform, ids), { roles: 0, repos: 0, buckets: 0, notebooks: 0 });
});
