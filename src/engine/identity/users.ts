import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import type { Queryable } from '../environments/store.ts';

export interface User {
  id: string;
  name: string;
  email: string;
  team: string;
  isAdmin: boolean;
}

// Tokens live in ./tokens.ts; these names stay importable from here for existing callers.
export { hashToken, issueToken, newToken, revokeToken, tokenIsValid, userByToken } from './tokens.ts';

export const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;
export const userColumns = 'u.id, u.name, u.email, u.team_id, u.is_admin';

export async function getUser(db: Queryable, id: string): Promise<User | null> {
  const { rows } = await db.query(`SELECT ${userColumns} FROM users u WHERE u.id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

export async function listUsers(db: Queryable): Promise<User[]> {
  const { rows } = await db.query(`SELECT ${userColumns} FROM users u ORDER BY u.id`);
  return rows.map(toUser);
}

export async function teamExists(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query('SELECT 1 FROM teams WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

export async function listTeams(db: Queryable): Promise<{ id: string; title: string; members: string[] }[]> {
  const { rows } = await db.query(
    `SELECT t.id, t.title, coalesce(array_agg(u.id ORDER BY u.id) FILTER (WHERE u.id IS NOT NULL), '{}') AS members
     FROM teams t LEFT JOIN users u ON u.team_id = t.id GROUP BY t.id ORDER BY t.id`,
  );
  return rows;
}

export async function setPassword(db: Queryable, userId: string, password: string): Promise<void> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`]);
}

/** May this user act for this team? Members of the team, and platform admins. */
export function mayActForTeam(user: User, team: string): boolean {
  return user.isAdmin || user.team === team;
}

export function toUser(r: { id: string; name: string; email: string; team_id: string; is_admin: boolean }): User {
  return { id: r.id, name: r.name, email: r.email, team: r.team_id, isAdmin: r.is_admin };
}
