/**
 * A notebook server started ahead of need, in its own sandbox and as its own uid, that has done
 * the slow part of every start and waits for the one environment it will serve: Python has imported
 * Jupyter (most of a second of CPU) and set its application up (contents, kernels, terminals, web
 * handlers: a few hundred milliseconds more) on neutral settings, with nothing listening yet.
 * Claiming it hands it its folder, variables, token and port over a pipe; it re-scopes itself to
 * them and starts listening. It never held anything of another tenant: a standby serves one
 * environment once and is never returned to a pool.
 *
 * If the platform goes away before the claim, the pipe closes and the standby exits by itself.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { sandboxedCommand, type SandboxSupport } from '../sandbox/index.ts';
import { BOOTSTRAP_PRELUDE, neutralServerOptions, notebookEnv, stopNotebook, waitUntilServing, watchExit } from './notebook.ts';

/**
 * Set up on neutral options (argv), it says `warm` and waits for one line: the claim. Then it takes
 * the environment's folder, variables, token and port, and serves; its output goes to the log.
 * What notebook 6 reads at set-up and keeps is set again here: the folder of contents, kernels and
 * terminals, and the token the handlers check. The port is only bound by start().
 */
const STANDBY_BOOTSTRAP = BOOTSTRAP_PRELUDE + String.raw`
import json
app = notebookapp.NotebookApp.instance()
app.initialize(argv=sys.argv[1:])
sys.stdout.write('warm\n'); sys.stdout.flush()
line = sys.stdin.readline()
if not line:
    sys.exit(0)  # the platform went away before claiming this server
claim = json.loads(line)
os.dup2(2, 1)
os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
os.environ.update(claim['env'])
os.chdir(claim['dir'])
app.notebook_dir = claim['dir']
app.contents_manager.root_dir = claim['dir']
app.kernel_manager.root_dir = claim['dir']
app.web_app.settings['server_root_dir'] = claim['dir']
app.token = claim['token']
app.web_app.settings['token'] = claim['token']
app.ip = claim['host']
app.port = claim['port']
app.port_retries = 0
terminals = app.web_app.settings.get('terminal_manager')
if terminals is not None:
    terminals.extra_env.update({'JUPYTER_SERVER_ROOT': claim['dir'], 'JUPYTER_SERVER_URL': app.connection_url})
sys.exit(app.start())
`;

export interface StandbySpec {
  /** The workspace's home as the host sees it, bound at WORKSPACE_HOME in the sandbox. */
  home: string;
  /** The address it will listen on once claimed (its port comes with the claim). */
  host: string;
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
  const command = sandboxedCommand(spec.sandbox, { home: spec.home, uid: spec.uid }, ['/usr/bin/python3', '-c', STANDBY_BOOTSTRAP, ...neutralServerOptions(spec.host, '/')]);
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
      const baseUrl = '/';
      const logStart = statSync(claim.logFile).size;
      const line = JSON.stringify({ env: claim.env, dir: claim.dir, token: claim.token, host: claim.host, port: claim.port });
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
