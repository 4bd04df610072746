// `npm run bench:portal`: the portal's weight and speed as a person meets it.
// Prints the gzip size of every asset the paths page loads (the first page after sign-in) and of
// the whole build, then the paths page's first contentful paint in headless Chromium (median of
// several cold loads, cache disabled) against a platform this script starts and stops itself.
// Targets (issue 5): first page ≤ 300 KB gzip, FCP ≤ 1 s locally.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { settled, startPlatformProcess } from '../test/support/platform-process.ts';

// GOLDPATH_PORTAL_DIR measures another build (the platform this script starts serves the same one).
const dist = resolve(process.env.GOLDPATH_PORTAL_DIR ?? 'portal/dist');
const loads = Number(process.env.BENCH_LOADS ?? 7);
if (!existsSync(join(dist, 'index.html'))) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
// Fonts (woff2) are compressed already; gzip would not shrink them, so they count as they are.
const wire = (file: string) => (file.endsWith('.woff2') ? statSync(file).size : gz(file));
const allBytes = files(dist).reduce((s, f) => s + wire(f), 0);

const platform = await startPlatformProcess();
await settled(platform);
const profile = mkdtempSync(join(tmpdir(), 'goldpath-bench-chromium-'));
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args, viewport: { width: 1280, height: 800 } });
try {
  const creds = JSON.parse(readFileSync(join(platform.home, 'credentials.json'), 'utf8')) as { defaultUser: string; tokens: Record<string, string> };
  const page = context.pages()[0] ?? (await context.newPage());
  // Signed in as the default user, as after the sign-in page: the token is what the portal keeps.
  await page.goto(platform.url + '/');
  await page.evaluate((t) => localStorage.setItem('goldpath.token', t), creds.tokens[creds.defaultUser]);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });

  const assets = new Set<string>();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin === platform.url && !u.pathname.startsWith('/api/')) assets.add(u.pathname === '/' ? '/index.html' : u.pathname);
  });
  const fcps: number[] = [];
  for (let i = 0; i < loads; i++) {
    await page.goto(platform.url + '/', { waitUntil: 'load' });
    await page.getByRole('heading', { name: 'Data Science Experimentation' }).waitFor({ timeout: 30_000 });
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    fcps.push(fcp);
  }
  const first = [...assets].filter((p) => existsSync(join(dist, p))).sort();
  const firstBytes = first.reduce((s, p) => s + wire(join(dist, p)), 0);
  const sorted = [...fcps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];

  console.log('portal assets loaded by the paths page (gzip; woff2 as is):');
  for (const p of first) console.log(`  ${kb(wire(join(dist, p))).padStart(10)}  ${p}`);
  console.log(`first page total: ${kb(firstBytes)} (target ≤ 300 KB) ${firstBytes <= 300 * 1024 ? 'OK' : 'OVER'}`);
  console.log(`whole build:      ${kb(allBytes)} in ${files(dist).length} files (heavy pages load on demand)`);
  console.log(`paths page first contentful paint, median of ${loads} cold loads: ${median.toFixed(0)} ms (target ≤ 1000 ms) ${median <= 1000 ? 'OK' : 'OVER'}; all: ${fcps.map((f) => f.toFixed(0)).join(', ')} ms`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  await platform.stop();
}
