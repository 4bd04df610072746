import { spawn } from 'node:child_process';
import { access, appendFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Repository names become directory names and URL segments, so only a safe subset is allowed. */
const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*$/;

export function isValidRepoName(name: string): boolean {
  return typeof name === 'string' && name.length <= 200 && REPO_NAME.test(name) && !name.endsWith('.git');
}

function assertRepoName(name: string): void {
  if (!isValidRepoName(name)) {
    throw new Error(
      `invalid repository name ${JSON.stringify(name)}: use letters, digits, '-', '_' and '.', start with a letter or digit, no '.git' suffix`,
    );
  }
}

export function repoDir(reposDir: string, name: string): string {
  assertRepoName(name);
  return join(reposDir, `${name}.git`);
}

interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs git with a minimal, predictable environment (no user/global config surprises, no prompts). */
export function runGit(args: string[], opts: { cwd?: string; input?: Buffer; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: { ...gitBaseEnv(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.stdin.on('error', () => {}); // git may exit before reading all input; the exit code reports it
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`git ${args[0]} failed (exit ${code}): ${redactUrls(stderr.trim())}`));
    });
    child.stdin.end(opts.input);
  });
}

/** Credentials can be embedded in clone URLs; never let them reach an error message or log. */
export function redactUrls(text: string): string {
  return text.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1***@');
}

export function gitBaseEnv(): Record<string, string> {
  const env: Record<string, string> = {
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    LANG: 'C',
    LC_ALL: 'C',
  };
  if (process.env.PATH) env.PATH = process.env.PATH;
  if (process.env.HOME) env.HOME = process.env.HOME;
  return env;
}

function assertFilePath(path: string): void {
  const segments = path.split('/');
  // fast-import takes the path verbatim; reject anything that could escape or confuse the tree.
  if (
    path.length === 0 ||
    segments.some((s) => s === '' || s === '.' || s === '..' || s === '.git') ||
    /[\x00-\x1f\x7f"\\]/.test(path)
  ) {
    throw new Error(`invalid file path ${JSON.stringify(path)} for the initial commit`);
  }
}

function fastImportStream(files: Record<string, string>): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const ident = `Goldpath <goldpath@goldpath.local> ${now} +0000`;
  const message = Buffer.from('Initial commit from Goldpath\n');
  const parts: Buffer[] = [
    Buffer.from(`commit refs/heads/main\nauthor ${ident}\ncommitter ${ident}\ndata ${message.length}\n`),
    message,
    Buffer.from('\n'),
  ];
  for (const path of Object.keys(files).sort()) {
    assertFilePath(path);
    const content = Buffer.from(files[path], 'utf8');
    parts.push(Buffer.from(`M 100644 inline "${path}"\ndata ${content.length}\n`), content, Buffer.from('\n'));
  }
  parts.push(Buffer.from('done\n'));
  return Buffer.concat(parts);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Idempotent: creates <reposDir>/<name>.git as a bare repository whose `main` holds one commit with
 * `files`. Built in a temporary directory and renamed into place, so a crash never leaves a
 * half-made repository under the real name. Two git processes (init + fast-import) keep it fast.
 */
export async function createBareRepo(reposDir: string, name: string, files: Record<string, string>): Promise<void> {
  const target = repoDir(reposDir, name);
  if (await repoExists(reposDir, name)) return;
  for (const path of Object.keys(files)) assertFilePath(path);
  await mkdir(reposDir, { recursive: true });
  const tmp = join(reposDir, `.tmp-${name}-${randomBytes(6).toString('hex')}`);
  try {
    await runGit(['init', '--bare', '--quiet', '--initial-branch=main', tmp]);
    // Smart-HTTP push is off by default for anonymous CGI access; each platform repo allows it.
    await appendFile(join(tmp, 'config'), '[http]\n\treceivepack = true\n');
    if (Object.keys(files).length > 0) {
      await runGit(['fast-import', '--quiet', '--done'], { cwd: tmp, input: fastImportStream(files), env: { GIT_DIR: tmp } });
    }
    try {
      await rename(tmp, target);
    } catch (err) {
      // Another caller created it concurrently: theirs wins, ours is discarded.
      if (await repoExists(reposDir, name)) return;
      throw err;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Idempotent. */
export async function removeRepo(reposDir: string, name: string): Promise<void> {
  await rm(repoDir(reposDir, name), { recursive: true, force: true });
}

export async function repoExists(reposDir: string, name: string): Promise<boolean> {
  if (!isValidRepoName(name)) return false;
  try {
    const s = await stat(join(reposDir, `${name}.git`, 'HEAD'));
    return s.isFile();
  } catch {
    return false;
  }
}

/**
 * Idempotent: clones the bare repository into `dir` (e.g. a notebook working directory) and points
 * `origin` at `remoteUrl`, so pushes from there go through the platform's git HTTP endpoint.
 * An existing clone is kept as it is; only its remote URL is refreshed.
 */
export async function cloneRepo(reposDir: string, name: string, dir: string, remoteUrl?: string): Promise<void> {
  const source = repoDir(reposDir, name);
  if (!(await repoExists(reposDir, name))) throw new Error(`repository ${name} does not exist`);
  if (!(await exists(join(dir, '.git')))) {
    await mkdir(dir, { recursive: true });
    await runGit(['clone', '--quiet', source, dir]);
  }
  if (remoteUrl !== undefined) {
    await runGit(['remote', 'set-url', 'origin', remoteUrl], { cwd: dir });
  }
}

/** A file's content at the tip of the repository's default branch, or null when it has no such file. */
export async function readRepoFile(reposDir: string, name: string, path: string): Promise<string | null> {
  try {
    return (await runGit(['--git-dir', repoDir(reposDir, name), 'show', `HEAD:${path}`])).stdout;
  } catch {
    return null; // no such file (or no such repository)
  }
}
