import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gitBaseEnv, isValidRepoName, repoExists } from './repos.ts';
import { gitQuotaFromEnv, installQuotaHook, quotaGitEnv } from './quota.ts';

export interface RepoAuthorizer {
  (repo: string, username: string, password: string): Promise<boolean>;
}

export interface GitHttpOptions {
  reposDir: string;
  /** URL prefix the handler owns, e.g. '/git'. */
  prefix: string;
  authorize: RepoAuthorizer;
  /** Called after a push was received (e.g. to re-read the repository's catalog-info.yaml). */
  onPush?: (repo: string) => void | Promise<void>;
  /**
   * The most bytes a repository may take on disk; a push that would take it over is refused with
   * a message the pusher's git shows. Default: GOLDPATH_GIT_QUOTA_MB, else 500 MB.
   */
  quotaBytes?: number;
}

const REALM = 'Basic realm="Goldpath git", charset="UTF-8"';

/**
 * The paths git's smart (and dumb, read-only) HTTP protocol uses below a repository. Anything else
 * is refused before reaching git, so no crafted PATH_INFO can walk the filesystem.
 */
const GIT_SUBPATH =
  /^(?:info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/info\/(?:alternates|http-alternates|packs)|objects\/[0-9a-f]{2}\/[0-9a-f]{38,62}|objects\/pack\/pack-[0-9a-f]{40,64}\.(?:pack|idx))$/;

function sendText(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', ...headers });
  res.end(message + '\n');
}

function parseBasic(header: string | undefined): { username: string; password: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

interface ParsedRequest {
  repo: string;
  subpath: string;
  query: string;
}

function parseGitUrl(url: string, prefix: string): ParsedRequest | 'not-mine' | 'bad' {
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  if (!pathname.startsWith(prefix + '/')) return 'not-mine';
  const rest = pathname.slice(prefix.length + 1);
  const slash = rest.indexOf('/');
  if (slash < 0) return 'bad';
  let repo = rest.slice(0, slash);
  if (repo.endsWith('.git')) repo = repo.slice(0, -4);
  const subpath = rest.slice(slash + 1);
  if (!isValidRepoName(repo) || !GIT_SUBPATH.test(subpath)) return 'bad';
  return { repo, subpath, query };
}

/**
 * Node http handler serving the platform's repositories over git smart HTTP via `git http-backend`
 * (CGI, one process per request). Returns false when the URL is not under `prefix`.
 *
 * Access: every request needs HTTP Basic credentials that `authorize` accepts for that repository.
 * Missing or wrong credentials get 401 whether or not the repository exists, so unauthenticated
 * callers learn nothing about repository names; 404 is only given to a caller authorised for a
 * name whose repository is absent (e.g. deleted).
 */
export function createGitHttpHandler(opts: GitHttpOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const prefix = opts.prefix.replace(/\/+$/, '');
  const quotaBytes = opts.quotaBytes ?? gitQuotaFromEnv();
  // Outside every repository: repository names start with a letter or digit.
  let hooksDir: Promise<string> | undefined;
  const quotaHooks = () => (hooksDir ??= installQuotaHook(join(opts.reposDir, '.goldpath-hooks')).catch((e: unknown) => {
    hooksDir = undefined; // try again on the next push
    throw e;
  }));
  return async (req, res) => {
    const parsed = parseGitUrl(req.url ?? '/', prefix);
    if (parsed === 'not-mine') return false;
    // A client that goes away mid-request fails that request only; never the process.
    req.on('error', () => {});
    res.on('error', () => {});
    try {
      if (parsed === 'bad') {
        sendText(res, 404, 'Not found: expected /<repo>.git/info/refs, /git-upload-pack or /git-receive-pack');
        return true;
      }
      const method = req.method ?? 'GET';
      if (method !== 'GET' && method !== 'POST' && method !== 'HEAD') {
        sendText(res, 405, 'Method not allowed', { Allow: 'GET, POST' });
        return true;
      }
      const creds = parseBasic(req.headers.authorization);
      let allowed = false;
      if (creds) {
        try {
          allowed = await opts.authorize(parsed.repo, creds.username, creds.password);
        } catch {
          sendText(res, 503, 'Authorisation service unavailable; try again');
          return true;
        }
      }
      if (!creds || !allowed) {
        req.resume(); // drain the body so the connection can be reused for the retry with credentials
        sendText(res, 401, creds ? 'Invalid credentials for this repository' : 'Authentication required', {
          'WWW-Authenticate': REALM,
        });
        return true;
      }
      if (!(await repoExists(opts.reposDir, parsed.repo))) {
        req.resume();
        sendText(res, 404, `Repository ${parsed.repo} not found`);
        return true;
      }
      const receiving = parsed.subpath === 'git-receive-pack';
      const extraEnv = receiving ? quotaGitEnv(await quotaHooks(), parsed.repo, quotaBytes) : {};
      await runBackend(opts.reposDir, parsed, creds.username, req, res, extraEnv);
      if (receiving && res.statusCode === 200 && opts.onPush) {
        const repo = parsed.repo;
        // The push is done whatever the follow-up does; its failure is logged, not thrown.
        Promise.resolve().then(() => opts.onPush!(repo)).catch((e: unknown) => {
          console.error(`[git] after a push to ${repo}: ${e instanceof Error ? e.message : String(e)}`);
        });
      }
    } catch (e) {
      console.error(`[git] ${req.method} ${parsed === 'bad' ? '' : parsed.repo}: ${e instanceof Error ? e.message : String(e)}`);
      sendText(res, 500, 'Internal error while serving git');
    }
    return true;
  };
}

function runBackend(reposDir: string, p: ParsedRequest, user: string, req: IncomingMessage, res: ServerResponse, extraEnv: Record<string, string>): Promise<void> {
  return new Promise((resolve) => {
    const env: Record<string, string> = {
      ...gitBaseEnv(),
      ...extraEnv,
      GIT_PROJECT_ROOT: reposDir,
      GIT_HTTP_EXPORT_ALL: '1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: `/${p.repo}.git/${p.subpath}`,
      QUERY_STRING: p.query,
      REMOTE_USER: user,
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
    };
    const h = req.headers;
    if (h['content-type']) env.CONTENT_TYPE = h['content-type'];
    // Chunked bodies have no length; http-backend then reads stdin to EOF.
    if (h['content-length']) env.CONTENT_LENGTH = h['content-length'];
    if (h['content-encoding']) env.HTTP_CONTENT_ENCODING = String(h['content-encoding']);
    const gitProtocol = h['git-protocol'];
    if (typeof gitProtocol === 'string' && /^[\w.:=-]*$/.test(gitProtocol)) {
      env.GIT_PROTOCOL = gitProtocol; // protocol v2 negotiation
      env.HTTP_GIT_PROTOCOL = gitProtocol;
    }

    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch {
      req.resume();
      sendText(res, 500, 'git http-backend could not be started');
      resolve();
      return;
    }
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve();
    };
    const stdin = child.stdin!;
    const stdout = child.stdout!;
    const stderr: Buffer[] = [];
    child.stderr!.on('data', (b: Buffer) => {
      if (stderr.length < 64) stderr.push(b);
    });
    child.on('error', () => {
      req.resume();
      sendText(res, 500, 'git http-backend could not be started');
      finish();
    });
    stdin.on('error', () => {}); // backend may stop reading early (e.g. it refused the request)
    stdout.on('error', () => {});
    child.stderr!.on('error', () => {});
    req.pipe(stdin);
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    req.on('aborted', kill);
    req.on('error', kill);
    res.on('close', kill);

    let head = Buffer.alloc(0);
    let headersDone = false;
    let failed = false;
    stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      if (headersDone) {
        if (!res.write(chunk)) {
          stdout.pause();
          res.once('drain', () => stdout.resume());
        }
        return;
      }
      head = Buffer.concat([head, chunk]);
      const split = findHeaderEnd(head);
      if (!split) {
        if (head.length > 64 * 1024) {
          failed = true;
          kill();
          sendText(res, 502, 'Malformed response from git http-backend');
        }
        return;
      }
      headersDone = true;
      const { status, headers } = parseCgiHeaders(head.subarray(0, split.headerEnd).toString('latin1'));
      res.writeHead(status, headers);
      const body = head.subarray(split.bodyStart);
      if (body.length > 0) res.write(body);
    });
    stdout.on('end', () => {
      if (failed) return;
      if (!headersDone) sendText(res, 502, 'git http-backend returned no response');
      else res.end();
    });
    child.on('close', finish);
  });
}

function findHeaderEnd(buf: Buffer): { headerEnd: number; bodyStart: number } | null {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headerEnd: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { headerEnd: lf, bodyStart: lf + 2 };
  return null;
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string | string[]> } {
  let status = 200;
  const headers: Record<string, string | string[]> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      const code = Number.parseInt(value, 10);
      if (code >= 100 && code <= 599) status = code;
      continue;
    }
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else headers[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return { status, headers };
}
