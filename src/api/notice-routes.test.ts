import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { EventFeed } from '../engine/live/event-feed.ts';
import { seedDemoOrganisation } from '../engine/identity/demo-organisation.ts';
import { issueToken } from '../engine/identity/tokens.ts';
import { PgEnvironmentRepository } from '../engine/environments/repository.ts';
import { createApi, type ApiDeps } from './app.ts';
import { shippedPolicies } from '../../test/support/policies.ts';

let pool: pg.Pool;
let feed: EventFeed;
let app: ReturnType<typeof createApi>;
let dana: string;
let ravi: string;

before(async () => {
  const url = await createTestDatabase('noticestream');
  pool = new pg.Pool({ connectionString: url, max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  feed = new EventFeed(url);
  await feed.start();
  app = createApi({ pool, feed, version: 'test', policy: shippedPolicies() } as ApiDeps);
  dana = await issueToken(pool, 'dana', 'cli');
  ravi = await issueToken(pool, 'ravi', 'cli');
});
after(async () => {
  await feed.stop();
  await pool.end();
});

/** Reads `notices` messages off the stream until one satisfies `until`, or fails after the timeout. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: (n: { kind: string; message: string; environmentName: string | null }[]) => boolean, ms = 5000) {
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const { value, done } = await Promise.race([reader.read(), new Promise<never>((_, no) => setTimeout(() => no(new Error('no notices message in time')), deadline - Date.now()))]);
    if (done) throw new Error('the stream ended');
    buffer += decoder.decode(value, { stream: true });
    for (let end; (end = buffer.indexOf('\n\n')) >= 0; buffer = buffer.slice(end + 2)) {
      const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data:'));
      const list = data ? (JSON.parse(data.slice(5)) as { notices: { kind: string; message: string; environmentName: string | null }[] }).notices : null;
      if (list && until(list)) return list;
    }
  }
  throw new Error('no matching notices in time');
}

test("the notices stream sends the owner's 'ready' at once when the launch becomes ready, and nothing to others", async () => {
  await pool.query(
    `INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired) VALUES ('e00000n0a1', 'churn-study', 'data-science-experimentation', '1', 'churn-analytics', 'dana', 'provisioning', 'ready')`,
  );
  const res = await app.request('/api/v1/notices/stream', { headers: { authorization: `Bearer ${dana}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = res.body!.getReader();
  const first = await readUntil(reader, () => true);
  assert.ok(!first.some((n) => n.kind === 'environment-ready'));

  const started = Date.now();
  const repo = new PgEnvironmentRepository(pool);
  assert.ok(await repo.transition('e00000n0a1', { from: 'provisioning', to: 'ready', reason: null, event: { type: 'environment.ready', message: 'ready' } }));
  const next = await readUntil(reader, (list) => list.some((n) => n.kind === 'environment-ready'), 3000);
  assert.ok(Date.now() - started < 3000, 'live, not on the 15 s heartbeat');
  const ready = next.find((n) => n.kind === 'environment-ready')!;
  assert.equal(ready.environmentName, 'churn-study');
  assert.match(ready.message, /"churn-study" is ready/);
  await reader.cancel();

  const others = await app.request('/api/v1/notices?unread=true', { headers: { authorization: `Bearer ${ravi}` } });
  assert.ok(!((await others.json()) as { notices: { kind: string }[] }).notices.some((n) => n.kind === 'environment-ready'), "a teammate does not get the owner's notice");
});

test('the notices stream needs a token', async () => {
  assert.equal((await app.request('/api/v1/notices/stream')).status, 401);
});
