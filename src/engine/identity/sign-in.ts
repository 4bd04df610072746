import { timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../environments/store.ts';
import { PlatformError } from '../errors.ts';
import { issueToken } from './tokens.ts';
import { scryptAsync, toUser, userColumns, type User } from './users.ts';

/** How many failed sign-ins are tolerated, per account and per client address, within the window. */
export interface SignInLimits {
  perAccount: number;
  perAddress: number;
  windowSeconds: number;
}
export const defaultSignInLimits: SignInLimits = { perAccount: 5, perAddress: 20, windowSeconds: 15 * 60 };

/** Too many recent failures: the API answers 429 with Retry-After. */
export class TooManySignIns extends Error {
  readonly retryAfterSeconds: number;
  constructor(scope: 'account' | 'address', retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(`too many failed sign-ins ${scope === 'account' ? 'for this account' : 'from your address'}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

// Compared against when the login names nobody, so that an unknown user costs the same time as a wrong password.
const unknownUserHash = `scrypt$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

/**
 * Signs a local account in: the user's id or e-mail, and password; the same message for every
 * failure. Throttled per account and per client address BEFORE the password is checked (scrypt is
 * costly: checking first would let anyone burn the CPU). The attempt is recorded as a failure first
 * and cleared on success, so a burst of parallel guesses counts too.
 */
export async function signIn(
  db: Queryable,
  login: string,
  password: string,
  opts: { address?: string; limits?: SignInLimits } = {},
): Promise<{ user: User; token: string }> {
  const limits = opts.limits ?? defaultSignInLimits;
  const { rows } = await db.query(`SELECT ${userColumns}, u.password_hash FROM users u WHERE u.id = $1 OR u.email = $1 LIMIT 1`, [login]);
  const row = rows[0];
  // The user's id when the login names one, so "dana" and "dana@…" share one count.
  const account = row ? `user:${row.id}` : `login:${login.toLowerCase()}`;
  const address = opts.address ?? null;

  const attempt = await db.query<{ id: string }>(
    `WITH old AS (DELETE FROM sign_in_failures WHERE at < now() - make_interval(secs => $3))
     INSERT INTO sign_in_failures (account, address) VALUES ($1, $2) RETURNING id`,
    [account, address, limits.windowSeconds],
  );
  const id = attempt.rows[0].id;
  // The n-th most recent earlier failure: while it is inside the window, the limit is reached.
  const { rows: [blocked] } = await db.query<{ account_wait: number | null; address_wait: number | null }>(
    `SELECT
       (SELECT extract(epoch FROM at + make_interval(secs => $4) - now()) FROM sign_in_failures
        WHERE account = $1 AND id < $3 AND at > now() - make_interval(secs => $4) ORDER BY at DESC OFFSET $5 LIMIT 1) AS account_wait,
       (SELECT extract(epoch FROM at + make_interval(secs => $4) - now()) FROM sign_in_failures
        WHERE address = $2 AND id < $3 AND at > now() - make_interval(secs => $4) ORDER BY at DESC OFFSET $6 LIMIT 1) AS address_wait`,
    [account, address, id, limits.windowSeconds, limits.perAccount - 1, limits.perAddress - 1],
  );
  const wait = blocked.account_wait !== null ? { scope: 'account' as const, s: Number(blocked.account_wait) } : blocked.address_wait !== null ? { scope: 'address' as const, s: Number(blocked.address_wait) } : null;
  if (wait) {
    // A refused attempt is not a failure: counting it would keep a locked-out person locked out forever.
    await db.query('DELETE FROM sign_in_failures WHERE id = $1', [id]);
    throw new TooManySignIns(wait.scope, Math.max(1, Math.ceil(wait.s)));
  }

  const fail = () => new PlatformError(401, 'bad_credentials', 'unknown user or wrong password');
  const ok = await passwordMatches(row?.password_hash ?? unknownUserHash, password);
  if (!row?.password_hash || !ok) throw fail();
  await db.query('DELETE FROM sign_in_failures WHERE account = $1', [account]);
  const user = toUser(row);
  return { user, token: await issueToken(db, user.id, 'session') };
}

async function passwordMatches(stored: string, password: string): Promise<boolean> {
  const [, salt, expected] = String(stored).split('$');
  const want = Buffer.from(expected ?? '', 'base64');
  const got = await scryptAsync(password, Buffer.from(salt ?? '', 'base64'), 32);
  return got.length === want.length && timingSafeEqual(got, want);
}
