// Saved queries are files in the environment's own repository (queries/<name>.sql on main), so
// they are versioned, cloned with the repo and shared like any other work. Written with git's
// plumbing on the bare repository: no working copy, and a concurrent push is never overwritten.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitBaseEnv, runGit } from '../../infrastructure/git-http/repos.ts';
import { PlatformError } from '../errors.ts';

export const QUERY_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const FOLDER = 'queries';
const BRANCH = 'refs/heads/main';
const MAX_LISTED = 500;
const MAX_SQL_BYTES = 100_000;

export interface SavedQuery {
  name: string;
  path: string;
  sql: string;
}

export interface Author {
  name: string;
  email: string;
}

/** Every `queries/*.sql` on main, by name. */
export async function listSavedQueries(gitDir: string): Promise<SavedQuery[]> {
  let listing: string;
  try {
    listing = (await runGit(['--git-dir', gitDir, 'ls-tree', '-z', BRANCH, `${FOLDER}/`])).stdout;
  } catch {
    return []; // an empty repository has no main yet
  }
  const files = listing.split('\0').filter(Boolean).map((line) => {
    const [meta, path] = line.split('\t') as [string, string];
    const [, type, sha] = meta.split(' ');
    return { type, sha: sha!, path };
  }).filter((f) => f.type === 'blob' && /\.sql$/.test(f.path)).slice(0, MAX_LISTED);
  if (files.length === 0) return [];
  const batch = (await runGitBuffer(gitDir, ['cat-file', '--batch'], files.map((f) => f.sha).join('\n') + '\n'));
  const contents = parseCatFileBatch(batch);
  return files.map((f, i) => ({ name: f.path.slice(FOLDER.length + 1, -'.sql'.length), path: f.path, sql: contents[i] ?? '' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Commits `queries/<name>.sql` on main, authored by the person who saved it. Returns the commit.
 * The ref moves only from the commit this was built on (compare-and-swap), so a push that landed
 * in between is kept: the save is built again on top of it.
 */
export async function saveQuery(gitDir: string, query: { name: string; sql: string }, author: Author): Promise<{ path: string; commit: string }> {
  if (!QUERY_NAME.test(query.name)) {
    throw new PlatformError(400, 'invalid_request', 'name: use 1-64 lower-case letters, digits, "-" and "_", starting with a letter or digit (it becomes queries/<name>.sql)');
  }
  const sql = query.sql.endsWith('\n') ? query.sql : `${query.sql}\n`;
  if (!query.sql.trim()) throw new PlatformError(400, 'invalid_request', 'sql: the query to save is empty');
  if (Buffer.byteLength(sql) > MAX_SQL_BYTES) throw new PlatformError(400, 'invalid_request', `sql: a saved query holds at most ${MAX_SQL_BYTES / 1000} kB`);
  const path = `${FOLDER}/${query.name}.sql`;
  const blob = (await runGit(['--git-dir', gitDir, 'hash-object', '-w', '--stdin'], { input: Buffer.from(sql) })).stdout.trim();
  const ident = {
    GIT_AUTHOR_NAME: clean(author.name) || 'Goldpath user', GIT_AUTHOR_EMAIL: clean(author.email) || 'user@goldpath.local',
    GIT_COMMITTER_NAME: 'Goldpath', GIT_COMMITTER_EMAIL: 'goldpath@goldpath.local',
  };
  const dir = await mkdtemp(join(tmpdir(), 'goldpath-save-'));
  try {
    for (let attempt = 0; ; attempt++) {
      const parent = await tip(gitDir);
      const index = { GIT_INDEX_FILE: join(dir, `index-${attempt}`) };
      if (parent) await runGit(['--git-dir', gitDir, 'read-tree', parent], { env: index });
      await runGit(['--git-dir', gitDir, 'update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], { env: index });
      const tree = (await runGit(['--git-dir', gitDir, 'write-tree'], { env: index })).stdout.trim();
      const message = `Save query ${query.name} from the SQL console\n`;
      const commit = (await runGit(['--git-dir', gitDir, 'commit-tree', tree, ...(parent ? ['-p', parent] : [])], { input: Buffer.from(message), env: ident })).stdout.trim();
      try {
        await runGit(['--git-dir', gitDir, 'update-ref', '-m', 'goldpath: save query', BRANCH, commit, parent ?? '0'.repeat(40)]);
        return { path, commit };
      } catch (e) {
        if (attempt >= 3) throw e; // main kept moving: give up rather than loop
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function tip(gitDir: string): Promise<string | null> {
  try {
    return (await runGit(['--git-dir', gitDir, 'rev-parse', '--verify', '--quiet', `${BRANCH}^{commit}`])).stdout.trim() || null;
  } catch {
    return null;
  }
}

/** A name or e-mail as git takes it: no angle brackets or line breaks (they would forge the header). */
const clean = (s: string) => s.replace(/[<>\n\r\0]/g, '').trim().slice(0, 200);

async function runGitBuffer(gitDir: string, args: string[], input: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, ...args], { env: gitBaseEnv(), stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`git ${args[0]} failed (exit ${code})`))));
    child.stdin.end(input);
  });
}

/** `git cat-file --batch` output: for each object "<sha> <type> <size>\n<content>\n". */
function parseCatFileBatch(buf: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < buf.length) {
    const eol = buf.indexOf(0x0a, at);
    if (eol < 0) break;
    const header = buf.subarray(at, eol).toString('utf8').split(' ');
    const size = Number(header[2]);
    if (header[1] === 'missing' || !Number.isFinite(size)) { out.push(''); at = eol + 1; continue; }
    out.push(buf.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return out;
}
