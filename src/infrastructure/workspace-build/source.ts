/**
 * The source of a build: one commit of a hosted repository, exported as plain files (no .git, no
 * history, no credentials) into a folder that is then handed to the workspace's uid.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runGit } from '../git-http/repos.ts';
import { repoDir } from '../git-http/repos.ts';
import { handOver } from '../sandbox/index.ts';

/** The commit a branch points at now, or null when the repository or the branch does not exist. */
export async function branchCommit(reposDir: string, repo: string, branch: string): Promise<string | null> {
  try {
    const { stdout } = await runGit(['--git-dir', repoDir(reposDir, repo), 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/**
 * Writes the commit's tree into `dest`, made afresh (whatever was there is removed first), owned by
 * `uid` when given. Symbolic links in the tree stay links: they are handed over without being
 * followed, and a sandbox sees nothing of the host they could point at.
 */
export async function exportCommit(reposDir: string, repo: string, commit: string, dest: string, uid?: number): Promise<void> {
  if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new Error(`not a commit id: ${JSON.stringify(commit)}`);
  await rm(dest, { recursive: true, force: true });
  await mkdir(dirname(dest), { recursive: true, mode: 0o700 });
  await mkdir(dest, { mode: 0o700 });
  await new Promise<void>((resolve, reject) => {
    const archive = spawn('git', ['--git-dir', repoDir(reposDir, repo), 'archive', '--format=tar', commit], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', LANG: 'C' } });
    const untar = spawn('tar', ['-x', '-C', dest, '--no-same-owner', '--delay-directory-restore'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    archive.stderr.on('data', (b: Buffer) => (errors += b.toString()));
    untar.stderr.on('data', (b: Buffer) => (errors += b.toString()));
    archive.stdout.pipe(untar.stdin);
    untar.stdin.on('error', () => {});
    const closed = (child: typeof archive | typeof untar) => new Promise<number | null>((res) => child.once('close', (code) => res(code)));
    archive.once('error', reject);
    untar.once('error', reject);
    // Both must end well: git may fail (a bad commit) after tar has read an empty stream.
    Promise.all([closed(archive), closed(untar)]).then(([archiveCode, untarCode]) => {
      if (archiveCode === 0 && untarCode === 0) resolve();
      else reject(new Error(`could not export commit ${commit.slice(0, 12)} of ${repo}: ${errors.trim().split('\n')[0] || `exit ${archiveCode}/${untarCode}`}`));
    }, reject);
  });
  if (uid !== undefined) await handOver(dest, uid, uid);
  await chmod(dest, 0o700);
}

/**
 * Without a sandbox a workspace reaches its folder by its host path: the folders above it (up to
 * `top`) let others pass (execute only, never list), as the notebook driver does.
 */
export async function letThrough(dir: string, top: string): Promise<void> {
  for (let d = dir; ; d = dirname(d)) {
    const { mode } = await stat(d);
    if ((mode & 0o001) === 0) await chmod(d, (mode & 0o7777) | 0o001);
    if (d === top || dirname(d) === d) return;
  }
}
