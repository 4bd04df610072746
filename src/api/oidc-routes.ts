import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { PlatformError } from '../engine/errors.ts';
import { OidcSignInError, type OidcSignIn } from '../engine/identity/oidc.ts';
import type { Api } from './openapi.ts';

/** Ties a sign-in to the browser that started it; read only by the callback. */
const browserCookie = 'goldpath_oidc';
const cookiePath = '/api/v1/auth/oidc';

const escape = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The person is in a browser here, not a program: a refusal is a small page saying what to do. */
function failurePage(c: Context, status: 400 | 502, message: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed · Goldpath</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>Sign-in failed</h1><p>${escape(message)}</p><p><a href="/">Back to the sign-in page</a></p></body></html>`;
  return c.html(html, status, { 'cache-control': 'no-store' });
}

async function refusalsAsPages(c: Context, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof OidcSignInError) return failurePage(c, e.status, e.message);
    if (e instanceof PlatformError && e.status === 400) return failurePage(c, 400, e.message);
    throw e;
  }
}

/**
 * Sign-in through the organisation's OpenID Connect provider: /start sends the browser there,
 * /callback comes back with a code. Both are open (the person has no token yet). The session token
 * goes back in the URL fragment, which browsers never send to a server nor put in a Referer.
 */
export function registerOidcRoutes(app: Api, deps: { oidc?: OidcSignIn }): void {
  const oidc = deps.oidc;
  if (!oidc) return;
  app.openapi(createRoute({ method: 'get', path: '/api/v1/auth/oidc/start',
    description: `Starts a sign-in through ${oidc.settings.displayName}: redirects to the identity provider (authorization code with PKCE). Afterwards the browser comes back to \`redirect\` (a portal path, or the loopback address of \`goldpath login\`) with \`#token=<session token>\`.`,
    request: { query: z.object({ redirect: z.string().max(2000, 'redirect: at most 2000 characters').optional() }) },
    responses: { 302: { description: 'To the identity provider' }, 400: { description: 'A page saying what was wrong' }, 502: { description: 'The identity provider cannot be reached' } } }),
    (c) => refusalsAsPages(c, async () => {
      const { url, browser } = await oidc.start(c.req.valid('query').redirect);
      // Lax: the provider's redirect back is a top-level navigation, which carries it.
      setCookie(c, browserCookie, browser, { path: cookiePath, httpOnly: true, sameSite: 'Lax', maxAge: 600, secure: oidc.settings.redirectUri.startsWith('https:') });
      return c.redirect(url.toString(), 302);
    }) as never);

  app.openapi(createRoute({ method: 'get', path: '/api/v1/auth/oidc/callback',
    description: 'Where the identity provider sends the browser back. Exchanges the code (with the PKCE verifier), checks the ID token, state and nonce, maps the groups claim to the team and admin role, and redirects to the portal with `#token=<session token>` (12 hours).',
    responses: { 302: { description: 'Signed in: back to the portal, the token in the URL fragment' }, 400: { description: 'A page saying why the sign-in failed' } } }),
    (c) => refusalsAsPages(c, async () => {
      const { token, redirect, user } = await oidc.finish(new URL(c.req.url).searchParams, getCookie(c, browserCookie));
      c.set('user', user); // the audit row names who signed in
      deleteCookie(c, browserCookie, { path: cookiePath });
      c.header('cache-control', 'no-store');
      return c.redirect(`${redirect}#token=${encodeURIComponent(token)}`, 302);
    }) as never);
}
