// Measures notebook startup (spawn to authenticated API answering), which is on the launch
// critical path: node src/infrastructure/jupyter/measure-startup.ts [runs]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startNotebook, stopNotebook } from './notebook.ts';

const runs = Number(process.argv[2] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'goldpath-nb-bench-'));
const times: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const port = await findFreePort();
    const t0 = performance.now();
    const nb = await startNotebook({ dir, port, token: `bench-${i}`, env: {}, logFile: join(dir, 'notebook.log') });
    times.push(performance.now() - t0);
    await stopNotebook(nb.pid);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]);
console.log(JSON.stringify({ runs, minMs: at(0), p50Ms: at(0.5), p95Ms: at(0.95), maxMs: at(1) }));
