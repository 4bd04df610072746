import { spawn } from 'node:child_process';
import { closeSync, openSync, statSync, truncateSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { builtResourceOutputs, type BuiltResourceDriverOptions } from './built-resource.ts';
import { workspaceUrl } from '../../domain/resource/workspace-url.ts';
import { findFreePort } from '../../infrastructure/jupyter/index.ts';
import { handOver, WORKSPACE_HOME } from '../../infrastructure/sandbox/index.ts';
import {
  commandLine, isAlive, publishOutput, stopTree, workspaceBuilder, workspaceCommand, workspaceEnv,
  type BuildConfig, type LastBuild,
} from '../../infrastructure/workspace-build/index.ts';
import { defineDriver, PermanentDriverError, type Driver, type ResourceRef } from '../driver.ts';

/** Debian's PostgreSQL JDBC driver (libpostgresql-jdbc-java), on every service's classpath. */
export const POSTGRES_JDBC_JAR = '/usr/share/java/postgresql.jar';
const JAVA = '/usr/bin/java';
/** Small enough that a few services fit on a laptop beside the platform: one GC thread, C1 only, the JDK's CDS archive. */
const JVM_OPTIONS = ['-Xmx128m', '-Xss512k', '-XX:MaxMetaspaceSize=96m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xshare:auto', '-XX:-UsePerfData'];

export const javaServiceParams = z.strictObject({
  repo: z.string().min(1).describe('the repository whose pushes are built and run, e.g. ${resources.repo.name}'),
  branch: z.string().regex(/^[A-Za-z0-9._/-]+$/).default('main').describe('the branch that runs'),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name'), z.union([z.string(), z.number(), z.boolean()])).default({})
    .describe('variables the build and the service see, e.g. DATABASE_URL, JDBC_URL, REDIS_URL'),
  health: z.string().regex(/^\/[^\s?#]*$/, 'must be a path such as /health').default('/health').describe('answers 200 while the service is healthy'),
  command: z.string().min(1).default('sh build.sh').describe('the build command, run by /bin/sh in the sandbox at the repository\'s root'),
  classes: z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/).refine((p) => !p.split('/').includes('..'), 'must stay inside the repository')
    .default('classes').describe('the folder the build compiles into'),
  mainClass: z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, 'must be a Java class name such as service.Main').default('service.Main'),
});

export const javaServiceOutputs = builtResourceOutputs({
  url: 'the service\'s stable URL, through the platform\'s front door',
  commit: 'the commit that runs; empty before a build has run',
});

/** What a service resource takes and gives on this target; the path loader checks paths against it. */
export const javaServiceDeclaration = { type: 'service', target: 'local', params: javaServiceParams, outputs: javaServiceOutputs };

export interface JavaServiceDriverOptions extends BuiltResourceDriverOptions {
  /** How long a new version has to answer its health check (default 30 s). */
  healthTimeoutMs?: number;
  host?: string;
}

export interface JavaServiceDriver extends Driver {
  rebuild(ref: Pick<ResourceRef, 'environmentId' | 'resourceId'>): Promise<LastBuild | null>;
  /** Stops every service this platform runs (a clean shutdown); the next start runs them again. */
  stopAll(): Promise<void>;
}

interface RunFile {
  pid: number;
  port: number;
  commit: string;
  /** Which variables and settings the version was started with: a change (an extension's REDIS_URL) restarts it. */
  config?: string;
}

const configHash = (c: BuildConfig) => createHash('sha256').update(JSON.stringify({ env: c.env, settings: c.settings })).digest('hex').slice(0, 16);

/** A marker in the JVM's command line, so a recycled pid is never taken for a service. */
const MARKER = '-Dgoldpath.service=';
/** The service's log (outside the sandbox) is cut back when it grows past this. */
const LOG_LIMIT = 5 * 1024 * 1024;

/**
 * A JDK-only Java service: each push to the branch is compiled with javac in the workspace sandbox
 * as the environment's uid, then the new version is started beside the running one (sandboxed, as
 * that uid, on a free loopback port), checked at its health path, and only then takes over; a
 * build that fails or a version that does not answer leaves the running one as it is. Under the
 * resource's folder (see workspace-builder.ts) it adds:
 *   releases/<commit>/  the compiled classes of a version, the service's home (owned by its uid)
 *   run.json            pid, port and commit of the version that serves (outside the sandbox)
 *   service.log         the service's output (outside the sandbox)
 */
export function javaServiceDriver(opts: JavaServiceDriverOptions): JavaServiceDriver {
  const builder = workspaceBuilder(opts);
  const host = opts.host ?? '127.0.0.1';
  const running = new Set<string>();
  const key = (e: string, r: string) => `${e}/${r}`;
  const runFile = (e: string, r: string) => join(builder.dirOf(e, r), 'run.json');
  const readRun = async (e: string, r: string): Promise<RunFile | null> => {
    try {
      return JSON.parse(await readFile(runFile(e, r), 'utf8')) as RunFile;
    } catch {
      return null;
    }
  };
  const ours = (e: string, r: string, pid: number) => isAlive(pid) && commandLine(pid).includes(`${MARKER}${key(e, r)}`);
  const alive = async (e: string, r: string) => {
    const run = await readRun(e, r);
    return run && ours(e, r, run.pid) ? run : null;
  };

  const answers = (port: number, path: string) => new Promise<boolean>((resolve) => {
    const req = request({ host, port, path, timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });

  /** Starts the version in `release` on a free port; resolves once it answers its health path, else stops it and says why. */
  const start = async (e: string, r: string, release: string, commit: string, uid: number | undefined): Promise<RunFile> => {
    const config = await builder.readConfig(e, r);
    if (!config) throw new Error(`resource ${r} of ${e} has no configuration; provision it first`);
    const { mainClass, health, classes } = config.settings;
    const home = opts.sandbox.available ? WORKSPACE_HOME : release;
    const port = await findFreePort(host);
    const java = [JAVA, ...JVM_OPTIONS, `${MARKER}${key(e, r)}`, '-cp', `${join(home, classes)}:${POSTGRES_JDBC_JAR}`, mainClass];
    const spec = { home: release, uid, sandbox: opts.sandbox, command: java, env: { ...config.env, PORT: String(port) } };
    const cmd = workspaceCommand(spec);
    const logFile = join(builder.dirOf(e, r), 'service.log');
    try {
      if (statSync(logFile).size > LOG_LIMIT) truncateSync(logFile, 0);
    } catch {
      // no log yet
    }
    const log = openSync(logFile, 'a', 0o600);
    const child = spawn(cmd.file, cmd.args, { cwd: cmd.cwd, env: workspaceEnv(spec), detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    child.unref();
    let exited: string | undefined;
    child.once('exit', (code, signal) => (exited = signal ? `was killed by ${signal}` : `exited with code ${code}`));
    child.once('error', (err) => (exited = `could not be started (${err.message}); is Debian's openjdk-17-jdk-headless installed?`));
    const pid = child.pid;
    if (pid === undefined) {
      await sleep(0);
      throw new Error(`the service ${exited ?? 'could not be started'}`);
    }
    const timeoutMs = opts.healthTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exited) throw new Error(`the new version ${exited} before answering ${health}: ${await lastLines(logFile)}`);
      if (await answers(port, health)) return { pid, port, commit, config: configHash(config) };
      if (Date.now() > deadline) {
        await stopTree(pid);
        throw new Error(`the new version did not answer ${health} within ${Math.round(timeoutMs / 1000)} s and was stopped: ${await lastLines(logFile)}`);
      }
      await sleep(50);
    }
  };

  /** Swaps in a new version: started and healthy first, then the run file points at it, then the old one stops. */
  const switchTo = async (e: string, r: string, run: RunFile) => {
    const before = await alive(e, r);
    const file = runFile(e, r);
    await writeFile(`${file}.tmp`, JSON.stringify(run), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
    running.add(key(e, r));
    if (before && before.pid !== run.pid) await stopTree(before.pid);
    // Earlier versions' folders go once nothing runs from them.
    const releases = join(builder.dirOf(e, r), 'releases');
    for (const name of await readdir(releases).catch(() => [] as string[])) {
      if (name !== run.commit) await rm(join(releases, name), { recursive: true, force: true });
    }
  };

  const accept = (e: string, r: string) => async (folder: string, commit: string, uid: number | undefined) => {
    const config = await builder.readConfig(e, r);
    const classes = config?.settings.classes ?? 'classes';
    const releases = join(builder.dirOf(e, r), 'releases');
    const release = join(releases, commit);
    await mkdir(releases, { recursive: true, mode: 0o700 });
    await rm(release, { recursive: true, force: true });
    await mkdir(release, { mode: 0o700 });
    // Only the compiled classes (regular files), as their own folder: nothing else of the build carries over.
    await publishOutput(join(folder, classes), join(release, classes), { maxBytes: 200 * 1024 * 1024, maxFiles: 50_000 });
    if (uid !== undefined) await handOver(release, uid, uid);
    try {
      await switchTo(e, r, await start(e, r, release, commit, uid));
    } catch (err) {
      if ((await readRun(e, r))?.commit !== commit) await rm(release, { recursive: true, force: true });
      return (err as Error).message;
    }
    return null;
  };

  /** New variables or settings (an extension added a cache): the version that runs starts again with them. */
  const refresh = (e: string, r: string) => async () => {
    const run = await alive(e, r);
    const config = await builder.readConfig(e, r);
    if (!run || !config || run.config === configHash(config)) return;
    try {
      await switchTo(e, r, await start(e, r, join(builder.dirOf(e, r), 'releases', run.commit), run.commit, await builder.uidOf(e, r)));
    } catch (err) {
      throw new Error(`resource ${r}: the service did not start with its new settings; the previous one still runs: ${(err as Error).message}`);
    }
  };

  const rebuild = ({ environmentId: e, resourceId: r }: Pick<ResourceRef, 'environmentId' | 'resourceId'>) => builder.build(e, r, accept(e, r), refresh(e, r));

  const outputsOf = async (e: string, r: string) => {
    const run = await readRun(e, r);
    const last = await builder.last(e, r);
    return { url: workspaceUrl(opts.publicUrl, e, r), commit: run?.commit ?? '', buildStatus: last?.status ?? 'failed' as const };
  };

  const stopService = async (e: string, r: string) => {
    await builder.cancel(e, r);
    const run = await readRun(e, r);
    if (run && ours(e, r, run.pid)) await stopTree(run.pid);
    running.delete(key(e, r));
  };

  const driver = defineDriver({
    ...javaServiceDeclaration,
    async provision({ environmentId: e, resourceId: r, params }) {
      const env = Object.fromEntries(Object.entries(params.env).map(([k, v]) => [k, String(v)]));
      await builder.saveConfig(e, r, {
        repo: params.repo, branch: params.branch, command: ['/bin/sh', '-c', params.command], env,
        settings: { health: params.health, classes: params.classes, mainClass: params.mainClass },
      });
      const uid = await builder.uidOf(e, r);
      const state = { repo: params.repo, branch: params.branch, ...(uid !== undefined ? { uid } : {}) };
      if (await alive(e, r)) {
        running.add(key(e, r));
        // A push missed while the platform was down is built; new settings restart what runs.
        await rebuild({ environmentId: e, resourceId: r });
        return { state, outputs: await outputsOf(e, r) };
      }
      // Started again (after stop, or a restart): the version that ran before, without building it again.
      const before = await readRun(e, r);
      if (before) {
        const release = join(builder.dirOf(e, r), 'releases', before.commit);
        try {
          await switchTo(e, r, await start(e, r, release, before.commit, uid));
        } catch (err) {
          throw new Error(`resource ${r}: the service did not start again: ${(err as Error).message}`);
        }
      }
      await rebuild({ environmentId: e, resourceId: r });
      const last = await builder.last(e, r);
      if (!last?.commit) throw new PermanentDriverError(`repository ${params.repo} has no branch ${params.branch} to build`);
      if (!(await alive(e, r))) {
        // The first build failed: nothing runs. A push that builds starts it; the environment shows why now.
        throw new PermanentDriverError(`resource ${r}: the first version of the service did not start: ${last.error ?? 'see its build log'}`);
      }
      return { state, outputs: await outputsOf(e, r) };
    },
    async status({ environmentId: e, resourceId: r }) {
      const run = await alive(e, r);
      if (!run) return { healthy: false, message: 'the service is not running' };
      const config = await builder.readConfig(e, r);
      if (!(await answers(run.port, config?.settings.health ?? '/health'))) return { healthy: false, message: `the service does not answer ${config?.settings.health ?? '/health'}` };
      const last = await builder.last(e, r);
      if (last?.status === 'failed') return { healthy: true, message: `build failed at ${last.commit.slice(0, 12)}: ${last.error ?? 'see the build log'}; running ${run.commit.slice(0, 12)}` };
      return { healthy: true };
    },
    async stop({ environmentId: e, resourceId: r }) {
      await stopService(e, r);
    },
    async deprovision({ environmentId: e, resourceId: r }) {
      await stopService(e, r);
      await builder.remove(e, r);
    },
    async upstream({ environmentId: e, resourceId: r }) {
      const run = await alive(e, r);
      return run ? { kind: 'http' as const, url: `http://${host}:${run.port}` } : null;
    },
  });
  return Object.assign(driver, {
    rebuild,
    async stopAll() {
      await Promise.all([...running].map((k) => {
        const [e, r] = k.split('/');
        return stopService(e, r);
      }));
    },
  });
}

async function lastLines(file: string, n = 8): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-n).join('\n') || '(no output)';
  } catch {
    return '(no output)';
  }
}
