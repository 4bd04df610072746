/*
 * Security model: the backend (s3rver) has no credentials of its own — it takes its built-in key with
 * any signature — so it must be reachable only through the SigV4 proxy in this process. It runs as a
 * supervised child on a unix socket in a folder only the platform's user may enter, and opens no TCP
 * port. A child rather than in-process because s3rver maps keys onto files and can throw where no
 * one catches it: in a child, such a crash fails the requests in flight (503) and the backend is
 * restarted at once, while the platform (API, git, this proxy) keeps running.
 */
import { createServer, request as httpRequest, type Agent, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse, type Server } from 'node:http';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { AwsChunkedDecoder } from './aws-chunked.ts';
import { BackendSupervisor } from './backend-supervisor.ts';
import { deleteResultXml, parseDeleteRequest, xmlEscape, type DeleteOutcome } from './delete-objects.ts';
import { checkBucketText, checkMultipartQuery, checkObjectKey, decodeUriPart } from './key-rules.ts';
import {
  S3Error,
  chunkSignature,
  chunkSignatureMatches,
  parseQuery,
  parseSignature,
  signingKey,
  stripAuthQuery,
  verifySignature,
  type ParsedSignature,
  type RequestParts,
} from './sigv4.ts';

export interface BucketGrant {
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
}

export interface ObjectStore {
  /** Public URL, e.g. http://127.0.0.1:PORT */
  endpoint: string;
  /** Idempotent. */
  createBucket(name: string): Promise<void>;
  /** Idempotent; deletes all objects first. */
  deleteBucket(name: string): Promise<void>;
  bucketExists(name: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface ObjectStoreOptions {
  dataDir: string;
  port: number;
  host?: string;
  resolveKey: (accessKeyId: string) => Promise<BucketGrant | null>;
}

const BUCKET_NAME = /^[a-z0-9](?:[a-z0-9-]|\.(?!\.)){1,61}[a-z0-9]$/;
// s3rver only knows its built-in account; the proxy has already authenticated the caller.
const BACKEND_KEY = 'S3RVER';
/** Bodies signed with a hex SHA-256 are checked in memory before forwarding, up to this size. */
const MAX_BUFFERED_BODY = 32 * 1024 * 1024;
/** How long a request waits for a (re)starting backend before it gets a 503. */
const BACKEND_READY_TIMEOUT_MS = 20_000;
const DELETE_CONCURRENCY = 8;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

export function isValidBucketName(name: string): boolean {
  return typeof name === 'string' && BUCKET_NAME.test(name) && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}

function assertBucketName(name: string): void {
  if (!isValidBucketName(name)) {
    throw new Error(`invalid bucket name ${JSON.stringify(name)}: 3-63 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit`);
  }
}

function sendError(res: ServerResponse, err: S3Error, resource: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message>` +
    `<Resource>${xmlEscape(resource)}</Resource><RequestId>goldpath</RequestId></Error>`;
  res.writeHead(err.status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

function toS3Error(err: unknown): S3Error {
  if (err instanceof S3Error) return err;
  return new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.');
}

/** Verifies a hex x-amz-content-sha256 while streaming; fails the stream before its end on mismatch. */
class HashCheck extends Transform {
  private readonly hash = createHash('sha256');
  private readonly expected: string;
  constructor(expected: string) {
    super();
    this.expected = expected.toLowerCase();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    if (this.hash.digest('hex') !== this.expected) {
      cb(new S3Error('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed"));
    } else cb();
  }
}

async function readAll(req: IncomingMessage, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new S3Error('EntityTooLarge', 400, 'Request body too large');
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

function listBucketsXml(grant: BucketGrant, exists: boolean): string {
  const buckets = exists
    ? `<Bucket><Name>${xmlEscape(grant.bucket)}</Name><CreationDate>${new Date(0).toISOString()}</CreationDate></Bucket>`
    : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Owner><ID>${xmlEscape(grant.accessKeyId)}</ID><DisplayName>${xmlEscape(grant.accessKeyId)}</DisplayName></Owner>` +
    `<Buckets>${buckets}</Buckets></ListAllMyBucketsResult>`
  );
}

/** CopyObject / UploadPartCopy read from `x-amz-copy-source`; it must name the caller's own bucket and a valid key. */
function checkCopySource(header: string | string[] | undefined, bucket: string): void {
  if (header === undefined) return;
  const raw = (Array.isArray(header) ? header.join(',') : header).split('?')[0].replace(/^\/+/, '');
  const slash = raw.indexOf('/');
  const srcBucket = decodeUriPart(slash < 0 ? raw : raw.slice(0, slash), 'bucket of x-amz-copy-source');
  if (srcBucket !== bucket) throw new S3Error('AccessDenied', 403, 'Access Denied: this key may only copy from its own bucket');
  checkObjectKey(decodeUriPart(slash < 0 ? '' : raw.slice(slash + 1), 'key of x-amz-copy-source'), 'key of x-amz-copy-source');
}

function unavailable(): S3Error {
  return new S3Error('ServiceUnavailable', 503, 'The object store backend is unavailable or restarting; try again');
}

/** Each part percent-encoded, slashes kept: the path s3rver decodes back into exactly `key`. */
function encodeKeyPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function amzNow(): string {
  return new Date().toISOString().replace(/[-:]|\.\d+/g, '');
}

/**
 * Starts an S3-compatible store: s3rver in a child process on a private unix socket, behind a proxy on the public
 * port that authenticates every request with SigV4 against the per-environment key returned by
 * `resolveKey`, and confines each key to its own bucket (path-style addressing only).
 *
 * ListBuckets (GET /) answers with the caller's own bucket only. Creating or deleting buckets is
 * the platform's job (createBucket/deleteBucket), so those S3 calls are AccessDenied for keys.
 */
export async function startObjectStore(opts: ObjectStoreOptions): Promise<ObjectStore> {
  await mkdir(opts.dataDir, { recursive: true });
  // The backend starts in the background (0.5-2 s: loading s3rver is slow); requests that arrive before it is ready wait for it.
  const supervisor = await BackendSupervisor.start(opts.dataDir);

  /** Buckets are directories of the data dir (s3rver's layout), so bucket checks need no backend. */
  const bucketDirExists = async (name: string): Promise<boolean> => {
    try {
      return (await stat(join(opts.dataDir, name))).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  };

  const backendHeaders = (): OutgoingHttpHeaders => ({
    host: 'localhost',
    'x-amz-date': amzNow(),
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    authorization: `AWS4-HMAC-SHA256 Credential=${BACKEND_KEY}/${amzNow().slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
  });

  const backendAgent = async (): Promise<Agent> => {
    const agent = await supervisor.ready(BACKEND_READY_TIMEOUT_MS);
    if (!agent) throw unavailable();
    return agent;
  };

  const forward = async (req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string, body: Readable | Buffer | null, contentLength: number | null): Promise<void> => {
    let upstream: ReturnType<typeof httpRequest> | null = null;
    let bodyFailed = false;
    if (body && !Buffer.isBuffer(body)) {
      // Attached before waiting for the backend: an unhandled stream error would end the process.
      body.on('error', (err) => {
        bodyFailed = true;
        upstream?.destroy();
        sendError(res, toS3Error(err), path);
      });
    }
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      if (name === 'authorization' || name === 'host' || name === 'x-amz-content-sha256' || name === 'x-amz-date') continue;
      if (name === 'content-length' || name === 'x-amz-decoded-content-length' || name === 'x-amz-trailer') continue;
      headers[name] = value;
    }
    const encoding = req.headers['content-encoding'];
    if (encoding) {
      // aws-chunked is transport framing the proxy already removed; other codings are object metadata.
      const rest = encoding.split(',').map((s) => s.trim()).filter((s) => s && s !== 'aws-chunked');
      if (rest.length) headers['content-encoding'] = rest.join(', ');
      else delete headers['content-encoding'];
    }
    Object.assign(headers, backendHeaders());
    if (contentLength !== null) headers['content-length'] = String(contentLength);
    else if (body) headers['transfer-encoding'] = 'chunked';

    const agent = await backendAgent();
    if (bodyFailed || res.destroyed) return;
    const up$ = httpRequest({ socketPath: supervisor.socketPath, agent, method: req.method, path: rawQuery ? `${path}?${rawQuery}` : path, headers });
    upstream = up$;
    up$.on('response', (up) => {
      const out: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(up.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      }
      res.writeHead(up.statusCode ?? 502, out);
      up.pipe(res);
      up.on('error', () => res.destroy());
    });
    // The backend failed or was restarted mid-request: this request fails, nothing else.
    up$.on('error', () => sendError(res, unavailable(), path));
    res.on('close', () => {
      if (!res.writableFinished) up$.destroy();
    });
    if (body === null) up$.end();
    else if (Buffer.isBuffer(body)) up$.end(body);
    else body.pipe(up$);
  };

  /** One DeleteObject on the backend, reported the way DeleteObjects reports each key. */
  const deleteOnce = async (bucket: string, key: string): Promise<DeleteOutcome> => {
    const failed = (e: S3Error): DeleteOutcome => ({ key, error: { code: e.code, message: e.message } });
    let agent: Agent;
    try {
      agent = await backendAgent();
    } catch (e) {
      return failed(toS3Error(e));
    }
    return new Promise((resolve) => {
      const r = httpRequest({ socketPath: supervisor.socketPath, agent, method: 'DELETE', path: `/${bucket}/${encodeKeyPath(key)}`, headers: backendHeaders() }, (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('error', () => resolve(failed(unavailable())));
        up.on('end', () => {
          if ((up.statusCode ?? 500) < 300) return resolve({ key });
          const text = Buffer.concat(chunks).toString();
          const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? 'InternalError';
          resolve(failed(new S3Error(code, up.statusCode ?? 500, /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? 'The object could not be deleted')));
        });
      });
      r.on('error', () => resolve(failed(unavailable())));
      r.end();
    });
  };

  /**
   * s3rver removes a key's emptied folders after deleting it, and fails (500) when a concurrent
   * delete in the same folder removed one first, although the object is gone. A second try then
   * finds nothing to delete and succeeds.
   */
  const deleteOne = async (bucket: string, key: string): Promise<DeleteOutcome> => {
    const first = await deleteOnce(bucket, key);
    return first.error?.code === 'InternalError' ? deleteOnce(bucket, key) : first;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const rawPath = qi < 0 ? url : url.slice(0, qi);
    const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
    const method = req.method ?? 'GET';
    let resource = rawPath;
    try {
      if (!rawPath.startsWith('/')) throw new S3Error('InvalidURI', 400, 'Could not parse the specified URI');
      const segs = rawPath.slice(1).split('/');
      const bucket = decodeUriPart(segs[0], 'bucket name');
      checkBucketText(bucket);
      const key = decodeUriPart(segs.slice(1).join('/'), 'object key');
      const decoded = bucket ? `/${bucket}${key ? '/' + key : ''}` : '/';
      // A control character would make the error XML unreadable to the client.
      if (!/[\x00-\x1f]/.test(decoded)) resource = decoded;
      // Every key is checked before anything reaches the backend, which maps keys onto files.
      if (key) checkObjectKey(key);
      checkMultipartQuery(parseQuery(rawQuery));

      if (method === 'OPTIONS') {
        // CORS preflight carries no credentials and reads nothing; s3rver answers from bucket CORS config.
        req.resume();
        await forward(req, res, rawPath, stripAuthQuery(rawQuery), null, null);
        return;
      }

      const parts: RequestParts = { method, rawPath, rawQuery, headers: req.headers };
      const sig = parseSignature(parts);
      if (!sig) throw new S3Error('AccessDenied', 403, 'Access Denied: requests must be signed with an environment access key');
      let grant: BucketGrant | null;
      try {
        grant = await opts.resolveKey(sig.accessKeyId);
      } catch {
        throw new S3Error('ServiceUnavailable', 503, 'Could not look up the access key; try again');
      }
      if (!grant || grant.accessKeyId !== sig.accessKeyId) {
        throw new S3Error('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.');
      }
      if (!verifySignature(parts, sig, grant.secretAccessKey)) {
        throw new S3Error('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
      }

      if (!bucket) {
        if (method !== 'GET' && method !== 'HEAD') throw new S3Error('AccessDenied', 403, 'Access Denied');
        req.resume();
        const xml = listBucketsXml(grant, Boolean(await bucketDirExists(grant.bucket)));
        res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
        res.end(method === 'HEAD' ? undefined : xml);
        return;
      }
      if (bucket !== grant.bucket) throw new S3Error('AccessDenied', 403, 'Access Denied: this key may only use its own bucket');
      if (!key && !rawQuery && (method === 'PUT' || method === 'DELETE')) {
        throw new S3Error('AccessDenied', 403, 'Access Denied: buckets are created and deleted by the platform with their environment');
      }
      checkCopySource(req.headers['x-amz-copy-source'], grant.bucket);
      if (method === 'POST' && !key) {
        const q = new Set(parseQuery(rawQuery).map(([k]) => k));
        if (!q.has('delete')) throw new S3Error('AccessDenied', 403, 'Access Denied: browser form uploads are not supported; use PutObject');
        await deleteObjects(req, res, sig, bucket);
        return;
      }

      await forwardBody(req, res, sig, grant, rawPath, stripAuthQuery(rawQuery));
    } catch (err) {
      req.resume();
      sendError(res, toS3Error(err), resource);
    }
  };

  /** DeleteObjects names its keys in the XML body; they get the same checks as URL keys. */
  const deleteObjects = async (req: IncomingMessage, res: ServerResponse, sig: ParsedSignature, bucket: string): Promise<void> => {
    const body = await readAll(req, 2 * 1024 * 1024);
    if (sig.payloadHash.startsWith('STREAMING-')) {
      throw new S3Error('InvalidRequest', 400, 'DeleteObjects bodies must not be aws-chunked');
    }
    if (/^[0-9a-fA-F]{64}$/.test(sig.payloadHash) && createHash('sha256').update(body).digest('hex') !== sig.payloadHash.toLowerCase()) {
      throw new S3Error('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed");
    }
    const { keys, quiet } = parseDeleteRequest(body);
    for (const key of keys) checkObjectKey(key, 'key in the DeleteObjects body');
    const outcomes: DeleteOutcome[] = new Array(keys.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < keys.length) {
        const i = next++;
        outcomes[i] = await deleteOne(bucket, keys[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, keys.length) }, worker));
    const xml = deleteResultXml(outcomes, quiet);
    res.writeHead(200, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) });
    res.end(xml);
  };

  const forwardBody = async (req: IncomingMessage, res: ServerResponse, sig: ParsedSignature, grant: BucketGrant, path: string, query: string): Promise<void> => {
    const payload = sig.payloadHash;
    const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
    if (payload.startsWith('STREAMING-')) {
      const decodedRaw = req.headers['x-amz-decoded-content-length'];
      const decoded = typeof decodedRaw === 'string' && /^\d+$/.test(decodedRaw) ? Number(decodedRaw) : null;
      let verifier: ((chunk: Buffer, s: string) => boolean) | undefined;
      if (payload === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' || payload === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER') {
        const key = signingKey(grant.secretAccessKey, sig);
        let previous = sig.signature.toLowerCase();
        verifier = (chunk, provided) => {
          const expected = chunkSignature(key, sig, previous, chunk);
          previous = expected;
          return chunkSignatureMatches(expected, provided);
        };
      } else if (payload !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
        throw new S3Error('InvalidArgument', 400, `Unsupported x-amz-content-sha256 value ${payload}`);
      }
      const decoder = new AwsChunkedDecoder(verifier);
      req.on('error', (e) => decoder.destroy(e));
      req.pipe(decoder);
      await forward(req, res, path, query, decoder, decoded);
      return;
    }
    if (payload === 'UNSIGNED-PAYLOAD' || !hasBody) {
      if (!hasBody) req.resume();
      await forward(req, res, path, query, hasBody ? req : null, hasBody && req.headers['content-length'] ? Number(req.headers['content-length']) : null);
      return;
    }
    if (!/^[0-9a-fA-F]{64}$/.test(payload)) {
      throw new S3Error('InvalidArgument', 400, 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* value, or a hex SHA-256');
    }
    const length = Number(req.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(length) && length <= MAX_BUFFERED_BODY) {
      const body = await readAll(req, MAX_BUFFERED_BODY);
      if (createHash('sha256').update(body).digest('hex') !== payload.toLowerCase()) {
        throw new S3Error('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed");
      }
      await forward(req, res, path, query, body, body.length);
      return;
    }
    const check = new HashCheck(payload);
    req.on('error', (e) => check.destroy(e));
    req.pipe(check);
    await forward(req, res, path, query, check, Number.isFinite(length) ? length : null);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => sendError(res, new S3Error('InternalError', 500, 'Internal error'), '/'));
  });
  const host = opts.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await supervisor.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  return {
    endpoint: `http://${urlHost}:${port}`,
    async createBucket(name) {
      assertBucketName(name);
      await mkdir(join(opts.dataDir, name), { recursive: true, mode: 0o755 });
    },
    async deleteBucket(name) {
      assertBucketName(name);
      // Removes the bucket directory with every object, metadata file and pending upload in it.
      await rm(join(opts.dataDir, name), { recursive: true, force: true });
    },
    async bucketExists(name) {
      if (!isValidBucketName(name)) return false;
      return bucketDirExists(name);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await supervisor.close();
    },
  };
}
