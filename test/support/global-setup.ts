// Started once by `node --test --test-global-setup`: one real PostgreSQL cluster for the whole run.
// Each test file makes its own databases in it (see ./database.ts), so files never share state.
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/infrastructure/postgres/embedded.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';

let server: EmbeddedServer | undefined;
let dataDir: string | undefined;
let homeTemplate: string | undefined;

export async function globalSetup(): Promise<void> {
  if (process.env.GOLDPATH_TEST_ADMIN_URL) return;
  // One folder per run, so that runs at the same time never share a cluster; under the system's
  // temporary folder, which the `postgres` user can always reach (a checkout may not be).
  dataDir = join(tmpdir(), `goldpath-test-cluster-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const port = await new Promise<number>((res, rej) => {
    const probe = createServer().once('error', rej).listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => res(free));
    });
  });
  server = await startEmbeddedPostgres({ dataDir, port, password: 'test-admin' });
  process.env.GOLDPATH_TEST_ADMIN_URL = server.adminUrl('postgres');
  // Made by the first platform a test starts (test/support/platform-process.ts), removed at the end.
  homeTemplate = join(tmpdir(), `goldpath-test-home-${process.pid}`);
  process.env.GOLDPATH_TEST_HOME_TEMPLATE = homeTemplate;
}

export async function globalTeardown(): Promise<void> {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (homeTemplate) rmSync(homeTemplate, { recursive: true, force: true });
}
