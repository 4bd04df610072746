/**
 * Forwards one HTTP request or WebSocket upgrade to a workspace's server, streaming both ways:
 * bodies are piped, never buffered, so a large upload or a long-lived event stream costs the
 * platform a socket, not memory. Written on node:http (see docs/front-door.md for why no library):
 * the door needs exact control of which headers cross, and upstreams on unix sockets.
 */
import { request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export interface Upstream {
  /** e.g. http://127.0.0.1:8888 (the host part is also what the upstream sees as Host). */
  url: string;
  socketPath?: string;
  /** Added to every request (the workspace's own token); they replace any the client sent. */
  headers?: Record<string, string>;
}

export interface ForwardOptions {
  /** The path and query to ask the upstream for. */
  path: string;
  /** Request headers as the door wants them sent (credentials already stripped); hop-by-hop ones are dropped here. */
  headers: IncomingHttpHeaders;
  /** Changes the upstream's response headers before they reach the client (e.g. Location under a prefix). */
  responseHeaders?: (headers: OutgoingHttpHeaders) => OutgoingHttpHeaders;
  /** The upstream could not be reached or broke before answering: the door answers instead. */
  onUnreachable: (err: Error) => void;
}

/** Hop-by-hop headers (RFC 9110 7.6.1): about one connection, never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings']);

/** Without hop-by-hop headers, those the Connection header names included. */
export function endToEnd<T extends IncomingHttpHeaders | OutgoingHttpHeaders>(headers: T): T {
  const named = new Set(String(headers.connection ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(headers)) {
    const key = k.toLowerCase();
    if (v === undefined || HOP_BY_HOP.has(key) || named.has(key)) continue;
    out[key] = v;
  }
  return out as T;
}

function upstreamRequestOptions(up: Upstream, method: string, path: string, headers: OutgoingHttpHeaders) {
  const u = new URL(up.url);
  const base = u.pathname.replace(/\/+$/, '');
  return {
    method,
    path: base + path,
    headers: withOwnHeaders({ ...headers, host: u.host }, up.headers ?? {}),
    ...(up.socketPath ? { socketPath: up.socketPath } : { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 80) }),
  };
}

/**
 * The upstream's own credentials on the request: its headers replace any of the same name, and its
 * cookies join the client's (a client cookie of the same name is dropped: it cannot send its own instead).
 */
export function withOwnHeaders(headers: OutgoingHttpHeaders, own: Record<string, string>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ...headers };
  for (const [k, v] of Object.entries(own)) {
    const key = k.toLowerCase();
    if (key !== 'cookie') {
      out[key] = v;
      continue;
    }
    const mine = v.split(';').map((c) => c.trim()).filter(Boolean);
    const names = new Set(mine.map((c) => c.split('=')[0]));
    const theirs = String(out.cookie ?? '').split(';').map((c) => c.trim()).filter((c) => c && !names.has(c.split('=')[0]));
    out.cookie = [...theirs, ...mine].join('; ');
  }
  return out;
}

/** Proxies a plain HTTP request; resolves when the response has ended or either side went away. */
export function forwardHttp(req: IncomingMessage, res: ServerResponse, up: Upstream, opts: ForwardOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    const headers = endToEnd(opts.headers);
    const out = request(upstreamRequestOptions(up, req.method ?? 'GET', opts.path, headers));
    let answered = false;
    const done = () => resolve();
    out.on('response', (upRes) => {
      answered = true;
      let h = endToEnd(upRes.headers as OutgoingHttpHeaders);
      if (opts.responseHeaders) h = opts.responseHeaders(h);
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, h);
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
      res.on('close', () => {
        upRes.destroy();
        done();
      });
    });
    out.on('error', (err) => {
      if (!answered && !res.headersSent) opts.onUnreachable(err);
      else res.destroy();
      done();
    });
    // The client went away before the upstream answered: stop asking.
    req.on('aborted', () => out.destroy());
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    req.pipe(out);
  });
}

/**
 * Proxies a WebSocket (or any Upgrade) handshake and then the raw bytes both ways. A refusal by
 * the upstream (any status but 101) is relayed as it came.
 */
export function forwardUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, up: Upstream, opts: Omit<ForwardOptions, 'responseHeaders'>): void {
  const headers: OutgoingHttpHeaders = { ...endToEnd(opts.headers), connection: 'Upgrade', upgrade: req.headers.upgrade ?? 'websocket' };
  const out = request(upstreamRequestOptions(up, req.method ?? 'GET', opts.path, headers));
  socket.on('error', () => out.destroy());
  out.on('upgrade', (upRes, upSocket, upHead) => {
    socket.write(statusLine(upRes) + rawHeaders(upRes) + '\r\n');
    if (upHead.length) socket.write(upHead);
    if (head.length) upSocket.write(head);
    upSocket.on('error', () => socket.destroy());
    socket.on('error', () => upSocket.destroy());
    upSocket.on('close', () => socket.destroy());
    socket.on('close', () => upSocket.destroy());
    upSocket.pipe(socket);
    socket.pipe(upSocket);
  });
  out.on('response', (upRes) => {
    // Refused (e.g. 403 for a wrong origin, 404): tell the client and close.
    socket.write(statusLine(upRes) + rawHeaders(upRes, true) + '\r\n');
    upRes.pipe(socket);
  });
  out.on('error', (err) => opts.onUnreachable(err));
  out.end();
}

const statusLine = (r: IncomingMessage) => `HTTP/1.1 ${r.statusCode} ${r.statusMessage ?? ''}\r\n`;

function rawHeaders(r: IncomingMessage, closing = false): string {
  let s = '';
  for (let i = 0; i < r.rawHeaders.length; i += 2) {
    const name = r.rawHeaders[i];
    if (closing && HOP_BY_HOP.has(name.toLowerCase())) continue;
    s += `${name}: ${r.rawHeaders[i + 1]}\r\n`;
  }
  return closing ? s + 'connection: close\r\n' : s;
}
