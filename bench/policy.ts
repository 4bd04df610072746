// npm run bench:policy — what a policy decision costs. Target (issue 10): p99 ≤ 1 ms per decision.
//
// Two figures, labelled:
//  1. IN-PROCESS: the policy engine alone (the shipped policies, stateful Cedar), over a mix of the
//     decisions the API makes: environments by principal and data class, launches, approvals and
//     catalog writes. Decisions per second on one core, and p50/p99/max per decision.
//  2. THROUGH THE DOOR: HTTP with a token against a real platform: GET /api/v1/environments/{id}
//     (authentication, one `read` and one `readCredentials` decision, the database read, the audit
//     row) beside GET /api/v1/me (authentication only) in the same run, interleaved; the difference
//     is what deciding (and recording it) adds to a request.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { PolicyAction, PolicyEntity } from '../src/domain/policy/decision.ts';
import { ApiClient } from '../src/cli/client.ts';
import { shippedPolicies } from '../test/support/policies.ts';
import { settled, startPlatformProcess } from '../test/support/platform-process.ts';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

// ---- 1. in-process --------------------------------------------------------------------------------
const engine = shippedPolicies();
const user = (id: string, team: string, admin = false): PolicyEntity => ({ type: 'User', id, attrs: { admin }, parents: [{ type: 'Team', id: team }] });
const people = [user('dana', 'churn-analytics'), user('ravi', 'churn-analytics'), user('mei', 'payments'), user('priya', 'web', true)];
const ref = (type: string, id: string) => ({ entity: { type, id } });
const requests: { principal: PolicyEntity; action: PolicyAction; resource: PolicyEntity; context?: Record<string, never> }[] = [];
for (const principal of people) {
  for (const dataClass of ['', 'synthetic', 'masked', 'sensitive']) {
    const env: PolicyEntity = { type: 'Environment', id: 'e1a2b3c4d5', attrs: { team: ref('Team', 'churn-analytics'), owner: ref('User', 'dana'), dataClass, path: 'p' } };
    for (const action of ['read', 'readCredentials', 'stop', 'delete'] as const) requests.push({ principal, action, resource: env });
    requests.push({ principal, action: 'launch', resource: { type: 'Path', id: 'p', attrs: { dataClass } }, context: { team: ref('Team', 'churn-analytics') } as never });
  }
  requests.push({ principal, action: 'decideApproval', resource: { type: 'Approval', id: 'a1', attrs: { approverTeam: ref('Team', 'payments'), requestedBy: ref('User', 'dana'), environmentTeam: ref('Team', 'churn-analytics') } } });
  requests.push({ principal, action: 'registerEntity', resource: { type: 'CatalogEntity', id: 'component:default/x', attrs: { source: 'api', ownerTeam: ref('Team', 'churn-analytics') } }, context: { source: 'api' } as never });
}
for (let i = 0; i < 5000; i++) engine.decide(requests[i % requests.length]); // warm up
const n = Number(process.env.BENCH_DECISIONS) || 100_000;
const samples = new Array<number>(n);
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const s = performance.now();
  engine.decide(requests[i % requests.length]);
  samples[i] = performance.now() - s;
}
const total = performance.now() - t0;
console.log(`\nIN-PROCESS (policy engine alone, ${requests.length} kinds of request, ${n.toLocaleString()} decisions)`);
console.log(`  ${Math.round(n / (total / 1000)).toLocaleString()} decisions/s on one core`);
console.log(`  per decision: p50 ${fmt(pct(samples, 50))}, p99 ${fmt(pct(samples, 99))}, max ${fmt(Math.max(...samples))}   (target p99 ≤ 1 ms)`);

// ---- 2. through the door ----------------------------------------------------------------------------
const platform = await startPlatformProcess();
await settled(platform);
try {
  const token = (JSON.parse(readFileSync(join(platform.home, 'credentials.json'), 'utf8')) as { tokens: Record<string, string> }).tokens.dana;
  const api = new ApiClient(platform.url, token);
  const env = await api.request<{ id: string }>('POST', '/api/v1/environments', { path: 'sql-data-querying', name: 'bench-policy' });
  const runs = Number(process.env.BENCH_RUNS) || 300;
  const http = { me: [] as number[], env: [] as number[] };
  const get = async (path: string) => {
    const s = performance.now();
    const res = await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return performance.now() - s;
  };
  for (let i = 0; i < 20; i++) await get('/api/v1/me');
  for (let i = 0; i < runs; i++) {
    http.me.push(await get('/api/v1/me'));
    http.env.push(await get(`/api/v1/environments/${env.id}`));
  }
  console.log(`\nTHROUGH THE DOOR (HTTP with a token, ${runs} each, interleaved)`);
  console.log(`  GET /api/v1/me                  p50 ${fmt(pct(http.me, 50))}, p99 ${fmt(pct(http.me, 99))}   (authentication only)`);
  console.log(`  GET /api/v1/environments/{id}   p50 ${fmt(pct(http.env, 50))}, p99 ${fmt(pct(http.env, 99))}   (+ read and readCredentials decisions, the database read, the audit row)`);
} finally {
  await platform.stop();
}
console.log(`\nload after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
