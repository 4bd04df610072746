/**
 * The front door: every workspace's web UI or service, through the platform's own port
 * (docs/front-door.md). Two ways in:
 *
 * - the stable URL `<platform>/w/<environment>/<resource>/…`, which programs use with
 *   `Authorization: Bearer <API token>` (proxied there, under the prefix) and browsers follow to
 * - the workspace's own origin `<resource>--<environment>.<workspace domain>:<port>`, where a
 *   single-use ticket becomes a cookie for that one workspace, and pages are proxied at the root.
 *
 * Each request is authenticated by the platform, then authorised by the policy engine
 * (`openWorkspace`); then the platform's credentials are taken off and the workspace's own token
 * put on. The workspace never sees the person's API token or cookie.
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type pg from 'pg';
import type { Driver, WorkspaceUpstream } from '../../domain/resource/driver-contract.ts';
import type { Decision } from '../../domain/policy/decision.ts';
import { recordAudit } from '../../engine/audit/log.ts';
import { PlatformError } from '../../engine/errors.ts';
import { checkToken } from '../../engine/identity/tokens.ts';
import type { User } from '../../engine/identity/users.ts';
import type { PolicyEngine } from '../../engine/policy/engine.ts';
import { guardFor } from '../../engine/policy/guard.ts';
import { forwardHttp, forwardUpgrade, type Upstream } from '../../infrastructure/front-door/proxy.ts';
import { serveStatic } from '../../infrastructure/front-door/static-files.ts';
import { doorPageHeaders, openerPage, openerScript, OPENER_SCRIPT_PATH, sendProblem } from './pages.ts';
import { Passes } from './passes.ts';
import { WorkspaceTargets, type WorkspaceTarget } from './targets.ts';
import { originOf, workspaceOfHost, type WorkspaceKey, type WorkspaceOrigins } from './workspace-origin.ts';

export interface FrontDoorDeps {
  pool: pg.Pool;
  policy: PolicyEngine;
  drivers: { get(type: string): Driver };
  origins: WorkspaceOrigins;
}

export interface FrontDoor {
  /** Whether this request is the door's: a workspace origin, or /w/ on the platform's. */
  owns(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** A WebSocket (or other Upgrade) request the door owns; false when it is not the door's. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

/** The workspace origin's cookie: host-only, so it belongs to that one workspace. */
export const SESSION_COOKIE = 'goldpath_workspace';
/** The workspace origin's one path of the door's own, where a ticket becomes the cookie. */
export const ENTER_PATH = '/.goldpath-door/enter';
const TICKETS_PATH = '/w/_/tickets';
const DECISION_TTL_MS = 2000;
const stablePath = /^\/w\/([^/?#]+)\/([^/?#]+)(\/[^]*)?$/;

class DoorError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function createFrontDoor(deps: FrontDoorDeps): FrontDoor {
  const passes = new Passes();
  const targets = new WorkspaceTargets(deps.pool, deps.drivers);
  const secure = deps.origins.platformOrigin.startsWith('https:');

  const userOf = async (token: string | undefined): Promise<User> => {
    if (!token) throw new DoorError(401, 'unauthenticated', 'sign in to the portal and open the workspace from there, or send your API token as "Authorization: Bearer <token>" (`goldpath token` prints it)');
    const check = await checkToken(deps.pool, token);
    if (check.status !== 'valid') throw new DoorError(401, check.status === 'expired' ? 'token_expired' : 'unauthenticated', 'your sign-in has expired or was ended: sign in to the portal again (or `goldpath login`), then open the workspace again');
    return check.user;
  };

  /**
   * The workspace, if this user may open it: 404 for what does not exist, 403 naming the policy.
   * The audit log gets every refusal and every opening in a browser (a ticket); not each of the
   * hundreds of requests a page then makes.
   */
  const allowedRecently = new Map<string, number>();
  const authorised = async (user: User, key: WorkspaceKey, opening?: string): Promise<WorkspaceTarget> => {
    const found = await targets.find(key);
    if (!found.found) throw new DoorError(found.status, found.code, found.message);
    // A page load is a hundred requests: an allowance is kept as long as the facts it was made of (2 s).
    const memo = `${key.environmentId}/${key.resourceId}/${user.id}/${user.team}/${user.isAdmin}`;
    if (!opening && Date.now() - (allowedRecently.get(memo) ?? 0) < DECISION_TTL_MS) return found.target;
    let decision: Decision | undefined;
    try {
      guardFor(deps.policy, user, (d) => (decision = d))('openWorkspace', { type: 'Environment', ...found.target.environment });
    } catch (e) {
      if (e instanceof PlatformError) throw new DoorError(e.status, e.code, e.message);
      throw e;
    } finally {
      if (decision && (opening || !decision.allowed)) await audit(user, decision, `${key.resourceId}${opening ? `: ${opening}` : ''}`);
    }
    if (allowedRecently.size > 5000) allowedRecently.clear();
    allowedRecently.set(memo, Date.now());
    return found.target;
  };

  const audit = (user: User, d: Decision, detail: string) => recordAudit(deps.pool, {
    actor: user.id, action: d.action, resource: d.resource, team: d.team, decision: d.allowed ? 'allow' : 'deny',
    policies: d.policies, status: d.allowed ? 200 : 403, detail: `front door, ${detail}`,
  }).catch((e: Error) => console.error(`[audit] could not record ${d.action} by ${user.id}: ${e.message}`));

  /** Where the workspace runs now; a 503 that says how to start it when it does not. */
  const upstreamOf = async (t: WorkspaceTarget): Promise<WorkspaceUpstream> => {
    const up = await targets.upstream(t);
    if (up) return up;
    // Not running: the environment as it is now (the remembered one may be from before a delete or a stop) says why.
    const key = { environmentId: t.environment.id, resourceId: t.resource.id };
    targets.forget(key);
    const now = await targets.find(key);
    if (!now.found) throw new DoorError(now.status, now.code, now.message);
    const env = now.target.environment;
    const what = `the ${t.resource.type === 'notebook' ? 'notebook' : `${t.resource.id} (${t.resource.type})`}`;
    if (env.desired === 'stopped' || env.status === 'stopped' || env.status === 'stopping') {
      throw new DoorError(503, 'workspace_stopped', `${what} is stopped: start the environment with \`goldpath start ${env.id}\` (or Start on its page in the portal)`);
    }
    if (env.status === 'ready' || env.status === 'failed') {
      throw new DoorError(503, 'workspace_not_running', `${what} is not running (environment ${env.id} is ${env.status}): \`goldpath start ${env.id}\` starts it again`, { 'retry-after': '5' });
    }
    throw new DoorError(503, 'workspace_starting', `${what} is still starting (environment ${env.id} is ${env.status}): try again in a moment`, { 'retry-after': '2' });
  };

  const fail = (req: IncomingMessage, res: ServerResponse, e: unknown) => {
    const err = e instanceof DoorError ? e : new DoorError(502, 'door_error', 'the platform could not reach this workspace; try again, and if it persists, see the platform\'s log');
    if (!(e instanceof DoorError)) console.error(`[front-door] ${(e as Error).message}`);
    sendProblem(res, err.status, err.code, err.message, { acceptsHtml: acceptsHtml(req), headers: err.headers });
  };

  /**
   * The upstream did not answer: what the door knew may be a second old (a stop just happened), so
   * it asks the database and the driver again, to say "stopped" rather than "does not answer".
   */
  const unreachable = (res: ServerResponse, req: IncomingMessage, key: WorkspaceKey) => (err: Error) => {
    targets.forget(key);
    const broken = new DoorError(502, 'workspace_unreachable', `the workspace does not answer (${(err as NodeJS.ErrnoException).code ?? err.message}); it may be restarting: try again in a moment, or \`goldpath env ${key.environmentId}\``, { 'retry-after': '2' });
    (async () => {
      const found = await targets.find(key);
      if (found.found) await upstreamOf(found.target);
      throw broken;
    })().catch((e) => fail(req, res, e));
  };

  /** Sends the request on, or serves the files of a static upstream. */
  const pass = async (req: IncomingMessage, res: ServerResponse, key: WorkspaceKey, up: WorkspaceUpstream, path: string, prefix: string) => {
    if (up.kind === 'static') {
      await serveStatic(req, res, up.root, path, (status, message) => sendProblem(res, status, status === 405 ? 'method_not_allowed' : 'not_found', message, { acceptsHtml: acceptsHtml(req) }),
        prefix ? { 'content-security-policy': 'sandbox' } : {});
      return;
    }
    await forwardHttp(req, res, toUpstream(up), {
      path,
      headers: forwardedHeaders(req, up),
      responseHeaders: (h) => workspaceResponseHeaders(h, prefix),
      onUnreachable: unreachable(res, req, key),
    });
  };

  // ---- the platform's origin: /w/<environment>/<resource>/…

  const onPlatformOrigin = async (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url === OPENER_SCRIPT_PATH) {
      res.writeHead(200, { ...doorPageHeaders, 'content-type': 'text/javascript; charset=utf-8' }).end(openerScript);
      return;
    }
    if (url.split('?')[0] === TICKETS_PATH) return issueTicket(req, res);
    const m = url.match(stablePath);
    if (!m) throw new DoorError(404, 'not_found', 'a workspace address looks like /w/<environment>/<resource>/: take it from `goldpath env <environment>` or the environment\'s page');
    const key = { environmentId: safeDecode(m[1]), resourceId: safeDecode(m[2]) };
    const rest = m[3] ?? '';
    const prefix = `/w/${m[1]}/${m[2]}`;
    const token = bearerOf(req);
    if (!token) {
      // A browser: the opener page signs it in through the portal's own token (see pages.ts).
      if ((req.method === 'GET' || req.method === 'HEAD') && acceptsHtml(req)) {
        const body = openerPage();
        res.writeHead(401, { ...doorPageHeaders, 'content-type': 'text/html; charset=utf-8', 'www-authenticate': 'Bearer realm="goldpath"' }).end(body);
        return;
      }
      throw new DoorError(401, 'unauthenticated', 'send your API token as "Authorization: Bearer <token>" (`goldpath token` prints it), or open this address in a browser signed in to the portal', { 'www-authenticate': 'Bearer realm="goldpath"' });
    }
    const user = await userOf(token);
    const target = await authorised(user, key);
    if (!rest) {
      res.writeHead(308, { location: `${prefix}/`, 'content-length': '0' }).end();
      return;
    }
    await pass(req, res, key, await upstreamOf(target), rest, prefix);
  };

  /** POST /w/_/tickets {environment, resource, path}: where the browser goes next, on the workspace's own origin. */
  const issueTicket = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') throw new DoorError(405, 'method_not_allowed', 'POST a JSON body {environment, resource, path}');
    const token = bearerOf(req);
    const user = await userOf(token);
    const body = await readSmallJson(req);
    const key = { environmentId: String(body.environment ?? ''), resourceId: String(body.resource ?? '') };
    let path = typeof body.path === 'string' && body.path.startsWith('/') && !body.path.startsWith('//') ? body.path : '/';
    if (path.length > 4000) path = '/';
    await authorised(user, key, 'opening in a browser');
    const ticket = passes.issueTicket(key, token!);
    const location = `${originOf(deps.origins, key)}${ENTER_PATH}?ticket=${ticket}&next=${encodeURIComponent(path)}`;
    const out = JSON.stringify({ location });
    res.writeHead(200, { ...doorPageHeaders, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(out)) }).end(out);
  };

  // ---- a workspace's own origin

  const onWorkspaceOrigin = async (req: IncomingMessage, res: ServerResponse, key: WorkspaceKey) => {
    const url = req.url ?? '/';
    if (url.split('?')[0] === ENTER_PATH) return enter(req, res, key);
    checkFetchMetadata(req, key);
    const sessionId = cookieOf(req, SESSION_COOKIE);
    let session = passes.session(sessionId, key);
    // Signed out (or the token expired) since: the session ends with it.
    if (session && (await checkToken(deps.pool, session.token)).status !== 'valid') {
      passes.endSession(sessionId!);
      session = null;
    }
    if (!session) {
      // A navigation goes round through the stable URL (and the portal's sign-in); anything else is refused.
      if (req.method === 'GET' && acceptsHtml(req)) {
        res.writeHead(302, { location: stableUrl(key, url), 'content-length': '0', 'cache-control': 'no-store' }).end();
        return;
      }
      throw new DoorError(401, 'unauthenticated', 'this workspace session has ended: open the workspace again from the portal');
    }
    const target = await authorised(await userOf(session.token), key);
    await pass(req, res, key, await upstreamOf(target), url, '');
  };

  /** The ticket becomes this workspace's cookie, and the browser goes on to the page it asked for. */
  const enter = async (req: IncomingMessage, res: ServerResponse, key: WorkspaceKey) => {
    const q = new URL(req.url ?? '/', 'http://door').searchParams;
    const pass = passes.redeemTicket(q.get('ticket') ?? '', key);
    if (!pass) {
      res.writeHead(302, { location: stableUrl(key, '/'), 'content-length': '0', 'cache-control': 'no-store' }).end();
      return;
    }
    await authorised(await userOf(pass.token), key);
    const next = q.get('next') ?? '/';
    const session = passes.openSession(pass);
    res.writeHead(302, {
      location: next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/',
      'set-cookie': `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-length': '0',
    }).end();
  };

  const stableUrl = (key: WorkspaceKey, path: string) => `${deps.origins.platformOrigin}/w/${encodeURIComponent(key.environmentId)}/${encodeURIComponent(key.resourceId)}${path.startsWith('/') ? path : `/${path}`}`;

  /**
   * Workspace origins are same-site with each other (*.localhost): a page of one could send
   * requests to another with that one's cookie. Only navigations may come from elsewhere; the
   * rest must come from the workspace's own pages (Fetch Metadata, and Origin where it is sent).
   */
  const checkFetchMetadata = (req: IncomingMessage, key: WorkspaceKey) => {
    const site = req.headers['sec-fetch-site'];
    const navigation = (req.method === 'GET' || req.method === 'HEAD') && req.headers['sec-fetch-mode'] === 'navigate';
    if ((site === 'cross-site' || site === 'same-site') && !navigation) {
      throw new DoorError(403, 'cross_site', 'requests to a workspace come from its own pages only');
    }
    const origin = req.headers.origin;
    const unsafe = !(req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') || req.headers.upgrade;
    if (unsafe && origin && origin !== 'null' && origin !== originOf(deps.origins, key)) {
      throw new DoorError(403, 'cross_origin', `requests to this workspace come from its own pages only (Origin ${origin})`);
    }
  };

  // ---- WebSockets

  const upgradeAsync = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const ws = workspaceOfHost(deps.origins, req.headers.host);
    let key: WorkspaceKey;
    let path: string;
    let user: User;
    if (ws) {
      key = ws;
      path = req.url ?? '/';
      checkFetchMetadata(req, key);
      const session = passes.session(cookieOf(req, SESSION_COOKIE), key);
      const token = session?.token ?? undefined;
      if (!token) throw new DoorError(401, 'unauthenticated', 'this workspace session has ended: open the workspace again from the portal');
      user = await userOf(token);
    } else {
      const m = (req.url ?? '').match(stablePath);
      if (!m || !m[3]) throw new DoorError(404, 'not_found', 'a workspace address looks like /w/<environment>/<resource>/…');
      key = { environmentId: safeDecode(m[1]), resourceId: safeDecode(m[2]) };
      path = m[3];
      user = await userOf(bearerOf(req));
    }
    const target = await authorised(user, key);
    const up = await upstreamOf(target);
    if (up.kind !== 'http') throw new DoorError(400, 'not_a_websocket', 'this workspace serves files only: it takes no WebSocket');
    forwardUpgrade(req, socket, head, toUpstream(up), {
      path,
      headers: forwardedHeaders(req, up),
      onUnreachable: (err) => {
        targets.forget(key);
        refuseUpgrade(socket, 502, `the workspace does not answer (${(err as NodeJS.ErrnoException).code ?? err.message})`);
      },
    });
  };

  const owns = (req: IncomingMessage) => Boolean(workspaceOfHost(deps.origins, req.headers.host)) || (req.url ?? '').startsWith('/w/');

  return {
    owns,
    async handle(req, res) {
      try {
        const ws = workspaceOfHost(deps.origins, req.headers.host);
        if (ws) await onWorkspaceOrigin(req, res, ws);
        else await onPlatformOrigin(req, res);
      } catch (e) {
        fail(req, res, e);
      }
    },
    upgrade(req, socket, head) {
      if (!owns(req)) return false;
      socket.on('error', () => {});
      upgradeAsync(req, socket, head).catch((e) => {
        const err = e instanceof DoorError ? e : new DoorError(502, 'door_error', 'the platform could not reach this workspace');
        if (!(e instanceof DoorError)) console.error(`[front-door] ${(e as Error).message}`);
        refuseUpgrade(socket, err.status, err.message);
      });
      return true;
    },
  };
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { message } });
  socket.end(`HTTP/1.1 ${status} ${statusText[status] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

const statusText: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Unavailable' };

const toUpstream = (up: Extract<WorkspaceUpstream, { kind: 'http' }>): Upstream => ({ url: up.url, socketPath: up.socketPath, headers: up.headers });

function bearerOf(req: IncomingMessage): string | undefined {
  return req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
}

function acceptsHtml(req: IncomingMessage): boolean {
  return /text\/html/.test(req.headers.accept ?? '');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/**
 * What the workspace receives: the request without the platform's credentials (its API token,
 * the door's cookie), addressed as if to the upstream itself (Host and Origin its own: the door
 * checked the browser's Origin already, and servers such as Jupyter and code-server compare Origin
 * with Host, or with X-Forwarded-Host, which is therefore not sent).
 */
export function forwardedHeaders(req: IncomingMessage, up: Extract<WorkspaceUpstream, { kind: 'http' }>): IncomingHttpHeaders {
  const h: IncomingHttpHeaders = { ...req.headers };
  delete h.authorization;
  delete h['proxy-authorization'];
  delete h.forwarded;
  for (const k of Object.keys(h)) if (k.startsWith('x-forwarded-')) delete h[k];
  const cookies = (h.cookie ?? '').split(';').map((c) => c.trim()).filter((c) => c && !c.startsWith(`${SESSION_COOKIE}=`));
  if (cookies.length) h.cookie = cookies.join('; ');
  else delete h.cookie;
  const upstreamOrigin = new URL(up.url).origin;
  if (h.origin) h.origin = upstreamOrigin;
  if (h.referer) {
    try {
      const r = new URL(h.referer);
      h.referer = upstreamOrigin + r.pathname + r.search;
    } catch {
      delete h.referer;
    }
  }
  return h; // the upstream's own headers are put on by the proxy (withOwnHeaders)
}

/** The upstream's answer as the browser gets it: its redirects kept under the stable URL's prefix, and never the door's cookie. */
function workspaceResponseHeaders(h: OutgoingHttpHeaders, prefix: string): OutgoingHttpHeaders {
  if (prefix) {
    if (typeof h.location === 'string' && h.location.startsWith('/') && !h.location.startsWith('//')) h.location = prefix + h.location;
    // On the platform's origin (programs with a token): should a browser ever render it, the
    // workspace's page runs in a sandbox of its own, never as the portal's origin.
    const csp = h['content-security-policy'];
    (h as Record<string, unknown>)['content-security-policy'] = [...(Array.isArray(csp) ? csp : csp === undefined ? [] : [String(csp)]), 'sandbox'];
    h['x-content-type-options'] = 'nosniff';
  }
  const setCookie = h['set-cookie'];
  if (Array.isArray(setCookie)) h['set-cookie'] = setCookie.filter((c) => !c.trim().startsWith(`${SESSION_COOKIE}=`));
  return h;
}

async function readSmallJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new DoorError(400, 'body_too_large', 'a ticket request is a small JSON object {environment, resource, path}');
    chunks.push(chunk as Buffer);
  }
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new DoorError(400, 'invalid_json', 'send a JSON object {"environment": "<id>", "resource": "<id>", "path": "/"}');
}
