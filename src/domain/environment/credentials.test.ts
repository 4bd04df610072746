import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HIDDEN, withoutCredentials } from './credentials.ts';
import type { EnvironmentView } from './schema.ts';

const env = (outputs: Record<string, unknown>) => ({ id: 'e1', resources: [{ id: 'r', type: 'bucket', status: 'ready', outputs }] }) as unknown as EnvironmentView;

test('every credential output is hidden, the S3 secret access key included; what is not a credential stays', () => {
  const seen = withoutCredentials(env({ url: 'http://127.0.0.1:9000', bucket: 'b', accessKeyId: 'GPKEY1', secretAccessKey: 's3cr3t', password: 'p', token: 't', apiKey: 'k' })).resources[0]!.outputs;
  assert.deepEqual(seen, { url: 'http://127.0.0.1:9000', bucket: 'b', accessKeyId: 'GPKEY1', secretAccessKey: HIDDEN, password: HIDDEN, token: HIDDEN, apiKey: HIDDEN });
});

test('URLs keep where they lead, without their password or token', () => {
  const seen = withoutCredentials(env({ url: 'postgres://u:pw@127.0.0.1:5432/db', notebook: 'http://127.0.0.1:8888/tree?token=abc&x=1' })).resources[0]!.outputs;
  assert.equal(seen.url, 'postgres://u@127.0.0.1:5432/db');
  assert.equal(seen.notebook, 'http://127.0.0.1:8888/tree?x=1');
});
