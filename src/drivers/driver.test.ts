import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { DriverRegistry, PermanentDriverError, defineDriver, type Driver } from './driver.ts';

// Drivers that make nothing: these tests are about choosing and checking, not provisioning.
const made: string[] = [];
const declared = (type: string, target: string, outputs: Record<string, unknown> = { url: `${type}://${target}` }): Driver =>
  defineDriver({
    type,
    target,
    params: z.strictObject({ size: z.number().int().default(1) }),
    outputs: z.strictObject({ url: z.string() }),
    async provision({ resourceId, params }) {
      made.push(`${resourceId}:${params.size}`);
      return { state: {}, outputs: outputs as { url: string } };
    },
    async status() {
      return { healthy: true };
    },
    async deprovision() {},
  });

const input = (params: Record<string, unknown>) => ({
  environmentId: 'e', resourceId: 'r', state: {}, params,
  environment: { id: 'e', name: 'e', team: 't', owner: 'o', dataClass: null, path: 'p', params: {} },
});

test('the registry picks a driver by type and target, local when no target is named', async () => {
  const registry = new DriverRegistry([declared('bucket', 'local'), declared('bucket', 'kubernetes'), declared('git-repo', 'local')]);
  assert.equal((await registry.get('bucket', 'kubernetes').provision(input({}))).outputs.url, 'bucket://kubernetes');
  assert.equal((await registry.get('bucket').provision(input({}))).outputs.url, 'bucket://local');
  assert.deepEqual(registry.types, ['bucket', 'git-repo']);
  assert.deepEqual([...registry.declarations('kubernetes').keys()], ['bucket']);
});

test('an unknown (type, target) is a permanent error naming both and what exists', () => {
  const registry = new DriverRegistry([declared('bucket', 'local'), declared('git-repo', 'local')]);
  assert.throws(() => registry.get('bucket', 'kubernetes'), (e: Error) => {
    assert.ok(e instanceof PermanentDriverError);
    assert.equal(e.message, 'no driver for resource type "bucket" on target "kubernetes"; this platform has drivers for: bucket (local), git-repo (local)');
    return true;
  });
});

test('two drivers for the same (type, target) are refused at start', () => {
  assert.throws(() => new DriverRegistry([declared('bucket', 'local'), declared('bucket', 'local')]), /two drivers are registered for resource type "bucket" on target "local"/);
});

test('params are checked before provision and outputs after it, against what the driver declares', async () => {
  const registry = new DriverRegistry([declared('bucket', 'local'), declared('odd', 'local', { url: 'x', extra: 1 })]);
  made.length = 0;
  await registry.get('bucket').provision(input({}));
  assert.deepEqual(made, ['r:1'], 'defaults from the params schema are applied');
  await assert.rejects(registry.get('bucket').provision(input({ size: 'big' })), (e: Error) => {
    assert.ok(e instanceof PermanentDriverError);
    assert.match(e.message, /^resource "r" \(bucket\): param "size": .*expected number/);
    return true;
  });
  assert.deepEqual(made, ['r:1'], 'a driver never sees params that do not fit');
  await assert.rejects(registry.get('odd').provision(input({})), /the odd driver \(local\) gave resource "r" outputs that differ from what it declares: unknown output "extra"/);
});

test('declarations are plain JSON Schema: output names and the params a path may set', () => {
  const d = new DriverRegistry([declared('bucket', 'local')]).declarations().get('bucket')!;
  assert.deepEqual(Object.keys(d.outputs.properties ?? {}), ['url']);
  assert.deepEqual(Object.keys(d.params.properties ?? {}), ['size']);
  assert.equal(d.params.additionalProperties, false);
  assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
});

test('a driver without declared schemas is refused at start', () => {
  const bare = { ...declared('bucket', 'local'), params: undefined, outputs: undefined } as unknown as Driver;
  assert.throws(() => new DriverRegistry([bare]), /the bucket driver \(local\) must declare its params and outputs schemas/);
});
