/**
 * One Jupyter notebook server per environment, run as a detached process that the platform can
 * find again after its own restart (or kill -9) by pid and port, check, and stop.
 *
 * Debian ships the classic notebook 6.x, so options are `NotebookApp.*`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { dirname, isAbsolute, posix, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { asUser, sandboxedCommand, WORKSPACE_HOME, type SandboxSupport } from '../sandbox/index.ts';
import { descendants, isAlive as isProcessAlive, procStat, signal } from '../processes/index.ts';

/** True when the process exists and is not a zombie (a dead server whose parent has not reaped it). */
export { isProcessAlive };

export interface NotebookSpec {
  /** working dir: a clone of the environment's repo */
  dir: string;
  port: number;
  /** interface to listen on; default 127.0.0.1 */
  host?: string;
  token: string;
  /** e.g. WAREHOUSE_URL, AWS_ACCESS_KEY_ID...: passed to the server and so to its kernels */
  env: Record<string, string>;
  logFile: string;
  /** URL prefix, e.g. /notebooks/env-123/ (default /) */
  baseUrl?: string;
  /**
   * Whose server this is. `home` is the workspace's home, with `dir` inside it; `uid` the
   * unprivileged user it runs as (required when the platform runs as root: a workspace never runs
   * as root); `sandbox` puts it in the workspace sandbox, where `home` becomes its whole world.
   */
  workspace?: { home: string; uid?: number; sandbox?: Extract<SandboxSupport, { available: true }> };
}

export interface NotebookProcess {
  pid: number;
  /** http://HOST:PORT/BASE/?token=...: the tree URL a person follows */
  url: string;
}

/** Marker in the server's command line, so a recycled pid is never mistaken for a notebook. */
export const MARKER = 'goldpath-notebook';

/**
 * What every server runs first, instead of the `jupyter-notebook` script: it skips the entry-point
 * lookup and two slow imports (see the comments inside), and masks tokens in the server's log.
 */
export const BOOTSTRAP_PRELUDE = String.raw`# ${MARKER}: a notebook server started by Goldpath
import os, sys
# setuptools' distutils shim (installed by a .pth at startup) drags in setuptools and pkg_resources
# (~100 ms) where the stdlib distutils does; kernels are other processes and keep it.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__module__ != '_distutils_hack']
from notebook import notebookapp
from jupyter_core.paths import jupyter_path
# Upstream adds a legacy ~/.ipython path here and imports all of IPython (~170 ms) to find it.
notebookapp.NotebookApp.nbextensions_path = property(
    lambda self: self.extra_nbextensions_path + jupyter_path('nbextensions'))
import logging, re
class _RedactTokens(logging.Filter):
    # notebook 6 logs request URIs as they came, ?token=... included
    _token = re.compile(r'(token=)[^&\s\'"]+')
    def filter(self, record):
        msg = record.getMessage()
        if 'token=' in msg:
            record.msg, record.args = self._token.sub(r'\1[secret]', msg), None
        return True
for _name in ('tornado.access', 'tornado.general', 'tornado.application', 'NotebookApp'):
    logging.getLogger(_name).addFilter(_RedactTokens())
`;

/** A server started at once: the token comes from the environment, so it never appears in `ps` output, nor in the environment of kernels. */
const BOOTSTRAP = BOOTSTRAP_PRELUDE + String.raw`
sys.argv.append('--NotebookApp.token=' + os.environ.pop('GOLDPATH_NOTEBOOK_TOKEN'))
sys.exit(notebookapp.main())
`;

/**
 * Only these variables of the platform's own environment reach the notebook: the platform holds
 * secrets (its database URL, its tokens) that a user's kernel must never see.
 */
const INHERITED_ENV = /^(HOME|USER|LOGNAME|SHELL|TERM|LANG|LANGUAGE|LC_\w+|TZ|TMPDIR|XDG_\w+|JUPYTER_\w+|PATH)$/;

/** A workspace's server gets only neutral settings: the platform's HOME, XDG_* and JUPYTER_* are not its own. */
const WORKSPACE_INHERITED_ENV = /^(TERM|LANG|LANGUAGE|LC_\w+|TZ|PATH)$/;

export function notebookEnv(spec: Pick<NotebookSpec, 'workspace' | 'env' | 'token'>): Record<string, string> {
  const env: Record<string, string> = {};
  const ws = spec.workspace;
  const inherited = ws ? WORKSPACE_INHERITED_ENV : INHERITED_ENV;
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && inherited.test(k)) env[k] = v;
  if (ws) Object.assign(env, { HOME: ws.sandbox ? WORKSPACE_HOME : ws.home, USER: 'workspace', LOGNAME: 'workspace', SHELL: '/bin/bash', TMPDIR: '/tmp' });
  Object.assign(env, spec.env);
  // Debian's python3 (with pandas, psycopg2, ...) must win over e.g. a pyenv shim, for the server,
  // its kernels and `!pip` in cells alike.
  const rest = (env.PATH ?? '').split(':').filter((p) => p && p !== '/usr/bin' && p !== '/bin');
  env.PATH = ['/usr/bin', '/bin', ...rest].join(':');
  env.GOLDPATH_NOTEBOOK_TOKEN = spec.token;
  return env;
}

export function normaliseBaseUrl(baseUrl: string | undefined): string {
  let b = baseUrl ?? '/';
  if (!b.startsWith('/')) b = '/' + b;
  if (!b.endsWith('/')) b += '/';
  return b;
}

/** The address clients use: a wildcard listen address is reached through loopback. */
export function clientHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function tail(file: string, from: number, token: string, lines = 20): string {
  try {
    const text = readFileSync(file, 'utf8').slice(from);
    // The notebook masks its token in the log already; this is a second guard.
    return text.split(token).join('<token>').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** The server's options; the token is never among them (see BOOTSTRAP). */
export function serverOptions(host: string, port: number, notebookDir: string, baseUrl: string): string[] {
  return [
    ...neutralServerOptions(host, baseUrl),
    `--NotebookApp.port=${port}`,
    '--NotebookApp.port_retries=0', // the platform chose this port and records it; never drift
    `--NotebookApp.notebook_dir=${notebookDir}`,
  ];
}

/** The options that do not depend on the environment served: a standby is set up with these alone. */
export function neutralServerOptions(host: string, baseUrl: string): string[] {
  return [
    '--no-browser',
    '--NotebookApp.open_browser=False',
    `--NotebookApp.ip=${host}`,
    `--NotebookApp.base_url=${baseUrl}`,
    '--NotebookApp.password=',
    '--NotebookApp.quit_button=False', // the platform owns the lifecycle, not the UI
  ];
}

export interface StartOptions {
  /** default 30 s */
  timeoutMs?: number;
  /**
   * Called with the pid right after the spawn, before the server answers: record it durably here,
   * so that a platform killed during startup can still find and stop the server. If it throws, the
   * server is stopped and startNotebook rejects with that error.
   */
  onSpawn?: (pid: number) => void | Promise<void>;
}

/**
 * Spawns the server detached (own session and process group: a Ctrl-C on the platform's terminal
 * does not reach it), output appended to spec.logFile, and resolves once it serves authenticated
 * API requests with the token.
 */
export async function startNotebook(spec: NotebookSpec, opts: StartOptions = {}): Promise<NotebookProcess> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const host = spec.host ?? '127.0.0.1';
  const baseUrl = normaliseBaseUrl(spec.baseUrl);
  if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535) {
    throw new Error(`notebook: port must be an integer between 1 and 65535, got ${spec.port}`);
  }
  if (!spec.token) throw new Error('notebook: token must not be empty');
  if (!existsSync(spec.dir) || !statSync(spec.dir).isDirectory()) {
    throw new Error(`notebook: working directory ${spec.dir} does not exist`);
  }

  mkdirSync(dirname(spec.logFile), { recursive: true });
  const logFd = openSync(spec.logFile, 'a');
  const logStart = statSync(spec.logFile).size;
  writeSync(logFd, `--- goldpath: starting notebook on ${host}:${spec.port} at ${new Date().toISOString()}\n`);

  const ws = spec.workspace;
  if (process.getuid?.() === 0 && ws?.uid === undefined) {
    throw new Error('notebook: a workspace never runs as root; give workspace.uid, an unprivileged user of its own');
  }
  let notebookDir = spec.dir;
  if (ws) {
    const rel = relative(ws.home, spec.dir);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`notebook: working directory ${spec.dir} is not inside the workspace home ${ws.home}`);
    if (ws.sandbox) notebookDir = posix.join(WORKSPACE_HOME, rel);
  }
  const args = ['-c', BOOTSTRAP, ...serverOptions(host, spec.port, notebookDir, baseUrl)];
  const server = ['/usr/bin/python3', ...args];
  let command = { file: 'python3', args };
  if (ws?.sandbox) command = sandboxedCommand(ws.sandbox, { home: ws.home, cwd: notebookDir, uid: ws.uid }, server);
  else if (ws?.uid !== undefined) {
    const [file, ...rest] = asUser(ws.uid, server);
    command = { file, args: rest };
  }
  const child = spawn(command.file, command.args, {
    cwd: spec.dir,
    env: notebookEnv(spec),
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  child.unref();

  const { exit, exited } = watchExit(child, 'is Debian\'s jupyter-notebook installed?');

  const pid = child.pid;
  const where = `${host}:${spec.port}`;
  if (pid === undefined) {
    await sleep(0); // let the 'error' event land
    throw new Error(`notebook on ${where}: python3 ${exited ?? 'could not be started'}`);
  }

  if (opts.onSpawn) {
    try {
      await opts.onSpawn(pid);
    } catch (err) {
      await stopNotebook(pid);
      throw err;
    }
  }

  await waitUntilServing({ pid, host, port: spec.port, token: spec.token, baseUrl, logFile: spec.logFile, logStart, timeoutMs, exit, exited });
  return { pid, url: `http://${clientHost(host)}:${spec.port}${baseUrl}?token=${encodeURIComponent(spec.token)}` };
}

/**
 * How a server process ended, as soon as it does: a probe can hang when something else holds the
 * port, so an exit must end the wait at once. `exit` resolves (false) then; `exited` says how.
 */
export function watchExit(child: ChildProcess, hintIfNotRun: string): { exit: Promise<false>; exited: () => string | undefined } {
  let exited: string | undefined;
  let onExit = (): void => {};
  const exit = new Promise<false>((resolve) => (onExit = () => resolve(false)));
  child.once('exit', (code, signal) => {
    exited = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    onExit();
  });
  child.once('error', (err) => {
    exited = `could not be run (${err.message}); ${hintIfNotRun}`;
    onExit();
  });
  return { exit, exited: () => exited };
}

export interface ServerStart {
  pid: number;
  host: string;
  port: number;
  token: string;
  baseUrl: string;
  logFile: string;
  /** Where this start's lines begin in the log, for the error's last lines. */
  logStart: number;
  timeoutMs: number;
  /** Resolves (false) when the process exits; `exited` says how. */
  exit: Promise<false>;
  exited: () => string | undefined;
}

/** Resolves once the server answers authenticated API requests; stops it on a timeout. */
export async function waitUntilServing(s: ServerStart): Promise<void> {
  const where = `${s.host}:${s.port}`;
  const deadline = Date.now() + s.timeoutMs;
  for (;;) {
    if (s.exited()) {
      throw new Error(`notebook on ${where} ${s.exited()} before answering. Last lines of ${s.logFile}:\n${tail(s.logFile, s.logStart, s.token)}`);
    }
    if (await Promise.race([answers(s.port, s.token, clientHost(s.host), s.baseUrl, 1000), s.exit])) return;
    if (s.exited()) continue; // report the exit, not a timeout
    if (Date.now() >= deadline) {
      await stopNotebook(s.pid);
      throw new Error(`notebook on ${where} did not answer within ${s.timeoutMs} ms and was stopped. Last lines of ${s.logFile}:\n${tail(s.logFile, s.logStart, s.token)}`);
    }
    await sleep(25); // a refused connect is cheap; every ms here is launch latency
  }
}

function answers(port: number, token: string, host: string, baseUrl: string, timeoutMs: number): Promise<boolean> {
  // /api alone is public in notebook 6 (it only tells the version); /api/status needs the token,
  // so a 200 proves this is our server and that the token works.
  return new Promise((resolve) => {
    const req = request(
      { host: host.replace(/^\[|\]$/g, ''), port, path: `${baseUrl}api/status`, headers: { Authorization: `token ${token}` }, timeout: timeoutMs, agent: false },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** True when the notebook on this port answers an authenticated API request quickly. */
export async function notebookAnswers(port: number, token: string, host?: string, baseUrl?: string): Promise<boolean> {
  return answers(port, token, clientHost(host), normaliseBaseUrl(baseUrl), 2000);
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isOurNotebook(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(MARKER);
  } catch {
    return true; // no /proc: trust the caller's pid
  }
}

/**
 * SIGTERM to the server and everything below it (the server then shuts its kernels down), wait up
 * to ~5 s, then SIGKILL whatever is left. The whole tree, not only the process group: in a sandbox
 * the server runs in a session of its own under bwrap, and kernels start sessions of their own too.
 * Idempotent: a pid that is gone is not an error, and a pid that now belongs to another program is
 * left alone.
 */
export async function stopNotebook(pid: number): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 0) return;
  if (isProcessAlive(pid) && !isOurNotebook(pid)) return; // the pid was recycled
  if (!groupExists(pid) && !isProcessAlive(pid)) return;
  const tree = [pid, ...descendants(pid)];
  const alive = () => tree.filter((p) => isProcessAlive(p));
  signal(-pid, 'SIGTERM');
  for (const p of tree) signal(p, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while ((alive().length || groupExists(pid)) && Date.now() < deadline) await sleep(25);
  signal(-pid, 'SIGKILL');
  for (const k of alive()) {
    const st = procStat(k);
    if (!st || st.state === 'Z') continue;
    // A kernel leads its own group: take its subprocesses (e.g. a shell from a cell) with it.
    signal(st.pgid === k ? -k : k, 'SIGKILL');
  }
  for (let i = 0; i < 40 && (groupExists(pid) || alive().length); i++) await sleep(25);
}

/** A port nobody listens on right now (the OS picks it). */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('findFreePort: no port assigned'))));
    });
  });
}
