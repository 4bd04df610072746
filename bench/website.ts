// npm run bench:website — push → new preview, for the Website golden path (target ≤ 5 s).
// Starts a real platform (bin/goldpath up) in a temporary folder, launches `website` through the
// CLI, clones the repository with the URL as given, then N times: change a page, commit, `git push`
// over HTTP, and fetch the preview URL through the platform's front door with a Bearer token until
// it serves the change. The time is from the start of `git push` to the first answer with the
// change. In-process figures beside it (labelled): the build's own duration from the builds API.
import { execFile } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EnvironmentView } from '../src/domain/environment/schema.ts';
import type { BuildView } from '../src/domain/build/schema.ts';
import { startPlatformProcess } from '../test/support/platform-process.ts';

const run = promisify(execFile);
const N = Number(process.env.BENCH_PUSHES ?? 10);
const platform = await startPlatformProcess();
const work = mkdtempSync(join(tmpdir(), 'goldpath-bench-website-'));
try {
  const token = (JSON.parse(readFileSync(join(platform.home, 'credentials.json'), 'utf8')) as { tokens: Record<string, string> }).tokens.sam;
  const env = await platform.cliJson<EnvironmentView>(['--as', 'sam', 'launch', 'website', '--team', 'web', '--wait']);
  const outputs = (id: string) => env.resources.find((r) => r.id === id)!.outputs as Record<string, string>;
  const preview = outputs('preview').url;
  const site = join(work, 'site');
  await run('git', ['clone', '-q', outputs('repo').url, site]);
  const git = (...args: string[]) => run('git', ['-C', site, '-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args]);
  const page = async () => (await fetch(`${preview}index.html`, { headers: { authorization: `Bearer ${token}` } })).text();

  const totals: number[] = [];
  const pushes: number[] = [];
  const builds: number[] = [];
  for (let i = 1; i <= N; i++) {
    const marker = `Release ${i} of ${Date.now()}`;
    writeFileSync(join(site, 'pages', 'index.md'), `# ${marker}\n\nPushed by the benchmark.\n`);
    await git('commit', '-qam', marker);
    const started = performance.now();
    await git('push', '-q', 'origin', 'main');
    pushes.push(performance.now() - started);
    for (;;) {
      if ((await page()).includes(`<h1>${marker}</h1>`)) break;
      if (performance.now() - started > 60_000) throw new Error(`push ${i}: the preview did not change within 60 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    totals.push(performance.now() - started);
    const res = await fetch(`${platform.url}/api/v1/environments/${env.id}/resources/preview/builds?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    builds.push(((await res.json()) as { builds: BuildView[] }).builds[0].durationMs ?? NaN);
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`push → new preview (git push over HTTP, then the preview through the front door with a token), ${N} pushes:`);
  console.log(`  p50 ${s(pct(totals, 50))}   p95 ${s(pct(totals, 95))}   max ${s(Math.max(...totals))}   target ≤ 5 s: ${pct(totals, 95) <= 5000 ? 'met' : 'MISSED'}`);
  console.log(`  of which \`git push\` itself (until the client returns) p50 ${s(pct(pushes, 50))}, p95 ${s(pct(pushes, 95))}`);
  console.log(`  in-process, beside it: the build itself (export, sandboxed python3 build.py, publish) p50 ${s(pct(builds, 50))}, p95 ${s(pct(builds, 95))}`);
  console.log(`  machine load (1-minute average) at the end: ${loadavg()[0].toFixed(2)}`);
} finally {
  await platform.stop();
  rmSync(work, { recursive: true, force: true });
}
