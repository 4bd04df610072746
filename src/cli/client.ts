import { EventStreamParser } from '../infrastructure/server-sent-events/parser.ts';
import type { IncomingMessage, RequestOptions } from 'node:http';
import type { LocalCredentials } from '../platform/config.ts';

/** A failure to tell the person as it is (no stack trace): exit status 1. */
export class CliError extends Error {}

/** The platform answered with an error; `status` and `code` let a command say more than its message. */
export class ApiError extends CliError {
  readonly status: number;
  readonly code: string | undefined;
  constructor(status: number, code: string | undefined, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * The CLI's only way to the platform: its HTTP API. Built on node:http rather than fetch, which
 * costs a command ~17 MB and a noticeable part of its start (see bench/cli.ts).
 */
export class ApiClient {
  readonly server: string;
  readonly token: string | undefined;

  constructor(server: string, token: string | undefined) {
    this.server = server.replace(/\/$/, '');
    this.token = token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body !== undefined ? JSON.stringify(body) : undefined;
    const res = await this.open(method, path, { accept: 'application/json', ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }, payload);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const status = res.statusCode ?? 0;
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      throw new ApiError(status, undefined, `the platform at ${this.server} answered ${status} with something that is not JSON: is GOLDPATH_URL / --server the platform's address?`);
    }
    if (status < 200 || status >= 300) {
      const err = (data as { error?: { code?: string; message?: string } }).error;
      throw new ApiError(status, err?.code, err?.message ?? `the platform answered ${status}`);
    }
    return data as T;
  }

  /** Reads a server-sent-events stream, calling onEvent for each until it returns true or the stream ends. */
  async stream(path: string, onEvent: (event: string, data: unknown) => boolean | void): Promise<void> {
    const res = await this.open('GET', path, { accept: 'text/event-stream' });
    if (res.statusCode !== 200) {
      res.resume();
      throw new CliError(`could not follow progress (${res.statusCode})`);
    }
    res.setEncoding('utf8');
    const parser = new EventStreamParser();
    for await (const chunk of res) {
      for (const { event, data } of parser.push(chunk as string)) {
        if (onEvent(event, data)) {
          res.destroy();
          return;
        }
      }
    }
  }

  private async open(method: string, path: string, headers: Record<string, string>, payload?: string): Promise<IncomingMessage> {
    let url: URL;
    try {
      url = new URL(this.server + path);
    } catch {
      throw new CliError(`"${this.server}" is not a URL: give --server / GOLDPATH_URL as http(s)://host:port`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`"${this.server}" is not an http(s) URL: give --server / GOLDPATH_URL as http(s)://host:port`);
    // Only what this server needs (TLS costs ~5 MB more), and not by `import`: an ESM import of
    // node:http reads every export, and its lazy ones load fetch's engine (+14 MB, ~100 ms of CPU).
    const { request } = url.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
    const options: RequestOptions = {
      method,
      headers: { ...headers, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(payload !== undefined ? { 'content-length': String(Buffer.byteLength(payload)) } : {}) },
    };
    return new Promise((resolve, reject) => {
      const req = request(url, options, resolve);
      req.on('error', (e: NodeJS.ErrnoException) => {
        reject(new CliError(`cannot reach the platform at ${this.server} (${e.code ?? e.message}): start it with \`goldpath up\`, or point --server / GOLDPATH_URL at it`));
      });
      req.end(payload);
    });
  }
}

export interface ConnectionOptions {
  server?: string;
  as?: string;
  dataDir?: string;
}

const origin = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/** Where commands go, and the local users' credentials when (and only when) that is the local platform. */
export interface Target {
  server: string;
  /** Given by --server or GOLDPATH_URL rather than found in the data folder. */
  named: boolean;
  /** The data folder, when it was looked at. */
  home: string | null;
  local: LocalCredentials | null;
}

/**
 * --server / GOLDPATH_URL, else the local platform of the data folder. With a server and
 * GOLDPATH_TOKEN given, the data folder is not read at all. The local users' tokens are only
 * ever sent to the local platform, never to another server named by URL.
 */
export async function resolveTarget(opts: ConnectionOptions): Promise<Target> {
  const named = opts.server ?? (process.env.GOLDPATH_URL || undefined);
  if (named && process.env.GOLDPATH_TOKEN && !opts.as) return { server: named, named: true, home: null, local: null };
  // Loaded only here: its imports (node:fs, node:crypto as ES modules) cost a command ~6 MB.
  const { readCredentials, resolveHome, defaultPort } = await import('../platform/config.ts');
  const home = resolveHome(opts.dataDir);
  const creds = readCredentials(home);
  const server = named ?? creds?.server ?? `http://127.0.0.1:${defaultPort}`;
  return { server, named: named !== undefined, home, local: creds && origin(server) === origin(creds.server) ? creds : null };
}

/** A token from `goldpath login`, kept per server (its origin). */
export interface StoredLogin {
  token: string;
  user: string;
  /** When it was given; it works as long as the platform says (a session: 12 hours). */
  at: string;
}

/**
 * Where `goldpath login` keeps its tokens: one file in the person's own config folder, readable by
 * them only, one token per server. The local platform's users need none (credentials.json in its
 * data folder has theirs).
 */
export function loginsFile(): string {
  const { join } = process.getBuiltinModule('node:path');
  const base = process.env.XDG_CONFIG_HOME || join(process.getBuiltinModule('node:os').homedir(), '.config');
  return join(base, 'goldpath', 'logins.json');
}

function readLogins(): Record<string, StoredLogin> {
  try {
    return JSON.parse(process.getBuiltinModule('node:fs').readFileSync(loginsFile(), 'utf8')) as Record<string, StoredLogin>;
  } catch {
    return {};
  }
}

export function storedLogin(server: string): StoredLogin | undefined {
  const key = origin(server);
  return key ? readLogins()[key] : undefined;
}

export function storeLogin(server: string, login: StoredLogin): string {
  const fs = process.getBuiltinModule('node:fs');
  const file = loginsFile();
  const key = origin(server);
  if (!key) throw new CliError(`"${server}" is not a URL: give --server as http(s)://host:port`);
  fs.mkdirSync(process.getBuiltinModule('node:path').dirname(file), { recursive: true, mode: 0o700 });
  const all = { ...readLogins(), [key]: login };
  fs.writeFileSync(file, JSON.stringify(all, null, 2), { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

/** The client for a command: --as / GOLDPATH_TOKEN / the token of `goldpath login` for this server / the local default user. */
export async function connect(opts: ConnectionOptions): Promise<ApiClient> {
  const { server, named, home, local } = await resolveTarget(opts);
  if (opts.as) {
    if (!local) {
      throw new CliError(named
        ? `--as acts as a user of the embedded default on this machine, and ${server} is not the local platform: there, use your own token (GOLDPATH_TOKEN)`
        : `--as works on the embedded default only, and there is none in ${home}: start it with \`goldpath up\` in this folder (or set GOLDPATH_HOME)`);
    }
    const token = local.tokens[opts.as];
    if (!token) throw new CliError(`no local user "${opts.as}"; local users: ${Object.keys(local.tokens).join(', ')}`);
    return new ApiClient(server, token);
  }
  const token = process.env.GOLDPATH_TOKEN || storedLogin(server)?.token || (local ? local.tokens[local.defaultUser] : undefined);
  if (!token) {
    throw new CliError(named
      ? `no API token for ${server}: set GOLDPATH_TOKEN (the platform's portal, or \`goldpath token\` where it runs, gives you one), or sign in with \`goldpath login --server ${server}\``
      : `no local platform in ${home}: start it with \`goldpath up\`, or set GOLDPATH_URL and GOLDPATH_TOKEN to use a remote one`);
  }
  return new ApiClient(server, token);
}
