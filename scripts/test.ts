// npm test: every test file, node's own test runner, on two workers at once.
//
// Most of a test's time is spent waiting for what it started (a platform, PostgreSQL, Jupyter, a
// browser), so two files at a time use the machine's two cores better than one. Each worker has a
// PostgreSQL cluster of its own (test/support/test-cluster.ts), since roles belong to a cluster and
// two warehouse tests must not make the same ones at once, and runs its files one at a time. Files
// are handed out from one queue, the end-to-end ones first (they take longest), so both workers end
// about together. A file's output is printed whole when it ends, so two files never interleave.
//
//   npm test                    every test file
//   npm test -- <file> [...]    these only
import { spawn, type ChildProcess } from 'node:child_process';
import { globSync } from 'node:fs';
import { startTestCluster, type TestCluster } from '../test/support/test-cluster.ts';

const WORKERS = 2;
const given = process.argv.slice(2);
const all = given.length > 0 ? given : [...globSync('test/**/*.test.ts'), ...globSync('src/**/*.test.ts')];
// End-to-end files first: the browser's, then the others, then the rest; each group by name.
const weight = (f: string) => (f.startsWith('test/e2e/portal') ? 0 : f.startsWith('test/') ? 1 : 2);
const queue = [...all].sort((a, b) => weight(a) - weight(b) || a.localeCompare(b));

interface Outcome { file: string; code: number | null; pass: number; fail: number; ms: number }
const outcomes: Outcome[] = [];
const running = new Set<ChildProcess>();
const clusters: TestCluster[] = [];
const started = performance.now();

const count = (text: string, what: string) => Number(new RegExp(`^ℹ ${what} (\\d+)`, 'm').exec(text)?.[1] ?? 0);

function runFile(file: string, cluster: TestCluster, worker: number): Promise<void> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=300000', file], {
    env: { ...process.env, GOLDPATH_TEST_ADMIN_URL: cluster.adminUrl, GOLDPATH_TEST_HOME_TEMPLATE: cluster.homeTemplate },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve) => {
    child.once('close', (code) => {
      running.delete(child);
      const ms = performance.now() - t0;
      const outcome = { file, code, pass: count(out, 'pass'), fail: count(out, 'fail'), ms };
      outcomes.push(outcome);
      const mark = code === 0 ? '✔' : '✖';
      process.stdout.write(`\n── ${mark} ${file}  (${(ms / 1000).toFixed(1)} s, worker ${worker})\n${out}`);
      resolve();
    });
  });
}

async function worker(n: number): Promise<void> {
  const cluster = await startTestCluster(`${process.pid}-${n}`);
  clusters.push(cluster);
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runFile(file, cluster, n);
}

const stopAll = async () => {
  for (const child of running) child.kill('SIGTERM');
  await Promise.all(clusters.map((c) => c.stop().catch(() => {})));
};
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

try {
  await Promise.all(Array.from({ length: Math.min(WORKERS, queue.length) }, (_, i) => worker(i + 1)));
} finally {
  await stopAll();
}

const failed = outcomes.filter((o) => o.code !== 0);
const sum = (k: 'pass' | 'fail') => outcomes.reduce((n, o) => n + o[k], 0);
const slowest = [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 8).map((o) => `${o.file} ${(o.ms / 1000).toFixed(0)} s`).join(', ');
process.stdout.write(`\n${outcomes.length} files, ${sum('pass')} tests passed, ${sum('fail')} failed, in ${((performance.now() - started) / 1000).toFixed(0)} s on ${WORKERS} workers\nslowest: ${slowest}\n`);
if (failed.length > 0) {
  process.stdout.write(`failing files:\n${failed.map((o) => `  ${o.file}${o.fail === 0 ? ` (exit ${o.code})` : ''}`).join('\n')}\n`);
  process.exitCode = 1;
}
