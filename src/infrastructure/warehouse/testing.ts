// Helpers for the warehouse tests: connect as an environment role, the way a data scientist would.
import pg from 'pg';
import { randomBytes } from 'node:crypto';

export function uniqueRole(prefix = 'gp_env'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export function newPassword(): string {
  return randomBytes(18).toString('base64url');
}

export function roleUrl(adminUrl: string, role: string, password: string): string {
  const u = new URL(adminUrl);
  u.username = role;
  u.password = encodeURIComponent(password);
  return u.toString();
}

export async function connectAs(adminUrl: string, role: string, password: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: roleUrl(adminUrl, role, password) });
  c.on('error', () => {});
  await c.connect();
  return c;
}

/** Runs fn with a client connected as role, always closing it. */
export async function asRole<T>(adminUrl: string, role: string, password: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connectAs(adminUrl, role, password);
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => {});
  }
}

/** The SQLSTATE of the error fn throws, or 'ok' if it succeeds. */
export async function sqlState(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}
