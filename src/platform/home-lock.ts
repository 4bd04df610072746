import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** Is pid a live platform? (After a crash its number may belong to another program by now.) */
function platformAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The CLI from its sources or from its bundle (scripts/build-cli.ts).
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('cli/main.ts') || cmdline.includes('cli/goldpath.js');
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
    const held = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; url: string };
    if (held.pid !== process.pid && platformAlive(held.pid)) {
      throw new Error(`Goldpath is already running from ${home} (process ${held.pid}) at ${held.url}: use it, stop it with Ctrl-C, or start another with --data-dir`);
    }
  }
  writeFileSync(file, JSON.stringify({ pid: process.pid, url }));
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
