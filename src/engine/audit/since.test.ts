import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSince } from './since.ts';

const now = new Date('2026-12-02T12:00:00Z');

test('since takes a duration back from now', () => {
  assert.equal(parseSince('1h', now)?.toISOString(), '2026-12-02T11:00:00.000Z');
  assert.equal(parseSince('30m', now)?.toISOString(), '2026-12-02T11:30:00.000Z');
  assert.equal(parseSince('7d', now)?.toISOString(), '2026-11-25T12:00:00.000Z');
});

test('since takes an ISO date or time', () => {
  assert.equal(parseSince('2026-12-01', now)?.toISOString(), '2026-12-01T00:00:00.000Z');
  assert.equal(parseSince('2026-12-01T09:30:00Z', now)?.toISOString(), '2026-12-01T09:30:00.000Z');
});

test('since refuses what is neither, rather than guessing', () => {
  for (const bad of ['1', 'yesterday', '1y', '2026-13-45', '', 'h1']) assert.equal(parseSince(bad, now), undefined, bad);
});
