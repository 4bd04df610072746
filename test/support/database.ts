import pg from 'pg';
import { randomBytes } from 'node:crypto';

/** The superuser URL of the test cluster started by ./global-setup.ts. */
export function testAdminUrl(database = 'postgres'): string {
  const url = process.env.GOLDPATH_TEST_ADMIN_URL;
  if (!url) throw new Error('GOLDPATH_TEST_ADMIN_URL is not set: run tests with `npm test` (it starts PostgreSQL)');
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh, empty database in the test cluster; returns its superuser URL. */
export async function createTestDatabase(prefix = 't'): Promise<string> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(testAdminUrl());
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return testAdminUrl(name);
}
