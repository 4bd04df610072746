import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Queryable } from '../environments/store.ts';
import { PlatformError } from '../errors.ts';

export interface User {
  id: string;
  name: string;
  email: string;
  team: string;
  isAdmin: boolean;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newToken = (): string => 'gpt_' + randomBytes(24).toString('base64url');
const userColumns = 'u.id, u.name, u.email, u.team_id, u.is_admin';

export async function userByToken(db: Queryable, token: string): Promise<User | null> {
  const { rows } = await db.query(
    `SELECT ${userColumns} FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > now())`,
    [hashToken(token)],
  );
  return rows[0] ? toUser(rows[0]) : null;
}

export async function getUser(db: Queryable, id: string): Promise<User | null> {
  const { rows } = await db.query(`SELECT ${userColumns} FROM users u WHERE u.id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function listUsers(db: Queryable): Promise<User[]> {
  const { rows } = await db.query(`SELECT ${userColumns} FROM users u ORDER BY u.id`);
  return rows.map(toUser);
}

export async function listTeams(db: Queryable): Promise<{ id: string; title: string; members: string[] }[]> {
  const { rows } = await db.query(
    `SELECT t.id, t.title, coalesce(array_agg(u.id ORDER BY u.id) FILTER (WHERE u.id IS NOT NULL), '{}') AS members
     FROM teams t LEFT JOIN users u ON u.team_id = t.id GROUP BY t.id ORDER BY t.id`,
  );
  return rows;
}

/** Issues an API token for a user and returns it once; only its hash is kept. */
export async function issueToken(db: Queryable, userId: string, kind: 'cli' | 'session', ttlHours?: number): Promise<string> {
  const token = newToken();
  const { rowCount } = await db.query(
    `INSERT INTO api_tokens (token_hash, user_id, kind, expires_at)
     SELECT $2, id, $3, CASE WHEN $4::int IS NULL THEN NULL ELSE now() + make_interval(hours => $4::int) END FROM users WHERE id = $1`,
    [userId, hashToken(token), kind, ttlHours ?? null],
  );
  if (!rowCount) throw new PlatformError(404, 'unknown_user', `no user "${userId}"`);
  return token;
}

export async function revokeToken(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM api_tokens WHERE token_hash = $1', [hashToken(token)]);
}

export async function tokenIsValid(db: Queryable, token: string): Promise<boolean> {
  return (await userByToken(db, token)) !== null;
}

export async function setPassword(db: Queryable, userId: string, password: string): Promise<void> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`]);
}

/** Signs a local account in: the user's id or e-mail, and password. The same message for every failure. */
export async function signIn(db: Queryable, login: string, password: string): Promise<{ user: User; token: string }> {
  const { rows } = await db.query(`SELECT ${userColumns}, u.password_hash FROM users u WHERE u.id = $1 OR u.email = $1`, [login]);
  const row = rows[0];
  const fail = () => new PlatformError(401, 'bad_credentials', 'unknown user or wrong password');
  if (!row?.password_hash) throw fail();
  const [, salt, expected] = String(row.password_hash).split('$');
  const got = await scryptAsync(password, Buffer.from(salt, 'base64'), 32);
  const want = Buffer.from(expected, 'base64');
  if (got.length !== want.length || !timingSafeEqual(got, want)) throw fail();
  const user = toUser(row);
  return { user, token: await issueToken(db, user.id, 'session', 12) };
}

/** May this user act for this team? Members of the team, and platform admins. */
export function mayActForTeam(user: User, team: string): boolean {
  return user.isAdmin || user.team === team;
}

function toUser(r: { id: string; name: string; email: string; team_id: string; is_admin: boolean }): User {
  return { id: r.id, name: r.name, email: r.email, team: r.team_id, isAdmin: r.is_admin };
}
