import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { newEnvironmentId } from '../../domain/environment/id.ts';
import type { EventView } from '../../domain/environment/schema.ts';
import { seedDemoOrganisation } from '../identity/demo-organisation.ts';
import { PgEnvironmentRepository } from '../environments/repository.ts';
import { EventFeed } from './event-feed.ts';
import { followEnvironment, Wakeup } from './follow.ts';

let url: string;
let pool: pg.Pool;
let feed: EventFeed;
before(async () => {
  url = await createTestDatabase('follow');
  pool = new pg.Pool({ connectionString: url, max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  feed = new EventFeed(url, { log: () => {} });
  await feed.start();
});
after(async () => {
  await feed.stop();
  await pool.end();
});

test('a wake-up that comes while nobody waits is kept for the next wait', async () => {
  const w = new Wakeup();
  w.notify();
  const t0 = performance.now();
  await w.wait(10_000);
  assert.ok(performance.now() - t0 < 50);
  const timedOut = performance.now();
  await w.wait(30);
  assert.ok(performance.now() - timedOut >= 25, 'consumed: the next wait sleeps');
});

test('a notification that arrives during the stream\'s query is seen within 200 ms, not at the 15 s heartbeat', async () => {
  const id = newEnvironmentId();
  await new PgEnvironmentRepository(pool).create({
    id, name: `t-${id}`, pathId: 'p', pathVersion: '1', team: 'churn-analytics', owner: 'dana', dataClass: null, params: {},
    status: 'requested', resources: [], event: { type: 'environment.requested', message: 'launched' },
  });
  const received: EventView[] = [];
  let newEventNotifiedAt = 0;
  let seenAt = 0;
  let stop = () => {};
  const aborted = { value: false };
  let reads = 0;
  const following = followEnvironment({
    envId: id, after: 0, feed, heartbeatMs: 15_000,
    readEvents: async (afterId) => {
      const result = await new PgEnvironmentRepository(pool).events(id, afterId);
      if (++reads === 1) {
        // While this query's answer is on its way, a new event is written and its notification delivered.
        const delivered = new Promise<void>((resolve) => {
          const off = feed.subscribe(id, () => {
            off();
            resolve();
          });
        });
        await pool.query(`INSERT INTO events (environment_id, type, message) VALUES ($1, 'environment.provisioning', 'environment is provisioning')`, [id]);
        await delivered;
        newEventNotifiedAt = performance.now();
      }
      return result;
    },
    readEnvironment: () => new PgEnvironmentRepository(pool).view(id),
    send: async (m) => {
      if (m.event !== 'event') return;
      received.push(m.data as EventView);
      if ((m.data as EventView).type === 'environment.provisioning') {
        seenAt = performance.now();
        aborted.value = true;
        stop();
      }
    },
    aborted: () => aborted.value,
    onAbort: (fn) => {
      stop = fn;
    },
  });
  const deadline = setTimeout(() => {
    aborted.value = true;
    stop();
  }, 3_000);
  await following;
  clearTimeout(deadline);
  assert.deepEqual(received.map((e) => e.type), ['environment.requested', 'environment.provisioning'], 'the new event was streamed');
  assert.ok(seenAt - newEventNotifiedAt < 200, `seen ${Math.round(seenAt - newEventNotifiedAt)} ms after its notification`);
});
