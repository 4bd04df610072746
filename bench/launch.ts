// npm run bench:launch — launch → every URL of "Data Science Experimentation" answering.
// Starts a real platform (bin/goldpath up) in a temporary folder, then measures 10 launches one
// after another and 20 at once over HTTP with a token, each until its repo, warehouse, bucket and
// notebook all answer. Then the workspace sandbox's cost: `goldpath launch --wait` through the CLI,
// with the sandbox and on a second platform without it (GOLDPATH_WORKSPACE_SANDBOX=off).
import { loadavg, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { S3Client, HeadBucketCommand } from '@aws-sdk/client-s3';
import type { EnvironmentView } from '../src/domain/environment/schema.ts';
import { startPlatformProcess, type PlatformProcess } from '../test/support/platform-process.ts';
import { ApiClient } from '../src/cli/client.ts';

// 20 at once is more than a team's shipped quotas allow: the bench's organisation raises them.
const benchHome = () => {
  const home = mkdtempSync(join(tmpdir(), 'goldpath-bench-'));
  mkdirSync(join(home, 'policies'));
  writeFileSync(join(home, 'policies', 'quotas.yaml'), 'version: 1\ndefaults:\n  runningEnvironments: 50\n  notebooks: 50\n  warehouseConnections: 1000\n  storageMb: 20480\n');
  return home;
};
const platform = await startPlatformProcess({ home: benchHome() });
const token = (JSON.parse(readFileSync(join(platform.home, 'credentials.json'), 'utf8')) as { tokens: Record<string, string> }).tokens.dana;
const client = new ApiClient(platform.url, token);
const api = <T>(method: string, path: string, body?: unknown) => client.request<T>(method, path, body);

async function answers(env: EnvironmentView): Promise<boolean> {
  const o = Object.fromEntries(env.resources.map((r) => [r.id, r.outputs as Record<string, string>]));
  const checks = [
    (async () => {
      const u = new URL(o.repo.url);
      const res = await fetch(`${u.origin}${u.pathname}/info/refs?service=git-upload-pack`, { headers: { authorization: 'Basic ' + Buffer.from(`${o.repo.username}:${o.repo.password}`).toString('base64') } });
      await res.arrayBuffer();
      return res.status === 200;
    })(),
    (async () => {
      const c = new pg.Client(o.warehouse.url);
      await c.connect();
      await c.query('SELECT 1 FROM customers LIMIT 1');
      await c.end();
      return true;
    })(),
    (async () => {
      const s3 = new S3Client({ endpoint: o.bucket.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: o.bucket.accessKeyId, secretAccessKey: o.bucket.secretAccessKey } });
      await s3.send(new HeadBucketCommand({ Bucket: o.bucket.bucket }));
      return true;
    })(),
    (async () => (await fetch(`${o.notebook.baseUrl}api/status?token=${o.notebook.token}`)).status === 200)(),
  ];
  return (await Promise.all(checks.map((c) => c.catch(() => false)))).every(Boolean);
}

/** Launches and returns milliseconds until every URL answers. */
async function launchOnce(): Promise<{ ms: number; id: string }> {
  const t0 = performance.now();
  const created = await api<EnvironmentView>('POST', '/api/v1/environments', { path: 'data-science-experimentation', team: 'churn-analytics' });
  // Follow the live stream (as the CLI and portal do) rather than polling, which would load the API.
  let env: EnvironmentView | undefined;
  await client.stream(`/api/v1/environments/${created.id}/stream`, (type, data) => {
    if (type !== 'environment') return false;
    env = data as EnvironmentView;
    return env.status === 'ready' || env.status === 'failed';
  });
  if (env?.status !== 'ready') throw new Error(`launch failed: ${env?.reason}`);
  while (!(await answers(env))) await new Promise((r) => setTimeout(r, 10));
  return { ms: performance.now() - t0, id: env.id };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const deleteAll = async (ids: string[]) => {
  await Promise.all(ids.map((id) => api('DELETE', `/api/v1/environments/${id}`)));
  for (;;) {
    const envs = await Promise.all(ids.map((id) => api<EnvironmentView>('GET', `/api/v1/environments/${id}`)));
    if (envs.every((e) => e.status === 'deleted')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
};

interface Launches { wall: number[]; notebook: number[] }

/** One `goldpath launch --wait` through the CLI: its wall time, and the notebook's own start from the events. */
async function cliLaunch(p: PlatformProcess, into: Launches): Promise<void> {
  const t0 = performance.now();
  const r = await p.cli(['launch', 'data-science-experimentation', '--team', 'churn-analytics', '--wait', '--json']);
  into.wall.push(performance.now() - t0);
  if (r.code !== 0) throw new Error(`launch failed: ${r.stderr}`);
  const env = JSON.parse(r.stdout) as EnvironmentView;
  const shown = await p.cli(['env', env.id, '--events']);
  const m = /notebook ready in (\d+) ms/.exec(shown.stdout);
  if (m) into.notebook.push(Number(m[1]));
  await p.cli(['delete', env.id, '--wait']);
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
try {
  console.log(`machine load (1, 5, 15 min): ${load()}`);
  const sequential: number[] = [];
  for (let i = 0; i < 10; i++) {
    const { ms, id } = await launchOnce();
    sequential.push(ms);
    await deleteAll([id]);
  }
  console.log(`launch → all 4 URLs answering, 10 launches one after another: p50 ${fmt(pct(sequential, 50))}, p95 ${fmt(pct(sequential, 95))}, min ${fmt(Math.min(...sequential))}, max ${fmt(Math.max(...sequential))}`);
  const t0 = performance.now();
  const together = await Promise.all(Array.from({ length: 20 }, () => launchOnce()));
  const ms = together.map((r) => r.ms);
  console.log(`20 launches at once: all ready and answering in ${fmt(performance.now() - t0)}; per launch p50 ${fmt(pct(ms, 50))}, p95 ${fmt(pct(ms, 95))}, max ${fmt(Math.max(...ms))}`);
  await deleteAll(together.map((r) => r.id));

  // Taken in turns, so that a change in the machine's load weighs on both alike.
  const sandboxed: Launches = { wall: [], notebook: [] };
  const unsandboxed: Launches = { wall: [], notebook: [] };
  const bare = await startPlatformProcess({ home: benchHome(), env: { GOLDPATH_WORKSPACE_SANDBOX: 'off' } });
  try {
    for (let i = 0; i < 10; i++) {
      await cliLaunch(platform, sandboxed);
      await cliLaunch(bare, unsandboxed);
    }
  } finally {
    await bare.stop();
    rmSync(bare.home, { recursive: true, force: true });
  }
  const ms0 = (xs: number[]) => `${pct(xs, 50).toFixed(0)} ms`;
  console.log(`\`goldpath launch --wait\` through the CLI, 10 each in turns: sandboxed p50 ${fmt(pct(sandboxed.wall, 50))}, unsandboxed p50 ${fmt(pct(unsandboxed.wall, 50))}`);
  console.log(`notebook start (its "ready in"): sandboxed p50 ${ms0(sandboxed.notebook)}, unsandboxed p50 ${ms0(unsandboxed.notebook)}; the sandbox adds ${(pct(sandboxed.notebook, 50) - pct(unsandboxed.notebook, 50)).toFixed(0)} ms per launch (target ≤ 100 ms)`);
  console.log(`machine load after: ${load()}`);
} finally {
  await platform.stop();
  rmSync(platform.home, { recursive: true, force: true });
}
