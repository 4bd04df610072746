import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { findFreePort, isProcessAlive } from '../../infrastructure/jupyter/index.ts';
import { claimUid, handOver, releaseUid, sandboxedCommand, WORKSPACE_HOME, type SandboxSupport } from '../../infrastructure/sandbox/index.ts';
import { defineDriver, PermanentDriverError, type Driver } from '../driver.ts';
import { newPassword } from './secrets.ts';

/** A cache takes nothing: its size and its settings are the platform's (see `redisConfig`). */
export const cacheParams = z.strictObject({});

export const cacheOutputs = z.strictObject({
  url: z.string().describe('redis://:password@127.0.0.1:port'),
  host: z.string(),
  port: z.number().int(),
  password: z.string(),
});

/** What a cache resource takes and gives on this target; the path loader checks paths against it. */
export const cacheDeclaration = { type: 'cache', target: 'local', params: cacheParams, outputs: cacheOutputs };

export interface CacheDriverOptions {
  /** Each cache's folder is <workDir>/<env>/<resource>; uids are claimed in <workDir>/.uids, beside the notebooks'. */
  workDir: string;
  sandbox: SandboxSupport;
  /** Memory a cache may use before it evicts (default 64mb). */
  maxMemory?: string;
  redisServer?: string;
}

export interface CacheDriver extends Driver {
  /** Stops every cache this platform process started or found (on a clean shutdown); the next start provisions them again. */
  stopAll(): Promise<void>;
}

interface RunFile {
  pid: number;
  port: number;
  password: string;
}

const HOST = '127.0.0.1';

/**
 * Redis for one cache: loopback only, a password, nothing written to disk (it is a cache: a
 * restart empties it), a small memory ceiling with eviction, and the commands that could change
 * that from a client (CONFIG, DEBUG, MODULE) switched off.
 */
export function redisConfig(port: number, password: string, maxMemory: string): string {
  return [
    `bind ${HOST}`, `port ${port}`, 'protected-mode yes', `requirepass ${password}`,
    'save ""', 'appendonly no', `dir ${WORKSPACE_HOME}`, 'daemonize no', 'logfile ""',
    `maxmemory ${maxMemory}`, 'maxmemory-policy allkeys-lru', 'databases 4',
    'enable-debug-command no', 'enable-module-command no', 'rename-command CONFIG ""',
    '',
  ].join('\n');
}

/**
 * Sends RESP commands and reads one reply line per command: enough to AUTH and PING, here and in
 * the tests, without a client library.
 */
export function redisCommands(port: number, commands: string[][], timeoutMs = 2000, host = HOST): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let buffer = '';
    const done = (err: Error | null, lines?: string[]) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(lines!);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`)));
    socket.on('error', (e) => done(e));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\r\n').filter((l, i, all) => i < all.length - 1).filter((l) => !/^\$\d+$/.test(l) || l === '$-1');
      if (lines.length >= commands.length) done(null, lines.slice(0, commands.length));
    });
    socket.on('connect', () => {
      socket.write(commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join(''));
    });
  });
}

const portIsFree = (port: number): Promise<boolean> => new Promise((resolve) => {
  const probe = createServer();
  probe.once('error', () => resolve(false));
  probe.listen(port, HOST, () => probe.close(() => resolve(true)));
});

const answers = async (run: RunFile): Promise<boolean> => {
  try {
    const [auth, pong] = await redisCommands(run.port, [['AUTH', run.password], ['PING']], 1000);
    return auth === '+OK' && pong === '+PONG';
  } catch {
    return false;
  }
};

/** The sandbox of this cache, recognised by its own folder on its command line (a recycled pid is someone else's). */
const isOurs = (pid: number, home: string): boolean => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(home);
  } catch {
    return false;
  }
};

/** Every process below `pid`: bwrap starts the server in a session of its own, so a signal to bwrap's group misses it. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch { /* gone meanwhile */ }
  }
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) for (const c of children.get(stack.pop()!) ?? []) (out.push(c), stack.push(c));
  return out;
}

async function stopProcess(pid: number, home: string): Promise<void> {
  if (!isProcessAlive(pid) || !isOurs(pid, home)) return;
  const tree = [pid, ...descendants(pid)];
  const signal = (s: NodeJS.Signals) => tree.forEach((p) => {
    try {
      process.kill(p, s);
    } catch { /* gone */ }
  });
  const alive = () => tree.some((p) => isProcessAlive(p));
  signal('SIGTERM');
  for (let i = 0; i < 100 && alive(); i++) await sleep(20);
  if (alive()) signal('SIGKILL');
  for (let i = 0; i < 50 && alive(); i++) await sleep(20);
}

/**
 * A Redis server per cache resource (Debian's redis-server), run in the workspace sandbox as a uid
 * of its own, with a password, on a free loopback port. Under <workDir>/<env>/<resource>:
 *   home       the only host folder the sandbox sees (its config, 0600, owned by its uid)
 *   run.json   pid, port and password, written the moment it starts (outside the sandbox)
 *   redis.log  its output (outside the sandbox)
 */
export function cacheDriver(opts: CacheDriverOptions): CacheDriver {
  const claimsDir = join(opts.workDir, '.uids');
  const dirOf = (envId: string, resourceId: string) => join(opts.workDir, envId, resourceId);
  const owner = (envId: string, resourceId: string) => `${envId}/${resourceId}`;
  const running = new Map<number, string>();
  const readRun = async (dir: string): Promise<RunFile | null> => {
    try {
      return JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunFile;
    } catch {
      return null;
    }
  };
  const outputs = (run: RunFile) => ({ url: `redis://:${run.password}@${HOST}:${run.port}`, host: HOST, port: run.port, password: run.password });
  const stopRun = async (dir: string) => {
    const run = await readRun(dir);
    if (!run) return;
    await stopProcess(run.pid, join(dir, 'home'));
    running.delete(run.pid);
  };

  const driver = defineDriver({
    ...cacheDeclaration,
    async provision({ environmentId, resourceId }) {
      if (!opts.sandbox.available) {
        throw new PermanentDriverError(`a cache runs in the workspace sandbox, and this host has none (${opts.sandbox.reason}); ask the platform team to install bubblewrap`);
      }
      const dir = dirOf(environmentId, resourceId);
      const home = join(dir, 'home');
      const existing = await readRun(dir);
      if (existing && isProcessAlive(existing.pid) && isOurs(existing.pid, home) && (await answers(existing))) {
        running.set(existing.pid, home);
        return { state: { ...existing }, outputs: outputs(existing) };
      }
      if (existing) await stopRun(dir);
      const uid = process.getuid?.() === 0 ? await claimUid(claimsDir, owner(environmentId, resourceId)) : undefined;
      await mkdir(home, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
      // The same port (and password) as before when it is still free: the service was started with this URL.
      const port = existing && (await portIsFree(existing.port)) ? existing.port : await findFreePort(HOST);
      const run: RunFile = { pid: 0, port, password: existing?.password ?? newPassword() };
      await writeFile(join(home, 'redis.conf'), redisConfig(run.port, run.password, opts.maxMemory ?? '64mb'), { mode: 0o600 });
      if (uid !== undefined) await handOver(home, uid, uid);

      const logFile = join(dir, 'redis.log');
      const log = openSync(logFile, 'a', 0o600);
      writeSync(log, `--- goldpath: starting the cache on ${HOST}:${run.port} at ${new Date().toISOString()}\n`);
      const command = sandboxedCommand(opts.sandbox, { home, uid }, [opts.redisServer ?? '/usr/bin/redis-server', `${WORKSPACE_HOME}/redis.conf`]);
      // Its own session (a Ctrl-C on the platform's terminal does not reach it) and none of the platform's environment.
      const child = spawn(command.file, command.args, { detached: true, stdio: ['ignore', log, log], env: { PATH: '/usr/bin:/bin', HOME: WORKSPACE_HOME } });
      closeSync(log);
      child.unref();
      let exited: string | undefined;
      child.once('exit', (code, signal) => (exited = signal ? `was killed by ${signal}` : `exited with code ${code}`));
      child.once('error', (e) => (exited = `could not be run (${e.message}); is Debian's redis-server installed?`));
      if (child.pid === undefined) {
        await sleep(0);
        throw new Error(`the cache ${exited ?? 'could not be started'}`);
      }
      run.pid = child.pid;
      await writeFile(join(dir, 'run.json'), JSON.stringify(run), { mode: 0o600 });
      running.set(run.pid, home);
      for (const deadline = Date.now() + 10_000; ;) {
        if (await answers(run)) break;
        if (exited || Date.now() > deadline) {
          await stopProcess(run.pid, home);
          const tail = (await readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join('\n');
          throw new Error(`the cache on ${HOST}:${run.port} ${exited ?? 'did not answer within 10 s'}: ${tail}`);
        }
        await sleep(20);
      }
      return { state: { ...run, sandboxed: true, ...(uid !== undefined ? { uid } : {}) }, outputs: outputs(run) };
    },
    async status({ environmentId, resourceId }) {
      const dir = dirOf(environmentId, resourceId);
      const run = await readRun(dir);
      if (!run || !isProcessAlive(run.pid) || !isOurs(run.pid, join(dir, 'home'))) return { healthy: false, message: 'the cache is not running' };
      running.set(run.pid, join(dir, 'home')); // found after a restart: a clean shutdown stops it too
      return (await answers(run)) ? { healthy: true } : { healthy: false, message: 'the cache does not answer' };
    },
    async stop({ environmentId, resourceId }) {
      await stopRun(dirOf(environmentId, resourceId));
    },
    async deprovision({ environmentId, resourceId }) {
      const dir = dirOf(environmentId, resourceId);
      await stopRun(dir);
      await rm(dir, { recursive: true, force: true });
      // Only after its files are gone: a reused uid must never find a predecessor's files.
      await releaseUid(claimsDir, owner(environmentId, resourceId));
    },
  });
  return Object.assign(driver, {
    async stopAll() {
      await Promise.all([...running].map(([pid, home]) => stopProcess(pid, home)));
      running.clear();
    },
  });
}
