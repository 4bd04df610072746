import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { seedDemoOrganisation } from '../identity/demo-organisation.ts';
import { listUsers, type User } from '../identity/users.ts';
import { listNotices, markRead, notify, notifyTeamExcept } from './notices.ts';

let pool: pg.Pool;
let users: User[];
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('notices'), max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  users = await listUsers(pool);
});
after(() => pool.end());

/** Two users of one team and one of another. */
function cast(): { a: User; b: User; other: User } {
  const byTeam = Map.groupBy(users, (u) => u.team);
  const [team, members] = [...byTeam].find(([, m]) => m.length >= 2)!;
  const other = users.find((u) => u.team !== team)!;
  return { a: members[0], b: members[1], other };
}

test("a user sees their own notices and their team's, not another user's or team's", async () => {
  const { a, b, other } = cast();
  const mine = await notify(pool, { user: a.id, kind: 'test', message: 'for a only' });
  const teams = await notify(pool, { team: a.team, kind: 'break-glass', message: 'for the whole team' });
  const others = await notify(pool, { team: other.team, kind: 'test', message: 'for another team' });
  const ids = async (u: User) => (await listNotices(pool, u)).map((n) => n.id);
  assert.ok((await ids(a)).includes(mine) && (await ids(a)).includes(teams));
  assert.ok(!(await ids(a)).includes(others));
  assert.ok(!(await ids(b)).includes(mine), 'a notice to one user is not shown to their team mates');
  assert.ok((await ids(b)).includes(teams));
});

test('a team notice read by one member stays unread for the others', async () => {
  const { a, b } = cast();
  const id = await notify(pool, { team: a.team, kind: 'test', message: 'read me' });
  const read = await markRead(pool, a, id);
  assert.ok(read.readAt);
  assert.ok(!(await listNotices(pool, a, { unreadOnly: true })).some((n) => n.id === id));
  assert.ok((await listNotices(pool, b, { unreadOnly: true })).some((n) => n.id === id));
});

test("marking another user's notice read is refused as unknown", async () => {
  const { a, other } = cast();
  const id = await notify(pool, { user: a.id, kind: 'test', message: 'private' });
  await assert.rejects(markRead(pool, other, id), (e: Error & { status?: number }) => e.status === 404);
  assert.equal((await listNotices(pool, a, { id }))[0].readAt, null);
});

test('a notice to a team but one reaches every other member, each reading it on their own, and not the one left out', async () => {
  const { a, b } = cast();
  await notifyTeamExcept(pool, a.team, a.id, { kind: 'approval-requested', message: 'a asks the team' });
  const forB = (await listNotices(pool, b, { unreadOnly: true })).filter((n) => n.message === 'a asks the team');
  assert.equal(forB.length, 1);
  assert.equal(forB[0].user, b.id);
  assert.equal((await listNotices(pool, a)).filter((n) => n.message === 'a asks the team').length, 0, 'who asked is not told');
});
