import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { cloneWorkspaceParams } from './workspace-params.ts';
import { cloneRepo } from '../../infrastructure/git-http/index.ts';
import { findFreePort } from '../../infrastructure/jupyter/index.ts';
import { codeServerInstall, ideAnswers, ideLastActivity, isAlive, startIde, stopIde, writeIdeFiles, SESSION_COOKIE } from '../../infrastructure/code-server/index.ts';
import { claimUid, handOver, releaseUid, type SandboxSupport } from '../../infrastructure/sandbox/index.ts';
import { workspaceUrl } from '../../domain/resource/workspace-url.ts';
import { defineDriver, type Driver, type ResourceRef, type WorkspaceUpstream } from '../driver.ts';

export const ideParams = cloneWorkspaceParams('variables the IDE\'s terminals and tasks see');

export const ideOutputs = z.strictObject({
  url: z.string().describe('VS Code in the browser, through the platform\'s front door: what a person follows'),
});

/** What an ide resource takes and gives on this target; the path loader checks paths against it. */
export const ideDeclaration = { type: 'ide', target: 'local', params: ideParams, outputs: ideOutputs };

export interface IdeDriverOptions {
  /** Where each environment's workspaces keep their folders (shared with notebooks, and so the uid claims). */
  workDir: string;
  reposDir: string;
  /** The platform's own URL: the IDE's URL goes through its front door. */
  publicUrl: string;
  sandbox: SandboxSupport;
}

export interface IdeDriver extends Driver {
  /** Stops every IDE this platform process started or found running (on a clean shutdown). */
  stopAll(): Promise<void>;
}

interface RunFile {
  pid: number;
  port: number;
}

/**
 * VS Code in the browser (code-server), one per environment, opened on a clone of the
 * environment's repository, run in the workspace sandbox as a uid of its own (docs/ide.md).
 *
 * Started on first use, not at launch: provision makes the home and the clone (fast), and the
 * front door's first request (`upstream`) starts the server (~2 s). A launch never waits for it,
 * and an environment nobody opens an IDE in costs no process. Per resource, under
 * <workDir>/<env>/<resource>:
 *   home      the workspace's home, the only host folder the sandbox sees: the clone in work/,
 *             code-server's config, settings and heartbeat in the usual XDG places
 *   prepared  written once the home is complete and handed to the workspace's uid
 *   env.json  the environment's variables for the server (outside the sandbox: it holds keys)
 *   secret    the session secret the front door presents as code-server's cookie
 *   run.json  pid and port, written the moment the process starts
 *   stopped   present while the environment is stopped: the door then starts nothing
 *   ide.log   the server's output
 */
export function ideDriver(opts: IdeDriverOptions): IdeDriver {
  const running = new Set<number>();
  const starting = new Map<string, Promise<RunFile>>();
  const claimsDir = join(opts.workDir, '.uids');
  const sandbox = opts.sandbox.available ? opts.sandbox : undefined;
  const dirOf = (envId: string, resourceId: string) => join(opts.workDir, envId, resourceId);
  const owner = (envId: string, resourceId: string) => `${envId}/${resourceId}`;
  const readJson = async <T>(file: string): Promise<T | null> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as T;
    } catch {
      return null;
    }
  };
  const uidFor = (envId: string, resourceId: string) => (process.getuid?.() === 0 ? claimUid(claimsDir, owner(envId, resourceId)) : Promise.resolve(undefined));

  /** The home with its clone and code-server's files, handed to the workspace's uid; made once. */
  const prepareHome = async (dir: string, repo: string, repoUrl: string | undefined, uid: number | undefined) => {
    const home = join(dir, 'home');
    // The marker (outside the home, where the workspace cannot write) is the last step: a home
    // without it was cut short by a crash, and no workspace process has run in it yet.
    if (!existsSync(join(dir, 'prepared'))) {
      await rm(home, { recursive: true, force: true });
      await mkdir(home, { recursive: true, mode: 0o700 });
      writeIdeFiles(home);
      await cloneRepo(opts.reposDir, repo, join(home, 'work'), repoUrl);
      if (uid !== undefined) await handOver(home, uid, uid);
      await chmod(home, 0o700);
      await writeFile(join(dir, 'prepared'), '', { mode: 0o600 });
    }
    if (!sandbox && uid !== undefined) await letThrough(dir);
  };

  /**
   * Without a sandbox the IDE reaches its home by its host path: the folders above it let others
   * pass (execute only, never list), as the notebook's do; everything in them stays private.
   */
  const letThrough = async (dir: string) => {
    const top = dirname(opts.workDir);
    for (let d = dir; ; d = dirname(d)) {
      const { mode } = await stat(d);
      if ((mode & 0o001) === 0) await chmod(d, (mode & 0o7777) | 0o001);
      if (d === top || dirname(d) === d) return;
    }
  };

  const liveRun = async (dir: string): Promise<RunFile | null> => {
    const run = await readJson<RunFile>(join(dir, 'run.json'));
    return run && isAlive(run.pid) ? run : null;
  };

  /** Starts the IDE, or finds it running; one start at a time per resource. */
  const ensureRunning = (environmentId: string, resourceId: string): Promise<RunFile> => {
    const key = owner(environmentId, resourceId);
    const inFlight = starting.get(key);
    if (inFlight) return inFlight;
    const p = (async () => {
      const dir = dirOf(environmentId, resourceId);
      const existing = await liveRun(dir);
      if (existing && (await ideAnswers(existing.port))) {
        running.add(existing.pid);
        return existing;
      }
      if (existing) await stopIde(existing.pid);
      const install = codeServerInstall();
      const env = (await readJson<Record<string, string>>(join(dir, 'env.json'))) ?? {};
      const secret = (await readFile(join(dir, 'secret'), 'utf8')).trim();
      const uid = await uidFor(environmentId, resourceId);
      const port = await findFreePort('127.0.0.1');
      const pid = await startIde(
        { install, home: join(dir, 'home'), folder: 'work', port, secret, env, logFile: join(dir, 'ide.log'), uid, sandbox },
        (spawned) => {
          running.add(spawned);
          // Synchronous on purpose: recorded before anything else can happen to the process.
          writeFileSync(join(dir, 'run.json'), JSON.stringify({ pid: spawned, port }), { mode: 0o600 });
        },
      );
      return { pid, port };
    })().finally(() => starting.delete(key));
    starting.set(key, p);
    return p;
  };

  const halt = async (dir: string) => {
    const run = await readJson<RunFile>(join(dir, 'run.json'));
    if (!run) return;
    await stopIde(run.pid);
    running.delete(run.pid);
    await rm(join(dir, 'run.json'), { force: true });
  };

  const driver = defineDriver({
    ...ideDeclaration,
    async provision({ environmentId, resourceId, params }) {
      // code-server itself is not needed yet (it starts on first open), so a host still installing
      // it, or set up without it, launches data paths as fast; opening the IDE then says what to run.
      const dir = dirOf(environmentId, resourceId);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const uid = await uidFor(environmentId, resourceId);
      await prepareHome(dir, params.repo, params.repoUrl, uid);
      const env = Object.fromEntries(Object.entries(params.env ?? {}).map(([k, v]) => [k, String(v)]));
      await writeFile(join(dir, 'env.json'), JSON.stringify(env), { mode: 0o600 });
      if (!existsSync(join(dir, 'secret'))) await writeFile(join(dir, 'secret'), randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' }).catch(ignoreExists);
      await rm(join(dir, 'stopped'), { force: true });
      return {
        state: { sandboxed: Boolean(sandbox), ...(uid !== undefined ? { uid } : {}) },
        outputs: { url: workspaceUrl(opts.publicUrl, environmentId, resourceId) },
      };
    },
    async status({ environmentId, resourceId }) {
      const dir = dirOf(environmentId, resourceId);
      if (!existsSync(join(dir, 'prepared'))) return { healthy: false, message: 'the IDE\'s home and clone are not made yet' };
      const run = await liveRun(dir);
      if (!run) return { healthy: true, message: existsSync(join(dir, 'stopped')) ? 'stopped' : 'starts when first opened' };
      return (await ideAnswers(run.port)) ? { healthy: true } : { healthy: false, message: 'code-server does not answer' };
    },
    async upstream({ environmentId, resourceId }: ResourceRef): Promise<WorkspaceUpstream | null> {
      const dir = dirOf(environmentId, resourceId);
      if (!existsSync(join(dir, 'prepared')) || !existsSync(join(dir, 'secret')) || existsSync(join(dir, 'stopped'))) return null;
      const secret = (await readFile(join(dir, 'secret'), 'utf8')).trim();
      const run = (await liveRun(dir)) ?? (await ensureRunning(environmentId, resourceId));
      return { kind: 'http', url: `http://127.0.0.1:${run.port}/`, headers: { cookie: `${SESSION_COOKIE}=${secret}` } };
    },
    async stop({ environmentId, resourceId }) {
      const dir = dirOf(environmentId, resourceId);
      if (!existsSync(dir)) return;
      await writeFile(join(dir, 'stopped'), '', { mode: 0o600 });
      await starting.get(owner(environmentId, resourceId))?.catch(() => {});
      await halt(dir);
    },
    async deprovision({ environmentId, resourceId }) {
      const dir = dirOf(environmentId, resourceId);
      if (existsSync(dir)) await writeFile(join(dir, 'stopped'), '', { mode: 0o600 });
      await starting.get(owner(environmentId, resourceId))?.catch(() => {});
      await halt(dir);
      await rm(dir, { recursive: true, force: true });
      // Only after its files are gone: a reused uid must never find a predecessor's files.
      await releaseUid(claimsDir, owner(environmentId, resourceId));
    },
    async activity({ environmentId, resourceId }) {
      return ideLastActivity(join(dirOf(environmentId, resourceId), 'home'));
    },
  });
  return Object.assign(driver, {
    async stopAll() {
      await Promise.all([...starting.values()].map((p) => p.catch(() => {})));
      await Promise.all([...running].map((pid) => stopIde(pid)));
      running.clear();
    },
  });
}

function ignoreExists(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EEXIST') throw err;
}
