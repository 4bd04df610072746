import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lifetime } from '../golden-path/schema.ts';
import { formatDuration, parseDuration } from './duration.ts';

test('durations are written in minutes, hours or days', () => {
  assert.equal(parseDuration('30m'), 30 * 60_000);
  assert.equal(parseDuration('2h'), 2 * 3_600_000);
  assert.equal(parseDuration('7d'), 7 * 86_400_000);
  assert.equal(formatDuration(parseDuration('36h')!), '36h');
  assert.equal(formatDuration(parseDuration('48h')!), '2d');
  for (const bad of ['7', '7 days', '0d', '-1h', '1w', '']) assert.equal(parseDuration(bad), null, bad);
});

test('a path without a lifetime gets a week, a month at most and two idle hours', () => {
  assert.deepEqual(Lifetime.parse({}), { ttl: 7 * 86_400_000, maxTtl: 30 * 86_400_000, idle: 2 * 3_600_000 });
});

test('a lifetime longer than its limit, or written wrongly, is refused with what to write', () => {
  const over = Lifetime.safeParse({ ttl: '9d', maxTtl: '7d' });
  assert.match(over.error!.issues[0].message, /ttl must not be longer than maxTtl/);
  assert.deepEqual(over.error!.issues[0].path, ['ttl']);
  const words = Lifetime.safeParse({ idle: 'two hours' });
  assert.match(words.error!.issues[0].message, /"two hours" is not a duration: write a whole number and m, h or d/);
  assert.deepEqual(words.error!.issues[0].path, ['idle']);
  assert.ok(!Lifetime.safeParse({ ttl: '1d', forever: true }).success, 'unknown fields are refused');
});
