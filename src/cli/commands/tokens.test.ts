import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenTable, type TokenInfo } from './tokens.ts';

test('the token table marks the current token and shows "-" for never used', () => {
  const tokens: TokenInfo[] = [
    { id: 'tok_aaaaaaaa', kind: 'cli', label: 'cli', createdAt: '2026-01-02T03:04:05.000Z', expiresAt: '2026-04-02T03:04:05.000Z', lastUsedAt: '2026-01-03T00:00:00.000Z', current: true },
    { id: 'tok_bbbbbbbb', kind: 'session', label: 'portal session', createdAt: '2026-01-02T10:00:00.000Z', expiresAt: '2026-01-02T22:00:00.000Z', lastUsedAt: null, current: false },
  ];
  const lines = tokenTable(tokens).split('\n');
  assert.match(lines[0], /^ID\s+KIND\s+LABEL\s+CREATED\s+EXPIRES\s+LAST USED$/);
  assert.match(lines[1], /^\* tok_aaaaaaaa\s+cli\s+cli\s+2026-01-02 03:04\s+2026-04-02 03:04\s+2026-01-03 00:00$/);
  assert.match(lines[2], /^ {2}tok_bbbbbbbb\s+session\s+portal session\s+2026-01-02 10:00\s+2026-01-02 22:00\s+-$/);
});
