import { chmodSync, chownSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { NotebookSpec } from './notebook.ts';

let nextUid = 2_700_000 + (process.pid % 1000) * 100;

/**
 * A workspace home under `root` with a working directory in it, for tests that start notebooks.
 * Run as root, it belongs to an unprivileged uid of its own (a notebook never runs as root), and
 * `root` lets that uid pass through.
 */
export function testWorkspace(root: string): { dir: string; workspace: NonNullable<NotebookSpec['workspace']> } {
  const home = mkdtempSync(join(root, 'ws-'));
  const dir = join(home, 'work');
  mkdirSync(dir);
  if (process.getuid?.() !== 0) return { dir, workspace: { home } };
  const uid = nextUid++;
  chmodSync(root, 0o711);
  chownSync(home, uid, uid);
  chownSync(dir, uid, uid);
  return { dir, workspace: { home, uid } };
}
