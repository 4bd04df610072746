import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ProposedAction } from './schema.ts';

/**
 * The token a proposal carries and a confirmation sends back: the action and its exact request,
 * for whom, until when. It is not a secret and grants nothing: confirming it makes the same API
 * call the user could make themselves, with their own token and the policy's decision. It only
 * guarantees that what is done is exactly what was shown (and by the person it was shown to).
 */

export const Proposal = z.object({
  action: ProposedAction,
  /** The API request it makes: a LaunchRequest for launch_environment, { id } for the others. */
  request: z.record(z.string(), z.unknown()),
});
export type Proposal = z.infer<typeof Proposal>;

const Payload = Proposal.extend({ user: z.string(), expires: z.number() });

/** Ten minutes: long enough to read a proposal, short enough that an old one is not acted on. */
export const CONFIRM_TTL_MS = 10 * 60_000;

const digest = (body: string) => createHash('sha256').update(body).digest('base64url').slice(0, 16);

export function confirmToken(p: Proposal, user: string, now: Date): string {
  const body = Buffer.from(JSON.stringify({ ...p, user, expires: now.getTime() + CONFIRM_TTL_MS })).toString('base64url');
  return `gpc_${body}.${digest(body)}`;
}

/** The proposal a token confirms, or why it cannot be confirmed (said to the person). */
export function readConfirmToken(token: string, user: string, now: Date): { proposal: Proposal } | { problem: string } {
  const m = token.match(/^gpc_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{16})$/);
  if (!m || digest(m[1]) !== m[2]) return { problem: 'confirm is not a token from a proposal of the assistant: send the confirmToken of its answer as it is' };
  let parsed;
  try {
    parsed = Payload.safeParse(JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) return { problem: 'confirm is not a token from a proposal of the assistant: send the confirmToken of its answer as it is' };
  if (parsed.data.user !== user) return { problem: 'this proposal was made to someone else: ask the assistant yourself' };
  if (parsed.data.expires < now.getTime()) return { problem: 'this proposal is more than 10 minutes old: ask again to see what would be done now' };
  return { proposal: { action: parsed.data.action, request: parsed.data.request } };
}
