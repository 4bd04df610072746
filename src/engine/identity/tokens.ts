import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../environments/store.ts';
import { PlatformError } from '../errors.ts';
import { toUser, userColumns, type User } from './users.ts';
import type { TokenView } from '../../domain/identity/token.ts';

export type TokenKind = 'cli' | 'session';

/** How long a token works when its issuer does not say: a portal session a working day, a CLI token a quarter. */
export const defaultLifetimeHours: Record<TokenKind, number> = { session: 12, cli: 90 * 24 };
const defaultLabel: Record<TokenKind, string> = { session: 'portal session', cli: 'cli' };

export type TokenInfo = TokenView;

export type TokenCheck =
  | { status: 'valid'; user: User; tokenId: string }
  | { status: 'expired'; expiredAt: string }
  | { status: 'unknown' };

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newToken = (): string => 'gpt_' + randomBytes(24).toString('base64url');

const idAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** `tok_` and 8 characters: short enough to type in `goldpath token --revoke`, and not a secret. */
export const newTokenId = (): string => 'tok_' + [...randomBytes(8)].map((b) => idAlphabet[b % idAlphabet.length]).join('');
export const isTokenId = (id: string): boolean => /^tok_[a-z0-9]{8}$/.test(id);

/** Issues an API token for a user and returns it once; only its hash is kept. */
export async function issueToken(db: Queryable, userId: string, kind: TokenKind, ttlHours?: number, label?: string): Promise<string> {
  const token = newToken();
  // Tokens long expired are of no use even to say "expired": each issue sweeps its user's.
  await db.query(`DELETE FROM api_tokens WHERE user_id = $1 AND expires_at < now() - interval '30 days'`, [userId]);
  for (let attempt = 0; ; attempt++) {
    try {
      const { rowCount } = await db.query(
        `INSERT INTO api_tokens (token_hash, id, user_id, kind, label, expires_at)
         SELECT $2, $3, id, $4, $5, now() + make_interval(hours => $6::int) FROM users WHERE id = $1`,
        [userId, hashToken(token), newTokenId(), kind, label ?? defaultLabel[kind], ttlHours ?? defaultLifetimeHours[kind]],
      );
      if (!rowCount) throw new PlatformError(404, 'unknown_user', `no user "${userId}"`);
      return token;
    } catch (e) {
      // Two tokens drew the same public id (one in 2.8 trillion): draw again.
      if ((e as { constraint?: string }).constraint !== 'api_tokens_id' || attempt >= 3) throw e;
    }
  }
}

/**
 * How long a valid token's check is reused without asking the database: a token revoked or expired
 * elsewhere (another process, SQL) stops working within this time; one revoked here stops at once.
 */
export const TOKEN_CHECK_TTL_MS = 1000;

type CachedCheck = { check: Extract<TokenCheck, { status: 'valid' }>; checkedAt: number; expiresAt: number };
// Per database (tests run several in one process), keyed by the token's hash: never the token itself.
const recentChecks = new WeakMap<object, Map<string, CachedCheck>>();
const MAX_CACHED = 10_000;

function checksOf(db: Queryable): Map<string, CachedCheck> {
  let m = recentChecks.get(db);
  if (!m) recentChecks.set(db, (m = new Map()));
  return m;
}

/** Forgets the cached checks of tokens just revoked here (by hash, or every token with this public id). */
function forgetChecks(db: Queryable, match: { hash?: string; id?: string }): void {
  const m = recentChecks.get(db);
  if (!m) return;
  if (match.hash) m.delete(match.hash);
  if (match.id) for (const [hash, c] of m) if (c.check.tokenId === match.id) m.delete(hash);
}

/**
 * Who a token belongs to, or why it does not work. A valid answer is reused for up to a second
 * (TOKEN_CHECK_TTL_MS, never past the token's expiry), so that a busy client costs one lookup a
 * second rather than one per request. The lookup marks the token used, at most once a minute per
 * token, so that a busy client does not turn every read into a write; one round trip either way.
 */
export async function checkToken(db: Queryable, token: string): Promise<TokenCheck> {
  const hash = hashToken(token);
  const now = Date.now();
  const checks = checksOf(db);
  const hit = checks.get(hash);
  if (hit && now - hit.checkedAt < TOKEN_CHECK_TTL_MS && now < hit.expiresAt) return hit.check;
  const { rows } = await db.query(
    `WITH t AS (SELECT token_hash, id, user_id, expires_at, last_used_at FROM api_tokens WHERE token_hash = $1),
     touched AS (
       UPDATE api_tokens a SET last_used_at = now() FROM t
       WHERE a.token_hash = t.token_hash AND t.expires_at > now()
         AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute'))
     SELECT t.id AS token_id, t.expires_at, t.expires_at <= now() AS expired, ${userColumns}
     FROM t JOIN users u ON u.id = t.user_id`,
    [hash],
  );
  const r = rows[0];
  if (!r) {
    checks.delete(hash);
    return { status: 'unknown' };
  }
  if (r.expired) {
    checks.delete(hash);
    return { status: 'expired', expiredAt: (r.expires_at as Date).toISOString() };
  }
  const check = { status: 'valid' as const, user: toUser(r), tokenId: r.token_id as string };
  if (checks.size >= MAX_CACHED) {
    for (const [h, c] of checks) if (now - c.checkedAt >= TOKEN_CHECK_TTL_MS) checks.delete(h);
    if (checks.size >= MAX_CACHED) checks.clear();
  }
  checks.set(hash, { check, checkedAt: now, expiresAt: (r.expires_at as Date).getTime() });
  return check;
}

export async function userByToken(db: Queryable, token: string): Promise<User | null> {
  const check = await checkToken(db, token);
  return check.status === 'valid' ? check.user : null;
}

/** Does this token still work? (`goldpath up` re-issues the local CLI tokens when not.) */
export async function tokenIsValid(db: Queryable, token: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM api_tokens WHERE token_hash = $1 AND expires_at > now()', [hashToken(token)]);
  return Boolean(rowCount);
}

export async function revokeToken(db: Queryable, token: string): Promise<void> {
  await db.query('DELETE FROM api_tokens WHERE token_hash = $1', [hashToken(token)]);
  forgetChecks(db, { hash: hashToken(token) });
}

/** A user's tokens that still work, newest first; `currentToken` is the one asking, if any. */
export async function listTokens(db: Queryable, userId: string, currentToken?: string): Promise<TokenInfo[]> {
  const { rows } = await db.query(
    `SELECT id, kind, label, created_at, expires_at, last_used_at, token_hash = $2 AS current
     FROM api_tokens WHERE user_id = $1 AND expires_at > now() ORDER BY created_at DESC, id`,
    [userId, currentToken ? hashToken(currentToken) : null],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    label: r.label,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    lastUsedAt: r.last_used_at ? r.last_used_at.toISOString() : null,
    current: r.current === true,
  }));
}

/**
 * Revokes one of the user's own tokens by its public id. Another user's id answers exactly like
 * an unknown one, so ids cannot be probed.
 */
export async function revokeTokenById(db: Queryable, userId: string, id: string): Promise<void> {
  const { rowCount } = isTokenId(id) ? await db.query('DELETE FROM api_tokens WHERE id = $1 AND user_id = $2', [id, userId]) : { rowCount: 0 };
  if (rowCount) forgetChecks(db, { id });
  if (!rowCount) throw new PlatformError(404, 'unknown_token', `you have no token "${id}"; \`goldpath token --list\` lists yours`);
}
