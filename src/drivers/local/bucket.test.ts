import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { startObjectStore, type BucketGrant, type ObjectStore } from '../../infrastructure/object-store/index.ts';
import type { Driver, ProvisionInput } from '../driver.ts';
import { bucketDriver, bucketOutputs } from './bucket.ts';

let work: string;
let store: ObjectStore;
let driver: Driver;
// The platform resolves keys from the environments' saved state; here, from what provision gave.
const grants = new Map<string, BucketGrant>();

const input = (resourceId: string, state: ProvisionInput['state'] = {}): ProvisionInput => ({
  environmentId: 'env1', resourceId, state, params: {},
  environment: { id: 'env1', name: 'churn', team: 'churn-analytics', owner: 'ravi', dataClass: 'synthetic', path: 'tiny', params: {} },
});

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'bucket-driver-'));
  store = await startObjectStore({ dataDir: join(work, 's3'), port: 0, host: '127.0.0.1', resolveKey: async (id) => grants.get(id) ?? null });
  driver = bucketDriver(store);
});
after(async () => {
  await store?.close();
  await rm(work, { recursive: true, force: true });
});

test('provision makes a bucket its own keys open, and gives exactly the declared outputs', async () => {
  const { outputs } = await driver.provision(input('bucket'));
  const o = bucketOutputs.parse(outputs);
  assert.deepEqual(Object.keys(o).sort(), ['accessKeyId', 'bucket', 'endpoint', 'region', 'secretAccessKey', 'url']);
  assert.equal(o.bucket, 'env1-bucket');
  assert.equal(o.url, store.endpoint);
  assert.ok(await store.bucketExists('env1-bucket'));

  grants.set(o.accessKeyId, { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey, bucket: o.bucket });
  const s3 = new S3Client({ endpoint: o.endpoint, region: o.region, forcePathStyle: true, credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey }, maxAttempts: 1 });
  try {
    await s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: 'model.txt', Body: 'weights' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: 'model.txt' }));
    assert.equal(await got.Body!.transformToString(), 'weights');
  } finally {
    s3.destroy();
  }
});

test('provision again with its state is idempotent: same bucket, same keys', async () => {
  const first = await driver.provision(input('twice'));
  const second = await driver.provision(input('twice', first.state));
  assert.deepEqual(second, first);
  assert.ok(await store.bucketExists('env1-twice'));
});

test('deprovision removes the bucket, and removing it again is no error', async () => {
  const { state } = await driver.provision(input('gone'));
  const ref = { environmentId: 'env1', resourceId: 'gone', state };
  await driver.deprovision(ref);
  assert.equal(await store.bucketExists('env1-gone'), false);
  assert.deepEqual(await driver.status(ref), { healthy: false, message: 'bucket is missing' });
  await driver.deprovision(ref);
});

test('a bucket takes no params: one is refused before anything is made', async () => {
  await assert.rejects(driver.provision({ ...input('bad'), params: { size: 'xl' } }), /resource "bad" \(bucket\): unknown param "size"/);
  assert.equal(await store.bucketExists('env1-bad'), false);
});
