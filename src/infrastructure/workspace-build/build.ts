/**
 * One build of one commit: the commit's files in a fresh folder owned by the workspace's uid, the
 * build command run there in the sandbox with a timeout and a capped log. What to keep of a
 * successful build (a site's pages, a service's classes) is the caller's to take from the folder.
 */
import type { SandboxSupport } from '../sandbox/index.ts';
import { exportCommit, letThrough } from './source.ts';
import { runToEnd, type RunLimits } from './sandboxed-process.ts';

export interface BuildSpec {
  reposDir: string;
  repo: string;
  commit: string;
  /** A folder of its own for this build: emptied, filled with the commit's files, the build's home. */
  folder: string;
  /** Where the platform's own folders end, for a host without a sandbox (see letThrough). */
  top: string;
  uid?: number;
  sandbox: SandboxSupport;
  command: string[];
  env: Record<string, string>;
  limits: RunLimits;
  /** Ends the build early (its resource is being removed). */
  signal?: AbortSignal;
}

export type BuildStatus = 'running' | 'succeeded' | 'failed';

export interface BuildOutcome {
  ok: boolean;
  commit: string;
  durationMs: number;
  log: string;
  /** The line a person reads first: what went wrong (null when it went well). */
  error: string | null;
}

/** What a platform keeps of builds: the journal the builds API and the environment page read. */
export interface BuildJournal {
  started(b: { environmentId: string; resourceId: string; commit: string }): Promise<string>;
  finished(id: string, b: { environmentId: string; resourceId: string; commit: string; status: Exclude<BuildStatus, 'running'>; durationMs: number; log: string; error: string | null }): Promise<void>;
}

export const defaultBuildLimits: RunLimits = { timeoutMs: 120_000, logLimitBytes: 256 * 1024 };

export async function buildCommit(spec: BuildSpec): Promise<BuildOutcome> {
  const started = performance.now();
  await exportCommit(spec.reposDir, spec.repo, spec.commit, spec.folder, spec.uid);
  if (!spec.sandbox.available && spec.uid !== undefined) await letThrough(spec.folder, spec.top);
  const run = await runToEnd({ home: spec.folder, uid: spec.uid, sandbox: spec.sandbox, command: spec.command, env: spec.env }, spec.limits, spec.signal);
  const log = redactValues(run.log, Object.values(spec.env));
  const ok = run.exitCode === 0;
  const error = ok ? null : run.timedOut ? `the build took longer than ${Math.round(spec.limits.timeoutMs / 1000)} s` : (firstErrorLine(log) ?? `the build exited with code ${run.exitCode}`);
  return { ok, commit: spec.commit, durationMs: Math.round(performance.now() - started), log, error };
}

/** The line of a failed build's log that says what went wrong: the first that looks like an error, else the last. */
export function firstErrorLine(log: string): string | null {
  const lines = log.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('[goldpath]'));
  const marked = lines.find((l) => /\berror\b|exception|traceback|failed|fatal|cannot|not found/i.test(l) && !/^Traceback/.test(l));
  const line = marked ?? lines.at(-1) ?? null;
  return line && line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** The environment's own values (passwords in DATABASE_URL…) never reach a stored log, whatever the build printed. */
export function redactValues(text: string, values: string[]): string {
  let out = text;
  for (const v of values.filter((x) => x.length >= 6).sort((a, b) => b.length - a.length)) out = out.split(v).join('[secret]');
  return out;
}
