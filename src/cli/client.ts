import { readCredentials, resolveHome, defaultPort } from '../platform/config.ts';

/** The CLI's only way to the platform: its HTTP API. */
export class ApiClient {
  readonly server: string;
  readonly token: string | undefined;

  constructor(server: string, token: string | undefined) {
    this.server = server.replace(/\/$/, '');
    this.token = token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.server + path, {
        method,
        headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch {
      throw new CliError(`cannot reach the platform at ${this.server}: start it with \`goldpath up\`, or point --server / GOLDPATH_URL at it`);
    }
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      throw new CliError(`the platform answered ${res.status} with something that is not JSON`);
    }
    if (!res.ok) {
      const err = (data as { error?: { message?: string } }).error;
      throw new CliError(err?.message ?? `the platform answered ${res.status}`);
    }
    return data as T;
  }

  /** Reads a server-sent-events stream, calling onEvent for each until it returns true or the stream ends. */
  async stream(path: string, onEvent: (event: string, data: unknown) => boolean | void): Promise<void> {
    const controller = new AbortController();
    const res = await fetch(this.server + path, { headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' }, signal: controller.signal }).catch(() => {
      throw new CliError(`cannot reach the platform at ${this.server}`);
    });
    if (!res.ok || !res.body) throw new CliError(`could not follow progress (${res.status})`);
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length && onEvent(event, JSON.parse(data.join('\n')))) {
            controller.abort();
            return;
          }
        }
      }
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e;
    }
  }
}

export class CliError extends Error {}

export interface ConnectionOptions {
  server?: string;
  as?: string;
  dataDir?: string;
}

/** --server / GOLDPATH_URL / the local platform; GOLDPATH_TOKEN / --as / the local default user. */
export function connect(opts: ConnectionOptions): ApiClient {
  const creds = readCredentials(resolveHome(opts.dataDir));
  const server = opts.server ?? process.env.GOLDPATH_URL ?? creds?.server ?? `http://127.0.0.1:${defaultPort}`;
  let token = process.env.GOLDPATH_TOKEN;
  if (opts.as) {
    token = creds?.tokens[opts.as];
    if (!token) {
      throw new CliError(creds ? `no local user "${opts.as}"; local users: ${Object.keys(creds.tokens).join(', ')}` : '--as works on the embedded default only: start it with `goldpath up` in this folder (or set GOLDPATH_HOME)');
    }
  }
  token ??= creds ? creds.tokens[creds.defaultUser] : undefined;
  return new ApiClient(server, token);
}
