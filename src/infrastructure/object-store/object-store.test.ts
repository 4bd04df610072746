import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  S3Client,
  PutObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListBucketsCommand,
  DeleteObjectCommand,
  CreateBucketCommand,
  CopyObjectCommand,
  DeleteObjectsCommand,
  DeleteBucketCommand,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { startObjectStore, type BucketGrant, type ObjectStore } from './index.ts';
import { chunkSignature, signingKey } from './sigv4.ts';

const A: BucketGrant = { accessKeyId: 'GPKEYENVALPHA0001', secretAccessKey: 'alpha-secret-0123456789abcdefghijklmnop', bucket: 'env-alpha' };
const B: BucketGrant = { accessKeyId: 'GPKEYENVBETA00002', secretAccessKey: 'beta-secret-0123456789abcdefghijklmnopq', bucket: 'env-beta' };
const grants = new Map([A, B].map((g) => [g.accessKeyId, g]));

let work: string;
let store: ObjectStore;

function client(accessKeyId: string, secretAccessKey: string, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint: store.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    ...extra,
  });
}

async function s3Code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { name?: string; Code?: string }).Code ?? (err as Error).name;
  }
  return 'no error';
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'goldpath-s3-'));
  store = await startObjectStore({ dataDir: join(work, 'data'), port: 0, resolveKey: async (id) => grants.get(id) ?? null });
  await store.createBucket(A.bucket);
  await store.createBucket(A.bucket); // idempotent
  await store.createBucket(B.bucket);
});

after(async () => {
  await store.close();
  await rm(work, { recursive: true, force: true });
});

test('with the SDK defaults (CRC32 checksums, aws-chunked trailers) env A puts and gets its own objects', async () => {
  const s3 = client(A.accessKeyId, A.secretAccessKey);
  await s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: 'data/train.csv', Body: 'id,churn\n1,0\n' }));
  // A stream of unknown length makes the SDK use aws-chunked with a trailing checksum.
  await s3.send(
    new PutObjectCommand({ Bucket: A.bucket, Key: 'data/stream.bin', Body: Readable.from([Buffer.from('hello '), Buffer.from('stream')]), ContentLength: 12 }),
  );
  const got = await s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: 'data/train.csv' }));
  assert.equal(await got.Body?.transformToString(), 'id,churn\n1,0\n');
  const streamed = await s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: 'data/stream.bin' }));
  assert.equal(await streamed.Body?.transformToString(), 'hello stream');
  const list = await s3.send(new ListObjectsV2Command({ Bucket: A.bucket, Prefix: 'data/' }));
  assert.deepEqual(list.Contents?.map((o) => o.Key).sort(), ['data/stream.bin', 'data/train.csv']);
  s3.destroy();
});

test('keys with spaces and special characters round-trip, and WHEN_REQUIRED checksum settings work too', async () => {
  const s3 = client(A.accessKeyId, A.secretAccessKey, { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const key = "reports/Q1 summary (final)!'*~+=&.txt";
  await s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: key, Body: 'ok', ContentType: 'text/plain' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: key }));
  assert.equal(await got.Body?.transformToString(), 'ok');
  assert.equal(got.ContentType, 'text/plain');
  const list = await s3.send(new ListObjectsV2Command({ Bucket: A.bucket, Prefix: 'reports/Q1 s' }));
  assert.deepEqual(list.Contents?.map((o) => o.Key), [key]);
  await s3.send(new DeleteObjectCommand({ Bucket: A.bucket, Key: key }));
  s3.destroy();
});

test("env A's keys cannot read, list or write env B's bucket", async () => {
  const b = client(B.accessKeyId, B.secretAccessKey);
  await b.send(new PutObjectCommand({ Bucket: B.bucket, Key: 'secret.txt', Body: 'beta only' }));
  b.destroy();
  const a = client(A.accessKeyId, A.secretAccessKey);
  assert.equal(await s3Code(a.send(new GetObjectCommand({ Bucket: B.bucket, Key: 'secret.txt' }))), 'AccessDenied');
  assert.equal(await s3Code(a.send(new ListObjectsV2Command({ Bucket: B.bucket }))), 'AccessDenied');
  assert.equal(await s3Code(a.send(new PutObjectCommand({ Bucket: B.bucket, Key: 'x.txt', Body: 'intrusion' }))), 'AccessDenied');
  assert.equal(await s3Code(a.send(new DeleteObjectCommand({ Bucket: B.bucket, Key: 'secret.txt' }))), 'AccessDenied');
  a.destroy();
});

test('ListBuckets shows only the caller’s bucket, and bucket create/delete is left to the platform', async () => {
  const a = client(A.accessKeyId, A.secretAccessKey);
  const listed = await a.send(new ListBucketsCommand({}));
  assert.deepEqual(listed.Buckets?.map((x) => x.Name), [A.bucket]);
  assert.equal(await s3Code(a.send(new CreateBucketCommand({ Bucket: 'env-gamma' }))), 'AccessDenied');
  assert.equal(await s3Code(a.send(new DeleteBucketCommand({ Bucket: A.bucket }))), 'AccessDenied');
  assert.equal(await store.bucketExists('env-gamma'), false);
  a.destroy();
});

test('a wrong secret is refused with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId', async () => {
  const wrong = client(A.accessKeyId, 'not-the-secret');
  assert.equal(await s3Code(wrong.send(new GetObjectCommand({ Bucket: A.bucket, Key: 'data/train.csv' }))), 'SignatureDoesNotMatch');
  assert.equal(await s3Code(wrong.send(new PutObjectCommand({ Bucket: A.bucket, Key: 'data/evil', Body: 'x' }))), 'SignatureDoesNotMatch');
  wrong.destroy();
  const unknown = client('GPKEYNOBODY', A.secretAccessKey);
  assert.equal(await s3Code(unknown.send(new ListObjectsV2Command({ Bucket: A.bucket }))), 'InvalidAccessKeyId');
  unknown.destroy();
  // B's secret with A's key id is just a wrong secret.
  const mixed = client(A.accessKeyId, B.secretAccessKey);
  assert.equal(await s3Code(mixed.send(new ListObjectsV2Command({ Bucket: A.bucket }))), 'SignatureDoesNotMatch');
  mixed.destroy();
});

test('unsigned, malformed and tampered requests get S3 XML errors, never a crash', async () => {
  const anon = await fetch(`${store.endpoint}/${A.bucket}/data/train.csv`);
  assert.equal(anon.status, 403);
  assert.match(await anon.text(), /<Code>AccessDenied<\/Code>/);
  const bad = await fetch(`${store.endpoint}/${A.bucket}/x`, { headers: { Authorization: 'AWS4-HMAC-SHA256 garbage' } });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /<Code>AuthorizationHeaderMalformed<\/Code>/);
  const v2 = await fetch(`${store.endpoint}/${A.bucket}/x`, { headers: { Authorization: 'AWS GPKEYENVALPHA0001:abc' } });
  assert.equal(v2.status, 400);
  const pct = await fetch(`${store.endpoint}/%E0%A4%A/x`);
  assert.equal(pct.status, 400);
  const presignedGarbage = await fetch(`${store.endpoint}/${A.bucket}/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a`);
  assert.equal(presignedGarbage.status, 400);
  // Still serving after all that.
  const s3 = client(A.accessKeyId, A.secretAccessKey);
  const got = await s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: 'data/train.csv' }));
  assert.equal(await got.Body?.transformToString(), 'id,churn\n1,0\n');
  s3.destroy();
});

/** The request shape SignatureV4 signs (from @smithy/protocol-http, not a direct dependency). */
type HttpRequest = Parameters<SignatureV4['presign']>[0];

function signer(grant: Pick<BucketGrant, 'accessKeyId' | 'secretAccessKey'>): SignatureV4 {
  return new SignatureV4({ credentials: grant, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
}

function httpRequest(path: string, method: string, headers: Record<string, string>, body?: string | Buffer): HttpRequest {
  const url = new URL(store.endpoint);
  const [pathname, query] = path.split('?');
  return {
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    method,
    path: pathname,
    query: Object.fromEntries(new URLSearchParams(query ?? '')),
    headers: { host: url.host, ...headers },
    body,
  };
}

/** Like the SDK's S3 presigner: S3 presigned URLs always sign UNSIGNED-PAYLOAD. */
function presignable(path: string): HttpRequest {
  return httpRequest(path, 'GET', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
}

function toUrl(req: HttpRequest): string {
  const q = Object.entries(req.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${store.endpoint}${req.path}${q ? '?' + q : ''}`;
}

test('presigned URLs (query-string SigV4) work for the own bucket only', async () => {
  const own = await signer(A).presign(presignable(`/${A.bucket}/data/train.csv`), { expiresIn: 60 });
  const ok = await fetch(toUrl(own));
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), 'id,churn\n1,0\n');
  const other = await signer(A).presign(presignable(`/${B.bucket}/secret.txt`), { expiresIn: 60 });
  const denied = await fetch(toUrl(other));
  assert.equal(denied.status, 403);
  assert.match(await denied.text(), /<Code>AccessDenied<\/Code>/);
  const forged = await signer({ accessKeyId: A.accessKeyId, secretAccessKey: 'guess' }).presign(presignable(`/${A.bucket}/data/train.csv`), { expiresIn: 60 });
  assert.equal((await fetch(toUrl(forged))).status, 403);
  const expired = await signer(A).presign(presignable(`/${A.bucket}/data/train.csv`), { expiresIn: 60, signingDate: new Date(Date.now() - 3600_000) });
  const late = await fetch(toUrl(expired));
  assert.equal(late.status, 403);
  assert.match(await late.text(), /expired/);
});

test('a body that does not match its signed x-amz-content-sha256 is rejected and not stored', async () => {
  const body = 'the real content';
  const signed = await signer(A).sign(
    httpRequest(`/${A.bucket}/tampered.txt`, 'PUT', { 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'), 'content-type': 'text/plain' }, body),
  );
  const res = await fetch(toUrl(signed), { method: 'PUT', headers: omitHost(signed.headers), body: 'the fake content' });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /XAmzContentSHA256Mismatch/);
  const s3 = client(A.accessKeyId, A.secretAccessKey);
  assert.equal(await s3Code(s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: 'tampered.txt' }))), 'NoSuchKey');
  s3.destroy();
});

function omitHost(headers: Record<string, string>): Record<string, string> {
  const { host: _host, ...rest } = headers;
  return rest;
}

test('signed streaming uploads (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) are decoded and their chunk signatures checked', async () => {
  const chunks = [Buffer.alloc(65536, 'a'), Buffer.from('tail'), Buffer.alloc(0)];
  const decoded = chunks.reduce((n, c) => n + c.length, 0);
  const frame = async (tamper: boolean): Promise<{ headers: Record<string, string>; body: Buffer; url: string }> => {
    const signingDate = new Date();
    const seed = await signer(A).sign(
      httpRequest(`/${A.bucket}/streamed-signed.bin`, 'PUT', {
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(decoded),
      }),
      { signingDate },
    );
    const amzDate = seed.headers['x-amz-date'];
    const seedSig = /Signature=([0-9a-f]{64})/.exec(seed.headers.authorization)![1];
    const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
    const key = signingKey(A.secretAccessKey, { date: amzDate.slice(0, 8), region: 'us-east-1', service: 's3' });
    let previous = seedSig;
    const parts: Buffer[] = [];
    for (const c of chunks) {
      previous = chunkSignature(key, { amzDate, scope }, previous, c);
      const sent = tamper && c.length === 4 ? Buffer.from('TAIL') : c;
      parts.push(Buffer.from(`${c.length.toString(16)};chunk-signature=${previous}\r\n`), sent, Buffer.from('\r\n'));
    }
    return { headers: omitHost(seed.headers), body: Buffer.concat(parts), url: toUrl(seed) };
  };
  const good = await frame(false);
  const ok = await fetch(good.url, { method: 'PUT', headers: good.headers, body: new Uint8Array(good.body) });
  assert.equal(ok.status, 200, await ok.text());
  const s3 = client(A.accessKeyId, A.secretAccessKey);
  const got = await s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: 'streamed-signed.bin' }));
  const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
  assert.equal(bytes.length, decoded);
  assert.equal(bytes.subarray(-4).toString(), 'tail');
  const bad = await frame(true);
  const refused = await fetch(bad.url, { method: 'PUT', headers: bad.headers, body: new Uint8Array(bad.body) });
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /SignatureDoesNotMatch/);
  s3.destroy();
});

test("dot segments, copy sources and batch deletes cannot reach env B's bucket", async () => {
  const a = client(A.accessKeyId, A.secretAccessKey);
  // node:http sends the path verbatim (fetch would normalise the dots away before they reach the proxy).
  for (const path of [`/${A.bucket}/../${B.bucket}/secret.txt`, `/${A.bucket}/%2E%2E/${B.bucket}/secret.txt`]) {
    const signed = await signer(A).sign(httpRequest(path, 'GET', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }));
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(store.endpoint);
      const r = request({ host: url.hostname, port: url.port, path, headers: signed.headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      r.on('error', reject);
      r.end();
    });
    assert.equal(status, 400, path);
  }
  assert.equal(await s3Code(a.send(new CopyObjectCommand({ Bucket: A.bucket, Key: 'stolen.txt', CopySource: `${B.bucket}/secret.txt` }))), 'AccessDenied');
  assert.equal(
    await s3Code(a.send(new DeleteObjectsCommand({ Bucket: A.bucket, Delete: { Objects: [{ Key: `../${B.bucket}/secret.txt` }] } }))),
    'InvalidArgument',
  );
  // Within the own bucket, copy and batch delete work.
  await a.send(new CopyObjectCommand({ Bucket: A.bucket, Key: 'data/copy.csv', CopySource: `${A.bucket}/data/train.csv` }));
  await a.send(new DeleteObjectsCommand({ Bucket: A.bucket, Delete: { Objects: [{ Key: 'data/copy.csv' }] } }));
  assert.equal(await s3Code(a.send(new GetObjectCommand({ Bucket: A.bucket, Key: 'data/copy.csv' }))), 'NoSuchKey');
  a.destroy();
  const b = client(B.accessKeyId, B.secretAccessKey);
  const still = await b.send(new GetObjectCommand({ Bucket: B.bucket, Key: 'secret.txt' }));
  assert.equal(await still.Body?.transformToString(), 'beta only');
  b.destroy();
});

test('deleteBucket removes the bucket with its objects, idempotently', async () => {
  await store.createBucket('env-doomed');
  const grant: BucketGrant = { accessKeyId: 'GPKEYDOOMED', secretAccessKey: 'doomed-secret', bucket: 'env-doomed' };
  grants.set(grant.accessKeyId, grant);
  const s3 = client(grant.accessKeyId, grant.secretAccessKey);
  await s3.send(new PutObjectCommand({ Bucket: 'env-doomed', Key: 'a/b/c.txt', Body: 'bye' }));
  await store.deleteBucket('env-doomed');
  await store.deleteBucket('env-doomed');
  assert.equal(await store.bucketExists('env-doomed'), false);
  assert.equal(existsSync(join(work, 'data', 'env-doomed')), false);
  await store.createBucket('env-doomed');
  const list = await s3.send(new ListObjectsV2Command({ Bucket: 'env-doomed' }));
  assert.equal(list.KeyCount ?? 0, 0);
  s3.destroy();
  await store.deleteBucket('env-doomed');
  await assert.rejects(store.createBucket('Bad_Name'), /invalid bucket name/);
});

const PYTHON = '/usr/bin/python3';
const BOTO_SCRIPT = `
import sys, boto3, botocore
from botocore.config import Config
endpoint, key, secret, own, other = sys.argv[1:6]
s3 = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                  region_name='us-east-1', config=Config(s3={'addressing_style': 'path'}, signature_version='s3v4'))
s3.put_object(Bucket=own, Key='py/hello.txt', Body=b'from boto3')
print('get', s3.get_object(Bucket=own, Key='py/hello.txt')['Body'].read().decode())
url = s3.generate_presigned_url('get_object', Params={'Bucket': own, 'Key': 'py/hello.txt'}, ExpiresIn=60)
import urllib.request
print('presigned', urllib.request.urlopen(url).read().decode())
for name, call in [('get', lambda: s3.get_object(Bucket=other, Key='secret.txt')),
                   ('list', lambda: s3.list_objects_v2(Bucket=other)),
                   ('put', lambda: s3.put_object(Bucket=other, Key='x', Body=b'x'))]:
    try:
        call()
        print('other', name, 'ALLOWED')
    except botocore.exceptions.ClientError as e:
        print('other', name, e.response['Error']['Code'])
`;

test('boto3 (Debian python3) puts and gets with the env keys and is refused on the other bucket', { skip: !existsSync(PYTHON) }, async () => {
  const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', BOTO_SCRIPT, store.endpoint, A.accessKeyId, A.secretAccessKey, A.bucket, B.bucket], {
      env: { PATH: process.env.PATH ?? '', HOME: work, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  if (out.code !== 0 && /No module named 'boto3'/.test(out.stderr)) {
    assert.fail('python3-boto3 is not installed (apt-get install python3-boto3)');
  }
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.stdout.trim().split('\n'), [
    'get from boto3',
    'presigned from boto3',
    'other get AccessDenied',
    'other list AccessDenied',
    'other put AccessDenied',
  ]);
});
