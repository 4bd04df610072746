// npm run bench:assistant — how well and how fast the offline assistant understands. Target (issue 15):
// ≥ 95 % of the test set right, 100 % of unknown requests become questions, p95 ≤ 20 ms offline.
//
// Two figures, labelled:
//  1. IN-PROCESS: the parser alone (src/domain/assistant) over the test set
//     (src/domain/assistant/sentences.test-set.ts), against the shipped path files: accuracy, and
//     p50/p95 per sentence with the vocabulary built (it is built once per 10 s by the platform).
//  2. THROUGH THE DOOR: POST /api/v1/assistant with an API token against a real platform, every
//     sentence of the test set in turn: authentication, the reads it needs (paths, teams and catalog
//     words, cached; the caller's environments, each time), the understanding, and the answer
//     (reads such as spend, docs or catalog search are carried out; changes only proposed, nothing
//     is confirmed, so the bench launches nothing).
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { testSet } from '../src/domain/assistant/sentences.test-set.ts';
import { understand } from '../src/domain/assistant/understand.ts';
import { judge } from '../src/domain/assistant/judge.ts';
import { testKnown } from '../src/engine/assistant/test-known.ts';
import { settled, startPlatformProcess } from '../test/support/platform-process.ts';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

// ---- 1. in-process --------------------------------------------------------------------------------
const known = testKnown();
const wrong: string[] = [];
let unknownActed = 0;
for (const s of testSet) {
  const u = understand(s.text, known);
  const why = judge(s, u);
  if (why) wrong.push(`  "${s.text}": ${why}`);
  if (s.intent === 'unknown' && (u.intent !== 'unknown' || !u.question)) unknownActed++;
}
const unknowns = testSet.filter((s) => s.intent === 'unknown').length;
const rounds = Number(process.env.BENCH_ROUNDS) || 20;
const inProcess: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const s of testSet) {
    const t = performance.now();
    understand(s.text, known);
    inProcess.push(performance.now() - t);
  }
}
console.log(`\nIN-PROCESS (the parser alone, ${testSet.length} sentences, ${rounds} rounds)`);
console.log(`  accuracy ${(((testSet.length - wrong.length) / testSet.length) * 100).toFixed(1)} % (${testSet.length - wrong.length}/${testSet.length})   (target ≥ 95 %)`);
console.log(`  unknown requests that became questions: ${unknowns - unknownActed}/${unknowns}   (target all)`);
if (wrong.length) console.log(wrong.join('\n'));
console.log(`  per sentence: p50 ${fmt(pct(inProcess, 50))}, p95 ${fmt(pct(inProcess, 95))}, max ${fmt(Math.max(...inProcess))}`);

// ---- 2. through the door ----------------------------------------------------------------------------
const platform = await startPlatformProcess();
await settled(platform);
try {
  const token = (JSON.parse(readFileSync(join(platform.home, 'credentials.json'), 'utf8')) as { tokens: Record<string, string> }).tokens.dana;
  const ask = async (text: string) => {
    const t = performance.now();
    const res = await fetch(`${platform.url}/api/v1/assistant`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    const body = (await res.json()) as { understood?: { intent: string }; proposal?: unknown; error?: { message: string } };
    if (res.status >= 500) throw new Error(`${text}: ${res.status} ${body.error?.message}`);
    return { ms: performance.now() - t, intent: body.understood?.intent };
  };
  const get = async (path: string) => {
    const t = performance.now();
    const res = await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    return performance.now() - t;
  };
  for (let i = 0; i < 10; i++) await ask(testSet[i].text);
  // What any request costs on this machine right now, for scale: authentication alone, and the
  // caller's environments (which the assistant reads on every sentence).
  const baseline = { me: [] as number[], envs: [] as number[] };
  for (let i = 0; i < 100; i++) {
    baseline.me.push(await get('/api/v1/me'));
    baseline.envs.push(await get('/api/v1/environments?mine=true'));
  }
  const http: number[] = [];
  const byIntent = new Map<string, number[]>();
  let agree = 0;
  const httpRounds = Number(process.env.BENCH_HTTP_ROUNDS) || 2;
  for (let r = 0; r < httpRounds; r++) {
    for (const s of testSet) {
      const a = await ask(s.text);
      http.push(a.ms);
      if (a.intent === s.intent) agree++;
      byIntent.set(s.intent, [...(byIntent.get(s.intent) ?? []), a.ms]);
    }
  }
  console.log(`\nTHROUGH THE DOOR (POST /api/v1/assistant with a token, ${testSet.length} sentences × ${httpRounds})`);
  console.log(`  per request: p50 ${fmt(pct(http, 50))}, p95 ${fmt(pct(http, 95))}, max ${fmt(Math.max(...http))}   (target p95 ≤ 20 ms)`);
  console.log(`  beside it, for scale: GET /api/v1/me p50 ${fmt(pct(baseline.me, 50))}, p95 ${fmt(pct(baseline.me, 95))}; GET /api/v1/environments?mine=true p50 ${fmt(pct(baseline.envs, 50))}, p95 ${fmt(pct(baseline.envs, 95))}`);
  for (const [intent, xs] of byIntent) console.log(`    ${intent.padEnd(18)} p50 ${fmt(pct(xs, 50))}, p95 ${fmt(pct(xs, 95))}`);
  console.log(`  same intent as in-process: ${((agree / http.length) * 100).toFixed(1)} %   (dana has no environments on a fresh platform, so "stop my notebook" asks which)`);
} finally {
  await platform.stop();
}
console.log(`\nload after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
