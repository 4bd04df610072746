// npm run bench:cli — a CLI command's own start, through the binary people run (bin/goldpath):
// `--help`, `envs` and `envs --json`, against `curl` of the same list in the same run.
// Target (DESIGN.md): ≤ 150 ms wall and ≤ 60 MB peak RSS for `--help` and `envs`.
//
// Starts a real platform in a temporary folder (or uses GOLDPATH_URL + GOLDPATH_TOKEN of a running
// one). Runs are interleaved (help, envs, envs --json, curl, help, …) so a burst of load on the
// machine hits every command alike; BENCH_RUNS sets how many of each (default 20). Wall time is
// taken around each child; peak RSS comes from GNU time (`time -f %M`), which reports the maximum
// resident set of the process it runs.
//
// What a command's start costs, measured on the 2-core machine (peak RSS; CPU under load):
//   node itself, an empty program                        42 MB, ~120 ms CPU: the floor
//   the TypeScript stripper, when the compiled-code cache is empty   +17 MB (bin/goldpath keeps the cache)
//   `import … from 'node:http'` (ESM reads its lazy exports, which load fetch's engine)   +14 MB, ~100 ms
//   fetch() (the same engine)                             +17 MB; the client uses node:http instead
//   src/platform/config.ts (node:fs and node:crypto as ES modules)   +6.6 MB: loaded only without GOLDPATH_URL + TOKEN
//   commander (with child_process)                        +6.5 MB, ~30 ms
//   before this work every command imported the whole server: ~110–150 MB, 1.1–2.4 s
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../src/cli/client.ts';
import { goldpathBin, settled, startPlatformProcess, type PlatformProcess } from '../test/support/platform-process.ts';

const runs = Number(process.env.BENCH_RUNS) || 20;
const gnuTime = spawnSync('time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
if (!gnuTime) console.log('GNU time is not installed (Debian package `time`): peak RSS is not measured, only wall time');

let platform: PlatformProcess | undefined;
let server = process.env.GOLDPATH_URL;
let token = process.env.GOLDPATH_TOKEN;
if (!server || !token) {
  platform = await startPlatformProcess();
  await settled(platform);
  server = platform.url;
  token = (JSON.parse(readFileSync(join(platform.home, 'credentials.json'), 'utf8')) as { defaultUser: string; tokens: Record<string, string> }).tokens.dana;
}
const api = new ApiClient(server, token);

interface Sample { ms: number; rssMb: number | null; cpuMs: number | null }

/** Runs one child under GNU time; wall time is ours, around the whole spawn. */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Sample {
  const argv = gnuTime ? ['time', '-f', '__time %M %U %S', cmd, ...args] : [cmd, ...args];
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { env, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const m = r.stderr.match(/__time (\d+) ([\d.]+) ([\d.]+)/);
  return { ms, rssMb: m ? Number(m[1]) / 1024 : null, cpuMs: m ? (Number(m[2]) + Number(m[3])) * 1000 : null };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

try {
  const { environments } = await api.request<{ environments: unknown[] }>('GET', '/api/v1/environments');
  if (environments.length === 0 && platform) {
    // An empty list is not what people list: one environment, without a notebook process to keep.
    await api.request('POST', '/api/v1/environments', { path: 'sql-data-querying', team: 'churn-analytics' });
  }
  const listed = (await api.request<{ environments: unknown[] }>('GET', '/api/v1/environments')).environments.length;

  // The CLI as a person with a remote platform runs it: URL and token from the environment.
  const env = { ...process.env, GOLDPATH_URL: server, GOLDPATH_TOKEN: token, NO_COLOR: '1' };
  const curlConfig = `header = "Authorization: Bearer ${token}"\n`; // on stdin, so the token is not in any process list
  const commands: { label: string; run: () => Sample }[] = [
    { label: 'goldpath --help', run: () => measure(goldpathBin, ['--help'], env) },
    { label: 'goldpath envs', run: () => measure(goldpathBin, ['envs'], env) },
    { label: 'goldpath envs --json', run: () => measure(goldpathBin, ['envs', '--json'], env) },
    // As after `goldpath up` on this machine: server and token read from the data folder.
    ...(platform ? [{ label: 'goldpath envs (local folder)', run: () => measure(goldpathBin, ['envs'], { ...process.env, GOLDPATH_URL: '', GOLDPATH_TOKEN: '', GOLDPATH_HOME: platform!.home, NO_COLOR: '1' }) }] : []),
    // The floor: this Node starting an empty program, which no command can beat.
    { label: 'node -e 0 (for reference)', run: () => measure(process.execPath, ['-e', '0'], env) },
    { label: 'curl GET /api/v1/environments', run: () => measure('curl', ['-sf', '-o', '/dev/null', '-K', '-', `${server}/api/v1/environments`], env, curlConfig) },
  ];

  // The first start after an install or an upgrade, with Node's compiled-code cache still empty
  // (bin/goldpath keeps it; every later start reads it).
  const emptyCache = mkdtempSync(join(tmpdir(), 'goldpath-bench-cache-'));
  const first = measure(goldpathBin, ['envs'], { ...env, NODE_COMPILE_CACHE: emptyCache });
  rmSync(emptyCache, { recursive: true, force: true });
  for (const c of commands) c.run(); // warm: the cache as every later start finds it

  const before = load();
  const samples = commands.map(() => [] as Sample[]);
  for (let i = 0; i < runs; i++) commands.forEach((c, j) => samples[j].push(c.run()));
  const after = load();

  console.log(`CLI start, ${runs} runs each, interleaved; ${cpus().length} CPUs; load average (1, 5, 15 min) ${before} before, ${after} after; ${listed} environment(s) listed`);
  console.log(`${'command'.padEnd(32)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'max RSS'.padStart(9)} ${'CPU p50'.padStart(8)}`);
  commands.forEach((c, j) => {
    const s = samples[j];
    const rss = gnuTime ? `${Math.max(...s.map((x) => x.rssMb!)).toFixed(1)} MB` : 'n/a';
    const cpu = gnuTime ? `${pct(s.map((x) => x.cpuMs!), 50).toFixed(0)} ms` : 'n/a';
    const target = c.label.startsWith('goldpath') && gnuTime
      ? (pct(s.map((x) => x.ms), 50) <= 150 && Math.max(...s.map((x) => x.rssMb!)) <= 60 ? '  ✓ ≤ 150 ms, ≤ 60 MB' : '  ✗ target ≤ 150 ms, ≤ 60 MB')
      : '';
    console.log(`${c.label.padEnd(32)} ${(pct(s.map((x) => x.ms), 50).toFixed(0) + ' ms').padStart(8)} ${(pct(s.map((x) => x.ms), 95).toFixed(0) + ' ms').padStart(8)} ${rss.padStart(9)} ${cpu.padStart(8)}${target}`);
  });
  console.log(`goldpath envs, first start with an empty compiled-code cache: ${first.ms.toFixed(0)} ms, ${first.rssMb?.toFixed(1) ?? 'n/a'} MB`);
  console.log('wall time includes the sh wrapper (bin/goldpath) and process creation; on a busy machine it grows with the load while CPU time does not');
} finally {
  if (platform) {
    await platform.stop();
    rmSync(platform.home, { recursive: true, force: true });
  }
}
