// Started once by `node --test --test-global-setup`: one real PostgreSQL cluster for the whole run.
// Each test file makes its own databases in it (see ./database.ts), so files never share state.
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/infrastructure/postgres/embedded.ts';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

let server: EmbeddedServer | undefined;
let dataDir: string | undefined;

export async function globalSetup(): Promise<void> {
  if (process.env.GOLDPATH_TEST_ADMIN_URL) return;
  // One folder per run, so that runs at the same time (several terminals) never share a cluster.
  dataDir = resolve(`.test-data/cluster-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const port = 25000 + (process.pid % 5000);
  server = await startEmbeddedPostgres({ dataDir, port, password: 'test-admin' });
  process.env.GOLDPATH_TEST_ADMIN_URL = server.adminUrl('postgres');
}

export async function globalTeardown(): Promise<void> {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
