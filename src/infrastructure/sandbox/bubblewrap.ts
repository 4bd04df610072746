/**
 * Workspace sandboxing with Debian's bubblewrap (`bwrap`): the same tool Flatpak uses, small and
 * well reviewed. A workspace process gets its own mount, PID, IPC and UTS namespaces, a read-only
 * view of the system's programs (/usr, /etc), a private /tmp, and exactly one writable folder of
 * the host: its own home. Nothing else of the host's filesystem exists inside, so the platform's
 * data folder, its state and credentials, and other workspaces' files cannot even be named.
 *
 * As root, bwrap runs privileged (no user namespace needed) and `setpriv` inside drops to the
 * workspace's own uid with no capabilities and no_new_privs, so its files on the host belong to
 * that uid. As an ordinary user, bwrap makes a user namespace and the workspace keeps the
 * platform's uid: still a separate filesystem view and PID namespace, but no uid of its own.
 *
 * The network namespace is shared on purpose: a workspace must reach its own URLs (warehouse,
 * object store proxy, git over HTTP) and the platform must reach its notebook; everything the
 * platform listens on authenticates every request (see docs/security.md).
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Where a workspace's home (its one writable host folder) appears inside the sandbox. */
export const WORKSPACE_HOME = '/home/workspace';

export type SandboxSupport =
  | { available: true; mode: 'uid-per-workspace' | 'shared-uid'; bwrap: string }
  | { available: false; reason: string };

export interface SandboxSpec {
  /** The host folder bound read-write at WORKSPACE_HOME. */
  home: string;
  /** Working directory inside the sandbox (default WORKSPACE_HOME). */
  cwd?: string;
  /** The workspace's own uid (and gid); only when the platform runs as root. */
  uid?: number;
}

const BWRAP_CANDIDATES = ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'];
const SETPRIV = '/usr/bin/setpriv';
const PRLIMIT = '/usr/bin/prlimit';
/** Per uid, so per workspace: a fork bomb in a cell stops at its own ceiling, not the machine's. */
export const WORKSPACE_MAX_PROCESSES = 512;

/** Top-level system folders a program may need, bound read-only (or re-made as the same symlink). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

function systemView(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    let st;
    try {
      st = lstatSync(dir);
    } catch {
      continue;
    }
    // Merged-/usr systems make /bin, /lib... symlinks into /usr: recreate the link, not a copy.
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else if (st.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  return args;
}

function findBwrap(): string | undefined {
  return BWRAP_CANDIDATES.find((p) => existsSync(p));
}

/**
 * `command` run as an unprivileged uid (and gid) for good: no supplementary groups, no
 * capabilities, an empty bounding set, no_new_privs (setuid programs do nothing), and the
 * workspace's process ceiling. Needs root; the sandbox uses it inside its namespaces, and a host
 * without a sandbox uses it alone so that a workspace never runs as root.
 */
export function asUser(uid: number, command: string[]): string[] {
  const id = String(uid);
  const drop = [SETPRIV, `--reuid=${id}`, `--regid=${id}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--'];
  if (existsSync(PRLIMIT)) drop.push(PRLIMIT, `--nproc=${WORKSPACE_MAX_PROCESSES}`, '--nofile=4096', '--');
  return [...drop, ...command];
}

/**
 * The argv that runs `command` inside a workspace sandbox. The child must be spawned detached by
 * the caller when it should outlive the platform (notebooks do: a platform restart finds them again).
 */
export function sandboxedCommand(support: Extract<SandboxSupport, { available: true }>, spec: SandboxSpec, command: string[]): { file: string; args: string[] } {
  const args = [
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--hostname', 'workspace',
    // A new session: no ioctl on the platform's terminal (TIOCSTI) from inside.
    '--new-session',
    ...systemView(),
    '--proc', '/proc',
    '--dev', '/dev',
    '--tmpfs', '/tmp',
    '--tmpfs', '/var/tmp',
    '--tmpfs', '/run',
    '--tmpfs', '/home',
    '--bind', spec.home, WORKSPACE_HOME,
    '--chdir', spec.cwd ?? WORKSPACE_HOME,
  ];
  if (support.mode === 'uid-per-workspace') {
    if (spec.uid === undefined) throw new Error('sandbox: a workspace uid is required when the platform runs as root');
    // Inside the new namespaces, still root: drop to the workspace's uid for good before exec.
    return { file: support.bwrap, args: [...args, '--', ...asUser(spec.uid, command)] };
  }
  // Unprivileged: bwrap makes a user namespace; drop every capability it would hold there.
  return { file: support.bwrap, args: ['--unshare-user', '--cap-drop', 'ALL', ...args, '--', ...command] };
}

/**
 * Can this host sandbox workspaces? Runs a real sandboxed `true`: a kernel without user
 * namespaces, a container without the needed privileges or a missing bwrap all show up here.
 */
export async function detectSandbox(env: NodeJS.ProcessEnv = process.env): Promise<SandboxSupport> {
  if (/^(off|false|0|no)$/i.test(env.GOLDPATH_WORKSPACE_SANDBOX ?? '')) {
    return { available: false, reason: 'turned off by GOLDPATH_WORKSPACE_SANDBOX' };
  }
  const bwrap = findBwrap();
  if (!bwrap) return { available: false, reason: 'bubblewrap (bwrap) is not installed: `apt-get install bubblewrap`' };
  const root = process.getuid?.() === 0;
  if (root && !existsSync(SETPRIV)) return { available: false, reason: 'setpriv (util-linux) is not installed' };
  const support = { available: true as const, mode: root ? ('uid-per-workspace' as const) : ('shared-uid' as const), bwrap };
  const probe = sandboxedCommand(support, { home: '/tmp', uid: 65534 }, ['/usr/bin/id', '-u']);
  let last = '';
  // Twice: a first start on a loaded machine has been seen to return nothing once.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const { stdout, stderr } = await execFileAsync(probe.file, probe.args, { timeout: 10_000 });
      if (!root || stdout.trim() === '65534') return support;
      last = `the sandbox did not change the uid (got "${stdout.trim()}"${stderr.trim() ? `, ${stderr.trim().split('\n')[0]}` : ''})`;
    } catch (e) {
      const msg = ((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n')[0];
      last = `bubblewrap cannot create namespaces here (${msg})`;
    }
  }
  return { available: false, reason: last };
}
