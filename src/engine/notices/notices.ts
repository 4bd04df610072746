import { noticeKinds, type NoticeView } from '../../domain/notice/schema.ts';
import type { Queryable } from '../environments/store.ts';
import { PlatformError } from '../errors.ts';
import type { User } from '../identity/users.ts';

/** What the platform tells a user, or every member of a team. */
export interface NewNotice {
  user?: string;
  team?: string;
  kind: string;
  message: string;
  environmentId?: string;
}

/**
 * Writes a notice. Takes any connection, so a caller inside a transaction (an approval, a
 * lifetime sweep) writes the notice with the change it tells of, or not at all.
 */
export async function notify(db: Queryable, notice: NewNotice): Promise<number> {
  if (!notice.user && !notice.team) throw new Error('a notice needs a user or a team to go to');
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO notices (user_id, team_id, kind, message, environment_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [notice.user ?? null, notice.team ?? null, notice.kind, notice.message, notice.environmentId ?? null],
  );
  return Number(rows[0].id);
}

/** Tells each member of a team but one (who asked for it, and needs no telling), each with their own notice. */
export async function notifyTeamExcept(db: Queryable, team: string, except: string, notice: Omit<NewNotice, 'user' | 'team'>): Promise<void> {
  await db.query(
    `INSERT INTO notices (user_id, team_id, kind, message, environment_id)
     SELECT id, team_id, $3, $4, $5 FROM users WHERE team_id = $1 AND id <> $2`,
    [team, except, notice.kind, notice.message, notice.environmentId ?? null],
  );
}

/**
 * Tells an environment's owner that it became ready or failed, in the same statement as nothing else:
 * the owner is read from the row, so callers need only the id.
 */
export async function notifyOwner(db: Queryable, environmentId: string, status: 'ready' | 'failed', reason: string | null): Promise<void> {
  await db.query(
    `INSERT INTO notices (user_id, kind, message, environment_id)
     SELECT owner_id, $2, CASE WHEN $2 = '${noticeKinds.ready}' THEN 'environment "' || name || '" is ready'
                               ELSE 'environment "' || name || '" failed' || coalesce(': ' || $3, '') END, id
     FROM environments WHERE id = $1`,
    [environmentId, status === 'ready' ? noticeKinds.ready : noticeKinds.failed, reason],
  );
}

interface NoticeRow {
  id: string;
  at: Date;
  user_id: string | null;
  team_id: string | null;
  kind: string;
  message: string;
  environment_id: string | null;
  environment_name: string | null;
  read_at: Date | null;
}

function toNoticeView(r: NoticeRow): NoticeView {
  return {
    id: Number(r.id), at: r.at.toISOString(), user: r.user_id, team: r.team_id, kind: r.kind, message: r.message,
    environment: r.environment_id, environmentName: r.environment_name, readAt: r.read_at?.toISOString() ?? null,
  };
}

/** The teams whose notices a user sees. */
const teamsOf = (user: User): string[] => [user.team];

/** The user's own notices and their teams', newest first; a team notice's read state is the user's own. */
export async function listNotices(db: Queryable, user: User, options: { unreadOnly?: boolean; limit?: number; id?: number } = {}): Promise<NoticeView[]> {
  const { rows } = await db.query<NoticeRow>(
    `SELECT n.id, n.at, n.user_id, n.team_id, n.kind, n.message, n.environment_id, e.name AS environment_name,
            CASE WHEN n.user_id = $1 THEN n.read_at ELSE r.read_at END AS read_at
     FROM notices n
     LEFT JOIN environments e ON e.id = n.environment_id
     LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.user_id = $1
     WHERE (n.user_id = $1 OR (n.user_id IS NULL AND n.team_id = ANY($2)))
       AND (NOT $3 OR (CASE WHEN n.user_id = $1 THEN n.read_at ELSE r.read_at END) IS NULL)
       AND ($5::bigint IS NULL OR n.id = $5)
     ORDER BY n.id DESC LIMIT $4`,
    [user.id, teamsOf(user), options.unreadOnly ?? false, options.limit ?? 100, options.id ?? null],
  );
  return rows.map(toNoticeView);
}

/** Marks one of the user's notices read (again is fine); 404 when it is not theirs to see. */
export async function markRead(db: Queryable, user: User, id: number): Promise<NoticeView> {
  const { rows } = await db.query<{ user_id: string | null; team_id: string | null }>('SELECT user_id, team_id FROM notices WHERE id = $1', [id]);
  const n = rows[0];
  const visible = n && (n.user_id === user.id || (n.user_id === null && n.team_id !== null && teamsOf(user).includes(n.team_id)));
  if (!visible) throw new PlatformError(404, 'unknown_notice', `no notice ${id} for ${user.id}; GET /api/v1/notices lists yours`);
  if (n.user_id === user.id) await db.query('UPDATE notices SET read_at = coalesce(read_at, now()) WHERE id = $1', [id]);
  else await db.query('INSERT INTO notice_reads (notice_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, user.id]);
  return (await listNotices(db, user, { id }))[0];
}
