import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase, testAdminUrl } from '../../../test/support/database.ts';
import { EventFeed } from './event-feed.ts';

let url: string;
let admin: pg.Pool;
before(async () => {
  url = await createTestDatabase('feed');
  admin = new pg.Pool({ connectionString: url, max: 2 });
});
after(() => admin.end());

/** Notifies until the feed hands the notification to its subscriber, or gives up after ms. */
async function delivered(feed: EventFeed, envId: string, ms = 10_000): Promise<boolean> {
  let got = false;
  const off = feed.subscribe(envId, (eventId) => {
    if (eventId > 0) got = true;
  });
  try {
    const end = Date.now() + ms;
    while (!got && Date.now() < end) {
      await admin.query(`SELECT pg_notify('goldpath_events', $1)`, [`${envId}:1`]);
      await new Promise((r) => setTimeout(r, 20));
    }
    return got;
  } finally {
    off();
  }
}

const cutListeners = () => admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN goldpath_events%'`);

test('the feed reconnects every time its connection is cut, with backoff, and says so in the log', async () => {
  const log: string[] = [];
  const feed = new EventFeed(url, { log: (l) => log.push(l), firstDelayMs: 20, maxDelayMs: 200 });
  await feed.start();
  try {
    assert.ok(await delivered(feed, 'e000000001'));
    for (let cut = 1; cut <= 3; cut++) {
      let woken = false;
      const off = feed.subscribe('e000000002', () => (woken = true));
      await cutListeners();
      assert.ok(await delivered(feed, 'e000000001'), `notifications arrive again after cut ${cut}`);
      off();
      assert.ok(woken, 'subscribers are told to look again after a reconnect (they may have missed something)');
    }
    assert.equal(log.filter((l) => l.includes('lost the notification connection')).length, 3);
    assert.equal(log.filter((l) => l.includes('notification connection restored')).length, 3);
  } finally {
    await feed.stop();
  }
});

test('while the database refuses connections the feed keeps trying, waiting longer each time', async () => {
  const log: string[] = [];
  const feed = new EventFeed(url, { log: (l) => log.push(l), firstDelayMs: 20, maxDelayMs: 160 });
  await feed.start();
  const dbName = new URL(url).pathname.slice(1);
  // A database cannot close its own doors: the cluster's maintenance database does it.
  const cluster = new pg.Client(testAdminUrl());
  await cluster.connect();
  try {
    await cluster.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
    await cutListeners();
    const end = Date.now() + 10_000;
    while (log.filter((l) => l.includes('reconnect attempt')).length < 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const waits = log.filter((l) => l.includes('reconnect attempt')).map((l) => Number(/next in (\d+) ms/.exec(l)![1]));
    assert.ok(waits.length >= 4, log.join('\n'));
    assert.deepEqual(waits.slice(0, 4), [40, 80, 160, 160], 'doubling, up to the cap');
    await cluster.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
    assert.ok(await delivered(feed, 'e000000003'), 'it reconnects once the database lets it');
  } finally {
    await cluster.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => {});
    await cluster.end();
    await feed.stop();
  }
});
