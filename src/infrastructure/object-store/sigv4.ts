import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** An S3-style error: `code` is the S3 error code clients switch on. */
export class S3Error extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, status: number, message: string) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTH_QUERY_PARAMS = new Set([
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-signature',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-security-token',
]);

export interface ParsedSignature {
  kind: 'header' | 'presigned';
  accessKeyId: string;
  /** yyyymmdd/region/service/aws4_request */
  scope: string;
  date: string;
  region: string;
  service: string;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  /** The x-amz-content-sha256 value the signature covers (a hex digest or an UNSIGNED/STREAMING marker). */
  payloadHash: string;
}

export interface RequestParts {
  method: string;
  /** Path exactly as received, still percent-encoded. */
  rawPath: string;
  /** Query string exactly as received, without '?'. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function parseQuery(rawQuery: string): Array<[string, string]> {
  if (!rawQuery) return [];
  return rawQuery
    .split('&')
    .filter((p) => p.length > 0)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [safeDecode(pair), ''] : [safeDecode(pair.slice(0, eq)), safeDecode(pair.slice(eq + 1))];
    });
}

/** The query without presigning parameters, for forwarding to the backing store. */
export function stripAuthQuery(rawQuery: string): string {
  if (!rawQuery) return '';
  return rawQuery
    .split('&')
    .filter((pair) => {
      const eq = pair.indexOf('=');
      const key = safeDecode(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      return pair.length > 0 && !AUTH_QUERY_PARAMS.has(key);
    })
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (Array.isArray(v)) return v.join(',');
  return v;
}

function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function parseCredential(credential: string, amzDate: string, where: string): Pick<ParsedSignature, 'accessKeyId' | 'scope' | 'date' | 'region' | 'service'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || !parts[0] || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]) || !parts[2]) {
    throw new S3Error(
      'AuthorizationHeaderMalformed',
      400,
      `The ${where} Credential is malformed; expected <accessKeyId>/<yyyymmdd>/<region>/s3/aws4_request`,
    );
  }
  if (parts[3] !== 's3') throw new S3Error('AuthorizationHeaderMalformed', 400, `The ${where} Credential must be scoped to the s3 service`);
  if (parts[1] !== amzDate.slice(0, 8)) {
    throw new S3Error('AuthorizationHeaderMalformed', 400, `The ${where} Credential date does not match x-amz-date`);
  }
  return { accessKeyId: parts[0], scope: parts.slice(1).join('/'), date: parts[1], region: parts[2], service: parts[3] };
}

/**
 * Reads the SigV4 parameters of a request (Authorization header or presigned query).
 * Returns null when the request carries no credentials at all.
 */
export function parseSignature(req: RequestParts, now: number = Date.now()): ParsedSignature | null {
  const auth = headerValue(req.headers, 'authorization');
  const query = parseQuery(req.rawQuery);
  const q = (name: string): string | undefined => query.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const presigned = q('X-Amz-Algorithm') !== undefined;
  if (auth && presigned) {
    throw new S3Error('InvalidArgument', 400, 'Only one auth mechanism allowed: the Authorization header or X-Amz-Algorithm query parameters');
  }
  if (auth) {
    const space = auth.indexOf(' ');
    const algorithm = space < 0 ? auth : auth.slice(0, space);
    if (algorithm !== ALGORITHM) {
      throw new S3Error('InvalidRequest', 400, `Unsupported authorization type; sign requests with ${ALGORITHM} (Signature Version 4)`);
    }
    const fields = new Map<string, string>();
    for (const part of auth.slice(space + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const credential = fields.get('Credential');
    const signedHeaders = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    if (!credential || !signedHeaders || !signature) {
      throw new S3Error('AuthorizationHeaderMalformed', 400, 'The Authorization header needs Credential, SignedHeaders and Signature');
    }
    const amzDate = headerValue(req.headers, 'x-amz-date') ?? '';
    const time = parseAmzDate(amzDate);
    if (Number.isNaN(time)) throw new S3Error('AccessDenied', 403, 'AWS authentication requires a valid x-amz-date header (yyyyMMddTHHmmssZ)');
    if (Math.abs(now - time) > MAX_SKEW_MS) {
      throw new S3Error('RequestTimeTooSkewed', 403, 'The difference between the request time and the server time is too large');
    }
    const payloadHash = headerValue(req.headers, 'x-amz-content-sha256');
    if (!payloadHash) throw new S3Error('InvalidRequest', 400, 'Missing required header for this request: x-amz-content-sha256');
    return {
      kind: 'header',
      ...parseCredential(credential, amzDate, 'Authorization header'),
      amzDate,
      signedHeaders: signedHeaders.split(';'),
      signature,
      payloadHash,
    };
  }
  if (presigned) {
    if (q('X-Amz-Algorithm') !== ALGORITHM) {
      throw new S3Error('AuthorizationQueryParametersError', 400, `X-Amz-Algorithm only supports "${ALGORITHM}"`);
    }
    const credential = q('X-Amz-Credential');
    const signature = q('X-Amz-Signature');
    const amzDate = q('X-Amz-Date');
    const signedHeaders = q('X-Amz-SignedHeaders');
    const expiresRaw = q('X-Amz-Expires');
    if (!credential || !signature || !amzDate || !signedHeaders || !expiresRaw) {
      throw new S3Error(
        'AuthorizationQueryParametersError',
        400,
        'Presigned URLs need X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Expires',
      );
    }
    const time = parseAmzDate(amzDate);
    const expires = Number(expiresRaw);
    if (Number.isNaN(time)) throw new S3Error('AuthorizationQueryParametersError', 400, 'X-Amz-Date must be in the form yyyyMMddTHHmmssZ');
    if (!Number.isInteger(expires) || expires < 0 || expires > 604800) {
      throw new S3Error('AuthorizationQueryParametersError', 400, 'X-Amz-Expires must be a whole number of seconds between 0 and 604800');
    }
    if (now > time + expires * 1000) throw new S3Error('AccessDenied', 403, 'Request has expired');
    if (time - now > MAX_SKEW_MS) throw new S3Error('AccessDenied', 403, 'Request is not yet valid');
    return {
      kind: 'presigned',
      ...parseCredential(credential, amzDate, 'X-Amz-Credential'),
      amzDate,
      signedHeaders: signedHeaders.split(';'),
      signature,
      payloadHash: q('X-Amz-Content-Sha256') ?? headerValue(req.headers, 'x-amz-content-sha256') ?? 'UNSIGNED-PAYLOAD',
    };
  }
  return null;
}

export function signingKey(secretAccessKey: string, sig: Pick<ParsedSignature, 'date' | 'region' | 'service'>): Buffer {
  const kDate = createHmac('sha256', 'AWS4' + secretAccessKey).update(sig.date).digest();
  const kRegion = createHmac('sha256', kDate).update(sig.region).digest();
  const kService = createHmac('sha256', kRegion).update(sig.service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

function canonicalQuery(rawQuery: string, kind: ParsedSignature['kind']): string {
  return parseQuery(rawQuery)
    .filter(([k]) => !(kind === 'presigned' && k === 'X-Amz-Signature'))
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function canonicalHeaders(headers: IncomingHttpHeaders, names: string[]): string {
  return names
    .map((name) => {
      const raw = headers[name];
      const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      return `${name}:${values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`;
    })
    .join('');
}

/**
 * Clients differ in how they escape the path they sign (S3 signs it without double-encoding);
 * accept the path exactly as sent, or its canonical RFC 3986 re-encoding.
 */
function canonicalPaths(rawPath: string): string[] {
  const reencoded = rawPath
    .split('/')
    .map((segment) => uriEncode(safeDecode(segment)))
    .join('/');
  return reencoded === rawPath ? [rawPath] : [rawPath, reencoded];
}

function constantTimeEqualHex(a: string, b: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(a) || !/^[0-9a-f]{64}$/.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/** Recomputes the request signature with `secretAccessKey` and compares it in constant time. */
export function verifySignature(req: RequestParts, sig: ParsedSignature, secretAccessKey: string): boolean {
  if (!sig.signedHeaders.includes('host')) return false;
  const key = signingKey(secretAccessKey, sig);
  const query = canonicalQuery(req.rawQuery, sig.kind);
  const headers = canonicalHeaders(req.headers, sig.signedHeaders);
  let ok = false;
  for (const path of canonicalPaths(req.rawPath)) {
    const canonicalRequest = [req.method, path, query, headers, sig.signedHeaders.join(';'), sig.payloadHash].join('\n');
    const stringToSign = [ALGORITHM, sig.amzDate, sig.scope, sha256Hex(canonicalRequest)].join('\n');
    const expected = createHmac('sha256', key).update(stringToSign).digest('hex');
    // Evaluate every candidate so timing does not depend on which one matched.
    ok = constantTimeEqualHex(expected, sig.signature.toLowerCase()) || ok;
  }
  return ok;
}

const EMPTY_SHA256 = sha256Hex('');

/** Signature of one aws-chunked chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), chained from the previous one. */
export function chunkSignature(key: Buffer, sig: Pick<ParsedSignature, 'amzDate' | 'scope'>, previous: string, chunk: Buffer): string {
  const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', sig.amzDate, sig.scope, previous, EMPTY_SHA256, sha256Hex(chunk)].join('\n');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

export function chunkSignatureMatches(expected: string, provided: string): boolean {
  return constantTimeEqualHex(expected, provided.toLowerCase());
}
