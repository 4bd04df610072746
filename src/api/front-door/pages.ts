import type { ServerResponse } from 'node:http';
import { contentSecurityPolicy } from '../security-headers.ts';

/** The portal's CSP as a header value: the door's own pages on the platform origin keep it. */
const portalCsp = Object.entries(contentSecurityPolicy)
  .map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${v.join(' ')}`)
  .join('; ');

/** Headers of every page the door itself writes: nothing runs in it but its own script, nothing frames it. */
export const doorPageHeaders = {
  'content-security-policy': portalCsp,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A refusal or failure, as a short page for people and JSON for programs (by Accept). */
export function sendProblem(res: ServerResponse, status: number, code: string, message: string, opts: { acceptsHtml: boolean; headers?: Record<string, string> }): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (opts.acceptsHtml) {
    const body = page(titles[status] ?? 'Workspace unavailable', `<p>${escape(message)}</p>`);
    res.writeHead(status, { ...doorPageHeaders, ...opts.headers, 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) }).end(body);
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { ...doorPageHeaders, ...opts.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }).end(body);
}

const titles: Record<number, string> = {
  400: 'Bad request', 401: 'Sign in to open this workspace', 403: 'Not allowed', 404: 'No such workspace',
  405: 'Method not allowed', 502: 'The workspace does not answer', 503: 'The workspace is not running',
};

function page(title: string, body: string, script?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>${escape(title)} · Goldpath</title></head>`
    + `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5">`
    + `<h1 style="font-size:1.4rem">${escape(title)}</h1>${body}${script ? `<script src="${script}"></script>` : ''}</body></html>`;
}

export const OPENER_SCRIPT_PATH = '/w/_/open.js';

/**
 * What a browser gets at a stable URL without an API token in a header: the portal keeps its
 * token in the browser (not in a cookie), so this page, on the platform's origin like the portal,
 * reads it, asks for a ticket and follows it to the workspace's origin. Without a token it goes to
 * the environment's page in the portal, which asks to sign in first.
 */
export function openerPage(): string {
  return page('Opening the workspace…', `<p id="door-message">Opening the workspace… (this needs JavaScript and a portal sign-in; programs send <code>Authorization: Bearer &lt;token&gt;</code>).</p>`, OPENER_SCRIPT_PATH);
}

export const openerScript = String.raw`(async () => {
  const say = (t) => { document.getElementById('door-message').textContent = t; };
  const m = location.pathname.match(/^\/w\/([^/]+)\/([^/]+)(\/.*)?$/);
  if (!m) return say('This is not a workspace address: it looks like /w/<environment>/<resource>/.');
  const signIn = () => location.replace('/environments/' + m[1]);
  const token = localStorage.getItem('goldpath.token');
  if (!token) return signIn();
  try {
    const r = await fetch('/w/_/tickets', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ environment: decodeURIComponent(m[1]), resource: decodeURIComponent(m[2]), path: (m[3] || '/') + location.search + location.hash }),
    });
    const body = await r.json().catch(() => ({}));
    if (r.ok && body.location) return location.replace(body.location);
    if (r.status === 401) return signIn();
    say((body.error && body.error.message) || ('The platform answered ' + r.status));
  } catch (e) {
    say('The platform could not be reached: ' + e);
  }
})();
`;
