/**
 * A notebook server started ahead of need, in its own sandbox and as its own uid, that has done
 * the slow part of every start (Python importing Jupyter: most of a second of CPU) and waits for
 * the one environment it will serve. Claiming it hands it its token, port, folder and variables
 * over a pipe; it then serves within a few hundred milliseconds. It never held anything of
 * another tenant: a standby serves one environment once and is never returned to a pool.
 *
 * If the platform goes away before the claim, the pipe closes and the standby exits by itself.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { sandboxedCommand, type SandboxSupport } from '../sandbox/index.ts';
import { BOOTSTRAP_PRELUDE, normaliseBaseUrl, notebookEnv, serverOptions, stopNotebook, waitUntilServing, watchExit } from './notebook.ts';

/** Imports done, it says `warm` and waits for one line: the claim. Its output then goes to the log. */
const STANDBY_BOOTSTRAP = BOOTSTRAP_PRELUDE + String.raw`
import json
sys.stdout.write('warm\n'); sys.stdout.flush()
line = sys.stdin.readline()
if not line:
    sys.exit(0)  # the platform went away before claiming this server
claim = json.loads(line)
os.dup2(2, 1)
os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
os.environ.update(claim['env'])
os.chdir(claim['dir'])
sys.argv += claim['options'] + ['--NotebookApp.token=' + claim['token']]
sys.exit(notebookapp.main())
`;

export interface StandbySpec {
  /** The workspace's home as the host sees it, bound at WORKSPACE_HOME in the sandbox. */
  home: string;
  uid?: number;
  sandbox: Extract<SandboxSupport, { available: true }>;
  logFile: string;
}

export interface Claim {
  host: string;
  port: number;
  token: string;
  /** The folder it opens, inside the sandbox (e.g. /home/workspace/work). */
  dir: string;
  baseUrl?: string;
  /** e.g. the warehouse URL and bucket keys, for the server and its kernels. */
  env: Record<string, string>;
  /** Where its log is now (its folder moves to its environment's before the claim). */
  logFile: string;
  timeoutMs?: number;
}

export interface Standby {
  pid: number;
  /** Resolves once it has imported Jupyter; rejects if it died first. */
  warm: Promise<void>;
  /** Hands it to its environment and resolves once it serves with the claim's token. */
  claim(claim: Claim): Promise<void>;
  /** Stops it unclaimed. */
  discard(): Promise<void>;
}

export function startStandby(spec: StandbySpec): Standby {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const logFd = openSync(spec.logFile, 'a');
  writeSync(logFd, `--- goldpath: notebook standing by at ${new Date().toISOString()}\n`);
  // Neutral settings only: the environment's variables come with the claim.
  const env = notebookEnv({ workspace: { home: spec.home, uid: spec.uid, sandbox: spec.sandbox }, env: {}, token: '' });
  delete env.GOLDPATH_NOTEBOOK_TOKEN;
  const command = sandboxedCommand(spec.sandbox, { home: spec.home, uid: spec.uid }, ['/usr/bin/python3', '-c', STANDBY_BOOTSTRAP]);
  const child = spawn(command.file, command.args, { env, detached: true, stdio: ['pipe', 'pipe', logFd] });
  closeSync(logFd);
  child.unref();

  const { exit, exited } = watchExit(child, 'is Debian\'s jupyter-notebook installed?');
  // Its stdin stays open until the claim: the platform's end closing is what tells it to go.
  child.stdin!.on('error', () => {});
  const warm = new Promise<void>((resolve, reject) => {
    let said = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      said += chunk;
      if (said.includes('warm\n')) resolve();
    });
    void exit.then(() => reject(new Error(`a notebook standing by ${exited() ?? 'exited'} before it was warm (see ${spec.logFile})`)));
  });
  warm.catch(() => {}); // whoever takes it awaits it; an unclaimed failure is only logged
  // The platform must not wait for a standby to exit, nor keep its event loop for it.
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stdin as unknown as { unref?: () => void }).unref?.();

  const pid = child.pid ?? -1;
  return {
    pid,
    warm,
    async claim(claim) {
      await warm;
      const baseUrl = normaliseBaseUrl(claim.baseUrl);
      const logStart = statSync(claim.logFile).size;
      const line = JSON.stringify({ env: claim.env, dir: claim.dir, token: claim.token, options: serverOptions(claim.host, claim.port, claim.dir, baseUrl) });
      await new Promise<void>((resolve, reject) => child.stdin!.end(line + '\n', (err?: Error | null) => (err ? reject(err) : resolve())));
      child.stdout!.destroy();
      await waitUntilServing({ pid, host: claim.host, port: claim.port, token: claim.token, baseUrl, logFile: claim.logFile, logStart, timeoutMs: claim.timeoutMs ?? 30_000, exit, exited });
    },
    async discard() {
      child.stdin!.destroy();
      await stopNotebook(pid);
    },
  };
}
