// npm run bench:front-door — what the front door costs a notebook's requests.
// Starts a real platform (bin/goldpath up), launches Data Science Experimentation, then times the
// same Jupyter request (GET api/status) straight to the server (its port and token, which only the
// platform knows), through the door's stable URL with an API token, and through the workspace's own
// origin with the browser's cookie; 300 of each, one after another, and 8 at a time. Then a kernel
// message round trip over the WebSocket, straight and through the door.
import { loadavg } from 'node:os';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import type { EnvironmentView } from '../src/domain/environment/schema.ts';
import { startPlatformProcess, type PlatformProcess } from '../test/support/platform-process.ts';
import { localTokens } from '../test/support/local-accounts.ts';

const N = 300;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function get(url: string, headers: Record<string, string>): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(u.port), path: u.pathname + u.search, headers: { host: u.host, ...headers }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function timed(what: string, url: string, headers: Record<string, string>): Promise<void> {
  for (let i = 0; i < 20; i++) await get(url, headers); // warm the connections and caches
  const one: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const status = await get(url, headers);
    one.push(performance.now() - t0);
    if (status !== 200) throw new Error(`${what}: HTTP ${status}`);
  }
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let i = 0; i < N / 8; i++) await get(url, headers);
  }));
  const rate = N / ((performance.now() - t0) / 1000);
  console.log(`  ${what.padEnd(44)} p50 ${ms(pct(one, 50))}  p95 ${ms(pct(one, 95))}  8 at a time: ${rate.toFixed(0)} req/s`);
}

/** Milliseconds for a kernel_info request and its reply over the kernel's channels. */
async function kernelRoundTrips(base: string, headers: Record<string, string>): Promise<number[]> {
  const started = await fetch(`${base}api/kernels`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
  const { id } = (await started.json()) as { id: string };
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}api/kernels/${id}/channels`, { headers });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const msgId = `m${i}`;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const on = (data: WebSocket.RawData) => {
        const m = JSON.parse(String(data)) as { parent_header?: { msg_id?: string }; header: { msg_type: string } };
        if (m.parent_header?.msg_id === msgId && m.header.msg_type === 'kernel_info_reply') {
          ws.off('message', on);
          resolve();
        }
      };
      ws.on('message', on);
      ws.send(JSON.stringify({ header: { msg_id: msgId, username: 'bench', session: 's', msg_type: 'kernel_info_request', version: '5.3' }, parent_header: {}, metadata: {}, content: {}, channel: 'shell', buffers: [] }));
    });
    if (i >= 10) times.push(performance.now() - t0);
  }
  ws.close();
  await fetch(`${base}api/kernels/${id}`, { method: 'DELETE', headers });
  return times;
}

let platform: PlatformProcess | undefined;
try {
  console.log(`machine load (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  platform = await startPlatformProcess();
  const env = await platform.cliJson<EnvironmentView>(['launch', 'data-science-experimentation', '--wait']);
  const url = String(env.resources.find((r) => r.id === 'notebook')!.outputs.url);
  const token = localTokens(platform.home)[env.owner];
  const run = JSON.parse(readFileSync(join(platform.home, 'envs', env.id, 'notebook', 'run.json'), 'utf8')) as { port: number; token: string };
  const direct = `http://127.0.0.1:${run.port}/`;
  const bearer = { authorization: `Bearer ${token}` };

  // The browser's way in: a ticket, then the workspace origin's cookie.
  const t = await fetch(`${platform.url}/w/_/tickets`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ environment: env.id, resource: 'notebook', path: '/' }) });
  const enter = new URL(((await t.json()) as { location: string }).location);
  const cookie = await new Promise<string>((resolve, reject) => {
    request({ host: '127.0.0.1', port: Number(enter.port), path: enter.pathname + enter.search, headers: { host: enter.host } }, (res) => {
      res.resume();
      resolve(String(res.headers['set-cookie']?.[0]).split(';')[0]);
    }).on('error', reject).end();
  });

  console.log(`GET api/status, ${N} one after another (p50, p95) and ${N} 8 at a time:`);
  await timed('straight to Jupyter (port and token)', `${direct}api/status`, { authorization: `token ${run.token}` });
  await timed('front door, stable URL, API token', `${url}api/status`, bearer);
  await timed('front door, workspace origin, cookie', `${enter.origin}/api/status`, { cookie });

  console.log('kernel_info round trip over the WebSocket (90 after 10 to warm up):');
  const straight = await kernelRoundTrips(direct, { authorization: `token ${run.token}` });
  console.log(`  ${'straight to Jupyter'.padEnd(44)} p50 ${ms(pct(straight, 50))}  p95 ${ms(pct(straight, 95))}`);
  const door = await kernelRoundTrips(url, bearer);
  console.log(`  ${'front door, stable URL, API token'.padEnd(44)} p50 ${ms(pct(door, 50))}  p95 ${ms(pct(door, 95))}`);
  console.log(`machine load after (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  agent.destroy();
  await platform?.stop();
  if (platform) rmSync(platform.home, { recursive: true, force: true });
}
