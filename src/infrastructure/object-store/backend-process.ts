/**
 * The object store backend: s3rver on a unix socket, run as a child of the platform by
 * backend-supervisor.ts. It has no credentials of its own (it accepts its built-in key with any
 * signature), so it listens on no TCP port: only the platform's SigV4 proxy can reach the socket,
 * which sits in a folder only the platform's user may enter.
 *
 * Usage: node backend-process.ts <dataDir> <socketPath>; it sends {type:'ready'} over IPC once
 * listening, and exits when the platform goes away (IPC disconnect).
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';

interface S3rverApp {
  callback(): Parameters<typeof createServer>[1];
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverApp;

const [dataDir, socketPath] = process.argv.slice(2);
if (!dataDir || !socketPath || !process.send) {
  console.error('usage: run by the platform with <dataDir> <socketPath> and an IPC channel');
  process.exit(2);
}

process.on('disconnect', () => process.exit(0));

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor;
const app = new S3rver({
  silent: true,
  directory: dataDir,
  vhostBuckets: false,
  // The proxy verified the caller's own SigV4 signature; s3rver only sees its built-in key.
  allowMismatchedSignatures: true,
});

// A socket file left by a backend that crashed would make listen fail with EADDRINUSE.
rmSync(socketPath, { force: true });
const server = createServer(app.callback());
server.on('error', (err) => {
  console.error(`[object-store backend] ${err.message}`);
  process.exit(1);
});
server.listen(socketPath, () => {
  // The platform may have gone while s3rver loaded; then there is no one to serve.
  if (!process.connected) process.exit(0);
  process.send?.({ type: 'ready' }, (err: Error | null) => {
    if (err) process.exit(0);
  });
});
