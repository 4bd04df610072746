import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isValidRepoName, repoDir } from '../../infrastructure/git-http/repos.ts';

const run = promisify(execFile);

/** Where the local target keeps what a team stores: repositories and buckets, one folder each. */
export interface StorageDirs {
  reposDir: string;
  bucketsDir: string;
}

/**
 * The space the given repositories and buckets take on disk, in bytes. One `du -sk` for all of them
 * (POSIX, as the git quota measures a push), so a launch pays one short process, not a walk in Node.
 */
export async function storageBytes(dirs: StorageDirs, names: { repos: string[]; buckets: string[] }): Promise<number> {
  const folders = [
    ...names.repos.filter(isValidRepoName).map((r) => repoDir(dirs.reposDir, r)),
    ...names.buckets.filter((b) => /^[a-z0-9][a-z0-9.-]*$/.test(b)).map((b) => join(dirs.bucketsDir, b)),
  ].filter((f) => existsSync(f));
  if (folders.length === 0) return 0;
  // A folder removed between the check and du makes du exit 1 with the rest still measured.
  const { stdout } = await run('du', ['-sk', '--', ...folders], { maxBuffer: 16 * 1024 * 1024 }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  let kib = 0;
  for (const line of stdout.split('\n')) {
    const n = Number(line.split('\t')[0]);
    if (line && Number.isFinite(n)) kib += n;
  }
  return kib * 1024;
}
