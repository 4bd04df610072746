// Small helpers for talking to PostgreSQL as the platform's superuser.
import pg from 'pg';

/** Double-quotes an identifier for SQL text (identifiers cannot be bind parameters). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Single-quotes a literal for DDL that does not accept bind parameters (e.g. ALTER ROLE ... SET). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function databaseOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error('warehouse admin URL names no database: add /<database> to its path');
  return name;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Runs fn on a connection of its own, always closed; `settings` add to or replace the defaults (e.g. type parsers, a timeout). */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>, settings: pg.ClientConfig = {}): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'goldpath-warehouse', ...settings });
  // A connection error would otherwise crash the process if it happens while idle.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function inTransaction<T>(c: pg.Client, fn: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    const result = await fn();
    await c.query('COMMIT');
    return result;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
