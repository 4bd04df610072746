import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../environments/store.ts';
import type { Organisation } from './organisation.ts';
import { setPassword } from './users.ts';

/**
 * The passwords of the local accounts, one each, in a file of the data folder that only the
 * operator can read: they hand each person their own line. The platform keeps only scrypt hashes;
 * this file is the one place the passwords are written, never a log or the terminal.
 */
const header = '# Goldpath local accounts: hand each person their own line. Readable by you only; the platform keeps only hashes.\nuser\tteam\trole\tpassword\n';

export const newPassword = (): string => randomBytes(12).toString('base64url');

/** user id → password, from the file as last written. */
export function readLocalAccounts(file: string): Map<string, string> {
  const known = new Map<string, string>();
  if (!existsSync(file)) return known;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cols = line.split('\t');
    if (line.startsWith('#') || cols.length < 4 || cols[0] === 'user') continue;
    known.set(cols[0], cols[3]);
  }
  return known;
}

/**
 * Gives every local person of the organisation a password of their own and writes the file.
 * A person without a password gets the one the file already has for them (the database was
 * made anew) or a new one; one the file does not know gets a new one. `resetAll` gives everyone a
 * new one: an install from before individual passwords, where all shared one that all had seen.
 */
export async function ensureLocalAccounts(db: Queryable, org: Organisation, file: string, opts: { resetAll?: boolean } = {}): Promise<{ created: string[] }> {
  const known = readLocalAccounts(file);
  const { rows } = await db.query<{ id: string; has_password: boolean }>(
    'SELECT id, password_hash IS NOT NULL AS has_password FROM users WHERE id = ANY($1::text[])',
    [org.users.map((u) => u.id)],
  );
  const hasPassword = new Map(rows.map((r) => [r.id, r.has_password]));
  const created: string[] = [];
  const lines: string[] = [];
  for (const u of org.users) {
    let password = known.get(u.id);
    if (opts.resetAll || !password) {
      password = newPassword();
      await setPassword(db, u.id, password);
      created.push(u.id);
    } else if (!hasPassword.get(u.id)) {
      await setPassword(db, u.id, password);
    }
    lines.push([u.id, u.team, u.roles.includes('admin') ? 'admin' : '-', password].join('\t'));
  }
  writeFileSync(file, header + lines.join('\n') + '\n', { mode: 0o600 });
  // The mode above applies only when the file is created: an existing one is narrowed too.
  chmodSync(file, 0o600);
  return { created };
}
