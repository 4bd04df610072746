// Warehouse benchmark: seed time at the default scale and at ~1,000,000 transactions, and
// grant/revoke latency over 20 environment roles. Starts its own PostgreSQL in a temp directory.
//   node bench/warehouse.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/infrastructure/postgres/embedded.ts';
import { ensureWarehouse, grantAccess, revokeAccess } from '../src/infrastructure/warehouse/index.ts';

const ROLES = 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const result = await fn();
  return [result, performance.now() - t];
}

const dataDir = mkdtempSync(join(tmpdir(), 'goldpath-bench-warehouse-'));
const server = await startEmbeddedPostgres({ dataDir, port: 27000 + (process.pid % 2000), password: randomBytes(12).toString('hex') });
try {
  const admin = new pg.Client(server.adminUrl('postgres'));
  await admin.connect();
  await admin.query('CREATE DATABASE warehouse');
  await admin.query('CREATE DATABASE warehouse_1m');

  const url = server.adminUrl('warehouse');
  const [, seedMs] = await timed(() => ensureWarehouse(url));
  const counts = async (u: string) => {
    const c = new pg.Client(u);
    await c.connect();
    const r = await c.query(`SELECT (SELECT count(*) FROM sensitive.customers)::int AS customers, (SELECT count(*) FROM sensitive.transactions)::int AS transactions`);
    await c.end();
    return r.rows[0] as { customers: number; transactions: number };
  };
  const small = await counts(url);
  console.log('IN-PROCESS figures (the warehouse module on PostgreSQL); through the CLI, a grant is the warehouse\'s "ready in" in `goldpath env <id> --events` and in bench:launch');
  console.log(`seed, default scale (sensitive + synthetic; sensitive has ${small.customers} customers, ${small.transactions} transactions): ${ms(seedMs)}`);

  const again: number[] = [];
  for (let i = 0; i < 10; i++) again.push((await timed(() => ensureWarehouse(url)))[1]);
  again.sort((a, b) => a - b);
  console.log(`ensureWarehouse when already done: p50 ${ms(percentile(again, 50))}, max ${ms(again[again.length - 1])}`);

  const bigUrl = server.adminUrl('warehouse_1m');
  const [, bigMs] = await timed(() => ensureWarehouse(bigUrl, { scale: 20 }));
  const big = await counts(bigUrl);
  console.log(`seed, scale 20 (sensitive + synthetic; sensitive has ${big.customers} customers, ${big.transactions} transactions): ${ms(bigMs)}`);

  const grants: number[] = [];
  const revokes: number[] = [];
  const roles = Array.from({ length: ROLES }, (_, i) => `gp_env_bench_${i}`);
  const classes = ['synthetic', 'masked', 'sensitive'] as const;
  for (const [i, role] of roles.entries()) {
    grants.push((await timed(() => grantAccess(url, { role, password: randomBytes(18).toString('base64url'), dataClass: classes[i % 3], team: 'bench' })))[1]);
  }
  for (const role of roles) revokes.push((await timed(() => revokeAccess(url, role)))[1]);
  grants.sort((a, b) => a - b);
  revokes.sort((a, b) => a - b);
  console.log(`grantAccess over ${ROLES} roles: p50 ${ms(percentile(grants, 50))}, p95 ${ms(percentile(grants, 95))}`);
  console.log(`revokeAccess over ${ROLES} roles: p50 ${ms(percentile(revokes, 50))}, p95 ${ms(percentile(revokes, 95))}`);
  await admin.end();
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
