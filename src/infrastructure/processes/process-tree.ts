/**
 * Workspace processes as /proc shows them, and ending one with everything it started. A sandboxed
 * process runs under bwrap in a session of its own, and what it starts (kernels, terminals, a
 * build's compilers) may start sessions of their own too, so the process group alone would not
 * reach them: the whole tree is found through /proc. Used by every driver that runs a workspace
 * process (notebooks, the IDE, builds and services).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** State letter, parent and process group from /proc/<pid>/stat; undefined when it is gone. */
export function procStat(pid: number): { state: string; ppid: number; pgid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** True when the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return procStat(pid)?.state !== 'Z';
}

/** The process's command line, or '' when it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Every process below pid, children first. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const p = procStat(Number(e));
    if (!p) continue;
    children.set(p.ppid, [...(children.get(p.ppid) ?? []), Number(e)]);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** Sends a signal to a pid (or a group, negative); no error when it is gone. */
export function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // already gone
  }
}

/**
 * SIGTERM to the process, its group and every descendant; SIGKILL to what is left after `graceMs`.
 * No error when it is gone already.
 */
export async function stopTree(pid: number, graceMs = 3000): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 0) return;
  const tree = [pid, ...descendants(pid)];
  const alive = () => tree.filter(isAlive);
  if (!alive().length) return;
  signal(-pid, 'SIGTERM');
  for (const p of tree) signal(p, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive().length && Date.now() < deadline) await sleep(20);
  signal(-pid, 'SIGKILL');
  for (const p of [...alive(), ...descendants(pid)]) signal(p, 'SIGKILL');
  for (let i = 0; i < 100 && alive().length; i++) await sleep(20);
}
