import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** Drives the real CLI (`bin/goldpath`) the way a person does, for end-to-end tests. */
export const goldpathBin = resolve('bin/goldpath');
const execFileAsync = promisify(execFile);

async function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

/** A base port whose next two ports (S3 endpoint, PostgreSQL) are free too. */
export async function freePortTriple(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    // Below Linux's ephemeral range (32768 and up), which every outgoing connection and every
    // notebook's OS-chosen port draws from: a port checked free here is not taken before it is bound.
    const base = 20000 + Math.floor(Math.random() * 12000);
    if ((await portFree(base)) && (await portFree(base + 1)) && (await portFree(base + 2))) return base;
  }
  throw new Error('no free ports');
}

export interface PlatformProcess {
  url: string;
  home: string;
  port: number;
  process: ChildProcess;
  output: () => string;
  /** Runs a goldpath CLI command against this platform. */
  cli: (args: string[], opts?: { env?: Record<string, string> }) => Promise<{ code: number; stdout: string; stderr: string }>;
  /** Parses the JSON a `--json` command prints; throws with its stderr when it failed. */
  cliJson: <T>(args: string[]) => Promise<T>;
  /** Ctrl-C, as a person stops it; resolves with the exit code. */
  stop: () => Promise<number | null>;
  /** kill -9: the crash a test wants to survive. */
  crash: () => Promise<void>;
  adminUrl: (database: string) => string;
}

/**
 * A first start makes the PostgreSQL cluster, migrates it and seeds the warehouse: most of ten
 * seconds, and a test run starts dozens of platforms. So during a test run (the global setup names
 * GOLDPATH_TEST_HOME_TEMPLATE) one data folder is made once, stopped cleanly, and every fresh data
 * folder starts from a copy of its database. What a test writes itself (organisation.yaml,
 * policies/) stays: the platform applies it at start as it would on any restart. Tests of the
 * first start itself, or of another database or warehouse, start from nothing.
 */
const firstStartSettings = ['DATABASE_URL', 'WAREHOUSE_DATABASE_URL', 'GOLDPATH_WAREHOUSE_SCALE', 'GOLDPATH_WAREHOUSE_POLICY'];
let templateMade: Promise<string> | undefined;

async function homeTemplate(dir: string): Promise<string> {
  if (existsSync(join(dir, 'state.json'))) return dir;
  const making = mkdtempSync(`${dir}-making-`);
  const env: Record<string, string | undefined> = { ...process.env, GOLDPATH_HOME: making, NO_COLOR: '1', GOLDPATH_WARM_NOTEBOOKS: '0' };
  for (const name of [...firstStartSettings, 'GOLDPATH_URL', 'GOLDPATH_TOKEN', 'GOLDPATH_ORGANISATION_FILE', 'GOLDPATH_POLICIES_DIR']) delete env[name];
  const child = spawn(goldpathBin, ['up', '--port', String(await freePortTriple())], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((res) => {
    child.stdout!.on('data', () => {
      if (out.includes('Goldpath is ready')) child.kill('SIGINT');
    });
    child.once('exit', res);
  });
  // The sh wrapper may end by the signal itself: what counts is that the platform said it stopped.
  if (!/\nstopped\n/.test(out)) throw new Error(`the test runs' template data folder could not be made (exit ${code}):\n${out}`);
  try {
    renameSync(making, dir);
  } catch {
    rmSync(making, { recursive: true, force: true }); // another test process made it first
  }
  return dir;
}

/** Gives a fresh data folder the template's database, on ports of its own. */
async function fromTemplate(home: string, port: number, env: Record<string, string | undefined>, args: string[]): Promise<void> {
  const dir = process.env.GOLDPATH_TEST_HOME_TEMPLATE;
  if (!dir || existsSync(join(home, 'pg')) || existsSync(join(home, 'state.json'))) return;
  if (firstStartSettings.some((name) => env[name]) || args.includes('--scale') || env.GOLDPATH_TEST_FIRST_START) return;
  const template = await (templateMade ??= homeTemplate(dir));
  // cp -a: the cluster's files must stay the `postgres` user's.
  await execFileAsync('cp', ['-a', join(template, 'pg'), join(home, 'pg')]);
  for (const file of ['credentials.json', 'local-accounts.txt', 'organisation.yaml']) {
    if (!existsSync(join(home, file)) && existsSync(join(template, file))) await execFileAsync('cp', ['-a', join(template, file), join(home, file)]);
  }
  const state = JSON.parse(readFileSync(join(template, 'state.json'), 'utf8')) as { postgresPort: number };
  writeFileSync(join(home, 'state.json'), JSON.stringify({ ...state, postgresPort: port + 2 }, null, 2), { mode: 0o600 });
}

export async function startPlatformProcess(opts: { home?: string; port?: number; args?: string[]; env?: Record<string, string> } = {}): Promise<PlatformProcess> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'goldpath-e2e-'));
  const port = opts.port ?? (await freePortTriple());
  const env: Record<string, string | undefined> = { ...process.env, GOLDPATH_HOME: home, NO_COLOR: '1', ...opts.env };
  await fromTemplate(home, port, env, opts.args ?? []);
  delete env.GOLDPATH_URL;
  delete env.GOLDPATH_TOKEN;
  const child = spawn(goldpathBin, ['up', '--port', String(port), ...(opts.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`goldpath up did not become ready in 90 s:\n${out}`)), 90_000);
    const check = () => {
      if (out.includes('Goldpath is ready')) {
        clearTimeout(timer);
        res();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`goldpath up exited with ${code}:\n${out}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const cli = async (args: string[], o: { env?: Record<string, string> } = {}) => {
    try {
      const { stdout, stderr } = await execFileAsync(goldpathBin, args, { env: { ...env, ...o.env }, maxBuffer: 20 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  };
  const stateFile = join(home, 'state.json');
  const state = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { postgresPort: number; postgresPassword: string }) : null;
  return {
    url,
    home,
    port,
    process: child,
    output: () => out,
    cli,
    cliJson: async <T>(args: string[]) => {
      const r = await cli([...args, '--json']);
      if (r.code !== 0) throw new Error(`goldpath ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
    stop: () =>
      new Promise((res) => {
        if (child.exitCode !== null) return res(child.exitCode);
        child.once('exit', (code) => res(code));
        child.kill('SIGINT');
      }),
    crash: () =>
      new Promise((res) => {
        child.once('exit', () => res());
        child.kill('SIGKILL');
      }),
    adminUrl: (database) => {
      if (!state) throw new Error('adminUrl: this platform does not run the embedded PostgreSQL');
      return `postgres://postgres:${encodeURIComponent(state.postgresPassword)}@127.0.0.1:${state.postgresPort}/${database}`;
    },
  };
}

/**
 * Until the platform is idle: its warm notebook servers (GOLDPATH_WARM_NOTEBOOKS) are all started,
 * so that a benchmark measures the steady state rather than their start beside it.
 */
export async function settled(p: PlatformProcess, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${p.url}/api/v1/health`)).json()) as { warmNotebooks?: { starting: number } };
    if (!health.warmNotebooks || health.warmNotebooks.starting === 0) return;
    if (Date.now() > end) throw new Error(`the platform's warm notebook servers were still starting after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
