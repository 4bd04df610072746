// npm run bench:up — `goldpath up` to a healthy API: the first start (initdb, migrations, warehouse
// seeding) and the starts after it, which the target (≤ 5 s) is about.
import { rmSync } from 'node:fs';
import { startPlatformProcess } from '../test/support/platform-process.ts';

const timeStart = async (home?: string, port?: number) => {
  const t0 = performance.now();
  const p = await startPlatformProcess({ home, port });
  for (;;) {
    const res = await fetch(`${p.url}/api/v1/health`).catch(() => null);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { p, ms: performance.now() - t0 };
};

const first = await timeStart();
await first.p.stop();
const again: number[] = [];
for (let i = 0; i < 5; i++) {
  const run = await timeStart(first.p.home, first.p.port);
  again.push(run.ms);
  await run.p.stop();
}
rmSync(first.p.home, { recursive: true, force: true });
again.sort((a, b) => a - b);
console.log(`goldpath up → healthy: first start ${(first.ms / 1000).toFixed(2)} s; after the first run (5 starts) median ${(again[2] / 1000).toFixed(2)} s, max ${(again[4] / 1000).toFixed(2)} s`);
