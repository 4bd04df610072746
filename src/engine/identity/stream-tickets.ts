import { randomBytes } from 'node:crypto';
import type { Queryable } from '../environments/store.ts';
import { PlatformError } from '../errors.ts';
import { hashToken } from './tokens.ts';
import { toUser, userColumns, type User } from './users.ts';

/**
 * Stream tickets: EventSource cannot send an Authorization header, and a URL ends up in logs,
 * history and Referer headers. So the portal trades its token for a ticket that opens one stream
 * of one environment, once, within a minute; a leaked URL is worth nothing by the time anyone
 * reads it. Kept (hashed) in PostgreSQL because any replica may serve the stream.
 */
export const streamTicketSeconds = 60;

const newTicket = (): string => 'gpst_' + randomBytes(24).toString('base64url');
const askAgain = 'ask POST /api/v1/stream-tickets for a new one (the portal does so by itself)';

/** A ticket for `user`, who holds `bearerToken`, to follow `environmentId`; the caller checked the user may see it. */
export async function issueStreamTicket(db: Queryable, bearerToken: string, user: User, environmentId: string): Promise<{ ticket: string; expiresAt: string }> {
  const ticket = newTicket();
  const { rows } = await db.query<{ expires_at: Date }>(
    `WITH old AS (DELETE FROM stream_tickets WHERE expires_at < now() - interval '1 minute')
     INSERT INTO stream_tickets (ticket_hash, token_hash, user_id, environment_id, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING expires_at`,
    [hashToken(ticket), hashToken(bearerToken), user.id, environmentId, streamTicketSeconds],
  );
  return { ticket, expiresAt: rows[0].expires_at.toISOString() };
}

/**
 * Spends a ticket on the stream of `environmentId` and says whose it is. Any use spends it, even a
 * refused one: a ticket tried on the wrong environment is burnt, not left for another try.
 */
export async function redeemStreamTicket(db: Queryable, ticket: string, environmentId: string): Promise<User> {
  const { rows } = await db.query(
    `WITH spent AS (DELETE FROM stream_tickets WHERE ticket_hash = $1 RETURNING token_hash, user_id, environment_id, expires_at)
     SELECT s.environment_id, s.expires_at > now() AND t.expires_at > now() AS live, ${userColumns}
     FROM spent s JOIN users u ON u.id = s.user_id JOIN api_tokens t ON t.token_hash = s.token_hash`,
    [hashToken(ticket)],
  );
  const r = rows[0];
  if (!r) throw new PlatformError(401, 'invalid_ticket', `this stream ticket is unknown or was already used (a ticket opens one stream, once): ${askAgain}`);
  if (!r.live) throw new PlatformError(401, 'ticket_expired', `this stream ticket expired (a ticket lasts ${streamTicketSeconds} s): ${askAgain}`);
  if (r.environment_id !== environmentId) {
    throw new PlatformError(401, 'invalid_ticket', `this stream ticket is for environment ${r.environment_id}, not ${environmentId}: ${askAgain} with "environmentId": "${environmentId}"`);
  }
  return toUser(r);
}
