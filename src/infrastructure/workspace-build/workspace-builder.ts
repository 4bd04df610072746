/**
 * The build loop a building resource (a website preview, a Java service) shares: per resource, one
 * build at a time of the branch's newest commit, in a fresh folder as the workspace's own uid,
 * journaled; a successful build is handed to the driver to accept (publish the pages, start the
 * new service), and whatever the driver accepted last stays until a later build is accepted.
 *
 * Per resource, under <workDir>/<environment>/<resource>/ (platform-owned, 0700):
 *   build/      the build's home: the commit's files, owned by the workspace's uid; removed after
 *   last.json   the last build's commit, status and error (what the status message says)
 *   config.json what a push needs to build again (command, variables): 0600, never in the sandbox
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { claimUid, releaseUid, type SandboxSupport } from '../sandbox/index.ts';
import { buildCommit, defaultBuildLimits, redactValues, type BuildJournal } from './build.ts';
import { BuildQueue } from './build-queue.ts';
import { branchCommit } from './source.ts';
import type { RunLimits } from './sandboxed-process.ts';

export interface WorkspaceBuilderOptions {
  /** The platform's workspaces folder (<data>/envs): its `.uids` are the uid claims notebooks use too. */
  workDir: string;
  reposDir: string;
  sandbox: SandboxSupport;
  journal?: BuildJournal;
  limits?: RunLimits;
  /** Whether new settings (variables, command) need a build of the same commit again (a site: yes; a service restarts instead). */
  rebuildOnNewSettings?: boolean;
}

export interface BuildConfig {
  repo: string;
  branch: string;
  command: string[];
  env: Record<string, string>;
  /** What the driver itself needs again after a push (the site's output folder, the service's health path). */
  settings: Record<string, string>;
}

export interface LastBuild {
  commit: string;
  status: 'succeeded' | 'failed';
  error: string | null;
  durationMs: number;
  at: string;
  /** The settings it was built with (a hash). */
  settings?: string;
}

const settingsHash = (c: BuildConfig) => createHash('sha256').update(JSON.stringify([c.command, c.env, c.settings])).digest('hex').slice(0, 16);

/**
 * Takes a successful build's folder: publishes, starts, health-checks. Returns null when accepted,
 * else why not (the build then counts as failed and what was accepted before stays).
 */
export type Accept = (buildFolder: string, commit: string, uid: number | undefined) => Promise<string | null>;

export interface WorkspaceBuilder {
  dirOf(environmentId: string, resourceId: string): string;
  /** The resource's uid (claimed on first call) when the platform runs as root. */
  uidOf(environmentId: string, resourceId: string): Promise<number | undefined>;
  saveConfig(environmentId: string, resourceId: string, config: BuildConfig): Promise<void>;
  readConfig(environmentId: string, resourceId: string): Promise<BuildConfig | null>;
  /**
   * Builds the branch's newest commit unless it was built last already; resolves with the last
   * build once done, or null when a newer request superseded this one before it started.
   */
  build(environmentId: string, resourceId: string, accept: Accept, onUnchanged?: () => Promise<void>): Promise<LastBuild | null>;
  last(environmentId: string, resourceId: string): Promise<LastBuild | null>;
  /** Waits for a running build to end and drops a waiting one. */
  cancel(environmentId: string, resourceId: string): Promise<void>;
  /** Removes the resource's folder and gives its uid back (after its files are gone). */
  remove(environmentId: string, resourceId: string): Promise<void>;
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function workspaceBuilder(opts: WorkspaceBuilderOptions): WorkspaceBuilder {
  const claimsDir = join(opts.workDir, '.uids');
  const queue = new BuildQueue<LastBuild>();
  const aborts = new Map<string, AbortController>();
  const key = (e: string, r: string) => `${e}/${r}`;
  const dirOf = (e: string, r: string) => join(opts.workDir, e, r);
  const root = process.getuid?.() === 0;
  const uidOf = async (e: string, r: string) => (root ? claimUid(claimsDir, key(e, r)) : undefined);
  const readConfig = (e: string, r: string) => readJson<BuildConfig>(join(dirOf(e, r), 'config.json'));
  const last = (e: string, r: string) => readJson<LastBuild>(join(dirOf(e, r), 'last.json'));

  const buildOnce = async (e: string, r: string, accept: Accept, onUnchanged?: () => Promise<void>): Promise<LastBuild> => {
    const dir = dirOf(e, r);
    const config = await readConfig(e, r);
    if (!config) throw new Error(`resource ${r} of ${e} has no build configuration; provision it first`);
    const commit = await branchCommit(opts.reposDir, config.repo, config.branch);
    const previous = await last(e, r);
    if (!commit) {
      const error = `repository ${config.repo} has no branch ${config.branch}`;
      return previous ?? { commit: '', status: 'failed', error, durationMs: 0, at: new Date().toISOString() };
    }
    // A push that did not move the branch (a tag, another branch) builds nothing.
    const settings = settingsHash(config);
    if (previous?.commit === commit && (!opts.rebuildOnNewSettings || (previous.settings ?? settings) === settings)) {
      // Nothing to build; what runs may still need the resource's new settings (in turn with builds, never beside one).
      await onUnchanged?.();
      return previous;
    }
    const uid = await uidOf(e, r);
    const id = await opts.journal?.started({ environmentId: e, resourceId: r, commit });
    const folder = join(dir, 'build');
    const abort = new AbortController();
    aborts.set(key(e, r), abort);
    let outcome;
    try {
      outcome = await buildCommit({
        reposDir: opts.reposDir, repo: config.repo, commit, folder, top: dirname(opts.workDir), uid, sandbox: opts.sandbox,
        command: config.command, env: config.env, limits: opts.limits ?? defaultBuildLimits, signal: abort.signal,
      });
      if (outcome.ok) {
        const given = await accept(folder, commit, uid).catch((err: Error) => err.message);
        // A service's last lines may print its own variables: masked like the build's log.
        const refused = given && redactValues(given, Object.values(config.env));
        if (refused) outcome = { ...outcome, ok: false, error: refused, log: `${outcome.log}\n[goldpath] ${refused}\n` };
      }
    } catch (err) {
      outcome = { ok: false, commit, durationMs: 0, log: `[goldpath] ${(err as Error).message}\n`, error: (err as Error).message };
    } finally {
      aborts.delete(key(e, r));
      await rm(folder, { recursive: true, force: true });
    }
    // Removed while it ran: nothing of it is kept or recorded as the resource's last build.
    if (abort.signal.aborted) {
      if (id !== undefined) await opts.journal!.finished(id, { environmentId: e, resourceId: r, commit, status: 'failed', durationMs: outcome.durationMs, log: outcome.log, error: 'stopped: the resource was removed' }).catch(() => {});
      return { commit, status: 'failed', error: 'stopped: the resource was removed', durationMs: outcome.durationMs, at: new Date().toISOString() };
    }
    const result: LastBuild = { commit, status: outcome.ok ? 'succeeded' : 'failed', error: outcome.error, durationMs: outcome.durationMs, at: new Date().toISOString(), settings };
    await writeFile(join(dir, 'last.json'), JSON.stringify(result), { mode: 0o600 });
    if (id !== undefined) {
      await opts.journal!.finished(id, { environmentId: e, resourceId: r, commit, status: result.status, durationMs: result.durationMs, log: outcome.log, error: outcome.error })
        .catch((err: Error) => console.error(`[builds] could not record the build of ${r} in ${e}: ${err.message}`));
    }
    return result;
  };

  return {
    dirOf,
    uidOf,
    readConfig,
    last,
    async saveConfig(e, r, config) {
      await mkdir(dirOf(e, r), { recursive: true, mode: 0o700 });
      await writeFile(join(dirOf(e, r), 'config.json'), JSON.stringify(config), { mode: 0o600 });
    },
    async build(e, r, accept, onUnchanged) {
      const queued = await queue.request(key(e, r), () => buildOnce(e, r, accept, onUnchanged));
      return queued.ran ? queued.value : null;
    },
    cancel: (e, r) => queue.cancel(key(e, r)),
    async remove(e, r) {
      aborts.get(key(e, r))?.abort();
      await queue.cancel(key(e, r));
      await rm(dirOf(e, r), { recursive: true, force: true });
      // Only after its files are gone: a reused uid must never find a predecessor's files.
      if (root) await releaseUid(claimsDir, key(e, r));
    },
  };
}
