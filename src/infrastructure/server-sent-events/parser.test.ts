import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStreamParser } from './parser.ts';

test('events are read across chunk boundaries, named or not, and data-less blocks are skipped', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push('event: environment\ndata: {"status":'), []);
  assert.deepEqual(parser.push('"ready"}\n\n: keep-alive\n\ndata: 1\n\n'), [
    { event: 'environment', data: { status: 'ready' } },
    { event: 'message', data: 1 },
  ]);
  assert.deepEqual(parser.push('data: {"a":\ndata: 2}\n\n'), [{ event: 'message', data: { a: 2 } }], 'data lines are joined');
});
