import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data folder holds the platform's secrets (the database password, API tokens, every
 * environment's repos, objects and credentials): its owner alone may read it. New files are made
 * private by the umask; files of an older start are tightened here. Deeper files need no walk:
 * nobody else can traverse the folders above them.
 *
 * Execute bits on folders stay (pass through, never list): the embedded PostgreSQL's group passes
 * to its cluster, and on a host without a sandbox each workspace's uid passes to its own home.
 */
export function secureDataFolder(home: string): void {
  process.umask(0o077);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, lstatSync(home).mode & 0o711);
  for (const entry of readdirSync(home)) {
    const p = join(home, entry);
    const st = lstatSync(p);
    if (st.isSymbolicLink() || st.uid !== process.getuid?.()) continue; // e.g. the cluster, owned by postgres
    const keep = st.isDirectory() ? 0o711 : 0o700;
    if ((st.mode & 0o777 & ~keep) !== 0) chmodSync(p, st.mode & keep);
  }
}
