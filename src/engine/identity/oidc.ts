import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import type { Queryable } from '../environments/store.ts';
import { PlatformError } from '../errors.ts';
import { issueToken } from './tokens.ts';
import { getUser, type User } from './users.ts';

/** Sign-in through an OpenID Connect provider (authorization code with PKCE). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** None for a public client: PKCE alone protects the code. */
  clientSecret?: string;
  /** The claim listing the person's groups: the first that names a team is their team. */
  groupsClaim: string;
  /** Members of this group are platform admins. */
  adminGroup: string;
  /** Shown on the sign-in page: "Sign in with <displayName>". */
  displayName: string;
  /** Registered at the provider: this platform's /api/v1/auth/oidc/callback as the browser reaches it. */
  redirectUri: string;
}

/** How long a sign-in may take between the redirect to the provider and its callback. */
const signInMinutes = 10;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Where a sign-in may send the browser back to with its token: a path of the portal, or the
 * loopback listener of `goldpath login` on the person's own machine. Anything else would hand the
 * token to another site.
 */
export function checkRedirect(redirect: string | undefined): string {
  if (!redirect) return '/';
  if (/^\/(?![/\\])/.test(redirect)) return redirect.split('#')[0];
  let url: URL;
  try {
    url = new URL(redirect);
  } catch {
    throw new PlatformError(400, 'bad_redirect', 'redirect: give a path of the portal, e.g. /envs');
  }
  if (url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname) && url.port && !url.username && !url.password) {
    url.hash = '';
    return url.toString();
  }
  throw new PlatformError(400, 'bad_redirect', 'redirect: give a path of the portal, e.g. /envs, or the loopback address `goldpath login` listens on');
}

/** What the platform makes of a provider's claims: who, in which team, admin or not. */
export interface MappedClaims {
  subject: string;
  preferredId: string;
  name: string;
  email: string | null;
  teamCandidates: { id: string; title: string }[];
  isAdmin: boolean;
}

const toSlug = (s: string): string => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);

export function mapClaims(claims: Record<string, unknown>, settings: Pick<OidcSettings, 'groupsClaim' | 'adminGroup'>): MappedClaims {
  const str = (k: string): string | null => (typeof claims[k] === 'string' && (claims[k] as string).trim() ? (claims[k] as string).trim() : null);
  const subject = str('sub');
  if (!subject) throw new PlatformError(400, 'oidc_no_subject', 'the identity provider sent no subject (sub) for this person');
  const email = str('email');
  const raw = claims[settings.groupsClaim];
  const groups = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : []).filter((g): g is string => typeof g === 'string' && g.length > 0);
  // Keycloak and others send group paths (/org/payments): the last part names the group.
  const names = groups.map((g) => g.replace(/\/+$/, '').split('/').pop() ?? g);
  const teamCandidates = names
    .filter((g) => g !== settings.adminGroup)
    .map((g) => ({ id: toSlug(g), title: g }))
    .filter((t) => t.id.length > 0);
  return {
    subject,
    preferredId: toSlug(str('preferred_username') ?? email?.split('@')[0] ?? '') || 'user',
    name: str('name') ?? str('preferred_username') ?? email ?? subject,
    email,
    teamCandidates,
    isAdmin: names.includes(settings.adminGroup),
  };
}

/**
 * The person a provider vouched for, as a platform user: found by issuer and subject (never by
 * e-mail, so an account at the provider cannot take over a local one with the same address),
 * created the first time, brought up to date every time.
 */
export async function upsertOidcUser(db: Queryable, issuer: string, m: MappedClaims): Promise<User> {
  const teams = m.teamCandidates.length
    ? (await db.query<{ id: string }>('SELECT id FROM teams WHERE id = ANY($1::text[])', [m.teamCandidates.map((t) => t.id)])).rows.map((r) => r.id)
    : [];
  const team = m.teamCandidates.find((t) => teams.includes(t.id)) ?? m.teamCandidates[0];
  if (!team) {
    throw new PlatformError(400, 'oidc_no_team', 'your account at the identity provider is in no group that could be your team: ask its administrators to add you to your team\'s group');
  }
  await db.query('INSERT INTO teams (id, title) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [team.id, team.title]);
  const email = m.email ?? `${m.subject.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60)}@${new URL(issuer).hostname}`;
  const taken = await db.query<{ id: string; external_id: string | null; external_issuer: string | null }>(
    'SELECT id, external_id, external_issuer FROM users WHERE lower(email) = lower($1)', [email]);
  const other = taken.rows.find((r) => r.external_issuer !== issuer || r.external_id !== m.subject);
  if (other) {
    throw new PlatformError(400, 'oidc_email_taken', `the e-mail ${email} already belongs to another account of this platform ("${other.id}"); ask the platform team to take that local account out of the organisation file or change its e-mail`);
  }
  const existing = await db.query<{ id: string }>('SELECT id FROM users WHERE external_issuer = $1 AND external_id = $2', [issuer, m.subject]);
  let id = existing.rows[0]?.id;
  if (id) {
    await db.query('UPDATE users SET name = $2, email = $3, team_id = $4, is_admin = $5 WHERE id = $1', [id, m.name, email, team.id, m.isAdmin]);
  } else {
    for (let n = 1; !id; n++) {
      const candidate = n === 1 ? m.preferredId : `${m.preferredId}-${n}`;
      const { rowCount } = await db.query(
        `INSERT INTO users (id, name, email, team_id, is_admin, external_issuer, external_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO NOTHING`,
        [candidate, m.name, email, team.id, m.isAdmin, issuer, m.subject],
      );
      if (rowCount) id = candidate;
    }
  }
  return (await getUser(db, id))!;
}

/** A sign-in refused or failed, to show the person in the browser with what to do; 502 when the provider cannot be reached. */
export class OidcSignInError extends Error {
  readonly status: 400 | 502;
  readonly code: string;
  constructor(status: 400 | 502, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Sign-in through the provider, in two steps: `start` sends the browser there with a PKCE
 * challenge, a state and a nonce (their secrets kept here, single use, ten minutes); `finish`
 * takes the callback, exchanges the code, checks the ID token and issues a session token.
 */
export class OidcSignIn {
  private discovered: Promise<client.Configuration> | null = null;
  private readonly db: Queryable;
  readonly settings: OidcSettings;

  constructor(db: Queryable, settings: OidcSettings) {
    this.db = db;
    this.settings = settings;
  }

  /** The provider's configuration, discovered once; a failed discovery is tried again next time. */
  private configuration(): Promise<client.Configuration> {
    const s = this.settings;
    this.discovered ??= client.discovery(
      new URL(s.issuer), s.clientId,
      s.clientSecret ? { client_secret: s.clientSecret } : undefined,
      s.clientSecret ? client.ClientSecretPost(s.clientSecret) : client.None(),
      // Plain http is allowed by the settings for a provider on this machine only.
      new URL(s.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
    ).catch((e) => {
      this.discovered = null;
      throw new OidcSignInError(502, 'oidc_unreachable', `cannot reach the identity provider at ${s.issuer} (${(e as Error).message}); try again, or tell the platform team`);
    });
    return this.discovered;
  }

  /** `browser`: the URL to send the browser to, and a secret for it to keep (a cookie) and bring back to the callback. */
  async start(redirect: string | undefined): Promise<{ url: URL; browser: string }> {
    const back = checkRedirect(redirect);
    const config = await this.configuration();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const browser = client.randomState();
    await this.db.query('DELETE FROM oidc_sign_ins WHERE expires_at < now()');
    await this.db.query(
      `INSERT INTO oidc_sign_ins (state_hash, browser_hash, code_verifier, nonce, redirect, expires_at) VALUES ($1, $2, $3, $4, $5, now() + make_interval(mins => $6))`,
      [sha256(state), sha256(browser), verifier, nonce, back, signInMinutes],
    );
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, browser };
  }

  /**
   * `query` is the callback's query string, `browser` the secret `start` gave the browser. Returns
   * the session token and where to send the browser.
   */
  async finish(query: URLSearchParams, browser: string | undefined): Promise<{ token: string; user: User; redirect: string }> {
    const state = query.get('state');
    if (!state) throw new OidcSignInError(400, 'oidc_no_state', 'this sign-in answer carries no state: start the sign-in again from the sign-in page');
    // Taken out as it is read: a state works once, whatever happens next.
    const { rows } = await this.db.query<{ browser_hash: string; code_verifier: string; nonce: string; redirect: string; live: boolean }>(
      'DELETE FROM oidc_sign_ins WHERE state_hash = $1 RETURNING browser_hash, code_verifier, nonce, redirect, expires_at > now() AS live',
      [sha256(state)],
    );
    const pending = rows[0];
    if (!pending || !pending.live) {
      throw new OidcSignInError(400, 'oidc_unknown_state', 'this sign-in is unknown, expired or already used: start the sign-in again from the sign-in page');
    }
    // A sign-in link someone else started would sign this browser in as them.
    if (!browser || sha256(browser) !== pending.browser_hash) {
      throw new OidcSignInError(400, 'oidc_other_browser', 'this sign-in was started in another browser (or cookies are off here): start the sign-in again from the sign-in page, in this browser');
    }
    if (query.get('error')) {
      const why = (query.get('error_description') || query.get('error'))!.slice(0, 300);
      throw new OidcSignInError(400, 'oidc_refused', `the identity provider did not sign you in: ${why}`);
    }
    const config = await this.configuration();
    const current = new URL(this.settings.redirectUri);
    current.search = query.toString();
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.code_verifier, expectedState: state, expectedNonce: pending.nonce, idTokenExpected: true,
      });
      claims = { ...tokens.claims() };
      // Groups and e-mail are often in the userinfo answer only; the ID token's checked claims win.
      if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
        claims = { ...(await client.fetchUserInfo(config, tokens.access_token, String(claims.sub))), ...claims };
      }
    } catch (e) {
      if (e instanceof OidcSignInError) throw e;
      const err = e as Error & { error?: string; error_description?: string };
      const detail = err.error ? `${err.error}${err.error_description ? `: ${err.error_description}` : ''}` : err.message;
      throw new OidcSignInError(400, 'oidc_exchange_failed', `the identity provider's answer could not be checked (${detail.slice(0, 300)}): start the sign-in again`);
    }
    const user = await upsertOidcUser(this.db, config.serverMetadata().issuer, mapClaims(claims, this.settings));
    return { token: await issueToken(this.db, user.id, 'session'), user, redirect: pending.redirect };
  }
}
