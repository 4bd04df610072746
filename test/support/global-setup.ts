// Started once by `node --test --test-global-setup` when a run has no cluster yet (scripts/test.ts
// gives each of its workers one): a real PostgreSQL cluster for the whole run.
import { startTestCluster, type TestCluster } from './test-cluster.ts';

let cluster: TestCluster | undefined;

export async function globalSetup(): Promise<void> {
  if (process.env.GOLDPATH_TEST_ADMIN_URL) return;
  cluster = await startTestCluster(String(process.pid));
  process.env.GOLDPATH_TEST_ADMIN_URL = cluster.adminUrl;
  process.env.GOLDPATH_TEST_HOME_TEMPLATE = cluster.homeTemplate;
}

export async function globalTeardown(): Promise<void> {
  await cluster?.stop();
}
