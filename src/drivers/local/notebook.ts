import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cloneRepo } from '../../infrastructure/git-http/index.ts';
import { findFreePort, isProcessAlive, notebookAnswers, startNotebook, stopNotebook } from '../../infrastructure/jupyter/index.ts';
import { PermanentDriverError, type Driver } from '../driver.ts';

export interface NotebookDriverOptions {
  /** Where each environment's notebook keeps its working copy and run file. */
  workDir: string;
  reposDir: string;
  host: string;
}

interface RunFile {
  pid: number;
  port: number;
  token: string;
}

export interface NotebookDriver extends Driver {
  /** Stops every notebook this platform process started or found running (on a clean shutdown). */
  stopAll(): Promise<void>;
}

/**
 * A Jupyter server per environment, opened on a clone of the environment's repo. The run file
 * (pid, port, token) is written beside the working copy the moment the process starts, so a
 * platform restarted after a crash finds the process again instead of leaking it.
 */
export function notebookDriver(opts: NotebookDriverOptions): NotebookDriver {
  const running = new Set<number>();
  const dirOf = (envId: string, resourceId: string) => join(opts.workDir, envId, resourceId);
  const readRun = async (dir: string): Promise<RunFile | null> => {
    try {
      return JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunFile;
    } catch {
      return null;
    }
  };
  const outputs = (run: RunFile) => ({
    url: `http://${opts.host}:${run.port}/tree?token=${run.token}`,
    baseUrl: `http://${opts.host}:${run.port}/`,
    token: run.token,
    port: run.port,
  });

  return {
    type: 'notebook',
    target: 'local',
    async provision({ environmentId, resourceId, params }) {
      if (typeof params.repo !== 'string') throw new PermanentDriverError('param "repo" must name the environment\'s repository, e.g. ${resources.repo.name}');
      const env = (params.env ?? {}) as Record<string, unknown>;
      const dir = dirOf(environmentId, resourceId);
      const existing = await readRun(dir);
      if (existing && isProcessAlive(existing.pid) && (await notebookAnswers(existing.port, existing.token, opts.host))) {
        running.add(existing.pid);
        return { state: { ...existing }, outputs: outputs(existing) };
      }
      if (existing && isProcessAlive(existing.pid)) await stopNotebook(existing.pid);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const work = join(dir, 'work');
      await cloneRepo(opts.reposDir, params.repo, work);
      const port = await findFreePort(opts.host);
      const token = existing?.token ?? randomBytes(24).toString('hex');
      const proc = await startNotebook({
        dir: work,
        port,
        host: opts.host,
        token,
        env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
        logFile: join(dir, 'notebook.log'),
      }, {
        onSpawn: (pid: number) => writeFile(join(dir, 'run.json'), JSON.stringify({ pid, port, token }), { mode: 0o600 }),
      });
      running.add(proc.pid);
      const run = { pid: proc.pid, port, token };
      await writeFile(join(dir, 'run.json'), JSON.stringify(run), { mode: 0o600 });
      return { state: { ...run }, outputs: outputs(run) };
    },
    async status({ environmentId, resourceId }) {
      const run = await readRun(dirOf(environmentId, resourceId));
      if (!run || !isProcessAlive(run.pid)) return { healthy: false, message: 'notebook server is not running' };
      running.add(run.pid);
      return (await notebookAnswers(run.port, run.token, opts.host)) ? { healthy: true } : { healthy: false, message: 'notebook server does not answer' };
    },
    async deprovision({ environmentId, resourceId }) {
      const dir = dirOf(environmentId, resourceId);
      const run = await readRun(dir);
      if (run) {
        await stopNotebook(run.pid);
        running.delete(run.pid);
      }
      await rm(dir, { recursive: true, force: true });
    },
    async stop({ environmentId, resourceId }) {
      const run = await readRun(dirOf(environmentId, resourceId));
      if (run) {
        await stopNotebook(run.pid);
        running.delete(run.pid);
      }
    },
    async stopAll() {
      await Promise.all([...running].map((pid) => stopNotebook(pid)));
      running.clear();
    },
  };
}
