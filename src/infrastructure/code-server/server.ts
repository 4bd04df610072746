/**
 * One code-server (VS Code in the browser) per workspace, run as a detached process that the
 * platform can find again after its own restart by pid and port, check, and stop.
 *
 * It listens on a loopback port with password authentication, and the password is never typed:
 * HASHED_PASSWORD is a random secret, which code-server compares with its session cookie as it is
 * (its legacy "SHA256" method), so the front door sends `Cookie: code-server-session=<secret>`
 * with every request. A unix socket with `--auth none` was the other choice, but the socket would
 * sit in a folder the workspace can write: a tenant could swap it for a link to one of the host's
 * sockets and have the platform, which connects as root, talk to that.
 */
import { spawn } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { asUser, sandboxedCommand, WORKSPACE_HOME, type SandboxSupport } from '../sandbox/index.ts';
import { isAlive, stopTree } from '../processes/index.ts';
import { ENTRY, type CodeServerInstall } from './install.ts';

/** The session cookie code-server checks. */
export const SESSION_COOKIE = 'code-server-session';

/** Where the install and its Node.js appear inside the sandbox (bound read-only). */
const SANDBOX_INSTALL = '/opt/goldpath/code-server';
const SANDBOX_NODE = '/opt/goldpath/node';

/** code-server's own files inside the workspace's home (XDG layout, so nothing lands elsewhere). */
export const IDE_CONFIG = '.config/code-server/config.yaml';
export const IDE_DATA = '.local/share/code-server';
export const IDE_SETTINGS = `${IDE_DATA}/User/settings.json`;
/** Touched by code-server while someone uses it (at most once a minute); /healthz does not touch it. */
export const IDE_HEARTBEAT = `${IDE_DATA}/heartbeat`;
/**
 * The workspace's temporary files and VS Code's IPC sockets (the git extension's askpass, the
 * terminal's `code` command): the sandbox's /tmp is private but not the workspace's to write.
 */
export const IDE_TMP = '.cache/tmp';

/**
 * What every workspace's IDE starts with. Offline, the AI chat, telemetry and update checks can
 * only fail, and the chat's agent host alone costs ~155 MB per IDE.
 */
export const IDE_USER_SETTINGS = {
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
};

/**
 * Writes code-server's config and settings into a fresh home. Only ever called before any
 * workspace process has seen that home: later the platform (root) must not write where the
 * workspace could have planted a link.
 */
export function writeIdeFiles(home: string): void {
  for (const [file, text] of [
    // The command line sets everything; a config file is still needed, else code-server writes one with a random password.
    [IDE_CONFIG, '# written by Goldpath: the platform starts this IDE with its own options\nauth: password\n'],
    [IDE_SETTINGS, JSON.stringify(IDE_USER_SETTINGS, null, 2) + '\n'],
    // The workspace's uid has no name in /etc/passwd: without this the prompt reads "I have no name!".
    ['.bashrc', '# written by Goldpath when this workspace was made; yours to change\nPS1=\'workspace:\\w\\$ \'\n'],
  ] as const) {
    mkdirSync(dirname(join(home, file)), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, file), text, { mode: 0o600, flag: 'wx' });
  }
  mkdirSync(join(home, IDE_TMP), { recursive: true, mode: 0o700 });
}

export interface IdeSpec {
  install: CodeServerInstall;
  /** The workspace's home on the host; the folder to open is `folder` inside it. */
  home: string;
  /** Relative to home, e.g. "work" (the clone). */
  folder: string;
  port: number;
  /** The session secret (HASHED_PASSWORD and the cookie's value). */
  secret: string;
  /** The environment's variables (WAREHOUSE_URL, AWS_*...): the server has them, and so its terminals. */
  env: Record<string, string>;
  logFile: string;
  /** The unprivileged user it runs as; required when the platform runs as root. */
  uid?: number;
  sandbox?: Extract<SandboxSupport, { available: true }>;
}

/** Only neutral settings of the platform's own environment reach the IDE (it holds the platform's secrets). */
const INHERITED_ENV = /^(TERM|LANG|LANGUAGE|LC_\w+|TZ|PATH)$/;

export function ideEnv(spec: Pick<IdeSpec, 'env' | 'secret' | 'home' | 'sandbox'>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && INHERITED_ENV.test(k)) env[k] = v;
  const home = spec.sandbox ? WORKSPACE_HOME : spec.home;
  Object.assign(env, spec.env, {
    HOME: home,
    USER: 'workspace',
    LOGNAME: 'workspace',
    SHELL: '/bin/bash',
    TMPDIR: posix.join(home, IDE_TMP),
    XDG_RUNTIME_DIR: posix.join(home, IDE_TMP),
    XDG_CONFIG_HOME: posix.join(home, '.config'),
    XDG_DATA_HOME: posix.join(home, '.local/share'),
    XDG_CACHE_HOME: posix.join(home, '.cache'),
    // code-server removes it from its environment before any terminal or extension starts.
    HASHED_PASSWORD: spec.secret,
  });
  const rest = (env.PATH ?? '').split(':').filter((p) => p && p !== '/usr/bin' && p !== '/bin');
  env.PATH = ['/usr/bin', '/bin', ...rest].join(':');
  return env;
}

/** code-server's command line, with paths as the process sees them. */
export function ideArgs(home: string, folder: string, port: number): string[] {
  return [
    '--config', posix.join(home, IDE_CONFIG),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'password',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    // The front door is the only way in: no second proxy to loopback ports inside the IDE.
    '--disable-proxy',
    '--ignore-last-opened',
    // A closed tab frees its processes after 30 s instead of three hours.
    '--reconnection-grace-time', '30',
    '--user-data-dir', posix.join(home, IDE_DATA),
    '--extensions-dir', posix.join(home, IDE_DATA, 'extensions'),
    posix.join(home, folder),
  ];
}

/** The argv that runs the IDE: in the sandbox (install and Node bound read-only), or as the workspace's uid. */
export function ideCommand(spec: IdeSpec): { file: string; args: string[] } {
  if (spec.sandbox) {
    const server = [`${SANDBOX_NODE}/bin/node`, posix.join(SANDBOX_INSTALL, ENTRY), ...ideArgs(WORKSPACE_HOME, spec.folder, spec.port)];
    const cmd = sandboxedCommand(spec.sandbox, { home: spec.home, cwd: posix.join(WORKSPACE_HOME, spec.folder), uid: spec.uid }, server);
    // Only these two folders of the project are visible inside, read-only; never the data folder.
    // bwrap makes missing mount points 0700 (root's): the workspace's uid must pass through them.
    const binds = ['--perms', '0755', '--dir', '/opt', '--perms', '0755', '--dir', '/opt/goldpath', '--ro-bind', spec.install.dir, SANDBOX_INSTALL, '--ro-bind', spec.install.nodeDir, SANDBOX_NODE];
    return { file: cmd.file, args: [...binds, ...cmd.args] };
  }
  const server = [join(spec.install.nodeDir, 'bin', 'node'), join(spec.install.dir, ENTRY), ...ideArgs(spec.home, spec.folder, spec.port)];
  if (spec.uid !== undefined) {
    const [file, ...args] = asUser(spec.uid, server);
    return { file, args };
  }
  return { file: server[0], args: server.slice(1) };
}

/**
 * Spawns the IDE detached (own session: a Ctrl-C on the platform's terminal does not reach it),
 * output appended to the log, and resolves once /healthz answers. `onSpawn` records the pid
 * before that, so a platform killed meanwhile can still find and stop it.
 */
export async function startIde(spec: IdeSpec, onSpawn: (pid: number) => void, timeoutMs = 30_000): Promise<number> {
  if (process.getuid?.() === 0 && spec.uid === undefined) throw new Error('ide: a workspace never runs as root; give it a uid of its own');
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const logFd = openSync(spec.logFile, 'a');
  const logStart = statSync(spec.logFile).size;
  writeSync(logFd, `--- goldpath: starting code-server on 127.0.0.1:${spec.port} at ${new Date().toISOString()}\n`);
  const { file, args } = ideCommand(spec);
  const child = spawn(file, args, { cwd: '/', env: ideEnv(spec), detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ? `was killed by ${signal}` : `exited with code ${code}`));
  child.once('error', (err) => (exited = `could not be run (${err.message})`));
  await sleep(0);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`code-server ${exited ?? 'could not be started'}`);
  try {
    onSpawn(pid);
  } catch (err) {
    await stopIde(pid);
    throw err;
  }
  const lastLines = () => readFileSync(spec.logFile, 'utf8').slice(logStart).split(spec.secret).join('<secret>').trimEnd().split('\n').slice(-15).join('\n');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server ${exited} before answering. Last lines of its log:\n${lastLines()}`);
    if (await ideAnswers(spec.port, 1000)) return pid;
    if (Date.now() >= deadline) {
      await stopIde(pid);
      throw new Error(`code-server did not answer within ${timeoutMs} ms and was stopped. Last lines of its log:\n${lastLines()}`);
    }
    await sleep(50);
  }
}

/** True when code-server's /healthz answers on this port (no login needed, and it does not count as activity). */
export async function ideAnswers(port: number, timeoutMs = 2000): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => null)) as { status?: unknown } | null;
    return res.status === 200 && typeof body?.status === 'string';
  } catch {
    return false;
  }
}

/**
 * When someone last used the IDE: the heartbeat file's time (code-server touches it at most once a
 * minute while a browser is connected). Kept across stops, so a stopped IDE still tells; never
 * later than now, since the workspace can touch the file itself. Null when it was never opened.
 */
export function ideLastActivity(home: string): Date | null {
  try {
    const st = lstatSync(join(home, IDE_HEARTBEAT));
    return new Date(Math.min(st.mtimeMs, Date.now()));
  } catch {
    return null;
  }
}

/** True when pid is (still) one of ours: a recycled pid must never be killed. */
export function isOurIde(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(ENTRY);
  } catch {
    return false;
  }
}

/**
 * SIGTERM to the IDE and everything below it, SIGKILL to what is left after 3 s (code-server
 * takes up to 15 s to end its extension and pty hosts on its own). Idempotent; a recycled pid is
 * left alone.
 */
export async function stopIde(pid: number): Promise<void> {
  if (!isAlive(pid) || !isOurIde(pid)) return;
  await stopTree(pid, 3000);
}
