import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/**
 * Serves the built portal (a single-page app) at the root: files compressed at build, with long caching
 * for hashed assets, and index.html for every other path so that deep links work.
 */
export function mountPortal(app: Hono<never>, distDir: string): void {
  const index = join(distDir, 'index.html');
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.res.headers.set('cache-control', 'public, max-age=31536000, immutable');
  });
  // Brotli or gzip copies made at build (portal/vite.config.ts), when the browser accepts them.
  app.use('/*', serveStatic({ root: distDir, rewriteRequestPath: (p) => p, precompressed: true }));
  app.get('*', (c) => {
    if (c.req.path.startsWith('/api/')) return c.notFound();
    if (!existsSync(index)) {
      return c.html('<!doctype html><title>Goldpath</title><p>The portal is not built: run <code>npm run build</code>, then reload. The API is at <a href="/api/v1/openapi.json">/api/v1</a>.</p>', 503);
    }
    c.header('cache-control', 'no-cache');
    return c.html(readFileSync(index, 'utf8'));
  });
}
