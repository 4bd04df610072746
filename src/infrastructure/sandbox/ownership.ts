import { lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Hands a folder the platform prepared (a fresh clone) over to a workspace's uid. Never follows a
 * symbolic link: a repository may hold `x -> /etc/shadow`, and chown through it would give the
 * workspace that file. Only called on folders no workspace process can reach yet.
 */
export async function handOver(root: string, uid: number, gid: number): Promise<void> {
  const st = await lstat(root);
  if (st.isDirectory()) {
    for (const entry of await readdir(root, { withFileTypes: true })) {
      const p = join(root, entry.name);
      if (entry.isDirectory()) await handOver(p, uid, gid);
      else await lchown(p, uid, gid);
    }
  }
  // The root last: once it belongs to the uid, everything in it does (a hand-over cut short by a
  // crash is recognised by its root and done again).
  await lchown(root, uid, gid);
}
