import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The script this process runs (the CLI's sources or its bundle): what the lock knows it by. */
const entry = process.argv[1] ?? '';

/**
 * Is pid still the platform that wrote the lock? After a crash its number may belong to another
 * program by now: it must run the same script. A lock without one (written before it was kept)
 * is checked against the CLI's known entries.
 */
function platformAlive(pid: number, script: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return script ? cmdline.includes(script) : cmdline.includes('cli/main.ts') || cmdline.includes('cli/goldpath.js');
  } catch {
    return true; // no /proc here: trust the signal check
  }
}

/**
 * One platform per data folder: a second `goldpath up` on the same folder would take the first
 * one's PostgreSQL for an orphan and stop it. The lock names the running platform so the message
 * can say where it is.
 */
export function lockHome(home: string, url: string): () => void {
  const file = join(home, 'platform.lock');
  if (existsSync(file)) {
    const held = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; url: string; entry?: string };
    if (held.pid !== process.pid && platformAlive(held.pid, held.entry)) {
      throw new Error(`Goldpath is already running from ${home} (process ${held.pid}) at ${held.url}: use it, stop it with Ctrl-C, or start another with --data-dir`);
    }
  }
  writeFileSync(file, JSON.stringify({ pid: process.pid, url, entry }));
  return () => rmSync(file, { force: true });
}

/** Fails before anything starts when a port the platform needs is taken. */
export async function ensurePortsFree(host: string, ports: { port: number; what: string; option: string }[]): Promise<void> {
  for (const p of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(p.port, host, () => s.close(() => resolve(true)));
    });
    if (!free) throw new Error(`port ${p.port} (${p.what}) is in use: stop the program using it, or start with ${p.option}`);
  }
}
