import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data folder holds the platform's secrets (the database password, API tokens, every
 * environment's repos, objects and credentials): its owner alone may read it. New files are made
 * private by the umask; files of an older start are tightened here. Deeper files need no walk:
 * nobody else can traverse the folders above them.
 */
export function secureDataFolder(home: string): void {
  process.umask(0o077);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // Group execute may stay: the embedded PostgreSQL's own group passes through to its cluster.
  chmodSync(home, lstatSync(home).mode & 0o710);
  for (const entry of readdirSync(home)) {
    const p = join(home, entry);
    const st = lstatSync(p);
    if (st.isSymbolicLink() || st.uid !== process.getuid?.()) continue; // e.g. the cluster, owned by postgres
    if ((st.mode & 0o077) !== 0) chmodSync(p, st.mode & 0o700);
  }
}
