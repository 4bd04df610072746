import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiClient, CliError, resolveTarget, storeLogin, type ConnectionOptions } from '../client.ts';
import { bold, dim } from '../format.ts';
import { print, printJson } from '../output.ts';

type Me = { id: string; name: string; team: string; isAdmin: boolean };

/** How long `goldpath login` waits for the browser to come back. */
const waitMinutes = 5;

/**
 * `goldpath login`: a token for a platform that is not the local one. Through the organisation's
 * identity provider (the browser signs in, then comes back to a listener of this command on
 * 127.0.0.1), or with a local account's user and password. The token is kept per server where
 * later commands find it.
 */
export async function login(opts: ConnectionOptions & { user?: string; passwordStdin?: boolean; json?: boolean }): Promise<number> {
  const { server } = await resolveTarget({ ...opts, as: undefined });
  const anonymous = new ApiClient(server, undefined);
  let token: string;
  if (opts.user !== undefined || opts.passwordStdin) {
    if (!opts.user) throw new CliError('--password-stdin signs in a local account: give it with --user <name>');
    const password = opts.passwordStdin ? await readStdin() : await askPassword(`password for ${opts.user} on ${server}: `);
    if (!password) throw new CliError('no password given');
    token = (await anonymous.request<{ token: string }>('POST', '/api/v1/sessions', { user: opts.user, password })).token;
  } else {
    const auth = await anonymous.request<{ methods: string[]; oidc?: { name: string; start: string } }>('GET', '/api/v1/auth');
    if (!auth.oidc) throw new CliError(`${server} offers no single sign-on: sign in with a local account, \`goldpath login --user <name>\` (the password is asked)`);
    token = await signInThroughBrowser(server, auth.oidc);
  }
  const me = await new ApiClient(server, token).request<Me>('GET', '/api/v1/me');
  const file = storeLogin(server, { token, user: me.id, at: new Date().toISOString() });
  if (opts.json) printJson({ server, user: me, file });
  else print(`signed in to ${server} as ${bold(me.id)} (${me.name}, team ${me.team}${me.isAdmin ? ', admin' : ''}) ${dim(`— the token lasts 12 hours, kept in ${file}`)}`);
  return 0;
}

/**
 * Sends the person's browser to the platform's OIDC start with a way back to this machine: a
 * listener on 127.0.0.1, on a path no one else knows. The platform puts the token in the URL
 * fragment, which the browser keeps to itself, so the page served there hands it over with a POST.
 */
async function signInThroughBrowser(server: string, oidc: { name: string; start: string }): Promise<string> {
  const { createServer } = process.getBuiltinModule('node:http');
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  const secret = '/' + randomBytes(18).toString('base64url');
  let done!: (token: string) => void;
  const received = new Promise<string>((resolve) => (done = resolve));
  const listener = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== secret) return void res.writeHead(404).end();
    if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end(handOverPage);
    const from = req.headers.origin;
    if (req.method !== 'POST' || (from && from !== loopback)) return void res.writeHead(403).end();
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      body += d;
      if (body.length > 4096) req.destroy();
    });
    req.on('end', () => {
      const token = body.trim();
      if (!/^[A-Za-z0-9_-]{8,200}$/.test(token)) return void res.writeHead(400).end('no token');
      res.writeHead(204).end();
      done(token);
    });
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  const loopback = `http://127.0.0.1:${(listener.address() as { port: number }).port}`;
  const url = new URL(oidc.start, server.replace(/\/$/, '') + '/');
  url.searchParams.set('redirect', loopback + secret);
  print(`open this address in your browser and sign in with ${oidc.name}:\n\n  ${url}\n`);
  print(dim(`waiting for the browser (up to ${waitMinutes} minutes; Ctrl-C gives up)…`));
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      received,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CliError(`no sign-in came back within ${waitMinutes} minutes: run \`goldpath login\` again`)), waitMinutes * 60_000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    listener.close();
    listener.closeAllConnections();
  }
}

// The fragment never reaches a server: this page reads it and posts it to the listener, then forgets it.
const handOverPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Goldpath sign-in</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto"><p id="m">Signing in…</p>
<script>
const token = new URLSearchParams(location.hash.slice(1)).get('token') || '';
history.replaceState(null, '', location.pathname);
fetch(location.pathname, { method: 'POST', body: token }).then((r) => {
  document.getElementById('m').textContent = r.ok ? 'Signed in: you can close this tab and go back to the terminal.' : 'The sign-in did not work: see the terminal.';
});
</script></body></html>`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing line end is the shell's (echo, a file), not the password's.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks for a password on the terminal without echoing it. */
async function askPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new CliError('no terminal to ask the password on: give it on standard input with --password-stdin');
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      stdin.on('data', (keys: string) => {
        for (const ch of keys) {
          if (ch === '\r' || ch === '\n') return resolve(typed);
          if (ch === '\u0003') return reject(new CliError('cancelled'));
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      });
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    stdin.removeAllListeners('data');
    process.stderr.write('\n');
  }
}
