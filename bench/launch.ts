// npm run bench:launch — launch → every URL of "Data Science Experimentation" answering.
// Starts a real platform (bin/goldpath up) in a temporary folder, then measures 10 launches one
// after another and 20 at once over HTTP with a token, each until its repo, warehouse, bucket and
// notebook all answer: cold (no notebook server kept warm, GOLDPATH_WARM_NOTEBOOKS=0), then warm
// (a platform keeping 20 warm, full before each launch one after another and before the 20).
// Then `goldpath launch --wait` through the CLI, cold and warm in turns; and the workspace
// sandbox's cost, on a platform without it (GOLDPATH_WORKSPACE_SANDBOX=off), both cold.
import { loadavg, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentView } from '../src/domain/environment/schema.ts';
import { startPlatformProcess, type PlatformProcess } from '../test/support/platform-process.ts';
import { ApiClient } from '../src/cli/client.ts';
import { answers as answersAt, startedOnFirstOpen, type Outputs } from './probes.ts';

// 20 at once is more than a team's shipped quotas allow: the bench's organisation raises them.
const benchHome = () => {
  const home = mkdtempSync(join(tmpdir(), 'goldpath-bench-'));
  mkdirSync(join(home, 'policies'));
  writeFileSync(join(home, 'policies', 'quotas.yaml'), 'version: 1\ndefaults:\n  runningEnvironments: 50\n  notebooks: 50\n  warehouseConnections: 1000\n  storageMb: 20480\n');
  return home;
};
const WARM = 20;
const start = (env: Record<string, string>) => startPlatformProcess({ home: benchHome(), env });
const clientOf = (p: PlatformProcess) => new ApiClient(p.url, (JSON.parse(readFileSync(join(p.home, 'credentials.json'), 'utf8')) as { tokens: Record<string, string> }).tokens.dana);
let client: ApiClient;
const api = <T>(method: string, path: string, body?: unknown) => client.request<T>(method, path, body);

/** Until the platform has `n` notebook servers warm (none to wait for on a cold one). */
async function poolFull(p: PlatformProcess, n: number): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`${p.url}/api/v1/health`)).json()) as { warmNotebooks?: { warm: number } };
    if ((health.warmNotebooks?.warm ?? n) >= n) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every resource the launch made answers (a failed probe counts as not yet); the IDE starts on first open, not at launch. */
async function answers(env: EnvironmentView): Promise<boolean> {
  const launched = env.resources.filter((r) => !startedOnFirstOpen.has(r.type));
  const probes = launched.map((r) => answersAt(r.type, r.outputs as Outputs, client.token ?? '').catch(() => false));
  return (await Promise.all(probes)).every(Boolean);
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

/** 10 launches one after another, then 20 at once, over HTTP with a token. */
async function launches(p: PlatformProcess, warm: number): Promise<{ sequential: number[]; together: number[]; allMs: number }> {
  client = clientOf(p);
  const sequential: number[] = [];
  for (let i = 0; i < 10; i++) {
    await poolFull(p, Math.min(warm, 2));
    const { ms, id } = await launchOnce();
    sequential.push(ms);
    await deleteAll([id]);
  }
  await poolFull(p, warm);
  const t0 = performance.now();
  const runs = await Promise.all(Array.from({ length: 20 }, () => launchOnce()));
  const allMs = performance.now() - t0;
  await deleteAll(runs.map((r) => r.id));
  return { sequential, together: runs.map((r) => r.ms), allMs };
}

const platforms: PlatformProcess[] = [];
try {
  console.log(`machine load (1, 5, 15 min): ${load()}`);
  const cold = await start({ GOLDPATH_WARM_NOTEBOOKS: '0' });
  platforms.push(cold);
  const c = await launches(cold, 0);
  const warm = await start({ GOLDPATH_WARM_NOTEBOOKS: String(WARM) });
  platforms.push(warm);
  const w = await launches(warm, WARM);
  const row = (label: string, xs: number[], ys: number[], target: string) =>
    console.log(`${label.padEnd(44)} cold p50 ${fmt(pct(xs, 50))} p95 ${fmt(pct(xs, 95))} │ warm p50 ${fmt(pct(ys, 50))} p95 ${fmt(pct(ys, 95))}   ${target}`);
  console.log('launch → all 4 URLs answering, over HTTP with a token:');
  row('10 launches one after another', c.sequential, w.sequential, '(target warm p50 ≤ 0.5 s)');
  row('20 launches at once, per launch', c.together, w.together, '(target warm p95 ≤ 3 s)');
  console.log(`20 at once, all answering: cold ${fmt(c.allMs)}, warm ${fmt(w.allMs)} (the warm platform kept ${WARM} servers warm)`);

  // Through the CLI, cold and warm in turns so that a change in the machine's load weighs on both alike.
  const coldCli: Launches = { wall: [], notebook: [] };
  const warmCli: Launches = { wall: [], notebook: [] };
  for (let i = 0; i < 10; i++) {
    await cliLaunch(cold, coldCli);
    await poolFull(warm, 2);
    await cliLaunch(warm, warmCli);
  }
  const ms0 = (xs: number[]) => `${pct(xs, 50).toFixed(0)} ms`;
  console.log(`\`goldpath launch --wait\` through the CLI, 10 each in turns: cold p50 ${fmt(pct(coldCli.wall, 50))}, warm p50 ${fmt(pct(warmCli.wall, 50))}; the notebook's own start ("ready in"): cold ${ms0(coldCli.notebook)}, warm ${ms0(warmCli.notebook)}`);
  await warm.stop();

  // The sandbox's cost: both cold, taken in turns.
  const bare = await start({ GOLDPATH_WARM_NOTEBOOKS: '0', GOLDPATH_WORKSPACE_SANDBOX: 'off' });
  platforms.push(bare);
  const sandboxed: Launches = { wall: [], notebook: [] };
  const unsandboxed: Launches = { wall: [], notebook: [] };
  for (let i = 0; i < 10; i++) {
    await cliLaunch(cold, sandboxed);
    await cliLaunch(bare, unsandboxed);
  }
  console.log(`\`goldpath launch --wait\`, cold, 10 each in turns: sandboxed p50 ${fmt(pct(sandboxed.wall, 50))}, unsandboxed p50 ${fmt(pct(unsandboxed.wall, 50))}`);
  console.log(`notebook start (its "ready in"): sandboxed p50 ${ms0(sandboxed.notebook)}, unsandboxed p50 ${ms0(unsandboxed.notebook)}; the sandbox adds ${(pct(sandboxed.notebook, 50) - pct(unsandboxed.notebook, 50)).toFixed(0)} ms per launch (target ≤ 100 ms)`);
  console.log(`machine load after: ${load()}`);
} finally {
  for (const p of platforms) {
    await p.stop();
    rmSync(p.home, { recursive: true, force: true });
  }
}
