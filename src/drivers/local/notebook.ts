import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cloneRepo } from '../../infrastructure/git-http/index.ts';
import { clientHost, findFreePort, isProcessAlive, notebookAnswers, notebookLastActivity, startNotebook, stopNotebook } from '../../infrastructure/jupyter/index.ts';
import { claimUid, handOver, releaseUid, transferUid, WORKSPACE_HOME, type SandboxSupport } from '../../infrastructure/sandbox/index.ts';
import { z } from 'zod';
import { cloneWorkspaceParams } from './workspace-params.ts';
import { defineDriver, PermanentDriverError, type Driver } from '../driver.ts';
import { workspaceUrl } from '../../domain/resource/workspace-url.ts';
import { notebookPool, type NotebookPool, type WarmNotebook } from './notebook-pool.ts';

export const notebookParams = cloneWorkspaceParams('variables the notebook and its kernels see');

export const notebookOutputs = z.strictObject({
  url: z.string().describe('the notebook\'s stable address through the platform\'s front door (/w/<environment>/<resource>/): what a person follows'),
});

/** What a notebook resource takes and gives on this target; the path loader checks paths against it. */
export const notebookDeclaration = { type: 'notebook', target: 'local', params: notebookParams, outputs: notebookOutputs };

export interface NotebookDriverOptions {
  /** Where each environment's notebook keeps its home (with the working copy) and run file. */
  workDir: string;
  reposDir: string;
  /** The loopback address workspace servers listen on; anything else (e.g. 0.0.0.0) means 127.0.0.1: only the front door reaches them. */
  host: string;
  /** The platform's own address: notebooks are reached through its front door, at workspaceUrl(). */
  publicUrl: string;
  /** Whether (and how) workspaces run sandboxed on this host; see infrastructure/sandbox. */
  sandbox: SandboxSupport;
  /**
   * How many servers to keep warm for the next launches, by golden path (`*`: for any launch); see
   * notebook-pool.ts. Sandboxed hosts only. warmFor() changes it later (when the paths are read).
   */
  warm?: Readonly<Record<string, number>>;
  /** A warm server that failed to start, for the platform's log. */
  onPoolError?: (err: Error) => void;
}

interface RunFile {
  pid: number;
  port: number;
  token: string;
}

export interface NotebookDriver extends Driver {
  /** Stops every notebook this platform process started or found running (on a clean shutdown). */
  stopAll(): Promise<void>;
  /** The warm pool's state, or null without one. */
  pool(): Promise<ReturnType<NotebookPool['size']> | null>;
  /** How many servers to keep warm for each path's launches from now on. */
  warmFor(targets: Readonly<Record<string, number>>): Promise<void>;
}

/**
 * A Jupyter server per environment, opened on a clone of the environment's repo, run in the
 * workspace sandbox as the environment's own uid (never as root, sandbox or not). Per resource,
 * under <workDir>/<env>/<resource>:
 *   home         the workspace's home, the only host folder the sandbox sees (owned by its uid),
 *                holding the clone, whose origin is the repository's HTTP URL with the environment's credentials
 *   run.json     pid, port, token: written the moment the process starts, so a platform restarted
 *                after a crash finds the process again instead of leaking it (outside the sandbox)
 *   notebook.log the server's output (outside the sandbox)
 */
export function notebookDriver(opts: NotebookDriverOptions): NotebookDriver {
  const running = new Set<number>();
  const claimsDir = join(opts.workDir, '.uids');
  const dirOf = (envId: string, resourceId: string) => join(opts.workDir, envId, resourceId);
  const owner = (envId: string, resourceId: string) => `${envId}/${resourceId}`;
  const readRun = async (dir: string): Promise<RunFile | null> => {
    try {
      return JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunFile;
    } catch {
      return null;
    }
  };
  // Only the stable address: the port and the token stay behind the front door, which adds the token.
  const outputs = (environmentId: string, resourceId: string) => ({ url: workspaceUrl(opts.publicUrl, environmentId, resourceId) });
  // Workspace servers listen on the loopback only, whatever the platform listens on: the front door is the way in.
  const host = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(opts.host) ? opts.host : '127.0.0.1';
  const sandbox = opts.sandbox.available ? opts.sandbox : undefined;
  // Only in a sandbox: a warm server sees its home at the same path wherever its folder moves.
  const pool: Promise<NotebookPool | null> = sandbox
    ? notebookPool({ dir: join(opts.workDir, '.pool'), claimsDir, host, targets: opts.warm ?? {}, sandbox, onError: opts.onPoolError }).catch((err: Error) => {
      opts.onPoolError?.(err);
      return null;
    })
    : Promise.resolve(null);

  /** The workspace's home with its clone, owned by its uid; made once, kept across stop and start. */
  const prepareHome = async (dir: string, repo: string, repoUrl: string | undefined, uid: number | undefined): Promise<string> => {
    const home = join(dir, 'home');
    const clone = join(home, 'work');
    let cloned = false;
    if (!existsSync(join(clone, '.git'))) {
      await mkdir(home, { recursive: true, mode: 0o700 });
      const earlier = join(dir, 'work'); // the layout before workspaces had a home of their own
      if (existsSync(join(earlier, '.git'))) await rename(earlier, clone);
      else await rm(clone, { recursive: true, force: true }); // a clone cut short
      // Cloned by the platform from disk (fast), or kept; either way the origin becomes the HTTP URL.
      await cloneRepo(opts.reposDir, repo, clone, repoUrl);
      cloned = true;
    }
    // Handed over before any workspace process exists (a warm one's home is its own already, its
    // new clone is not); again if a crash cut the last hand-over short.
    if (uid !== undefined && (cloned || (await stat(home)).uid !== uid)) await handOver(home, uid, uid);
    await chmod(home, 0o700);
    if (!sandbox && uid !== undefined) await letThrough(dir);
    return clone;
  };

  /**
   * Without a sandbox the workspace reaches its home by its host path: the folders above it let
   * others pass (execute only, never list) so its uid gets through; everything in them stays 0600/0700.
   */
  const letThrough = async (dir: string) => {
    const top = dirname(opts.workDir);
    for (let d = dir; ; d = dirname(d)) {
      const { mode } = await stat(d);
      if ((mode & 0o001) === 0) await chmod(d, (mode & 0o7777) | 0o001);
      if (d === top || dirname(d) === d) return;
    }
  };

  /** Moves a warm server's folder and uid to the environment, clones into its home, then claims it. */
  const provisionWarm = async (warm: WarmNotebook, environmentId: string, resourceId: string, repo: string, repoUrl: string | undefined, env: Record<string, string>) => {
    const dir = dirOf(environmentId, resourceId);
    await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
    await rename(warm.dir, dir);
    const uid = warm.uid === undefined ? undefined : ((await transferUid(claimsDir, warm.owner, owner(environmentId, resourceId))) ?? undefined);
    await prepareHome(dir, repo, repoUrl, uid); // the clone is home/work
    const run = { pid: warm.standby.pid, port: await findFreePort(host), token: randomBytes(24).toString('hex') };
    // Recorded before the claim, as a cold start records its pid before the server answers.
    await writeFile(join(dir, 'run.json'), JSON.stringify(run), { mode: 0o600 });
    running.add(run.pid);
    await warm.standby.claim({ host, port: run.port, token: run.token, dir: posix.join(WORKSPACE_HOME, 'work'), env, logFile: join(dir, 'notebook.log') });
    return { state: { ...run, sandboxed: true, warm: true, ...(uid !== undefined ? { uid } : {}) }, outputs: outputs(environmentId, resourceId) };
  };

  const driver = defineDriver({
    ...notebookDeclaration,
    async provision({ environmentId, resourceId, params, environment }) {
      if (typeof params.repo !== 'string') throw new PermanentDriverError('param "repo" must name the environment\'s repository, e.g. ${resources.repo.name}');
      if (params.repoUrl !== undefined && typeof params.repoUrl !== 'string') throw new PermanentDriverError('param "repoUrl" must be the repository\'s URL, e.g. ${resources.repo.url}');
      const env = Object.fromEntries(Object.entries((params.env ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
      const dir = dirOf(environmentId, resourceId);
      // A first start takes a warm server when there is one; any later one starts its own.
      const warm = existsSync(dir) ? null : ((await pool)?.take(environment.path) ?? null);
      if (warm) return provisionWarm(warm, environmentId, resourceId, params.repo, params.repoUrl as string | undefined, env);
      const existing = await readRun(dir);
      // Claiming is idempotent: the same workspace always gets its own uid back.
      const uid = process.getuid?.() === 0 ? await claimUid(claimsDir, owner(environmentId, resourceId)) : undefined;
      const stateOf = (run: RunFile) => ({ ...run, sandboxed: Boolean(sandbox), ...(uid !== undefined ? { uid } : {}) });
      if (existing && isProcessAlive(existing.pid) && (await notebookAnswers(existing.port, existing.token, host))) {
        running.add(existing.pid);
        return { state: stateOf(existing), outputs: outputs(environmentId, resourceId) };
      }
      if (existing && isProcessAlive(existing.pid)) await stopNotebook(existing.pid);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const work = await prepareHome(dir, params.repo, params.repoUrl as string | undefined, uid);
      const port = await findFreePort(host);
      // A new token on every start: nobody keeps it (the front door adds it), and one a process may
      // have seen before a stop opens nothing after it.
      const token = randomBytes(24).toString('hex');
      const proc = await startNotebook({
        dir: work,
        port,
        host,
        token,
        env,
        logFile: join(dir, 'notebook.log'),
        workspace: { home: join(dir, 'home'), uid, sandbox },
      }, {
        onSpawn: (pid: number) => writeFile(join(dir, 'run.json'), JSON.stringify({ pid, port, token }), { mode: 0o600 }),
      });
      running.add(proc.pid);
      const run = { pid: proc.pid, port, token };
      await writeFile(join(dir, 'run.json'), JSON.stringify(run), { mode: 0o600 });
      return { state: stateOf(run), outputs: outputs(environmentId, resourceId) };
    },
    async status({ environmentId, resourceId }) {
      const run = await readRun(dirOf(environmentId, resourceId));
      if (!run || !isProcessAlive(run.pid)) return { healthy: false, message: 'notebook server is not running' };
      running.add(run.pid);
      return (await notebookAnswers(run.port, run.token, host)) ? { healthy: true } : { healthy: false, message: 'notebook server does not answer' };
    },
    async deprovision({ environmentId, resourceId }) {
      const dir = dirOf(environmentId, resourceId);
      const run = await readRun(dir);
      if (run) {
        await stopNotebook(run.pid);
        running.delete(run.pid);
      }
      await rm(dir, { recursive: true, force: true });
      // Only after its files are gone: a reused uid must never find a predecessor's files.
      await releaseUid(claimsDir, owner(environmentId, resourceId));
    },
    async stop({ environmentId, resourceId }) {
      const run = await readRun(dirOf(environmentId, resourceId));
      if (run) {
        await stopNotebook(run.pid);
        running.delete(run.pid);
      }
    },
    // The front door adds the token: the browser never holds it.
    async upstream({ environmentId, resourceId }) {
      const run = await readRun(dirOf(environmentId, resourceId));
      if (!run || !isProcessAlive(run.pid)) return null;
      return { kind: 'http' as const, url: `http://${clientHost(host)}:${run.port}`, headers: { authorization: `token ${run.token}` } };
    },
    async activity({ environmentId, resourceId }) {
      const run = await readRun(dirOf(environmentId, resourceId));
      if (!run || !isProcessAlive(run.pid)) return null;
      return notebookLastActivity(run.port, run.token, host);
    },
  });
  return Object.assign(driver, {
    async stopAll() {
      await (await pool)?.close();
      await Promise.all([...running].map((pid) => stopNotebook(pid)));
      running.clear();
    },
    async pool() {
      return (await pool)?.size() ?? null;
    },
    async warmFor(targets: Readonly<Record<string, number>>) {
      (await pool)?.resize(targets);
    },
  });
}
