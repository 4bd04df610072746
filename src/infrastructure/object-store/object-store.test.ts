import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
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
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CompleteMultipartUploadCommand,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { startObjectStore, type BucketGrant, type ObjectStore } from './index.ts';
import { chunkSignature, signingKey } from './sigv4.ts';
import { MAX_KEY_PART_BYTES } from './key-rules.ts';

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

async function s3Error(p: Promise<unknown>): Promise<{ code: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.Code ?? e.name ?? 'unknown', message: e.message ?? '', status: e.$metadata?.httpStatusCode };
  }
  return { code: 'no error', message: '' };
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

test('a 300-byte key part gets a 400 KeyTooLongError naming the per-part limit, and the store keeps answering', async () => {
  const s3 = client(A.accessKeyId, A.secretAccessKey);
  const refused = await s3Error(s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: 'x'.repeat(300), Body: 'too long' })));
  assert.equal(refused.code, 'KeyTooLongError');
  assert.equal(refused.status, 400);
  assert.match(refused.message, new RegExp(`at most ${MAX_KEY_PART_BYTES} bytes`));
  // The same over-long part deeper in a key, and in a GET, is refused the same way.
  assert.equal(await s3Code(s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: `deep/${'y'.repeat(300)}/z.txt` }))), 'KeyTooLongError');
  // Right at the limit the backend can still store it (its file name is then exactly 255 bytes).
  const atLimit = 'p'.repeat(MAX_KEY_PART_BYTES);
  await s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: atLimit, Body: 'fits' }));
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: atLimit }))).Body?.transformToString(), 'fits');
  await s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: 'after/long-key.txt', Body: 'still here' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: 'after/long-key.txt' }));
  assert.equal(await got.Body?.transformToString(), 'still here');
  s3.destroy();
});

test('a key over 1,024 bytes gets KeyTooLongError; 1,000 bytes of short parts is stored and listed', async () => {
  const s3 = client(A.accessKeyId, A.secretAccessKey);
  // 200 parts of 4 bytes ('p000'...'p199') with 199 slashes: 999 bytes.
  const manyParts = Array.from({ length: 200 }, (_, i) => `p${String(i).padStart(3, '0')}`).join('/');
  const tooLong = `${manyParts}/${'y'.repeat(25)}`;
  assert.equal(Buffer.byteLength(tooLong), 1025);
  const refused = await s3Error(s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: tooLong, Body: 'x' })));
  assert.equal(refused.code, 'KeyTooLongError');
  assert.match(refused.message, /1025 bytes.*1024/);
  // Multi-byte characters count as their UTF-8 bytes: 342 × '€' is 1,026 bytes.
  assert.equal(await s3Code(s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: '€'.repeat(342), Body: 'x' }))), 'KeyTooLongError');
  const fine = `${manyParts}x`;
  assert.equal(Buffer.byteLength(fine), 1000);
  await s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: fine, Body: 'deep' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: fine }));
  assert.equal(await got.Body?.transformToString(), 'deep');
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: A.bucket, Prefix: 'p000/p001/' }));
  assert.deepEqual(listed.Contents?.map((o) => o.Key), [fine]);
  await s3.send(new DeleteObjectCommand({ Bucket: A.bucket, Key: fine }));
  s3.destroy();
});

test('NUL and broken encodings in a key, a copy source or a DeleteObjects body are 400s that name the problem', async () => {
  const s3 = client(A.accessKeyId, A.secretAccessKey);
  const nul = await s3Error(s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: 'data/a\0b.txt', Body: 'x' })));
  assert.equal(nul.code, 'InvalidArgument');
  assert.equal(nul.status, 400);
  assert.match(nul.message, /NUL/);
  const copy = await s3Error(s3.send(new CopyObjectCommand({ Bucket: A.bucket, Key: 'data/copy.txt', CopySource: `${A.bucket}/data/a%00b.txt` })));
  assert.equal(copy.code, 'InvalidArgument');
  assert.match(copy.message, /x-amz-copy-source.*NUL/);
  const copyLong = await s3Error(s3.send(new CopyObjectCommand({ Bucket: A.bucket, Key: 'data/copy.txt', CopySource: `${A.bucket}/${'z'.repeat(300)}` })));
  assert.equal(copyLong.code, 'KeyTooLongError');
  const batch = await s3Error(s3.send(new DeleteObjectsCommand({ Bucket: A.bucket, Delete: { Objects: [{ Key: 'ok.txt' }, { Key: 'bad\0key' }] } })));
  assert.equal(batch.code, 'InvalidArgument');
  assert.match(batch.message, /DeleteObjects.*NUL/);
  s3.destroy();
  // Percent-encoding that is not UTF-8, and bytes that are not percent-encoded at all.
  for (const path of [`/${A.bucket}/data/%FF.txt`, `/${A.bucket}/data/%C3%28.txt`, `/${A.bucket}/data/%E2%82`]) {
    const res = await fetch(`${store.endpoint}${path}`);
    assert.equal(res.status, 400, path);
    const text = await res.text();
    assert.match(text, /<Code>InvalidURI<\/Code>/, path);
    assert.match(text, /object key .*not valid percent-encoded UTF-8/, path);
  }
  const bucketNul = await fetch(`${store.endpoint}/env%00alpha/x`);
  assert.equal(bucketNul.status, 400);
  assert.match(await bucketNul.text(), /bucket name contains a NUL/);
});

/** A signed raw request, for bodies and queries the SDK would never send. */
async function signedFetch(path: string, method: string, body?: string): Promise<Response> {
  const headers: Record<string, string> = { 'x-amz-content-sha256': createHash('sha256').update(body ?? '').digest('hex') };
  if (body !== undefined) headers['content-type'] = 'application/xml';
  const signed = await signer(A).sign(httpRequest(path, method, headers, body));
  return fetch(toUrl(signed), { method, headers: omitHost(signed.headers), body });
}

test("DeleteObjects keys are read strictly: HTML entities cannot smuggle '..', numeric keys are keys", async () => {
  const b = client(B.accessKeyId, B.secretAccessKey);
  await b.send(new PutObjectCommand({ Bucket: B.bucket, Key: 'kept.txt', Body: 'beta' }));
  const smuggled = await signedFetch(
    `/${A.bucket}?delete`,
    'POST',
    `<Delete><Object><Key>&period;&period;/${B.bucket}/kept.txt</Key></Object></Delete>`,
  );
  assert.equal(smuggled.status, 400);
  assert.match(await smuggled.text(), /<Code>MalformedXML<\/Code>.*entities/s);
  assert.equal(await (await b.send(new GetObjectCommand({ Bucket: B.bucket, Key: 'kept.txt' }))).Body?.transformToString(), 'beta');
  b.destroy();

  const a = client(A.accessKeyId, A.secretAccessKey);
  for (const key of ['0042', ' spaced ', 'a&b<c>.txt']) await a.send(new PutObjectCommand({ Bucket: A.bucket, Key: `batch/${key}`, Body: key }));
  await a.send(new PutObjectCommand({ Bucket: A.bucket, Key: '0042', Body: 'numeric' }));
  const result = await a.send(
    new DeleteObjectsCommand({ Bucket: A.bucket, Delete: { Objects: ['0042', 'batch/0042', 'batch/ spaced ', 'batch/a&b<c>.txt', 'batch/missing'].map((Key) => ({ Key })) } }),
  );
  assert.deepEqual(result.Deleted?.map((d) => d.Key).sort(), ['0042', 'batch/ spaced ', 'batch/0042', 'batch/a&b<c>.txt', 'batch/missing'].sort());
  assert.equal(result.Errors, undefined);
  const left = await a.send(new ListObjectsV2Command({ Bucket: A.bucket, Prefix: 'batch/' }));
  assert.equal(left.KeyCount ?? 0, 0);
  assert.equal(await s3Code(a.send(new GetObjectCommand({ Bucket: A.bucket, Key: '0042' }))), 'NoSuchKey');
  a.destroy();
});

test('multipart uploads work, and an uploadId or partNumber the store did not issue never reaches its files', async () => {
  const s3 = client(A.accessKeyId, A.secretAccessKey);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: A.bucket, Key: 'mp/joined.txt' }));
  assert.match(UploadId ?? '', /^[0-9a-f]{32}$/);
  const p1 = await s3.send(new UploadPartCommand({ Bucket: A.bucket, Key: 'mp/joined.txt', UploadId, PartNumber: 1, Body: 'first,' }));
  const p2 = await s3.send(new UploadPartCommand({ Bucket: A.bucket, Key: 'mp/joined.txt', UploadId, PartNumber: 2, Body: 'second' }));
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: A.bucket,
      Key: 'mp/joined.txt',
      UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
    }),
  );
  assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: 'mp/joined.txt' }))).Body?.transformToString(), 'first,second');
  const traversal = await s3Error(
    s3.send(new UploadPartCommand({ Bucket: A.bucket, Key: 'mp/x', UploadId: `../../${B.bucket}`, PartNumber: 1, Body: 'intrusion' })),
  );
  assert.deepEqual([traversal.code, traversal.status], ['NoSuchUpload', 404]);
  const badPart = await signedFetch(`/${A.bucket}/mp/x?partNumber=../../${B.bucket}/x._S3rver_object&uploadId=${UploadId}`, 'PUT', 'intrusion');
  assert.equal(badPart.status, 400);
  assert.match(await badPart.text(), /Part number must be an integer between 1 and 10000/);
  assert.equal(existsSync(join(work, 'data', B.bucket, 'x._S3rver_object')), false);
  s3.destroy();
});

/** Child processes of this test process started for the store whose data dir is `dataDir`. */
function backendPids(dataDir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(dataDir)) pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function socketInodes(pid: number | 'self'): string[] {
  const inodes: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.push(m[1]);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return inodes;
}

/** Listening TCP sockets (IPv4 and IPv6) of this machine: inode → port. */
function tcpListeners(): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[3] === '0A') out.set(f[9], Number.parseInt(f[1].split(':')[1], 16));
    }
  }
  return out;
}

/** Listening unix sockets: inode → path. */
function unixListeners(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && (Number.parseInt(f[3], 16) & 0x10000) !== 0) out.set(f[6], f[7]);
  }
  return out;
}

test('the backend opens no TCP port: the only new listener is the proxy, and its unix socket sits in a 0700 folder', async () => {
  const ownTcpPorts = (): number[] => {
    const tcp = tcpListeners();
    return socketInodes('self').filter((i) => tcp.has(i)).map((i) => tcp.get(i)!);
  };
  const before = ownTcpPorts();
  const dataDir = join(work, 'data-isolated');
  const other = await startObjectStore({ dataDir, port: 0, resolveKey: async (id) => grants.get(id) ?? null });
  try {
    await other.createBucket(A.bucket);
    // A request that goes through to the backend proves it is up and listening.
    const s3 = new S3Client({ endpoint: other.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: A, maxAttempts: 1 });
    await s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: 'up.txt', Body: 'up' }));
    s3.destroy();
    const proxyPort = Number(new URL(other.endpoint).port);
    assert.deepEqual(ownTcpPorts().filter((p) => !before.includes(p)), [proxyPort]);
    const [pid] = backendPids(dataDir);
    assert.ok(pid, 'the backend runs as a child process');
    const tcp = tcpListeners();
    const unix = unixListeners();
    const childSockets = socketInodes(pid);
    assert.deepEqual(childSockets.filter((i) => tcp.has(i)), [], 'the backend has no listening TCP socket');
    const paths = childSockets.filter((i) => unix.has(i)).map((i) => unix.get(i)!);
    assert.equal(paths.length, 1, 'the backend listens on one unix socket');
    assert.equal(dirname(paths[0]), join(dataDir, '.backend'));
    assert.equal(statSync(dirname(paths[0])).mode & 0o777, 0o700);
  } finally {
    await other.close();
  }
  assert.deepEqual(backendPids(dataDir), [], 'close() stops the backend');
});

test('when the backend dies mid-request only that request fails (503), and the next one is served by a restarted backend', async () => {
  const dataDir = join(work, 'data');
  const [first] = backendPids(dataDir);
  assert.ok(first, 'the backend runs as a child process');
  const s3 = client(A.accessKeyId, A.secretAccessKey);
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  async function* slowBody(): AsyncGenerator<Buffer> {
    yield Buffer.alloc(64 * 1024, 'a');
    await gate;
    yield Buffer.alloc(64 * 1024, 'b');
  }
  const upload = s3Error(s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: 'crash/in-flight.bin', Body: Readable.from(slowBody()), ContentLength: 128 * 1024 })));
  // Let the first chunk reach the backend, then take it down mid-upload.
  await new Promise((r) => setTimeout(r, 500));
  process.kill(first, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 100));
  release();
  const failed = await upload;
  assert.notEqual(failed.code, 'no error', 'the upload in flight fails');
  if (failed.status !== undefined) assert.equal(failed.status, 503);
  // The platform process is still here, and the store answers again from a new backend.
  await s3.send(new PutObjectCommand({ Bucket: A.bucket, Key: 'crash/after.txt', Body: 'recovered' }));
  const got = await s3.send(new GetObjectCommand({ Bucket: A.bucket, Key: 'crash/after.txt' }));
  assert.equal(await got.Body?.transformToString(), 'recovered');
  const [second] = backendPids(dataDir);
  assert.ok(second && second !== first, 'a new backend process serves the store');
  s3.destroy();
});
