import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../environments/store.ts';
import { PlatformError } from '../errors.ts';

export interface User {
  id: string;
  name: string;
  email: string;
  team: string;
  isAdmin: boolean;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newToken = (): string => 'gpt_' + randomBytes(24).toString('base64url');

export async function userByToken(db: Queryable, token: string): Promise<User | null> {
  const { rows } = await db.query('SELECT id, name, email, team_id, is_admin FROM users WHERE token_hash = $1', [hashToken(token)]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function getUser(db: Queryable, id: string): Promise<User | null> {
  const { rows } = await db.query('SELECT id, name, email, team_id, is_admin FROM users WHERE id = $1', [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function listUsers(db: Queryable): Promise<User[]> {
  const { rows } = await db.query('SELECT id, name, email, team_id, is_admin FROM users ORDER BY id');
  return rows.map(toUser);
}

export async function listTeams(db: Queryable): Promise<{ id: string; title: string; members: string[] }[]> {
  const { rows } = await db.query(
    `SELECT t.id, t.title, coalesce(array_agg(u.id ORDER BY u.id) FILTER (WHERE u.id IS NOT NULL), '{}') AS members
     FROM teams t LEFT JOIN users u ON u.team_id = t.id GROUP BY t.id ORDER BY t.id`,
  );
  return rows;
}

/** Issues a new API token for a user (the old one stops working) and returns it once. */
export async function issueToken(db: Queryable, userId: string): Promise<string> {
  const token = newToken();
  const { rowCount } = await db.query('UPDATE users SET token_hash = $2 WHERE id = $1', [userId, hashToken(token)]);
  if (!rowCount) throw new PlatformError(404, 'unknown_user', `no user "${userId}"`);
  return token;
}

/** May this user act for this team? Members of the team, and platform admins. */
export function mayActForTeam(user: User, team: string): boolean {
  return user.isAdmin || user.team === team;
}

function toUser(r: { id: string; name: string; email: string; team_id: string; is_admin: boolean }): User {
  return { id: r.id, name: r.name, email: r.email, team: r.team_id, isAdmin: r.is_admin };
}
