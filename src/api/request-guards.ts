import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * Guards that run before any route: a request body over its limit is refused before it is read,
 * and text the platform cannot store (a NUL byte, invalid UTF-8, malformed percent-encoding) is
 * refused with a 400 naming the field, so that no route and no SQL query ever sees it.
 */

export const MB = 1024 * 1024;
export const DEFAULT_BODY_LIMIT = 1 * MB;

interface Problem {
  field: string;
  message: string;
  /** How the message names the field, e.g. 'query parameter "q"'; body fields by default. */
  label?: string;
}

const formatMb = (bytes: number) => `${Number((bytes / MB).toFixed(1))} MB`;

/** A route's own body limit, and what to tell a caller who goes over it. */
export interface BodyLimit {
  maxBytes: number;
  hint: string;
}

/**
 * Limits request bodies: `limits` maps "METHOD /path" to a route's own limit; every other request
 * has the default. A declared Content-Length over the limit is refused at once, without reading a
 * byte; a chunked body is counted while it streams and refused as soon as it passes the limit.
 * The 413 closes the connection, so the rest of a huge body is not read.
 */
export function limitRequestBodies(opts: { defaultLimit?: number; limits?: Record<string, BodyLimit> } = {}): MiddlewareHandler {
  const fallback: BodyLimit = { maxBytes: opts.defaultLimit ?? DEFAULT_BODY_LIMIT, hint: 'send a smaller body' };
  const limiters = new Map<BodyLimit, MiddlewareHandler>();
  const limiter = (limit: BodyLimit): MiddlewareHandler => {
    let m = limiters.get(limit);
    if (!m) {
      m = bodyLimit({
        maxSize: limit.maxBytes,
        onError: (c) => {
          closeWithoutReading(c);
          return c.json({ error: {
            code: 'payload_too_large',
            message: `the request body is over ${formatMb(limit.maxBytes)}; ${limit.hint}`,
            details: [{ field: '(body)', message: `at most ${limit.maxBytes} bytes` }],
          } }, 413, { Connection: 'close' });
        },
      });
      limiters.set(limit, m);
    }
    return m;
  };
  return (c, next) => limiter(opts.limits?.[`${c.req.method} ${c.req.path}`] ?? fallback)(c, next);
}

const LINGER_MS = 2000;

/**
 * After a 413 with "Connection: close" Node would close the socket at once; a client still sending
 * its body would then get a reset, which can swallow the 413 before it reads it. Instead the rest of
 * the body is never read (the socket is paused, so the client's sends block), the end of the answer
 * is sent, and the socket is closed a moment later, or when the client hangs up.
 */
function closeWithoutReading(c: Context): void {
  const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
  if (!socket) return;
  socket.destroySoon = () => {
    socket.pause();
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}

/** A percent-encoded string decoded, or why it does not decode to text. */
function decodeProblem(raw: string, plus: boolean): { problem: string | null; decoded: string } {
  const text = plus ? raw.replace(/\+/g, ' ') : raw;
  if (!text.includes('%')) return { decoded: text, problem: null }; // a raw NUL never gets past Node's HTTP parser
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(text);
  if (bad) return { decoded: '', problem: `has malformed percent-encoding ("${text.slice(bad.index, bad.index + 3)}"); write each byte as %XX with two hex digits` };
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    return { decoded: '', problem: 'is not valid UTF-8 once percent-decoded; percent-encode text as UTF-8' };
  }
  return { decoded, problem: decoded.includes('\0') ? 'contains a NUL byte; remove it' : null };
}

/** The first thing wrong with a string of text that came in a JSON body, if any. */
function textProblem(s: string): string | null {
  if (s.includes('\0')) return 'contains a NUL byte; remove it';
  if (!s.isWellFormed()) return 'contains invalid Unicode (a lone surrogate); send UTF-8 text';
  return null;
}

const safeName = (s: string) => (s.length > 60 ? s.slice(0, 60) + '…' : s).replace(/[^\x20-\x7e]/g, '?');

/** Walks a parsed JSON body; reports the first string or key that cannot be stored as text. */
export function jsonProblem(value: unknown, path: string[] = []): Problem | null {
  const field = () => (path.length ? path.join('.') : '(body)');
  if (typeof value === 'string') {
    const p = textProblem(value);
    return p ? { field: field(), message: p } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = jsonProblem(value[i], [...path, String(i)]);
      if (p) return p;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = textProblem(k);
      if (keyProblem) {
        const field = [...path, safeName(k)].join('.');
        return { field, label: `body key "${field}"`, message: keyProblem };
      }
      const p = jsonProblem(v, [...path, k]);
      if (p) return p;
    }
  }
  return null;
}

/** Index of the first byte where `bytes` stops being valid UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    // Overlong forms, surrogates and code points past U+10FFFF.
    if ((b === 0xe0 && bytes[i + 1] < 0xa0) || (b === 0xed && bytes[i + 1] >= 0xa0) || (b === 0xf0 && bytes[i + 1] < 0x90) || (b === 0xf4 && bytes[i + 1] >= 0x90)) return i;
    i += n + 1;
  }
  return -1;
}

/** A JSON field whose string (or key) holds U+FFFD after lossy decoding: where the bad bytes were, most likely. */
function fieldWithReplacementChar(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\ufffd') ? path.join('.') || '(body)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const f = fieldWithReplacementChar(value[i], [...path, String(i)]);
      if (f) return f;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\ufffd')) return [...path, safeName(k)].join('.');
      const f = fieldWithReplacementChar(v, [...path, k]);
      if (f) return f;
    }
  }
  return null;
}

const jsonMediaType = /^application\/([\w.-]+\+)?json$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });
// In JSON text a NUL or a lone surrogate can only arrive as a \u escape, so a body without one needs no walk.
const suspiciousEscape = /\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

async function bodyProblem(c: Context): Promise<Problem | null> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0].trim();
  if (!jsonMediaType.test(mediaType) || !c.req.raw.body) return null;
  const bytes = new Uint8Array(await c.req.raw.arrayBuffer());
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let field = '(body)';
    try {
      field = fieldWithReplacementChar(JSON.parse(new TextDecoder().decode(bytes))) ?? field;
    } catch {
      /* not JSON either: the body as a whole is named */
    }
    return { field, message: `is not valid UTF-8 (byte ${at} of the body); send the body as UTF-8 text` };
  }
  // The route's validator parses this text; the body stream itself is used up.
  // (hono keeps the pending result of each body reader there; its type says otherwise)
  (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
  if (!suspiciousEscape.test(text)) return null;
  try {
    return jsonProblem(JSON.parse(text));
  } catch {
    return null; // not JSON: the route's validator says so
  }
}

/** Headers the API reads as text. */
const TEXT_HEADERS = ['authorization', 'content-type'];

/**
 * Refuses, with a 400 that names the field, a request whose path, path parameters, query string,
 * read headers or JSON body hold a NUL byte, invalid UTF-8 or malformed percent-encoding.
 * `routes` (the app's routes) lets a bad path segment be named by its parameter, e.g. "id".
 */
export function rejectUnstorableText(routes: () => readonly { method: string; path: string }[]): MiddlewareHandler {
  return async (c, next) => {
    const problem = requestLineProblem(c, routes) ?? headerProblem(c) ?? (await bodyProblem(c));
    if (!problem) return next();
    const label = problem.label ?? (problem.field === '(body)' ? 'the request body' : `body field "${problem.field}"`);
    return c.json({ error: { code: 'invalid_request', message: `${label} ${problem.message}`, details: [{ field: problem.field, message: problem.message }] } }, 400);
  };
}

function requestLineProblem(c: Context, routes: () => readonly { method: string; path: string }[]): Problem | null {
  const url = c.req.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const hash = url.indexOf('#');
  const target = url.slice(start < 0 ? url.length : start, hash < 0 ? url.length : hash);
  const q = target.indexOf('?');
  const pathname = q < 0 ? target : target.slice(0, q);
  const segments = pathname.split('/');
  for (let i = 0; i < segments.length; i++) {
    const r = decodeProblem(segments[i], false);
    if (r.problem) {
      const param = paramAt(routes(), c.req.method, segments, i);
      return param ? { field: param, label: `path parameter "${param}"`, message: r.problem } : { field: 'path', label: `the path's segment ${i}`, message: r.problem };
    }
  }
  if (q < 0) return null;
  for (const part of target.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const key = decodeProblem(rawKey, true);
    if (key.problem) return { field: safeName(rawKey), label: `the name of query parameter "${safeName(rawKey)}"`, message: key.problem };
    const value = decodeProblem(eq < 0 ? '' : part.slice(eq + 1), true);
    if (value.problem) return { field: safeName(key.decoded), label: `query parameter "${safeName(key.decoded)}"`, message: value.problem };
  }
  return null;
}

function headerProblem(c: Context): Problem | null {
  for (const name of TEXT_HEADERS) {
    const v = c.req.header(name);
    if (v === undefined) continue;
    if (v.includes('\0')) return { field: name, label: `header "${name}"`, message: 'contains a NUL byte; remove it' };
    if (/[^\t\x20-\x7e]/.test(v)) return { field: name, label: `header "${name}"`, message: 'holds characters other than printable ASCII; send it as ASCII' };
  }
  return null;
}

/** The name of the path parameter that segment `index` fills in a route matching `segments`, if any. */
export function paramAt(routes: readonly { method: string; path: string }[], method: string, segments: string[], index: number): string | null {
  for (const r of routes) {
    if (r.method !== method && r.method !== 'ALL') continue;
    const pattern = r.path.split('/');
    if (pattern.length !== segments.length) continue;
    const fits = pattern.every((p, i) => p.startsWith(':') || p === segments[i] || i === index);
    const p = pattern[index];
    if (fits && p?.startsWith(':')) return p.slice(1).replace(/\{.*$/, '').replace(/\?$/, '');
  }
  return null;
}
