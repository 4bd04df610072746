/**
 * Serves a folder the workspace built (e.g. a website preview) as the platform itself: GET and
 * HEAD only, index.html for folders, content types by extension. The folder is written by
 * untrusted code, so nothing outside it is ever served: `..` is refused, and the file actually
 * opened is checked by its real path after opening (a symlink, or one swapped in between a check
 * and the open, that points outside the root is refused).
 */
import { createReadStream } from 'node:fs';
import { open, readlink, realpath } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants } from 'node:fs';
import { extname, join, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.csv': 'text/csv; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.avif': 'image/avif',
  '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.otf': 'font/otf',
  '.wasm': 'application/wasm', '.pdf': 'application/pdf', '.webmanifest': 'application/manifest+json',
  '.mp4': 'video/mp4', '.webm': 'video/webm', '.mp3': 'audio/mpeg', '.wav': 'audio/wav',
};

export const contentTypeOf = (file: string): string => TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

export type StaticAnswer =
  | { status: 200; file: string }
  | { status: 301; location: string }
  | { status: 400 | 403 | 404 | 405; message: string };

/**
 * Serves `urlPath` (path and query, as asked) from `root`. Resolves once the answer is sent;
 * non-200 answers are handed to `fail` so the door words them.
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, root: string, urlPath: string, fail: (status: number, message: string) => void, headers: Record<string, string> = {}): Promise<StaticAnswer> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    fail(405, 'a preview serves files: only GET and HEAD');
    return { status: 405, message: 'method' };
  }
  const [pathname, query = ''] = splitQuery(urlPath);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    fail(400, 'the path is not valid percent-encoding');
    return { status: 400, message: 'encoding' };
  }
  const segments = decoded.split('/');
  if (decoded.includes('\0') || decoded.includes('\\') || segments.some((s) => s === '..')) {
    fail(400, 'the path may not leave the site (no "..")');
    return { status: 400, message: 'escape' };
  }
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    fail(404, 'nothing has been published yet');
    return { status: 404, message: 'no root' };
  }
  const wanted = join(realRoot, ...segments.filter((s) => s && s !== '.'));
  const opened = await openInside(realRoot, wanted);
  if (opened === 'outside') {
    fail(403, 'this path points outside the site');
    return { status: 403, message: 'outside' };
  }
  if (!opened) {
    fail(404, `no such file: ${pathname}`);
    return { status: 404, message: 'missing' };
  }
  let { fd, file, isDirectory } = opened;
  if (isDirectory) {
    await fd.close();
    if (!pathname.endsWith('/')) {
      // Relative (the last segment and a slash): right under any prefix the door serves it at.
      const location = `${pathname.slice(pathname.lastIndexOf('/') + 1)}/${query ? `?${query}` : ''}`;
      res.writeHead(301, { location, 'content-length': '0' }).end();
      return { status: 301, location };
    }
    const index = await openInside(realRoot, join(file, 'index.html'));
    if (!index || index === 'outside' || index.isDirectory) {
      if (index && index !== 'outside') await index.fd.close();
      fail(index === 'outside' ? 403 : 404, index === 'outside' ? 'this path points outside the site' : `no index.html in ${pathname}`);
      return { status: index === 'outside' ? 403 : 404, message: 'no index' };
    }
    ({ fd, file } = index);
  }
  const st = await fd.stat();
  res.writeHead(200, {
    'content-type': contentTypeOf(file),
    'content-length': String(st.size),
    'last-modified': st.mtime.toUTCString(),
    // A preview changes on every push: always ask again (cheap: the files are local).
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  if (req.method === 'HEAD') {
    await fd.close();
    res.end();
    return { status: 200, file };
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream('', { fd, autoClose: true });
    stream.on('error', () => res.destroy());
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
  return { status: 200, file };
}

function splitQuery(p: string): [string, string] {
  const i = p.indexOf('?');
  return i < 0 ? [p, ''] : [p.slice(0, i), p.slice(i + 1)];
}

/** Opens the file, then asks the kernel where it really is (/proc/self/fd): outside the root is refused. */
async function openInside(realRoot: string, path: string) {
  let fd;
  try {
    fd = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  let real: string;
  try {
    real = await readlink(`/proc/self/fd/${fd.fd}`);
  } catch {
    real = await realpath(path).catch(() => '');
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    await fd.close();
    return 'outside' as const;
  }
  const st = await fd.stat();
  if (!st.isFile() && !st.isDirectory()) {
    await fd.close();
    return null;
  }
  return { fd, file: real, isDirectory: st.isDirectory() };
}
