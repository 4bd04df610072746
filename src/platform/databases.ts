import pg from 'pg';

/** Creates a database on the server if it is missing (the platform's own, and the warehouse). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '')}"`);
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Environment roles log in to the warehouse only: by default PostgreSQL lets every role connect
 * to every database, so the platform's own databases are closed to PUBLIC.
 */
export async function closeOtherDatabases(adminUrl: string, databases: string[]): Promise<void> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    for (const db of databases) await client.query(`REVOKE CONNECT, TEMPORARY ON DATABASE "${db.replaceAll('"', '')}" FROM PUBLIC`);
  } finally {
    await client.end();
  }
}
