// npm run bench:paths — every golden path's launch, through the CLI, until each of its URLs answers.
// Starts a real platform (bin/goldpath up) with its shipped settings (each path keeps the notebook
// servers its file asks for warm), then launches each path the platform offers GOLDPATH_BENCH_RUNS
// times (default 3) with `goldpath launch --wait`, as a member of a team the path is for, and
// probes every resource's URL the way a person's program reaches it: git over HTTP with the repo's
// credentials, PostgreSQL URIs with a query, the bucket with its keys, web resources through the
// front door with the owner's API token. A path that needs the data owners' approval is approved
// by them at once; its figure runs from the approval. Workspaces started on first open (the IDE)
// are timed apart: the first answer after the launch is ready.
import { loadavg, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentView } from '../src/domain/environment/schema.ts';
import { settled, startPlatformProcess, type PlatformProcess } from '../test/support/platform-process.ts';
import { answers, startedOnFirstOpen, type Outputs } from './probes.ts';

const RUNS = Number(process.env.GOLDPATH_BENCH_RUNS) || 3;
/** Who launches what: a member of the team a path's audience belongs to. */
const launcher = (audience: string) => (audience === 'software' ? { user: 'sam', team: 'web' } : { user: 'dana', team: 'churn-analytics' });

interface PathRow { name: string; audience: string; approval: string; resources: { id: string; type: string }[] }

const tokens = (p: PlatformProcess) => (JSON.parse(readFileSync(join(p.home, 'credentials.json'), 'utf8')) as { tokens: Record<string, string> }).tokens;

async function until(check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error('not answering after 120 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Approves every pending request for the environment, as members of the owning teams who may
 * decide; returns when the last approval was sent (provisioning starts with it).
 */
async function approveAll(p: PlatformProcess, envId: string, requester: string): Promise<number> {
  const decisions: { id: string; user: string }[] = [];
  for (const user of ['dana', 'ravi', 'mei', 'olu', 'sam', 'priya'].filter((u) => u !== requester)) {
    const pending = await p.cliJson<{ id: string; environment: string; approverTeam: string; youMay?: { decide: boolean } }[]>(['approvals', '--as', user]);
    for (const a of pending.filter((x) => x.environment === envId && x.youMay?.decide)) {
      if (!decisions.some((d) => d.id === a.id)) decisions.push({ id: a.id, user });
    }
  }
  let last = performance.now();
  for (const d of decisions) {
    last = performance.now();
    const r = await p.cli(['approve', d.id, '--reason', 'benchmark', '--as', d.user]);
    if (r.code !== 0) throw new Error(`approve failed: ${r.stderr}`);
  }
  return last;
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((q / 100) * xs.length) - 1)];
const sec = (ms: number | undefined) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

const home = mkdtempSync(join(tmpdir(), 'goldpath-bench-'));
mkdirSync(join(home, 'policies'));
writeFileSync(join(home, 'policies', 'quotas.yaml'), 'version: 1\ndefaults:\n  runningEnvironments: 50\n  notebooks: 50\n  warehouseConnections: 1000\n  storageMb: 20480\n');
const env: Record<string, string> = { GOLDPATH_WARM_NOTEBOOKS: '' };
const p = await startPlatformProcess({ home, env });
try {
  await settled(p);
  console.log(`every path, ${RUNS} launches each through \`goldpath launch --wait\`, one at a time; machine load (1, 5, 15 min): ${load()}`);
  const { paths } = await p.cliJson<{ paths: PathRow[] }>(['paths']);
  const rows: string[][] = [['path', 'launch → ready (CLI)', 'every URL answering', 'started on first open']];
  for (const path of paths) {
    const { user, team } = launcher(path.audience);
    const token = tokens(p)[user];
    const ready: number[] = [];
    const all: number[] = [];
    const firstOpen: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await settled(p);
      const needsApproval = path.approval === 'data-owner';
      const t0 = performance.now();
      const args = ['launch', path.name, '--team', team, '--as', user, '--json', ...(needsApproval ? ['--reason', 'benchmark of every path'] : ['--wait'])];
      const r = await p.cli(args);
      if (r.code !== 0) throw new Error(`${path.name}: launch failed: ${r.stderr}`);
      let view = JSON.parse(r.stdout) as EnvironmentView;
      let start = t0;
      if (needsApproval) {
        start = await approveAll(p, view.id, user);
        for (const end = Date.now() + 120_000; ;) {
          view = await p.cliJson<EnvironmentView>(['env', view.id, '--as', user]);
          if (view.status === 'ready' || view.status === 'failed') break;
          if (Date.now() > end) throw new Error(`${path.name}: still ${view.status} 120 s after its approval`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      if (view.status !== 'ready') throw new Error(`${path.name}: ${view.status} ${view.reason ?? ''}`);
      ready.push(performance.now() - start);
      const launchedNow = view.resources.filter((res) => !startedOnFirstOpen.has(res.type));
      await until(async () => (await Promise.all(launchedNow.map((res) => answers(res.type, res.outputs as Outputs, token)))).every(Boolean));
      all.push(performance.now() - start);
      const opened = view.resources.filter((res) => startedOnFirstOpen.has(res.type));
      if (opened.length) {
        const t1 = performance.now();
        await until(async () => (await Promise.all(opened.map((res) => answers(res.type, res.outputs as Outputs, token)))).every(Boolean));
        firstOpen.push(performance.now() - t1);
      }
      await p.cli(['delete', view.id, '--wait', '--as', user]);
    }
    rows.push([
      `${path.name}${path.approval === 'data-owner' ? ' (from approval)' : ''}`,
      `p50 ${sec(pct(ready, 50))}`,
      `p50 ${sec(pct(all, 50))}`,
      firstOpen.length ? `${[...new Set(path.resources.filter((r) => startedOnFirstOpen.has(r.type)).map((r) => r.type))].join(', ')}: p50 ${sec(pct(firstOpen, 50))}` : '—',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  console.log(`machine load after: ${load()}`);
} finally {
  await p.stop();
  rmSync(home, { recursive: true, force: true });
}
