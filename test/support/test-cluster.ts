// One real PostgreSQL cluster for the tests that run one after another in one worker: each test
// file makes its own databases in it (./database.ts). Roles are the cluster's, not a database's, so
// two files that make the warehouse's roles must never share a cluster at the same time: each
// worker of scripts/test.ts has its own.
import { startEmbeddedPostgres } from '../../src/infrastructure/postgres/embedded.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';

export interface TestCluster {
  /** Set as GOLDPATH_TEST_ADMIN_URL for the tests. */
  adminUrl: string;
  /** Set as GOLDPATH_TEST_HOME_TEMPLATE: the data folder platforms start from (test/support/platform-process.ts). */
  homeTemplate: string;
  stop(): Promise<void>;
}

export async function startTestCluster(name: string): Promise<TestCluster> {
  // Under the system's temporary folder, which the `postgres` user can always reach (a checkout may not be).
  const dataDir = join(tmpdir(), `goldpath-test-cluster-${name}`);
  rmSync(dataDir, { recursive: true, force: true });
  const port = await new Promise<number>((res, rej) => {
    const probe = createServer().once('error', rej).listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => res(free));
    });
  });
  const server = await startEmbeddedPostgres({ dataDir, port, password: 'test-admin' });
  const homeTemplate = join(tmpdir(), `goldpath-test-home-${name}`);
  return {
    adminUrl: server.adminUrl('postgres'),
    homeTemplate,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(homeTemplate, { recursive: true, force: true });
    },
  };
}
