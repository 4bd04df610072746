import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPeriod } from './period.ts';

const now = new Date('2026-02-10T09:00:00Z');
const at = (s: string) => findPeriod(s.split(' '), now);

test('periods are whole UTC days relative to today, across year ends', () => {
  assert.deepEqual(at('last month'), { label: 'last month', from: '2026-01-01', to: '2026-01-31' });
  assert.deepEqual(at('last quarter'), { label: 'last quarter', from: '2025-10-01', to: '2025-12-31' });
  assert.deepEqual(at('this quarter'), { label: 'this quarter', from: '2026-01-01' });
  assert.deepEqual(at('since march'), { label: 'since March 2025', from: '2025-03-01' });
  assert.deepEqual(at('in december'), { label: 'December 2025', from: '2025-12-01', to: '2025-12-31' });
  assert.deepEqual(at('since 2026-01-15'), { label: 'since 2026-01-15', from: '2026-01-15' });
  assert.deepEqual(at('last 7 days'), { label: 'the last 7 days', from: '2026-02-04' });
  assert.deepEqual(at('this week'), { label: 'this week', from: '2026-02-09' });
  assert.equal(at('the weather'), undefined);
});
