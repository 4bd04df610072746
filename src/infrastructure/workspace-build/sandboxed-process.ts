/**
 * Runs a workspace's own code (a build, a service) the way notebooks run: in the bubblewrap
 * sandbox with only its home, as its own uid, with neutral settings and its environment's
 * variables; never as root, sandbox or not.
 */
import { spawn } from 'node:child_process';
import { asUser, sandboxedCommand, WORKSPACE_HOME, type SandboxSupport } from '../sandbox/index.ts';
import { stopTree } from '../processes/index.ts';

export interface WorkspaceProcessSpec {
  /** The host folder the process sees as its home (WORKSPACE_HOME in a sandbox); its only writable folder. */
  home: string;
  /** The workspace's uid; required when the platform runs as root. */
  uid?: number;
  sandbox: SandboxSupport;
  command: string[];
  /** The environment's own variables; nothing of the platform's environment passes but PATH and locale. */
  env: Record<string, string>;
}

/** Only neutral settings of the platform's own environment: it holds secrets a workspace must never see. */
const NEUTRAL = /^(LANG|LANGUAGE|LC_\w+|TZ)$/;

export function workspaceEnv(spec: Pick<WorkspaceProcessSpec, 'home' | 'sandbox' | 'env'>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && NEUTRAL.test(k)) env[k] = v;
  Object.assign(env, {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: spec.sandbox.available ? WORKSPACE_HOME : spec.home,
    USER: 'workspace', LOGNAME: 'workspace', TMPDIR: '/tmp',
  });
  return { ...env, ...spec.env };
}

/** The argv that runs the spec's command as the workspace: sandboxed when the host can, as its uid when root. */
export function workspaceCommand(spec: WorkspaceProcessSpec): { file: string; args: string[]; cwd: string } {
  if (process.getuid?.() === 0 && spec.uid === undefined) throw new Error('a workspace never runs as root: give it a uid of its own');
  if (spec.sandbox.available) {
    const { file, args } = sandboxedCommand(spec.sandbox, { home: spec.home, uid: spec.uid }, spec.command);
    return { file, args, cwd: spec.home };
  }
  const argv = spec.uid === undefined ? spec.command : asUser(spec.uid, spec.command);
  return { file: argv[0], args: argv.slice(1), cwd: spec.home };
}

export interface RunLimits {
  timeoutMs: number;
  /** Output beyond this is dropped (the end is marked), so a chatty build cannot fill the disk or the database. */
  logLimitBytes: number;
}

export interface RunResult {
  exitCode: number | null;
  timedOut: boolean;
  /** stdout and stderr interleaved as they came, at most logLimitBytes (plus a note when cut). */
  log: string;
  durationMs: number;
}

/** Runs the command to its end (or its timeout, when the whole tree is stopped). */
export function runToEnd(spec: WorkspaceProcessSpec, limits: RunLimits, signal?: AbortSignal): Promise<RunResult> {
  const started = performance.now();
  const cmd = workspaceCommand(spec);
  return new Promise((resolve) => {
    const child = spawn(cmd.file, cmd.args, { cwd: cmd.cwd, env: workspaceEnv(spec), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let size = 0;
    let cut = false;
    const take = (b: Buffer) => {
      if (size >= limits.logLimitBytes) {
        cut = true;
        return;
      }
      const part = b.subarray(0, limits.logLimitBytes - size);
      if (part.length < b.length) cut = true;
      chunks.push(part);
      size += part.length;
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) void stopTree(child.pid, 500);
    }, limits.timeoutMs);
    // Stopped from outside (the resource is being removed): the whole tree, at once.
    const abort = () => child.pid && void stopTree(child.pid, 200);
    signal?.addEventListener('abort', abort, { once: true });
    const finish = (exitCode: number | null, extra = '') => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      if (signal?.aborted) extra += '\n[goldpath] stopped: the resource is being removed\n';
      let log = Buffer.concat(chunks).toString('utf8') + extra;
      if (cut) log += `\n[goldpath] the log was cut at ${limits.logLimitBytes} bytes\n`;
      if (timedOut) log += `\n[goldpath] stopped after ${Math.round(limits.timeoutMs / 1000)} s: the build took too long\n`;
      resolve({ exitCode: timedOut ? null : exitCode, timedOut, log, durationMs: Math.round(performance.now() - started) });
    };
    child.once('error', (e) => finish(null, `[goldpath] could not start ${spec.command[0]}: ${e.message}\n`));
    child.once('close', (code) => finish(code));
  });
}
