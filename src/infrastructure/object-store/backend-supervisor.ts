import { spawn, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { chmod, lstat, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BACKEND_SCRIPT = fileURLToPath(new URL('./backend-process.ts', import.meta.url));
/** sun_path holds 108 bytes with its terminating NUL. */
const MAX_SOCKET_PATH = 107;
const MAX_RESTART_DELAY_MS = 5000;

/**
 * A folder only this user may enter, for the backend's socket: inside the data dir when the path
 * fits a unix socket address, else a fresh private folder under the temp dir.
 */
async function privateSocketDir(dataDir: string): Promise<{ dir: string; temporary: boolean }> {
  const inData = join(dataDir, '.backend');
  if (Buffer.byteLength(join(inData, 's3rver.sock')) <= MAX_SOCKET_PATH) {
    await mkdir(inData, { recursive: true, mode: 0o700 });
    const st = await lstat(inData);
    // A symlink or someone else's folder here could let another user reach the socket.
    if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) {
      throw new Error(`object store: ${inData} must be a directory owned by the platform's user`);
    }
    await chmod(inData, 0o700);
    return { dir: inData, temporary: false };
  }
  return { dir: await mkdtemp(join(tmpdir(), 'goldpath-s3-')), temporary: true }; // mkdtemp makes it 0700
}

/**
 * Runs the s3rver backend (backend-process.ts) as a child process on a unix socket and keeps it
 * running: if it exits, requests in flight fail with a 503 and a new one starts at once (after a
 * growing pause only when it keeps dying before it is ready). A crash in s3rver therefore never
 * takes the platform down.
 */
export class BackendSupervisor {
  readonly socketPath: string;
  private readonly dataDir: string;
  private readonly socketDir: { dir: string; temporary: boolean };
  private child: ChildProcess | null = null;
  private agent: Agent | null = null;
  private waiters = new Set<() => void>();
  private failures = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private closing = false;

  private constructor(dataDir: string, socketDir: { dir: string; temporary: boolean }) {
    this.dataDir = dataDir;
    this.socketDir = socketDir;
    this.socketPath = join(socketDir.dir, 's3rver.sock');
  }

  /** Prepares the socket folder and starts the backend without waiting for it to be ready. */
  static async start(dataDir: string): Promise<BackendSupervisor> {
    const supervisor = new BackendSupervisor(dataDir, await privateSocketDir(dataDir));
    supervisor.spawn();
    return supervisor;
  }

  /** The agent for the running backend, once it is ready; null if it is not ready within `timeoutMs`. */
  async ready(timeoutMs: number): Promise<Agent | null> {
    if (this.agent) return this.agent;
    if (this.closing) return null;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
    return this.agent;
  }

  private spawn(): void {
    this.restartTimer = null;
    if (this.closing) return;
    // Same runtime as the platform; the backend needs nothing from the platform's environment.
    const child = spawn(process.execPath, [BACKEND_SCRIPT, this.dataDir, this.socketPath], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { PATH: process.env.PATH ?? '' },
    });
    this.child = child;
    child.on('message', (msg) => {
      if (child !== this.child || (msg as { type?: string } | null)?.type !== 'ready') return;
      this.failures = 0;
      // A fresh agent per backend: no pooled connection to a dead backend is ever reused.
      this.agent = new Agent({ keepAlive: true });
      for (const w of [...this.waiters]) w();
    });
    child.on('error', (err) => {
      console.error(`[object-store] backend: ${err.message}`);
      // A process that never started emits no 'exit'.
      if (child.pid === undefined) this.gone(child, err.message);
    });
    child.on('exit', (code, signal) => this.gone(child, signal ?? `code ${code}`));
  }

  private gone(child: ChildProcess, reason: string): void {
    if (child !== this.child) return;
    const wasReady = this.agent !== null;
    this.agent?.destroy();
    this.agent = null;
    this.child = null;
    if (this.closing) return;
    if (!wasReady) this.failures++;
    const delay = this.failures === 0 ? 0 : Math.min(100 * 2 ** (this.failures - 1), MAX_RESTART_DELAY_MS);
    console.error(`[object-store] backend exited (${reason}); restarting${delay ? ` in ${delay} ms` : ''}`);
    this.restartTimer = setTimeout(() => this.spawn(), delay);
    this.restartTimer.unref();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const w of [...this.waiters]) w();
    this.agent?.destroy();
    this.agent = null;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    this.child = null;
    await rm(this.socketPath, { force: true });
    if (this.socketDir.temporary) await rm(this.socketDir.dir, { recursive: true, force: true });
  }
}
