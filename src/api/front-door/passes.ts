import { randomBytes } from 'node:crypto';
import type { WorkspaceKey } from './workspace-origin.ts';

/**
 * The two passes of the browser flow, kept in the platform's memory (a restart ends them; the
 * browser then simply goes through the stable URL again):
 * - a ticket: single-use, for one minute, for one workspace; it carries the person from the
 *   platform's origin to the workspace's in a redirect URL, so it must be worthless once used;
 * - a workspace session: the value of the cookie the workspace origin sets (host-only, HttpOnly),
 *   for that one workspace. It keeps the API token it came from (never sent anywhere) so that
 *   signing out, or the token expiring, ends it too.
 */
export interface Pass extends WorkspaceKey {
  /** The platform API token the person proved themselves with (checked again on each use). */
  token: string;
  expiresAt: number;
}

export const TICKET_TTL_MS = 60_000;
export const SESSION_TTL_MS = 12 * 3600_000;

export class Passes {
  readonly #tickets = new Map<string, Pass>();
  readonly #sessions = new Map<string, Pass>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  issueTicket(key: WorkspaceKey, token: string): string {
    this.#sweep();
    const id = randomBytes(24).toString('base64url');
    this.#tickets.set(id, { ...key, token, expiresAt: this.#now() + TICKET_TTL_MS });
    return id;
  }

  /** The ticket's pass if it is for this workspace and unused and fresh; it is spent either way. */
  redeemTicket(id: string, key: WorkspaceKey): Pass | null {
    const pass = this.#tickets.get(id);
    this.#tickets.delete(id);
    if (!pass || pass.expiresAt < this.#now() || !sameWorkspace(pass, key)) return null;
    return pass;
  }

  openSession(pass: Pass): string {
    const id = randomBytes(32).toString('base64url');
    this.#sessions.set(id, { ...pass, expiresAt: this.#now() + SESSION_TTL_MS });
    return id;
  }

  /** The session's pass when it is for this workspace and not expired. */
  session(id: string | undefined, key: WorkspaceKey): Pass | null {
    if (!id) return null;
    const pass = this.#sessions.get(id);
    if (!pass) return null;
    if (pass.expiresAt < this.#now()) {
      this.#sessions.delete(id);
      return null;
    }
    return sameWorkspace(pass, key) ? pass : null;
  }

  endSession(id: string): void {
    this.#sessions.delete(id);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, p] of this.#tickets) if (p.expiresAt < now) this.#tickets.delete(id);
    if (this.#sessions.size > 1000) for (const [id, p] of this.#sessions) if (p.expiresAt < now) this.#sessions.delete(id);
  }
}

const sameWorkspace = (a: WorkspaceKey, b: WorkspaceKey) => a.environmentId === b.environmentId && a.resourceId === b.resourceId;
