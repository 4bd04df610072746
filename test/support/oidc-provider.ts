import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * The test identity provider: a real OpenID Connect provider (the `oidc-provider` package) on
 * 127.0.0.1, with people in groups. Its login step is a tiny HTTP handler: a POST to
 * /interaction/<uid> with `login=<account id>` signs that person in and grants the client what it
 * asked for, as a person clicking through the provider's pages would (a browser gets a one-field
 * form that does that POST).
 */
export interface TestAccount {
  id: string;
  name: string;
  email: string;
  groups: string[];
}

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

export async function startTestIdentityProvider(opts: { redirectUris: string[]; accounts: TestAccount[]; clientId?: string }): Promise<TestIdentityProvider> {
  const clientId = opts.clientId ?? 'goldpath-test';
  const accounts = new Map(opts.accounts.map((a) => [a.id, a]));
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      token_endpoint_auth_method: 'none', // a public client: PKCE protects the code
      redirect_uris: opts.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'groups'] },
    findAccount: async (_ctx, sub) => {
      const a = accounts.get(sub);
      if (!a) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: a.name, preferred_username: a.id, email: a.email, email_verified: true, groups: a.groups }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    cookies: { keys: ['goldpath-test-identity-provider'] },
    // Keys and lifetimes of its own, so that it does not warn about its quick-start defaults.
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' } as never] },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  const handle = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return void handle(req, res);
    interaction(provider, req, res, accounts).catch((e: Error) => {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(e.message);
    });
  });
  return {
    issuer,
    clientId,
    accounts,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse, accounts: Map<string, TestAccount>): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    // A real browser gets a one-field form; fetch gets what the step is.
    if (req.headers.accept?.includes('text/html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Test IdP</title>
<form method="post" action="/interaction/${details.uid}"><label>Login <input name="login" autofocus></label><button>Continue</button></form>`);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ uid: details.uid, prompt: details.prompt.name }));
    }
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const login = new URLSearchParams(body).get('login') ?? '';
  if (!accounts.has(login)) throw new Error(`no account "${login}" at the test identity provider`);
  const grant = new provider.Grant({ accountId: login, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { login: { accountId: login }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

/**
 * A browser reduced to what sign-in needs: cookies per host and port, redirects followed by hand
 * so each hop can be looked at. `signIn` starts at a URL, logs in at the provider as `login`, and
 * stops at the first answer that leaves the provider and is not a redirect back into it.
 */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = this.jar.get(u.host);
    const headers = new Headers(init.headers);
    if (cookies?.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      if (!this.jar.has(u.host)) this.jar.set(u.host, new Map());
      const value = pair.slice(eq + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.jar.get(u.host)!.delete(pair.slice(0, eq));
      else this.jar.get(u.host)!.set(pair.slice(0, eq), value);
    }
    return res;
  }

  /** Follows redirects from `url`, logging in at the provider on the way; returns the last answer and its URL. */
  async signIn(url: string, login: string, provider: { issuer: string }, opts: { stopAt?: (url: URL) => boolean } = {}): Promise<{ url: URL; response: Response; hops: URL[] }> {
    let current = new URL(url);
    const hops: URL[] = [];
    let loggedIn = false;
    for (let i = 0; i < 20; i++) {
      hops.push(current);
      if (opts.stopAt?.(current)) return { url: current, response: new Response(null), hops };
      const atProvider = current.origin === new URL(provider.issuer).origin;
      let res: Response;
      if (atProvider && current.pathname.startsWith('/interaction/') && !loggedIn) {
        await (await this.get(current.toString())).text();
        res = await this.get(current.toString(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ login }).toString() });
        loggedIn = true;
      } else {
        res = await this.get(current.toString());
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        current = new URL(location, current);
        continue;
      }
      return { url: current, response: res, hops };
    }
    throw new Error(`too many redirects: ${hops.map(String).join(' → ')}`);
  }
}
